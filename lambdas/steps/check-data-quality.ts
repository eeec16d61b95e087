// Joins the two studies' validation results into results/<runId>/data_quality.json and decides:
// a file with more quarantined rows than maxBadRowShare of its input fails the run with a
// DataQualityError naming the file, a row (its line, looked up in the raw file) and the reason.
import { assertRunId, rawTableKey, runPrefix } from '../contracts/layout';
import { DATA_QUALITY_FILE } from '../contracts/result-files';
import { RAW_TABLES } from '../contracts/tables';
import { DataQualityError, dataQualityReport, fileOverShare, shareFailureMessage } from '../validation/data-quality';
import { firstQuarantinedRow, type ListedRow } from '../validation/find-line';
import { parseCsvRecords } from '../tabular/csv';
import type { StepContext } from './step-context';
import type { CheckDataQualityEvent, DataQualitySummary } from '../contracts/state-payloads';

export async function checkDataQuality(event: CheckDataQualityEvent, context: StepContext): Promise<DataQualitySummary> {
  const runId = assertRunId(event.runId);
  const studies = event.validation.filter((study) => study && Array.isArray(study.files));
  const over = fileOverShare(
    studies.flatMap((study) => study.files),
    event.options.maxBadRowShare,
  );
  // Athena gives no line numbers: only when failing, the raw file names the quarantined row that
  // stands first in it (the quarantine file's order is not the file's).
  if (over?.firstBadRow && over.firstBadRow.line === null && over.quarantineFile) {
    const table = RAW_TABLES.find((candidate) => candidate.fileName === over.file);
    if (table) {
      const listed = await listedQuarantineRows(context, runId, over.quarantineFile, table.columns.length);
      over.firstBadRow = (await firstQuarantinedRow(await context.store.getStream(rawTableKey(table)), table, listed)) ?? over.firstBadRow;
    }
  }
  const report = dataQualityReport(runId, studies, event.options);
  const key = `${runPrefix(runId)}${DATA_QUALITY_FILE}`;
  await context.store.put(key, JSON.stringify(report, null, 2) + '\n', 'application/json');
  if (over) throw new DataQualityError(shareFailureMessage(over, event.options.maxBadRowShare, studies.flatMap((study) => study.files)));
  const quarantined: Record<string, number> = {};
  for (const file of report.files) if (file.quarantined_rows > 0) quarantined[file.file] = file.quarantined_rows;
  const quarantinedRows = Object.values(quarantined).reduce((sum, n) => sum + n, 0);
  context.logger.info('data quality passed', { runId, quarantined });
  return { key, status: 'passed', quarantinedRows, quarantined };
}

/** The quarantined rows a file has most: the first row in the file is looked for among these. */
const MAX_LISTED_ROWS = 200_000;

/** A file's quarantine rows (its columns, then the reason), the first MAX_LISTED_ROWS of them. */
async function listedQuarantineRows(context: StepContext, runId: string, quarantineFile: string, width: number): Promise<ListedRow[]> {
  const key = `${runPrefix(runId)}${quarantineFile}`;
  const rows: ListedRow[] = [];
  let header = true;
  for await (const record of parseCsvRecords(await context.store.getStream(key), quarantineFile)) {
    if (header) {
      header = false;
      continue;
    }
    rows.push({ values: record.slice(0, width), reason: record[width] ?? '' });
    if (rows.length >= MAX_LISTED_ROWS) break;
  }
  return rows;
}
