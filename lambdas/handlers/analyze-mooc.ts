import { analyzeMoocStep } from '../steps/mooc-steps';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(analyzeMoocStep);
