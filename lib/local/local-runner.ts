// Runs the synthesized state machine in-process: aws-local-stepfunctions interprets the definition,
// Athena tasks run the same SQL on DuckDB, Lambda tasks call the same step handlers, and a local
// folder stands in for the bucket (same keys). No second, hand-written pipeline.
import './promise-with-resolvers';
import { StateMachine } from 'aws-local-stepfunctions';
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { processIsAlive, thisLockProcess } from './process-alive';
import { UnderWay } from './under-way';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context as LambdaContext } from 'aws-lambda';
import { ATHENA_RESULTS_PREFIX, CHECKED_PREFIX, CURATED_PREFIX, RESULTS_PREFIX, assertRunId, defaultRunId, failedMarkerKey, manifestKey, runLockKey, runPrefix, studyResultKey } from '../../lambdas/contracts/layout';
import { ATHENA_SYNC_RESOURCE, type AthenaStartQueryParameters, type AthenaTaskExecutor } from '../../lambdas/athena/athena-task';
import { DuckDbAthena } from './duckdb-athena';
import { rawTableFile } from './duckdb-raw-tables';
import { tablesOf } from '../../lambdas/contracts/tables';
import { LocalObjectStore } from './local-object-store';
import { makeStepHandler } from '../../lambdas/handlers/wiring';
import { preloadStep, untypedStep } from '../../lambdas/steps/registry';
import { silentLogger, type StepContext, type StepLogger } from '../../lambdas/steps/step-context';
import type { RunRequest } from '../../lambdas/contracts/state-payloads';
import type { RunManifest } from '../../lambdas/contracts/manifest';
import type { FailureRecord } from '../../lambdas/contracts/result-types';
import { failureRecordOf } from '../../lambdas/steps/record-failure';
import { acquireRunLock, beginAttempt, parseLock, releaseRunLock, RunInProgressError, type LockHolder } from '../../lambdas/steps/run-attempt';
import { allStates, synthesizeWorkflow } from './synthesized-definition';

/** `iteration` tells apart the runs of one state inside a Map (one per item). */
export type ProgressEvent =
  | { kind: 'state-started'; state: string; at: number; iteration?: number }
  | { kind: 'state-succeeded'; state: string; at: number; ms: number; iteration?: number }
  | { kind: 'state-failed'; state: string; at: number; ms: number; error: string; cause: string; iteration?: number }
  | { kind: 'state-retried'; state: string; at: number; attempt: number; iteration?: number };

/** Makes a chosen state fail, to exercise the Retry and Catch paths of the real definition. */
export interface InjectedFault {
  state: string;
  /** How many times it fails before it works; 'always' never works. */
  times: number | 'always';
  error?: string;
  message?: string;
  /** Fail after the state's work is done (its answer lost, as when a query ran but the wait for it failed). */
  afterWork?: boolean;
}

export interface LocalRunOptions {
  inputDir: string;
  outDir: string;
  /**
   * The run to make or make again: a rerun of an id replaces its results. Without one the run gets
   * a new id from its start time (claimNewRunId), never an existing run's.
   */
  runId?: string;
  /** Called with the run id once the run holds it (before any state runs). */
  onRunId?: (runId: string) => void;
  request?: RunRequest;
  now?: () => Date;
  logger?: StepLogger;
  onProgress?: (event: ProgressEvent) => void;
  faults?: InjectedFault[];
  /** Wait between retries, in ms (the definition's own intervals are for the cloud). */
  retryWaitMs?: number;
  /**
   * Folder for the curated/ prefix, to keep the curated tables as the cloud's Parquet files. By
   * default the checked and curated tables are tables of the run's own DuckDB database (in memory
   * for small input: IN_MEMORY_TABLES_UP_TO_BYTES), dropped with it: locally they only feed this
   * run's queries.
   */
  curatedDir?: string;
  /** Folder for the checked/ prefix (every raw row with its reject reason, as Parquet); see curatedDir. */
  checkedDir?: string;
  /** Engagement input up to this many bytes keeps the run's tables in memory (default IN_MEMORY_TABLES_UP_TO_BYTES). */
  inMemoryTablesUpToBytes?: number;
  /**
   * DuckDB's memory_limit for the Athena emulator (beyond it, sorts, joins and aggregates spill to a
   * scratch folder). DuckDB's own default is 80% of the machine's memory, which a 10M-row run used.
   */
  duckdbMemoryLimit?: string;
  /** Statistics only: the analyst's period files (names in dir), placed in the run's engagement/ folder under the run lock. */
  periodFiles?: { dir: string; names: string[] };
  /** Fault injection: the results folder fills up (ENOSPC) after this many bytes written by the run. */
  resultsDiskBytes?: number;
  /**
   * A catalog shared with other runs (one DuckDB database, as one Glue database serves every
   * execution): this run's checked/ and curated/ prefixes are its folders, and the run leaves it
   * open. By default each run opens its own.
   */
  sharedCatalog?: SharedAthenaCatalog;
}

