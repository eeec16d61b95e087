// What every workflow step gets besides its event: storage, a logger and a clock. Steps use only
// these interfaces, so the same step runs in a Lambda (S3) and in the local runner (a folder).
import type { ObjectStore } from '../io/object-store';

export interface StepLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface StepContext {
  store: ObjectStore;
  logger: StepLogger;
  now: () => Date;
}

export type WorkflowStep<Event, Result> = (event: Event, context: StepContext) => Promise<Result>;

/** Raised for bad requests or bad input; its name becomes the Step Functions error code. */
export class WorkflowInputError extends Error {
  override name = 'WorkflowInputError';
}

export const silentLogger: StepLogger = { info() {}, warn() {}, error() {} };
