import { publishManifest } from '../steps/publish-manifest';
import { lambdaHandler } from './wiring';

export const handler = lambdaHandler(publishManifest);
