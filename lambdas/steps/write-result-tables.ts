// Part of BuildReport: writes this run's result-table rows (results/<runId>/tables/, listed in the
// manifest like every other file) from the result files the run wrote, and gathers the history
// the dashboard shows: the earlier succeeded runs of the same results root, and whether this run
// repeats the latest of them (same periods, same input rows and sha256).
import { createHash } from 'node:crypto';
import { rawTableKey, runPrefix } from '../contracts/layout';
import { resultTableKey, resultTableText, type ResultRows, type ResultTableName } from '../contracts/result-tables';
import type { StatisticsAsRead } from '../contracts/engagement-statistics';
import { RAW_TABLES } from '../contracts/tables';
import { optionsText, type AnalysisOptions } from '../contracts/run-options';
import { ObjectNotFoundError, type ObjectStore } from '../io/object-store';
import { resultRows, type DataQualityFile, type InputFact } from '../analysis/result-rows';
import { repeatsRun, runHeadline, type InputFingerprint, type RunHeadline } from '../analysis/run-history';
import { DEFAULT_HISTORY_RUNS, readRunHistory, readRunTables } from './run-history';

export interface RunHistoryView {
  /** Earlier succeeded runs with result tables, oldest first (at most DEFAULT_HISTORY_RUNS). */
  previous: RunHeadline[];
  current: RunHeadline;
  /** Earlier succeeded runs without result tables (from before them), left out. */
  withoutTables: string[];
  /** Earlier succeeded runs left out because a result table could not be read: "<runId>: <why>". */
  unreadable: string[];
}

export interface RunTablesFacts {
  periods: { baseline: string; comparison: string };
  studiesRan: { engagement: boolean; mooc: boolean };
  /** The run's analysis options; unknown (never a repeat) when absent. */
  options?: AnalysisOptions;
}

export async function writeResultTables(store: ObjectStore, runId: string, facts: RunTablesFacts): Promise<{ files: string[]; history: RunHistoryView }> {
  const prefix = runPrefix(runId);
  const readJson = async <T>(relative: string): Promise<T | undefined> =>
    (await store.exists(`${prefix}${relative}`)) ? (JSON.parse(await store.getText(`${prefix}${relative}`)) as T) : undefined;
  const statistics = facts.studiesRan.engagement ? await readJson<StatisticsAsRead>('engagement/statistics.json') : undefined;
  const dataQuality = await readJson<{ files?: DataQualityFile[] }>('data_quality.json');
  const moocSummary = facts.studiesRan.mooc ? await readJson<Record<string, unknown>>('mooc/summary.json') : undefined;
  const inputs = await inputFacts(store, dataQuality?.files ?? []);

  const history = await readRunHistory(store, { last: DEFAULT_HISTORY_RUNS, exclude: runId });
  const latest = history.runs.at(-1);
  const options = facts.options ? optionsText(facts.options) : null;
  let repeatOf: string | null = null;
  if (latest) {
    // An unreadable table says nothing about a repeat (and reading it again is the history's job).
    const earlierTables = await readRunTables(store, latest.runId, ['result_inputs', 'result_runs']).catch((): ResultRows => ({}));
    const earlierOptions = earlierTables.result_runs?.[0]?.options;
    const earlier = {
      periods: { baseline: latest.baseline, comparison: latest.comparison },
      options: typeof earlierOptions === 'string' ? earlierOptions : null,
      inputs: (earlierTables.result_inputs ?? []) as unknown as InputFingerprint[],
    };
    if (repeatsRun(earlier, { periods: facts.periods, options, inputs })) repeatOf = latest.runId;
  }

  const rows = resultRows({ periods: facts.periods, studiesRan: facts.studiesRan, statistics, dataQualityFiles: dataQuality?.files, moocSummary, inputs, options, repeatOf });
  const files: string[] = [];
  for (const [table, tableRows] of Object.entries(rows) as [ResultTableName, NonNullable<(typeof rows)[ResultTableName]>][]) {
    if (tableRows.length === 0) continue;
    const key = resultTableKey(runId, table);
    await store.put(key, resultTableText(runId, table, tableRows), 'application/x-ndjson');
    files.push(key);
  }
  return { files, history: { previous: history.runs, current: runHeadline(runId, rows)!, withoutTables: history.withoutTables, unreadable: history.unreadable } };
}

/**
 * Rows (from the validation's counts) and sha256 of each input file the run read: the hash the
 * validation took of the bytes it checked, so a file replaced later in the run cannot make the run
 * look like a repeat of an earlier one; the file is hashed here only when the validation gave none.
 */
async function inputFacts(store: ObjectStore, files: readonly DataQualityFile[]): Promise<InputFact[]> {
  const facts: InputFact[] = [];
  for (const file of files) {
    const table = RAW_TABLES.find((candidate) => candidate.study === file.study && candidate.fileName === file.file);
    if (!table) continue;
    const sha256 = typeof file.sha256 === 'string' ? file.sha256 : await sha256Of(store, rawTableKey(table));
    facts.push({ study: file.study, file: file.file, input_rows: file.input_rows, sha256 });
  }
  return facts;
}

/** Null when the input file is gone since the validation read it: the run then cannot be a repeat. */
async function sha256Of(store: ObjectStore, key: string): Promise<string | null> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of await store.getStream(key)) hash.update(chunk as Buffer);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return null;
    throw error;
  }
  return hash.digest('hex');
}
