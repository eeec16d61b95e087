import { validateMoocInput } from '../steps/validate-mooc-input';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(validateMoocInput);
