// Joins the two studies' validation results into results/<runId>/data_quality.json and decides:
// a file with more quarantined rows than maxBadRowShare of its input fails the run with a
// DataQualityError naming the file, a row (its line, looked up in the raw file) and the reason.
import { assertRunId, rawTableKey, runPrefix } from '../contracts/layout';
import { DATA_QUALITY_FILE } from '../contracts/result-files';
import { RAW_TABLES } from '../contracts/tables';
import { DataQualityError, dataQualityReport, fileOverShare, shareFailureMessage } from '../validation/data-quality';
import { findRowLine } from '../validation/find-line';
import type { StepContext } from './step-context';
import type { CheckDataQualityEvent, DataQualitySummary } from '../contracts/state-payloads';

export async function checkDataQuality(event: CheckDataQualityEvent, context: StepContext): Promise<DataQualitySummary> {
  const runId = assertRunId(event.runId);
  const studies = event.validation.filter((study) => study && Array.isArray(study.files));
  const over = fileOverShare(
    studies.flatMap((study) => study.files),
    event.options.maxBadRowShare,
  );
  // Athena gives no line numbers: look the named row up in the raw file, only when failing.
  if (over?.firstBadRow && over.firstBadRow.line === null) {
    const table = RAW_TABLES.find((candidate) => candidate.fileName === over.file);
    if (table) over.firstBadRow.line = await findRowLine(await context.store.getStream(rawTableKey(table)), table, over.firstBadRow.values, over.firstBadRow.reason);
  }
  const report = dataQualityReport(runId, studies, event.options);
  const key = `${runPrefix(runId)}${DATA_QUALITY_FILE}`;
  await context.store.put(key, JSON.stringify(report, null, 2) + '\n', 'application/json');
  if (over) throw new DataQualityError(shareFailureMessage(over, event.options.maxBadRowShare));
  const quarantined: Record<string, number> = {};
  for (const file of report.files) if (file.quarantined_rows > 0) quarantined[file.file] = file.quarantined_rows;
  const quarantinedRows = Object.values(quarantined).reduce((sum, n) => sum + n, 0);
  context.logger.info('data quality passed', { runId, quarantined });
  return { key, status: 'passed', quarantinedRows, quarantined };
}
