// Catch target of the whole workflow: leaves results/<runId>/_FAILED.json so nobody mistakes a
// half-written run for a result (no manifest is written on this path), then releases the run lock.
// Only the attempt holding the lock writes: a failure before it (bad usage) or of an attempt that
// found the run id busy leaves the run folder and the other attempt's lock as they were.
import { assertRunId, failedMarkerKey, manifestKey } from '../contracts/layout';
import { attemptBegan, holdsRunLock, releaseRunLock } from './run-attempt';
import type { StepContext } from './step-context';
import type { FailureRecord } from '../contracts/result-types';
import type { RecordFailureEvent, RecordFailureResult } from '../contracts/state-payloads';

export function failureRecordOf(runId: string, failure: RecordFailureEvent['failure'], now: Date): FailureRecord {
  const cause = failure?.Cause ?? '';
  return { run_id: runId, status: 'failed', failed_at: now.toISOString(), state: failedStateOf(cause), error: failure?.Error ?? 'UnknownError', cause: readableCause(cause) };
}

export async function recordFailure(event: RecordFailureEvent, context: StepContext): Promise<RecordFailureResult> {
  const runId = assertRunId(event.runId);
  const record = failureRecordOf(runId, event.failure, context.now());
  const { store } = context;
  if (!(await holdsRunLock(store, runId, event.execution))) {
    context.logger.error('run failed before it held the run id (or another attempt holds it): nothing written', { runId, error: record.error, cause: record.cause });
    return { ...record, recorded: false };
  }
  try {
    if (!(await attemptBegan(store, runId, event.execution))) {
      // Refused before PlanRun changed anything (bad usage): the run folder stays as it was.
      context.logger.error('run refused before it changed anything: nothing written', { runId, error: record.error, cause: record.cause });
      return { ...record, recorded: false };
    }
    // A manifest from an earlier attempt of this run id would present this failed run as complete.
    await store.delete(manifestKey(runId));
    await store.put(failedMarkerKey(runId), JSON.stringify(record, null, 2) + '\n', 'application/json');
  } finally {
    // Released even when the record cannot be written (a full disk): PlanRun's "attempt not
    // finished" marker still says the run failed, and the run id must not stay blocked.
    await releaseRunLock(store, runId, event.execution);
  }
  context.logger.error('run failed', { runId, error: record.error, cause: record.cause });
  return { ...record, recorded: true };
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
