import { validateEngagementFiles } from '../steps/validate-engagement-files';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(validateEngagementFiles);
