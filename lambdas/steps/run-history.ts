// The succeeded runs of a results root and their result-table rows: what the dashboard's History
// section, repeat detection and `engagement results history` read. Only complete runs count: a
// manifest with status succeeded and no _FAILED.json beside it (a rerun in progress or a failed one
// is left out, so nothing partial shows as history).
import { FAILED_FILE, MANIFEST_FILE, RESULTS_PREFIX, assertRunId, failedMarkerKey, manifestKey } from '../contracts/layout';
import { RESULT_TABLES, parseResultTableText, resultTableKey, type ResultRows, type ResultTableName } from '../contracts/result-tables';
import type { FailedMarker, RunManifest } from '../contracts/result-types';
import { parseJsonObject, parseRunManifest } from '../contracts/manifest';
import { ObjectNotFoundError, type ObjectStore } from '../io/object-store';
import { runHeadline, type RunHeadline } from '../analysis/run-history';

/** How many earlier runs the dashboard's History section and `engagement results history` show by default. */
export const DEFAULT_HISTORY_RUNS = 12;

export interface SucceededRun {
  runId: string;
  finishedAt: string;
}

/** A run folder under results/ with the markers found in it (undefined: absent, or unreadable, see `unreadable`). */
export interface RunFolderMarkers {
  runId: string;
  manifest?: RunManifest;
  failed?: FailedMarker;
  /**
   * Why a marker there could not be read (a truncated or hand-edited manifest.json, a _FAILED.json
   * that is not JSON): such a run is neither succeeded nor history, and its folder is named rather
   * than failing every reader of the results root.
   */
  unreadable?: string;
}

/**
 * Every folder under results/ named like a run id (results/.locks/ holds the run locks: a run id
 * never starts with '.'), with its manifest and _FAILED.json. Only those two files of each folder
 * are read, side by side (a schedule leaves a run a month): an unrelated folder of many files, or
 * one this process may not read, neither slows nor fails a run's report or `results list`.
 */
export async function readRunFolders(store: ObjectStore, exclude?: string): Promise<RunFolderMarkers[]> {
  const runIds = (await store.listFolders(RESULTS_PREFIX)).filter((name) => isRunIdName(name) && name !== exclude);
  return Promise.all(
    runIds.map(async (runId) => {
      const [manifest, failed] = await Promise.all([
        readMarker(store, manifestKey(runId), parseRunManifest),
        readMarker(store, failedMarkerKey(runId), parseFailedMarker),
      ]);
      const unreadable = [manifest.problem && `${MANIFEST_FILE}: ${manifest.problem}`, failed.problem && `${FAILED_FILE}: ${failed.problem}`].filter(Boolean).join('; ');
      return {
        runId,
        ...(manifest.value ? { manifest: manifest.value } : {}),
        // A _FAILED.json there marks the run failed whatever it holds.
        ...(failed.value || failed.problem ? { failed: failed.value ?? {} } : {}),
        ...(unreadable ? { unreadable } : {}),
      };
    }),
  );
}

function isRunIdName(name: string): boolean {
  try {
    assertRunId(name);
    return true;
  } catch {
    return false;
  }
}

/** A marker's parsed value, nothing when it is absent, or why it could not be read or parsed. */
async function readMarker<T>(store: ObjectStore, key: string, parse: (text: string) => T): Promise<{ value?: T; problem?: string }> {
  let text: string;
  try {
    text = await store.getText(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return {};
    if ((error as NodeJS.ErrnoException).code === 'EACCES') return { problem: 'this process may not read it' };
    throw error;
  }
  try {
    return { value: parse(text) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

function parseFailedMarker(text: string): FailedMarker {
  const marker = parseJsonObject(text);
  const stringField = (field: string) => (typeof marker[field] === 'string' ? { [field]: marker[field] as string } : {});
  return { ...stringField('failed_at'), ...stringField('state'), ...stringField('error'), ...stringField('cause') };
}

/** Succeeded runs, oldest first by their manifest's finished_at (then id), without `exclude`. */
export async function succeededRuns(store: ObjectStore, exclude?: string): Promise<SucceededRun[]> {
  const runs: SucceededRun[] = [];
  for (const { runId, manifest, failed } of await readRunFolders(store, exclude)) {
    if (manifest?.status === 'succeeded' && !failed) runs.push({ runId, finishedAt: manifest.finished_at });
  }
  return runs.sort((a, b) => compare(a.finishedAt, b.finishedAt) || compare(a.runId, b.runId));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows a run wrote for the given tables (a table whose file is absent has no entry). */
export async function readRunTables(store: ObjectStore, runId: string, tables: readonly ResultTableName[] = RESULT_TABLES.map((table) => table.name)): Promise<ResultRows> {
  const rows: ResultRows = {};
  // One read per table, an absent file being the not-found error: an exists() first is a second
  // request for every table that is there.
  const texts = await Promise.all(
    tables.map((table) =>
      store.getText(resultTableKey(runId, table)).catch((error: unknown) => {
        if (error instanceof ObjectNotFoundError) return undefined;
        throw error;
      }),
    ),
  );
  tables.forEach((table, index) => {
    const text = texts[index];
    if (text === undefined) return;
    try {
      rows[table] = parseResultTableText(text);
    } catch (error) {
      throw new Error(`${resultTableKey(runId, table)} is not JSON lines (${(error as Error).message})`);
    }
  });
  return rows;
}

const HEADLINE_TABLES: readonly ResultTableName[] = ['result_runs', 'result_inputs', 'result_cohorts', 'result_tests', 'result_correlation', 'result_mooc'];

export interface HistoryRead {
  runs: RunHeadline[];
  /** Succeeded runs left out because they hold no result tables (written before them). */
  withoutTables: string[];
  /** Runs left out because a result table of theirs could not be read: "<runId>: <why>". */
  unreadable: string[];
}

/** Headline figures of the last `last` succeeded runs that have result tables, oldest first. */
export async function readRunHistory(store: ObjectStore, options: { last: number; exclude?: string }): Promise<HistoryRead> {
  const runs = await succeededRuns(store, options.exclude);
  const headlines: RunHeadline[] = [];
  const withoutTables: string[] = [];
  const unreadable: string[] = [];
  for (const run of [...runs].reverse()) {
    if (headlines.length >= options.last) break;
    let tables: ResultRows;
    try {
      tables = await readRunTables(store, run.runId, HEADLINE_TABLES);
    } catch (error) {
      // One damaged run must not hide the others, nor fail the report of a new run beside it.
      unreadable.push(`${run.runId}: ${(error as Error).message}`);
      continue;
    }
    const headline = runHeadline(run.runId, tables);
    if (headline) headlines.push(headline);
    else withoutTables.push(run.runId);
  }
  return { runs: headlines.reverse(), withoutTables: withoutTables.reverse(), unreadable: unreadable.reverse() };
}