/** What runLocalWorkflow needs of a shared catalog (DuckDbAthena is one). */
export interface SharedAthenaCatalog {
  readonly checkedDir: string | undefined;
  readonly curatedDir: string | undefined;
  forRun(run: { store: LocalObjectStore; inputDir: string }): Promise<AthenaTaskExecutor>;
}

/**
 * Engagement input up to this size keeps the run's checked and curated tables in memory: nothing is
 * written to a database file only to be read back (about 0.5 s at 1M watch rows, 43 MB, for about
 * 0.1 GB more peak memory). Larger input keeps them in a file in the run's scratch folder, which
 * DuckDB pages out, so 10M watch rows (457 MB) stay under 2 GB.
 */
export const IN_MEMORY_TABLES_UP_TO_BYTES = 128 * 1024 * 1024;

/** Where the run's tables live: in memory for small input, else a database file in the scratch folder. */
async function runDatabasePath(inputDir: string, scratchDir: string, inMemoryUpToBytes: number): Promise<string> {
  let bytes = 0;
  for (const table of tablesOf('engagement')) {
    const file = await stat(rawTableFile(inputDir, table)).catch(() => undefined);
    bytes += file?.size ?? 0;
  }
  return bytes <= inMemoryUpToBytes ? ':memory:' : path.join(scratchDir, 'catalog.duckdb');
}

/** Enough for 10M watch rows at full speed, and the whole run stays under 2 GB (bench/README.md). */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '1GB';

export interface LocalRunResult {
  runId: string;
  status: 'succeeded' | 'failed';
  runDir: string;
  /** The manifest this attempt published (a succeeded run only). */
  manifest?: RunManifest;
  /** A failed attempt that changed nothing: the run id's earlier published result is still there. */
  earlierResultKept?: boolean;
  /** Why the run failed: `recorded` says whether _FAILED.json holds it, else not_recorded_because. */
  failure?: FailureRecord & { recorded: boolean; not_recorded_because?: string };
}

