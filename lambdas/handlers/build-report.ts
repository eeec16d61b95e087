import { buildReportStep } from '../steps/build-report';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(buildReportStep);
