import { computeStatisticsStep } from '../steps/compute-engagement-statistics';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(computeStatisticsStep);