export async function runLocalWorkflow(options: LocalRunOptions): Promise<LocalRunResult> {
  const now = options.now ?? (() => new Date());
  const { definition, stepByFunctionArn } = await synthesizeWorkflow();
  // Like a Step Functions execution: a name unique per attempt, the run id in the input.
  const executionName = randomUUID();
  const execution = `local:${os.hostname()}:${process.pid}:${executionName}`;
  const resultsStore = new LocalObjectStore({ mounts: [{ prefix: RESULTS_PREFIX, dir: options.outDir }] });
  // Taken before any scratch folder exists, and with this process's id: PlanRun finds it held by
  // this execution, and a lock left by a killed process is taken over by the next attempt.
  const holder: LockHolder = { execution, now: now(), process: thisLockProcess(), processIsAlive: ({ pid, started }) => processIsAlive(pid, started) };
  let runId: string;
  if (options.runId === undefined) {
    runId = await claimNewRunId(resultsStore, options.outDir, defaultRunId(now()), holder);
  } else {
    runId = assertRunId(options.runId);
    await acquireRunLock(resultsStore, runId, holder);
  }
  options.onRunId?.(runId);
  const lockFile = resultsStore.pathOf(runLockKey(runId));
  locksHeld.set(lockFile, execution);
  let scratchDir: string | undefined;
  let athena: AthenaTaskExecutor | undefined;
  // Tasks of branches a failed sibling ended may still run: the run waits for them (see UnderWay).
  const tasksUnderWay = new UnderWay();
  let status: LocalRunResult['status'] = 'succeeded';
  const failureCapture: FailureCapture = {};
  try {
    if (options.periodFiles) await placePeriodFiles(resultsStore, runId, execution, now(), options.periodFiles);
    await removeScratchOfKilledRuns();
    scratchDir = await mkdtemp(path.join(os.tmpdir(), athenaScratchPrefix(runId)));
    const shared = options.sharedCatalog;
    const curatedDir = shared ? catalogDir(shared.curatedDir, 'curated') : (options.curatedDir ?? path.join(scratchDir, 'curated'));
    const checkedDir = shared ? catalogDir(shared.checkedDir, 'checked') : (options.checkedDir ?? path.join(scratchDir, 'checked'));
    // Parquet files only when asked for; else the tables live in this run's database (in the scratch
    // folder, removed with it, or by the next attempt if this process is killed).
    const parquetTables = options.curatedDir !== undefined || options.checkedDir !== undefined;
    const store = new LocalObjectStore({
      inputDir: options.inputDir,
      resultsWriteBudgetBytes: options.resultsDiskBytes,
      mounts: [
        { prefix: RESULTS_PREFIX, dir: options.outDir },
        { prefix: ATHENA_RESULTS_PREFIX, dir: path.join(scratchDir, 'athena-results') },
        { prefix: CHECKED_PREFIX, dir: checkedDir },
        { prefix: CURATED_PREFIX, dir: curatedDir },
      ],
    });
    // A shared catalog hands out this run's executor; closing it leaves the catalog open.
    const emulator: AthenaTaskExecutor = shared
      ? await shared.forRun({ store, inputDir: options.inputDir })
      : await DuckDbAthena.open({
          store,
          inputDir: options.inputDir,
          ...(parquetTables ? { curatedDir, checkedDir } : { tablesInDatabase: true, databasePath: await runDatabasePath(options.inputDir, scratchDir, options.inMemoryTablesUpToBytes ?? IN_MEMORY_TABLES_UP_TO_BYTES) }),
          memoryLimit: options.duckdbMemoryLimit ?? DEFAULT_DUCKDB_MEMORY_LIMIT,
          scratchParent: scratchDir,
        });
    athena = emulator;
    const stepContext: StepContext = { store, logger: options.logger ?? silentLogger, now };
    const faults = new FaultInjector(options.faults ?? []);

    const handlers: Record<string, (input: any) => Promise<any>> = {};
    const retryIntervals: Record<string, number> = {};
    for (const [stateName, state] of allStates(definition)) {
      if (state.Type !== 'Task') continue;
      if (state.Retry) retryIntervals[stateName] = options.retryWaitMs ?? 10;
      let run: (input: any) => Promise<unknown>;
      if (state.Resource === ATHENA_SYNC_RESOURCE) {
        run = (input: AthenaStartQueryParameters) => {
          // The report's modules (vega, vega-lite, resvg: the largest a run loads, a third of a second
          // or more) load once the first query runs on DuckDB's threads, while this thread would only
          // wait, instead of when the report starts at the end of every run. preloadStep loads a
          // module once; later queries find it loaded.
          setImmediate(() => preloadStep('buildReport'));
          return emulator.startQueryExecutionSync(input);
        };
      } else if (stepByFunctionArn[state.Resource]) {
        const handler = makeStepHandler(untypedStep(stepByFunctionArn[state.Resource]!), () => stepContext);
        run = (input: unknown) => handler(input, lambdaContextFor(stateName));
      } else {
        throw new Error(`the local runner has no implementation for state ${stateName} (resource ${state.Resource})`);
      }
      const task = async (input: any): Promise<unknown> => {
        // What the run failed of, kept in case RecordFailure cannot write it down.
        if (stateName === RECORD_FAILURE_STATE) failureCapture.input = input;
        try {
          faults.maybeFail(stateName, false);
          // From its start: a signal that stopped the process between writing the manifest and
          // clearing the attempt's marker would leave both side by side. A failed publish takes it back.
          if (stateName === PUBLISH_MANIFEST_STATE) publishedRuns.add(execution);
          let output: unknown;
          try {
            output = await run(input);
          } catch (error) {
            if (stateName === PUBLISH_MANIFEST_STATE) publishedRuns.delete(execution);
            throw error;
          }
          if (stateName === RECORD_FAILURE_STATE) failureCapture.recorded = (output as { recorded?: boolean }).recorded === true;
          faults.maybeFail(stateName, true);
          return output;
        } catch (error) {
          if (stateName === RECORD_FAILURE_STATE) failureCapture.recordError = error as Error;
          throw asTaskError(error, stateName);
        }
      };
      handlers[stateName] = (input) => tasksUnderWay.track(task(input));
    }

    // synthesizeWorkflow validated this definition before caching it (assertValidDefinition).
    const machine = new StateMachine(definition as any, { validationOptions: { noValidate: true } });
    const input = { ...(options.request ?? {}), runId };
    const execution_ = machine.run(input as any, {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryIntervals },
      context: { Execution: { Id: execution, Name: executionName, Input: input as unknown as Record<string, never>, StartTime: now().toISOString() } },
    });
    const progress = reportProgress(execution_.eventLogs, options.onProgress);
    try {
      await execution_.result;
    } catch {
      status = 'failed';
    } finally {
      await progress;
    }
  } catch (error) {
    // The runner itself failed (placing the period files, opening DuckDB): no state ran to record it.
    status = 'failed';
    failureCapture.input ??= { failure: { Error: (error as Error).name, Cause: JSON.stringify({ errorMessage: (error as Error).message }) } };
    failureCapture.runnerError = error as Error;
  } finally {
    // Closing the emulator interrupts its queries still running; then every task has ended.
    await athena?.close();
    await tasksUnderWay.settled();
    // A folder that cannot be removed now is removed by a later run once this process is gone
    // (removeScratchOfKilledRuns); it must not hide how the run ended.
    if (scratchDir) await rm(scratchDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    // RecordFailure or PublishManifest released it; this covers a run that ended before either.
    await releaseRunLock(resultsStore, runId, execution).catch(() => false);
    locksHeld.delete(lockFile);
    // A published run stays in publishedRuns: until the process exits, a signal must not call it unfinished.
  }
  const runDir = localRunDir(options.outDir, runId);
  const result: LocalRunResult = { runId, status, runDir };
  // A manifest beside a failed attempt is the earlier result PlanRun left alone, never this attempt's.
  const manifest = (await resultsStore.exists(manifestKey(runId))) ? (JSON.parse(await resultsStore.getText(manifestKey(runId))) as RunManifest) : undefined;
  if (status === 'succeeded') result.manifest = manifest;
  else if (manifest) result.earlierResultKept = true;
  if (status === 'failed') result.failure = await failureOf(resultsStore, runId, failureCapture, now());
  if (status === 'succeeded' && !result.manifest) result.status = 'failed';
  return result;
}

