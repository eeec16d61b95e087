// After the SQL stage: publishes each query's result under its study name in
// results/<runId>/engagement/ and reports the input row counts for the manifest, which the
// validation already made (accepted + quarantined rows per file), so no query scans the raw files again.
import {
  MINUTES_AND_CERTIFICATES_FILE,
  PURCHASES_INFO_FILE,
  assertRunId,
  rawTableKey,
  studyResultKey,
} from '../contracts/layout';
import type { InputCount } from '../contracts/manifest';
import { tablesOf, type Study } from '../contracts/tables';
import type { StudyQuality } from '../validation/data-quality';
import { republishAthenaCsv } from './athena-results';

import type { StepContext } from './step-context';
import type { ExportEngagementEvent, PublishedOutput, StudyResult } from '../contracts/state-payloads';

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

  const inputs = validatedInputCounts('engagement', event.validation);
  for (const output of outputs) context.logger.info('published', { runId, key: output.key, rows: output.rows });
  return { study: 'engagement', status: 'succeeded', inputs, outputs };
}

/**
 * Data rows per raw file of a study, from the validation's counts (input = accepted + quarantined):
 * the validation reads every row once, so no query scans the raw files again only to count them,
 * and a row only the validation can read (it quarantines it) is still counted.
 */
export function validatedInputCounts(study: Study, validation: readonly StudyQuality[]): InputCount[] {
  const files = validation.find((quality) => quality?.study === study)?.files ?? [];
  return tablesOf(study).map((table) => {
    const file = files.find((candidate) => candidate.file === table.fileName);
    if (!file) throw new Error(`the validation counted no rows for ${table.fileName}`);
    return { study, table: table.fileName, key: rawTableKey(table), rows: file.inputRows };
  });
}
