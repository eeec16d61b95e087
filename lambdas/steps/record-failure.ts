// Catch target of the whole workflow: leaves results/<runId>/_FAILED.json so nobody mistakes a
// half-written run for a result (no manifest is written on this path).
import { assertRunId, failedMarkerKey, manifestKey } from '../core/layout';
import type { StepContext } from './step-context';

export interface RecordFailureEvent {
  runId: string;
  failure?: { Error?: string; Cause?: string } | null;
}

export interface FailureRecord {
  run_id: string;
  status: 'failed';
  failed_at: string;
  state: string | null;
  error: string;
  cause: string;
}

export async function recordFailure(event: RecordFailureEvent, context: StepContext): Promise<FailureRecord> {
  const runId = assertRunId(event.runId);
  const error = event.failure?.Error ?? 'UnknownError';
  const cause = event.failure?.Cause ?? '';
  const record: FailureRecord = {
    run_id: runId,
    status: 'failed',
    failed_at: context.now().toISOString(),
    state: failedStateOf(cause),
    error,
    cause: readableCause(cause),
  };
  // A manifest from an earlier attempt of this run id would present this failed run as complete.
  await context.store.delete(manifestKey(runId));
  await context.store.put(failedMarkerKey(runId), JSON.stringify(record, null, 2) + '\n', 'application/json');
  context.logger.error('run failed', { runId, error, cause: record.cause });
  return record;
}

/** Lambda errors arrive as a JSON string {errorType, errorMessage, ...}; keep the message. */
function readableCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; state?: string; message?: string };
    return parsed.errorMessage ?? parsed.message ?? cause;
  } catch {
    return cause;
  }
}

function failedStateOf(cause: string): string | null {
  try {
    const parsed = JSON.parse(cause) as { state?: string };
    return typeof parsed.state === 'string' ? parsed.state : null;
  } catch {
    return null;
  }
}