const RECORD_FAILURE_STATE = 'RecordFailure';
const PUBLISH_MANIFEST_STATE = 'PublishManifest';

/** The lock files this process's runs hold now, with the execution each names (see releaseOwnLocksSync). */
const locksHeld = new Map<string, string>();
/** Executions of this process whose PublishManifest has started (and not failed): their run completes, whatever signal comes now. */
const publishedRuns = new Set<string>();

/** Whether a run of this process is publishing or has published its manifest, so is only finishing or closing down. */
export function anyRunPublished(): boolean {
  return publishedRuns.size > 0;
}

/**
 * Releases the run locks this process holds, at once: for a process about to exit on a signal, so
 * that a rerun need not find the process gone (another host or container cannot tell) or wait for
 * the lock to expire. A lock another attempt has taken over is left alone.
 */
export function releaseOwnLocksSync(): void {
  for (const [file, execution] of locksHeld) {
    try {
      if (parseLock(readFileSync(file, 'utf8'))?.execution === execution) unlinkSync(file);
    } catch {
      // Gone already, or unreadable: nothing of ours to release.
    }
  }
  locksHeld.clear();
}

/** The folder of results/<runId>/ when results/ is the folder outDir. */
function localRunDir(outDir: string, runId: string): string {
  return path.join(outDir, runPrefix(runId).slice(RESULTS_PREFIX.length));
}

