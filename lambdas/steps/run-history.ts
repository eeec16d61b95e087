// The succeeded runs of a results root and their result-table rows: what the dashboard's History
// section, repeat detection and `engagement results history` read. Only complete runs count: a
// manifest with status succeeded and no _FAILED.json beside it (a rerun in progress or a failed one
// is left out, so nothing partial shows as history).
import { FAILED_FILE, MANIFEST_FILE, RESULTS_PREFIX } from '../contracts/layout';
import { RESULT_TABLES, parseResultTableText, resultTableKey, type ResultRows, type ResultTableName } from '../contracts/result-tables';
import type { RunManifest } from '../contracts/result-types';
import { ObjectNotFoundError, type ObjectStore } from '../io/object-store';
import { runHeadline, type RunHeadline } from '../analysis/run-history';

/** How many earlier runs the dashboard's History section and `engagement results history` show by default. */
export const DEFAULT_HISTORY_RUNS = 12;

export interface SucceededRun {
  runId: string;
  finishedAt: string;
}

/** Succeeded runs, oldest first by their manifest's finished_at (then id), without `exclude`. */
export async function succeededRuns(store: ObjectStore, exclude?: string): Promise<SucceededRun[]> {
  const files = new Map<string, Set<string>>();
  for (const { key } of await store.list(RESULTS_PREFIX)) {
    const [runId, ...rest] = key.slice(RESULTS_PREFIX.length).split('/');
    // results/.locks/ holds the run locks: a run id never starts with '.'.
    if (!runId || rest.length !== 1 || runId.startsWith('.') || runId === exclude) continue;
    const names = files.get(runId) ?? new Set<string>();
    names.add(rest[0]!);
    files.set(runId, names);
  }
  // The manifests are read side by side: one request after another is a round trip each, and a
  // schedule leaves a run a month.
  const finished = await Promise.all(
    [...files].map(async ([runId, names]): Promise<SucceededRun | undefined> => {
      if (!names.has(MANIFEST_FILE) || names.has(FAILED_FILE)) return undefined;
      const manifest = JSON.parse(await store.getText(`${RESULTS_PREFIX}${runId}/${MANIFEST_FILE}`)) as RunManifest;
      return manifest.status === 'succeeded' ? { runId, finishedAt: manifest.finished_at } : undefined;
    }),
  );
  const runs = finished.filter((run): run is SucceededRun => run !== undefined);
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
    if (text !== undefined) rows[table] = parseResultTableText(text);
  });
  return rows;
}

const HEADLINE_TABLES: readonly ResultTableName[] = ['result_runs', 'result_cohorts', 'result_tests', 'result_correlation', 'result_mooc'];

export interface HistoryRead {
  runs: RunHeadline[];
  /** Succeeded runs left out because they hold no result tables (written before them). */
  withoutTables: string[];
}

/** Headline figures of the last `last` succeeded runs that have result tables, oldest first. */
export async function readRunHistory(store: ObjectStore, options: { last: number; exclude?: string }): Promise<HistoryRead> {
  const runs = await succeededRuns(store, options.exclude);
  const headlines: RunHeadline[] = [];
  const withoutTables: string[] = [];
  for (const run of [...runs].reverse()) {
    if (headlines.length >= options.last) break;
    const headline = runHeadline(run.runId, await readRunTables(store, run.runId, HEADLINE_TABLES));
    if (headline) headlines.push(headline);
    else withoutTables.push(run.runId);
  }
  return { runs: headlines.reverse(), withoutTables: withoutTables.reverse() };
}
