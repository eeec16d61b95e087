import { planRun } from '../steps/plan-run';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(planRun);
