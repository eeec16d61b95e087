// One attempt of a run id at a time, and nothing of an earlier attempt in its results. An attempt
// (a Step Functions execution, or a local run) holds the run id's lock object from PlanRun until
// PublishManifest or RecordFailure releases it; while it holds it, it alone writes results/<runId>/.
import { FAILED_FILE, assertRunId, failedMarkerKey, manifestKey, runLockKey, runPrefix } from '../contracts/layout';
import type { ObjectStore } from '../io/object-store';

/**
 * The longest an execution can run: the state machine's timeout (lib/workflow.ts uses this value).
 * A lock older than this plus a margin belongs to an execution that was aborted or timed out.
 */
export const MAX_RUN_SECONDS = 6 * 3600;
const LOCK_MARGIN_SECONDS = 15 * 60;

export interface RunLock {
  run_id: string;
  /** The execution holding the lock: its Step Functions execution ARN, or the local runner's id. */
  execution: string;
  acquired_at: string;
  /** After this the lock is taken over: its execution cannot still be running. */
  expires_at: string;
  /** Set by the local runner: a lock whose process is gone from this host is taken over at once. */
  process?: LockProcess;
}

/** The local process holding a lock; `started` tells it from a later process given the same id. */
export interface LockProcess {
  host: string;
  pid: number;
  started?: string;
}

/** What a succeeded rerun or a failure replaces: written by PlanRun before it touches any file. */
export interface AttemptMarker {
  run_id: string;
  status: 'failed';
  failed_at: string;
  state: 'PlanRun';
  error: 'AttemptNotFinished';
  cause: string;
  execution: string;
}

export class RunInProgressError extends Error {
  override name = 'RunInProgressError';
}

export interface LockHolder {
  execution: string;
  now: Date;
  process?: LockProcess;
  /** Whether a process of this host is alive; only asked about locks that name a process. */
  processIsAlive?: (lock: LockProcess) => boolean;
}

/**
 * Takes the run id's lock for this execution: created only when absent (a conditional write), taken
 * over only when its holder is certainly gone, and a no-op when this execution holds it already (a
 * retried PlanRun). Throws RunInProgressError when another execution holds it.
 */
export async function acquireRunLock(store: ObjectStore, runId: string, holder: LockHolder): Promise<RunLock> {
  const key = runLockKey(runId);
  const lock: RunLock = {
    run_id: assertRunId(runId),
    execution: holder.execution,
    acquired_at: holder.now.toISOString(),
    expires_at: new Date(holder.now.getTime() + (MAX_RUN_SECONDS + LOCK_MARGIN_SECONDS) * 1000).toISOString(),
    ...(holder.process ? { process: holder.process } : {}),
  };
  const body = JSON.stringify(lock, null, 2) + '\n';
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await store.putIf(key, body, { absent: true })) return lock;
    const current = await store.getVersioned(key);
    if (!current) continue; // released in between: try to create it again
    const held = parseLock(current.text);
    if (held?.execution === holder.execution) return held;
    const gone = whyHolderIsGone(held, holder);
    if (!gone) {
      throw new RunInProgressError(
        `run ${runId} is already running (execution ${held!.execution}, since ${held!.acquired_at}${held!.process ? `, process ${held!.process.pid}` : ''}); wait for it to finish or use another run id`,
      );
    }
    // Replace exactly the lock that was judged stale: a concurrent taker or a new holder makes this fail.
    if (await store.putIf(key, body, { version: current.version })) return lock;
  }
  throw new RunInProgressError(`run ${runId}: another attempt took the lock at the same moment; wait for it to finish or use another run id`);
}

/** Who judges a lock: the time, and on the local runner this host and how to tell whether a process of it runs. */
export type LockJudge = Pick<LockHolder, 'now' | 'process' | 'processIsAlive'>;

/** Whether an attempt holds the run id's lock now: one is there, and acquireRunLock would not take it over. */
export async function runLockIsHeld(store: ObjectStore, runId: string, judge: LockJudge): Promise<boolean> {
  const current = await store.getVersioned(runLockKey(runId));
  return current !== undefined && whyHolderIsGone(parseLock(current.text), judge) === undefined;
}

function whyHolderIsGone(held: RunLock | undefined, holder: LockJudge): string | undefined {
  if (!held) return 'the lock object is unreadable';
  if (Date.parse(held.expires_at) < holder.now.getTime()) return `the lock expired at ${held.expires_at}`;
  if (held.process && holder.processIsAlive && holder.process?.host === held.process.host && !holder.processIsAlive(held.process)) {
    return `process ${held.process.pid} is gone`;
  }
  return undefined;
}

/** A lock object's text as a lock, or undefined when it is none (unreadable, another shape). */
export function parseLock(text: string): RunLock | undefined {
  try {
    const lock = JSON.parse(text) as RunLock;
    return typeof lock?.execution === 'string' && typeof lock.expires_at === 'string' ? lock : undefined;
  } catch {
    return undefined;
  }
}

/** Whether this execution holds the run id's lock (only the holder may write or publish the run). */
export async function holdsRunLock(store: ObjectStore, runId: string, execution: string): Promise<boolean> {
  const current = await store.getVersioned(runLockKey(runId));
  return current !== undefined && parseLock(current.text)?.execution === execution;
}

/** Releases the lock if this execution holds it; a lock taken over by another attempt is left alone. */
export async function releaseRunLock(store: ObjectStore, runId: string, execution: string): Promise<boolean> {
  const key = runLockKey(runId);
  const current = await store.getVersioned(key);
  if (!current || parseLock(current.text)?.execution !== execution) return false;
  return store.deleteIf(key, current.version);
}

/**
 * The start of an attempt, under the lock. First the "attempt not finished" marker (_FAILED.json)
 * is written: until then nothing has changed, so a failure to write it (a full disk) leaves the
 * earlier result intact. Then the earlier attempt's manifest is deleted, then every other file of
 * the run folder except those `keep` names (inputs placed there: an analyst's period files). A
 * crash at any point leaves the folder marked failed; only a crash between the first two writes
 * leaves the old manifest beside the marker, and readers take the marker's word (results list).
 */
export async function beginAttempt(store: ObjectStore, runId: string, execution: string, now: Date, keep: (relativeKey: string) => boolean = () => false): Promise<void> {
  const prefix = runPrefix(runId);
  const marker: AttemptMarker = {
    run_id: runId,
    status: 'failed',
    failed_at: now.toISOString(),
    state: 'PlanRun',
    error: 'AttemptNotFinished',
    cause: `an attempt of run ${runId} started at ${now.toISOString()} (execution ${execution}) and has not finished: it is running, or it was interrupted; run the id again`,
    execution,
  };
  await store.put(failedMarkerKey(runId), JSON.stringify(marker, null, 2) + '\n', 'application/json');
  await store.delete(manifestKey(runId));
  for (const object of await store.list(prefix)) {
    const relative = object.key.slice(prefix.length);
    if (relative === FAILED_FILE || keep(relative)) continue;
    await store.delete(object.key);
  }
}

/** Whether this execution has begun changing the run folder (its marker is there): only then is a failure recorded in it. */
export async function attemptBegan(store: ObjectStore, runId: string, execution: string): Promise<boolean> {
  const marker = await store.getVersioned(failedMarkerKey(runId));
  if (!marker) return false;
  try {
    return (JSON.parse(marker.text) as Partial<AttemptMarker>).execution === execution;
  } catch {
    return false;
  }
}
