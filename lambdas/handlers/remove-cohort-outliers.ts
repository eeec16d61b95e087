import { removeCohortOutliers } from '../steps/remove-cohort-outliers';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(removeCohortOutliers);
