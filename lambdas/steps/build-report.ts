// Charts and the dashboard of a run, from the result files this attempt wrote. Periods and which
// studies ran come from the state payload: the run folder holds no manifest while the run is going
// (and any there earlier belonged to an earlier attempt), and the status and times are the
// manifest's, so the report's bytes do not depend on the clock. This step reads and writes; the
// report itself is drawn by the pure lambdas/analysis/report/dashboard.ts.
import { assertRunId, studyResultKey } from '../contracts/layout';
import type { RunFacts } from '../contracts/run-results';
import { renderReport } from '../analysis/report/dashboard';
import type { HistoryInput } from '../analysis/report/history-section';
import type { ObjectStore } from '../io/object-store';
import type { BuildReportEvent, BuildReportResult } from '../contracts/state-payloads';
import { loadRunResults } from './read-run-results';
import type { StepContext } from './step-context';
import { writeResultTables } from './write-result-tables';
import { vegaBrowserRuntime } from './vega-runtime';

export interface BuiltReport {
  /** Keys written, relative to the bucket. */
  files: string[];
  /** Charts left out and files that could not be read, in plain words. */
  notes: string[];
}

export async function buildReportStep(event: BuildReportEvent, context: StepContext): Promise<BuildReportResult> {
  const runId = assertRunId(event.runId);
  const periods = { baseline: event.periods.baseline.label, comparison: event.periods.comparison.label };
  // Written before the report, so the dashboard links them and its History section shows this run.
  const tables = await writeResultTables(context.store, runId, {
    periods,
    studiesRan: { engagement: event.studies.engagement?.run === true, mooc: event.studies.mooc?.run === true },
    ...(event.options ? { options: event.options } : {}),
  });
  const report = await buildReport(context.store, runId, { periods, studies: event.studies }, tables.history);
  context.logger.info('report built', { runId, files: report.files.length, notes: report.notes });
  return { files: report.files.length + tables.files.length, notes: report.notes };
}

/** Reads results/<runId>/ (`facts` inside the workflow, else the run's manifest says), renders the report and writes report/. */
export async function buildReport(store: ObjectStore, runId: string, facts?: RunFacts, history?: HistoryInput): Promise<BuiltReport> {
  const results = await loadRunResults(store, runId, facts);
  const report = await renderReport(results, vegaBrowserRuntime(), history);
  const files: string[] = [];
  for (const { file, body, contentType } of report.files) {
    const key = studyResultKey(runId, 'report', file);
    await store.put(key, body, contentType);
    files.push(key);
  }
  return { files, notes: report.notes };
}
