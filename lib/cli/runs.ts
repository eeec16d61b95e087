// What runs exist in the bucket and what each one produced, read from the manifests. Pure apart
// from the ObjectStore, so the CLI, a Lambda and tests share it; downloading to disk lives in
// lib/cli/run-download.ts.
import { FAILED_FILE, MANIFEST_FILE, assertRunId, failedMarkerKey, manifestKey, runPrefix } from '../../lambdas/contracts/layout';
import { ObjectNotFoundError, type ObjectStore } from '../../lambdas/io/object-store';
import { runLockIsHeld } from '../../lambdas/steps/run-attempt';
import { processIsAlive, thisLockProcess } from '../local/process-alive';
import { readRunFolders } from '../../lambdas/steps/run-history';
import { RESULT_FILES, resultFileKey } from '../../lambdas/contracts/result-files';
import { parseRunManifest } from '../../lambdas/contracts/manifest';
import type { FailedMarker, RunManifest, StudyPeriodLabels } from '../../lambdas/contracts/result-types';

export type RunStatus = 'succeeded' | 'running' | 'failed' | 'unreadable';

export interface RunSummary {
  id: string;
  /** When the run started (manifest), else the time its id encodes, else when it failed, else null. */
  date: string | null;
  status: RunStatus;
  periods?: StudyPeriodLabels;
  /** Why it failed, when a _FAILED.json says, or why its markers could not be read. */
  error?: string;
}

export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
}

/**
 * Every run under results/, newest first. A folder holding neither marker and no live attempt is no
 * run (an attempt writes _FAILED.json before anything else) and is left out.
 */
export async function listRuns(store: ObjectStore): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (const { runId: id, manifest, failed, unreadable } of await readRunFolders(store)) {
    const finished: RunStatus | undefined =
      manifest?.status === 'succeeded' && !failed ? 'succeeded' : failed || manifest?.status === 'failed' ? 'failed' : unreadable ? 'unreadable' : undefined;
    // An attempt under way marks its run "not finished" until it ends: it is running, not failed.
    const running = (finished === undefined || failed?.error === 'AttemptNotFinished') && (await runIsUnderWay(store, id));
    const status = running ? 'running' : finished;
    if (status === undefined) continue;
    summaries.push({
      id,
      date: manifest?.started_at ?? dateFromRunId(id) ?? failed?.failed_at ?? null,
      status,
      periods: manifest?.periods,
      ...(status !== 'running' && (failed || unreadable) ? { error: [failed && failureText(failed), unreadable].filter(Boolean).join('; ') } : {}),
    });
  }
  return summaries.sort((a, b) => compareDesc(a.date ?? '', b.date ?? '') || compareDesc(a.id, b.id));
}

/** The marker's state and error; an attempt's own marker names no state it reached (it is written at PlanRun). */
function failureText(failed: FailedMarker): string {
  if (failed.error === 'AttemptNotFinished') return 'AttemptNotFinished: stopped before it finished (rerun the id)';
  return [failed.state, failed.error].filter(Boolean).join(': ');
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Run ids made by defaultRunId (20261123T184500Z) carry their start time. */
export function dateFromRunId(runId: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(runId);
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z` : null;
}

/** The run id to use for 'latest' (newest succeeded run), or the given id checked. */
export async function resolveRunId(store: ObjectStore, runId: string): Promise<string> {
  if (runId !== 'latest') return assertRunId(runId);
  const latest = (await listRuns(store)).find((run) => run.status === 'succeeded');
  if (!latest) throw new RunNotFoundError('no succeeded run found');
  return latest.id;
}

export async function readManifest(store: ObjectStore, runId: string): Promise<RunManifest> {
  return (await readManifestAsStored(store, runId)).manifest;
}

/** The run's manifest, checked as readManifest does, with the bytes it was read from (a pull keeps them as they are). */
export async function readManifestAsStored(store: ObjectStore, runId: string): Promise<{ manifest: RunManifest; bytes: Buffer }> {
  const key = manifestKey(runId);
  const [hasManifest, failed] = await Promise.all([store.exists(key), store.exists(failedMarkerKey(runId))]);
  if ((!hasManifest || failed) && (await runIsUnderWay(store, runId))) throw new RunNotFoundError(`run ${runId} is running: pull it once it has finished`);
  if (!hasManifest) {
    throw new RunNotFoundError(failed ? `run ${runId} failed and has no manifest; see ${FAILED_FILE} in its folder` : `run ${runId} has no ${MANIFEST_FILE} (unknown run)`);
  }
  // A rerun's marker beside a manifest: the attempt that replaces it stopped midway.
  if (failed) throw new RunNotFoundError(`run ${runId} is marked failed (${FAILED_FILE} beside its ${MANIFEST_FILE}): an attempt of it stopped before it finished; rerun the id`);
  let bytes: Buffer;
  try {
    bytes = await store.getBytes(key);
  } catch (error) {
    // Gone between the look and the read: a rerun's first step removes the manifest.
    if (error instanceof ObjectNotFoundError) throw new RunNotFoundError(`run ${runId} changed while it was being read (a rerun of it started): pull it once that has finished`);
    throw error;
  }
  let manifest: RunManifest;
  try {
    manifest = parseRunManifest(bytes.toString('utf8'));
  } catch (error) {
    throw new RunNotFoundError(`run ${runId}: its ${MANIFEST_FILE} is not a run manifest: ${(error as Error).message}`);
  }
  for (const output of manifest.outputs) {
    // Keys come from the bucket; refuse any that would climb out of the run folder on disk.
    if (output.key.startsWith('/') || output.key.split('/').includes('..')) throw new Error(`manifest of ${runId} lists an unsafe key: ${output.key}`);
  }
  return { manifest, bytes };
}

/** Whether an attempt of the run holds its lock now, judged as a new attempt would (a killed local run's lock is not held). */
function runIsUnderWay(store: ObjectStore, runId: string): Promise<boolean> {
  return runLockIsHeld(store, runId, { now: new Date(), process: thisLockProcess(), processIsAlive: ({ pid, started }) => processIsAlive(pid, started) });
}

export interface Presigner {
  presign(key: string, seconds: number): Promise<string>;
}

export interface RunLink {
  key: string;
  url: string;
}

/** Time-limited links to the manifest and every output of a run (and its report page). */
export async function presignRun(store: ObjectStore & Presigner, runId: string, seconds: number): Promise<RunLink[]> {
  const id = await resolveRunId(store, runId);
  const manifest = await readManifest(store, id);
  const keys = [MANIFEST_FILE, ...manifest.outputs.map((output) => output.key)];
  const reportKey = resultFileKey(RESULT_FILES.reportIndex);
  if (!keys.includes(reportKey) && (await store.exists(`${runPrefix(id)}${reportKey}`))) keys.push(reportKey);
  const links: RunLink[] = [];
  for (const key of keys) links.push({ key, url: await store.presign(`${runPrefix(id)}${key}`, seconds) });
  return links;
}

export function formatRunTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs found\n';
  const rows = runs.map((run) => [run.id, run.date ?? '-', run.status, run.periods ? `${run.periods.baseline} vs ${run.periods.comparison}` : '-', run.error ?? '']);
  const header = ['RUN', 'DATE', 'STATUS', 'PERIODS', 'ERROR'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}
