// The last state of a successful run: describes every result file (rows, bytes, sha256) and writes
// manifest.json. Readers treat a run as complete only when this file exists with status succeeded.
import { createHash } from 'node:crypto';
import { Tokenizer } from '../tabular/tokenizer';
import { FAILED_FILE, MANIFEST_FILE, assertRunId, failedMarkerKey, manifestKey, runPrefix } from '../contracts/layout';
import type { ObjectStore } from '../io/object-store';
import type { ManifestOutput, RunManifest } from '../contracts/manifest';
import type { PublishManifestEvent, PublishManifestResult } from '../contracts/state-payloads';
import { holdsRunLock, releaseRunLock } from './run-attempt';
import type { StepContext } from './step-context';

export async function publishManifest(event: PublishManifestEvent, context: StepContext): Promise<PublishManifestResult> {
  const runId = assertRunId(event.runId);
  const prefix = runPrefix(runId);
  const { store } = context;
  if (!(await holdsRunLock(store, runId, event.execution))) {
    throw new Error(`run ${runId}: this attempt no longer holds the run lock (it expired and another attempt took it over), so it does not publish`);
  }
  // PlanRun emptied the folder under the lock, so what is here now is what this attempt wrote.
  const objects = (await store.list(prefix)).filter((object) => {
    const name = object.key.slice(prefix.length);
    return name !== MANIFEST_FILE && name !== FAILED_FILE;
  });
  const listed = new Set(objects.map((object) => object.key));
  const lost = event.studyResults.flatMap((result) => result?.outputs ?? []).filter((output) => !listed.has(output.key));
  if (lost.length > 0) throw new Error(`run ${runId}: result files written by this run are gone: ${lost.map((output) => output.key).join(', ')}`);
  // Rows the writing steps counted as they wrote (records, not lines): no need to count them again.
  const knownRows = new Map<string, number>();
  for (const result of event.studyResults) for (const output of result?.outputs ?? []) if (output.key.endsWith('.csv')) knownRows.set(output.key, output.rows);
  const outputs: ManifestOutput[] = [];
  for (const object of objects) outputs.push(await describeOutput(store, object.key, prefix, knownRows.get(object.key)));

  const studies: RunManifest['studies'] = {};
  for (const [study, plan] of Object.entries(event.studies)) {
    const result = event.studyResults.find((candidate) => candidate?.study === study);
    studies[study] = plan.run ? { status: result?.status ?? 'succeeded', ...(result?.note ? { note: result.note } : {}) } : { status: 'skipped', note: plan.note };
  }
  const manifest: RunManifest = {
    run_id: runId,
    status: 'succeeded',
    started_at: event.startedAt,
    finished_at: context.now().toISOString(),
    periods: { baseline: event.periods.baseline.label, comparison: event.periods.comparison.label },
    studies,
    inputs: event.studyResults.flatMap((result) => result?.inputs ?? []),
    outputs,
  };
  const timings = Object.assign({}, ...event.studyResults.map((result) => result?.timings ?? {})) as Record<string, number>;
  if (Object.keys(timings).length > 0) manifest.timings = timings;
  const key = manifestKey(runId);
  // Manifest first, then the "attempt not finished" marker goes: until it is gone the run still
  // reads as failed, and if removing it fails, RecordFailure finds its own marker and records why.
  await store.put(key, JSON.stringify(manifest, null, 2) + '\n', 'application/json');
  await store.delete(failedMarkerKey(runId));
  await releaseRunLock(store, runId, event.execution);
  context.logger.info('manifest published', { runId, key, outputs: outputs.length });
  return { manifestKey: key, outputs: outputs.length };
}

/**
 * Streams one object once: its sha256, its size and, for CSV, its data rows (`knownRows` when the
 * step that wrote it counted them; else counted here as records: a quoted field may hold a line break).
 */
export async function describeOutput(store: ObjectStore, key: string, prefix: string, knownRows?: number): Promise<ManifestOutput> {
  const hash = createHash('sha256');
  const isCsv = key.endsWith('.csv');
  const counter = isCsv && knownRows === undefined ? new Tokenizer(key) : undefined;
  let bytes = 0;
  for await (const chunk of await store.getStream(key)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
    counter?.push(buffer, countOnly);
  }
  counter?.end(countOnly);
  let rows: number | null = null;
  if (isCsv) rows = knownRows ?? Math.max(0, counter!.records - 1);
  return { key: key.slice(prefix.length), rows, bytes, sha256: hash.digest('hex') };
}

const countOnly = (): void => {};
