import { exportEngagementQuarantine } from '../steps/export-engagement-quarantine';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(exportEngagementQuarantine);
