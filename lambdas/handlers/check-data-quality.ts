import { checkDataQuality } from '../steps/check-data-quality';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(checkDataQuality);
