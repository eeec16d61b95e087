import { recordFailure } from '../steps/record-failure';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(recordFailure);