/** Runs started without an id in the same second get `<time>`, `<time>-2`, ... up to this many. */
const NEW_RUN_IDS_PER_SECOND = 100;

/**
 * A new run id from the start time (`base`), with -2, -3, ... when it is taken: its run folder exists
 * (a finished, failed or killed run), or another process holds its lock. A run that was not asked
 * to rerun an id so never replaces another run's results, and runs started in the same second all
 * go ahead. Returns with the id's lock held.
 */
async function claimNewRunId(store: LocalObjectStore, outDir: string, base: string, holder: LockHolder): Promise<string> {
  const taken = (runId: string) => existsSync(localRunDir(outDir, runId));
  for (let n = 1; n <= NEW_RUN_IDS_PER_SECOND; n++) {
    const runId = assertRunId(n === 1 ? base : `${base}-${n}`);
    if (taken(runId)) continue;
    try {
      await acquireRunLock(store, runId, holder);
    } catch (error) {
      if (error instanceof RunInProgressError) continue;
      throw error;
    }
    // Looked at again under the lock: a run of this id may have ended between the look and the lock.
    if (!taken(runId)) return runId;
    await releaseRunLock(store, runId, holder.execution);
  }
  throw new RunInProgressError(`${NEW_RUN_IDS_PER_SECOND} runs already started at ${base}; start this one with --run-id`);
}

interface FailureCapture {
  /** RecordFailure's input: the error and cause the run failed of. */
  input?: { failure?: { Error?: string; Cause?: string } };
  /** RecordFailure said it wrote _FAILED.json. */
  recorded?: boolean;
  recordError?: Error;
  /** The runner failed before the workflow could (placing period files, opening DuckDB). */
  runnerError?: Error;
}

function catalogDir(dir: string | undefined, prefix: string): string {
  if (dir === undefined) throw new Error(`the shared catalog has no ${prefix} tables`);
  return dir;
}

/**
 * _FAILED.json when RecordFailure wrote it; else what failed, and why it is not written down: the
 * run was refused before it changed anything (bad usage, the run id busy), or the record could not
 * be written (a full disk).
 */
async function failureOf(store: LocalObjectStore, runId: string, capture: FailureCapture, now: Date): Promise<NonNullable<LocalRunResult['failure']>> {
  if (capture.recorded) {
    const written = await store.getText(failedMarkerKey(runId));
    return { ...(JSON.parse(written) as FailureRecord), recorded: true };
  }
  const failure = failureRecordOf(runId, capture.input?.failure, now);
  const because = capture.recordError
    ? `_FAILED.json could not be written: ${capture.recordError.message}`
    : capture.runnerError
      ? 'the local runner failed before the workflow could record it'
      : 'the run stopped before it changed the run folder (an earlier result there is as it was)';
  return { ...failure, recorded: false, not_recorded_because: because };
}

/**
 * `engagement stats`: the analyst's period files are this run's input, placed in its engagement/
 * folder under the lock, as an upload to results/<runId>/engagement/ would be in AWS; an earlier
 * attempt's files are cleared first.
 */
async function placePeriodFiles(store: LocalObjectStore, runId: string, execution: string, now: Date, periodFiles: NonNullable<LocalRunOptions['periodFiles']>): Promise<void> {
  await beginAttempt(store, runId, execution, now);
  for (const name of periodFiles.names) {
    await store.putStream(studyResultKey(runId, 'engagement', name), createReadStream(path.join(periodFiles.dir, name)));
  }
}

export { RunInProgressError } from '../../lambdas/steps/run-attempt';

/**
 * Scratch folders (a run's, and `engagement stats`' empty raw input) name the process that made them
 * before the random characters mkdtemp adds, so a later run can tell a killed one's.
 */
const SCRATCH_NAME = /^engagement-(?:athena-.+|no-raw)-(\d+)-[A-Za-z0-9]+$/;

/**
 * A process killed mid-run (kill -9) could not remove its scratch folder: the next run removes the
 * folders of every process that is gone, whichever run id they had (a default id is never rerun).
 */
