import { exportEngagementResults } from '../steps/export-engagement-results';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(exportEngagementResults);
