// Turns a workflow step into a Lambda handler: middy, a structured JSON logger carrying the run id,
// and the S3 object store of the data bucket. The local runner uses makeStepHandler with a folder.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ObjectStore } from '../io/object-store';
import type { StepContext, StepLogger, WorkflowStep } from '../steps/step-context';

export const SERVICE_NAME = 'engagement-workflow';

function runIdOf(event: unknown): string | undefined {
  const runId = (event as { runId?: unknown } | null)?.runId;
  return typeof runId === 'string' ? runId : undefined;
}

/** The same middy pipeline for Lambda and for the local runner; only the context differs. */
export function makeStepHandler<Event, Result>(step: WorkflowStep<Event, Result>, contextFor: (event: Event) => StepContext) {
  return middy(async (event: Event): Promise<Result> => step(event, contextFor(event)));
}

export function lambdaHandler<Event, Result>(step: WorkflowStep<Event, Result>) {
  const logger = new Logger({ serviceName: SERVICE_NAME });
  let store: ObjectStore | undefined;
  const contextFor = (event: Event): StepContext => {
    const runId = runIdOf(event);
    if (runId) logger.appendKeys({ runId });
    store ??= createS3Store();
    return { store, logger: logger as StepLogger, now: () => new Date() };
  };
  return makeStepHandler(step, contextFor).use(injectLambdaContext(logger, { resetKeys: true }));
}

function createS3Store(): ObjectStore {
  const bucket = process.env.DATA_BUCKET;
  if (!bucket) throw new Error('DATA_BUCKET is not set for this function');
  // Loaded lazily so local runs and tests never touch the AWS SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { S3ObjectStore } = require('../io/s3-object-store') as typeof import('../io/s3-object-store');
  return new S3ObjectStore(bucket);
}