async function removeScratchOfKilledRuns(): Promise<void> {
  for (const name of await readdir(os.tmpdir())) {
    const pid = Number(SCRATCH_NAME.exec(name)?.[1]);
    if (pid && pid !== process.pid && !processIsAlive(pid)) await rm(path.join(os.tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Removes this process's scratch folders at once: for a process about to exit on a signal. */
export function removeOwnScratchSync(): void {
  for (const name of readdirSync(os.tmpdir())) {
    if (Number(SCRATCH_NAME.exec(name)?.[1]) !== process.pid) continue;
    try {
      // DuckDB's threads may still be writing into it (ENOTEMPTY): a few more tries, then the next
      // run's sweep of dead processes' scratch folders takes what is left.
      rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true, maxRetries: 3, retryDelay: 20 });
    } catch {
      // Left for that sweep.
    }
  }
}

/** The mkdtemp prefix of a run's scratch folder in this process (see SCRATCH_NAME). */
function athenaScratchPrefix(runId: string): string {
  return `engagement-athena-${runId}-${process.pid}-`;
}

/** The mkdtemp prefix of `engagement stats`' empty raw input folder in this process (see SCRATCH_NAME). */
export function noRawScratchPrefix(): string {
  return `engagement-no-raw-${process.pid}-`;
}

/** Step Functions reports a Lambda error as errorType + a JSON cause; mirror that locally. */
function asTaskError(error: unknown, stateName: string): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const taskError = new Error(JSON.stringify({ errorType: original.name, errorMessage: original.message, state: stateName }));
  taskError.name = original.name && original.name !== 'Error' ? original.name : 'States.TaskFailed';
  return taskError;
}

function lambdaContextFor(stateName: string): LambdaContext {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: stateName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `local:${stateName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `local-${Date.now()}`,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

class FaultInjector {
  private readonly failures = new Map<string, number>();
  constructor(private readonly faults: InjectedFault[]) {}

  maybeFail(stateName: string, afterWork: boolean): void {
    const fault = this.faults.find((candidate) => candidate.state === stateName && (candidate.afterWork ?? false) === afterWork);
    if (!fault) return;
    const failedSoFar = this.failures.get(stateName) ?? 0;
    if (fault.times !== 'always' && failedSoFar >= fault.times) return;
    this.failures.set(stateName, failedSoFar + 1);
    const error = new Error(fault.message ?? `injected fault ${failedSoFar + 1} in ${stateName}`);
    error.name = fault.error ?? 'Lambda.ServiceException';
    throw error;
  }
}

async function reportProgress(events: AsyncGenerator<any>, onProgress?: (event: ProgressEvent) => void): Promise<void> {
  const startedAt = new Map<string, number>();
  // A state whose error a Catch takes also exits (to the Catch's Next): it failed all the same. (A
  // retried state fails and runs again without entering anew, so only a catch marks it.)
  const caught = new Set<string>();
  for await (const event of events) {
    if (!onProgress || !('state' in event)) continue;
    const name = event.state.name;
    // Map iterations run the same states several times; key them by iteration.
    const key = `${name}#${event.index ?? ''}`;
    const iteration = typeof event.index === 'number' ? { iteration: event.index as number } : {};
    if (event.type === 'StateEntered') {
      startedAt.set(key, event.timestamp);
      caught.delete(key);
      onProgress({ kind: 'state-started', state: name, at: event.timestamp, ...iteration });
    } else if (event.type === 'StateExited') {
      if (caught.delete(key)) continue;
      onProgress({ kind: 'state-succeeded', state: name, at: event.timestamp, ms: event.timestamp - (startedAt.get(key) ?? event.timestamp), ...iteration });
    } else if (event.type === 'StateCaught') {
      caught.add(key);
    } else if (event.type === 'StateFailed') {
      onProgress({
        kind: 'state-failed',
        state: name,
        at: event.timestamp,
        ms: event.timestamp - (startedAt.get(key) ?? event.timestamp),
        error: event.Error,
        cause: String(event.Cause),
        ...iteration,
      });
    } else if (event.type === 'StateRetried') {
      onProgress({ kind: 'state-retried', state: name, at: event.timestamp, attempt: event.retry.attempt, ...iteration });
    }
  }
}
