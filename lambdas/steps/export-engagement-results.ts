// After the SQL stage: publishes each query's result under its study name in
// results/<runId>/engagement/ and reports the input row counts for the manifest.
import {
  MINUTES_AND_CERTIFICATES_FILE,
  PURCHASES_INFO_FILE,
  assertRunId,
  rawTableKey,
  studyResultKey,
} from '../core/layout';
import type { InputCount } from '../core/manifest';
import type { Period } from '../core/periods';
import { ENGAGEMENT_TABLES } from '../core/tables';
import { readAthenaRows, republishAthenaCsv, type AthenaOutput } from './athena-results';
import type { CohortPlan } from './plan-run';
import type { StepContext } from './step-context';

export interface ExportEngagementEvent {
  runId: string;
  periods: { baseline: Period; comparison: Period };
  queries: {
    cohorts: { cohort: CohortPlan; query: AthenaOutput }[];
    minutesAndCertificates: AthenaOutput;
    purchasesInfo: AthenaOutput;
    inputCounts: AthenaOutput;
  };
}

export type { InputCount };

export interface PublishedOutput {
  key: string;
  rows: number;
}

export interface StudyResult {
  study: 'engagement' | 'mooc';
  status: 'succeeded' | 'skipped';
  note?: string;
  inputs: InputCount[];
  outputs: PublishedOutput[];
}

export async function exportEngagementResults(event: ExportEngagementEvent, context: StepContext): Promise<StudyResult> {
  const runId = assertRunId(event.runId);
  const { store } = context;
  const outputs: PublishedOutput[] = [];
  for (const { cohort, query } of event.queries.cohorts) {
    const file = await republishAthenaCsv(store, query, studyResultKey(runId, 'engagement', cohort.fileName));
    outputs.push({ key: file.key, rows: file.rows });
  }
  const certificates = await republishAthenaCsv(
    store,
    event.queries.minutesAndCertificates,
    studyResultKey(runId, 'engagement', MINUTES_AND_CERTIFICATES_FILE),
  );
  outputs.push({ key: certificates.key, rows: certificates.rows });
  // The SQL cannot name columns after parameters, so the flags get their period names here.
  const purchases = await republishAthenaCsv(store, event.queries.purchasesInfo, studyResultKey(runId, 'engagement', PURCHASES_INFO_FILE), {
    paid_baseline: event.periods.baseline.flagColumn,
    paid_comparison: event.periods.comparison.flagColumn,
  });
  outputs.push({ key: purchases.key, rows: purchases.rows });

  const counts = await readAthenaRows(store, event.queries.inputCounts);
  const inputs: InputCount[] = ENGAGEMENT_TABLES.map((table) => {
    const row = counts.find((candidate) => candidate.table_name === table.rawTableName || candidate.table_name === table.fileName.replace(/\.csv$/, ''));
    if (!row) throw new Error(`input count query returned no row for ${table.rawTableName}`);
    return { study: 'engagement', table: table.fileName, key: rawTableKey(table), rows: Number(row.row_count) };
  });
  for (const output of outputs) context.logger.info('published', { runId, key: output.key, rows: output.rows });
  return { study: 'engagement', status: 'succeeded', inputs, outputs };
}
