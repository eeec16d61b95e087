// The data-quality account of a run: rows per input file accepted and quarantined, per reason, and
// the decision whether the run may go on. Both studies report in the same FileQuality shape; the
// CheckDataQuality step turns them into results/<runId>/data_quality.json.
import type { Study } from '../contracts/tables';
import { printable } from './encoding';

export interface BadRow {
  /** Line in the input file (1 = header) when known. */
  line: number | null;
  reason: string;
  /** The row's raw fields by column name. */
  values: Record<string, string>;
}

export interface FileQuality {
  study: Study;
  /** Input file name, e.g. student_purchases.csv */
  file: string;
  inputRows: number;
  acceptedRows: number;
  quarantinedRows: number;
  /** reason text -> rows quarantined for it */
  reasons: Record<string, number>;
  /** quarantine/<name>.csv, in the run's folder as every result file is named (see runFileOf), or null when nothing was quarantined. */
  quarantineFile: string | null;
  /** A quarantined row, to name in an error; null when nothing was quarantined. */
  firstBadRow: BadRow | null;
  /** The sha256 of the file's bytes as the validation read them (null or absent when not read whole). */
  sha256?: string | null;
}

export interface StudyQuality {
  study: Study;
  files: FileQuality[];
  /** Facts worth knowing that are not faults (e.g. repeated MOOC ACTIONIDs). */
  notes?: Record<string, unknown>;
}

export interface DataQualityReport {
  run_id: string;
  status: 'passed' | 'failed';
  max_bad_row_share: number;
  data_range: { start: string; end: string };
  files: {
    study: Study;
    file: string;
    input_rows: number;
    accepted_rows: number;
    quarantined_rows: number;
    bad_row_share: number;
    reasons: Record<string, number>;
    quarantine_file: string | null;
    first_bad_row: { line: number | null; reason: string; values: Record<string, string> } | null;
    sha256: string | null;
  }[];
  notes: Record<string, unknown>;
  failure?: string;
}

/** Too many bad rows in a file; its name becomes the Step Functions error code. */
export class DataQualityError extends Error {
  override name = 'DataQualityError';
}

/** quarantine/<file name without extension>.csv, whatever the input's delimiter. */
export function quarantineFileName(inputFileName: string): string {
  return `${inputFileName.replace(/\.(csv|tsv)$/, '')}.csv`;
}

/** MOOC rows are dropped from the three files together; the copies in the other files carry this reason. */
export const ALIGNED_ROW_REASON_PREFIX = 'row quarantined in ';

/**
 * The file over the allowed share to name in the error, or undefined. Shares compare exactly: 1 bad
 * row in 100 is 0.01, allowed at 0.01. A file whose named row failed itself comes before one that
 * only lost aligned copies of another file's rows.
 */
export function fileOverShare(files: readonly FileQuality[], maxBadRowShare: number): FileQuality | undefined {
  const over = files.filter((file) => file.inputRows > 0 && file.quarantinedRows > maxBadRowShare * file.inputRows);
  return over.find((file) => !file.firstBadRow?.reason.startsWith(ALIGNED_ROW_REASON_PREFIX)) ?? over[0];
}

/** "student_purchases.csv: row 7: plan_id not in 0..3 (purchase_id=3, ...): 2 of 120 rows (1.7%) ..." */
export function shareFailureMessage(file: FileQuality, maxBadRowShare: number, files: readonly FileQuality[] = []): string {
  const bad = file.firstBadRow;
  const where = bad ? `row ${bad.line ?? '?'}: ${bad.reason} (${Object.entries(bad.values).map(([k, v]) => `${k}=${printable(String(v))}`).join(', ')})` : 'row ?';
  const share = (100 * file.quarantinedRows) / file.inputRows;
  // A student whose student_info.csv row was quarantined is unknown to the other files: their rows go
  // too, so the fault to fix may be in student_info.csv rather than in the file named.
  const students = files.find((candidate) => candidate.file === STUDENT_INFO_FILE);
  const unknown = file.reasons[UNKNOWN_STUDENT_REASON] ?? 0;
  const knockOn =
    file.file !== STUDENT_INFO_FILE && unknown > 0 && students && students.quarantinedRows > 0
      ? `; ${unknown} of them are '${UNKNOWN_STUDENT_REASON}', which includes the rows of the ${students.quarantinedRows} student${students.quarantinedRows === 1 ? '' : 's'} quarantined in ${STUDENT_INFO_FILE}${students.quarantineFile ? ` (${students.quarantineFile})` : ''}: fix that file first`
      : '';
  return (
    `${file.file}: ${where}: ${file.quarantinedRows} of ${file.inputRows} rows (${share.toFixed(1)}%) failed validation, ` +
    `more than the allowed ${formatPercent(maxBadRowShare)} (option maxBadRowShare); see ${file.quarantineFile ? `${file.quarantineFile} in the run's folder` : "the run's quarantine folder"}${knockOn}`
  );
}

const STUDENT_INFO_FILE = 'student_info.csv';
/** The checks' reason for a row whose student has no accepted student_info.csv row (queries/check/*.sql). */
const UNKNOWN_STUDENT_REASON = 'unknown student_id';

function formatPercent(share: number): string {
  return `${Number((share * 100).toPrecision(6))}%`;
}

/** Checks the bookkeeping every file must satisfy: input rows = accepted + quarantined, reasons add up. */
export function assertBalanced(file: FileQuality): void {
  const byReason = Object.values(file.reasons).reduce((sum, n) => sum + n, 0);
  if (file.acceptedRows + file.quarantinedRows !== file.inputRows || byReason !== file.quarantinedRows) {
    throw new Error(
      `${file.file}: data-quality counts do not add up: ${file.inputRows} input rows, ${file.acceptedRows} accepted, ` +
        `${file.quarantinedRows} quarantined, ${byReason} by reason`,
    );
  }
}

export function dataQualityReport(
  runId: string,
  studies: readonly StudyQuality[],
  options: { maxBadRowShare: number; dataStart: string; dataEnd: string },
): DataQualityReport {
  const files = studies.flatMap((study) => study.files);
  for (const file of files) assertBalanced(file);
  const over = fileOverShare(files, options.maxBadRowShare);
  const notes: Record<string, unknown> = {};
  for (const study of studies) if (study.notes) notes[study.study] = study.notes;
  return {
    run_id: runId,
    status: over ? 'failed' : 'passed',
    max_bad_row_share: options.maxBadRowShare,
    data_range: { start: options.dataStart, end: options.dataEnd },
    files: files.map((file) => ({
      study: file.study,
      file: file.file,
      input_rows: file.inputRows,
      accepted_rows: file.acceptedRows,
      quarantined_rows: file.quarantinedRows,
      bad_row_share: file.inputRows > 0 ? file.quarantinedRows / file.inputRows : 0,
      reasons: file.reasons,
      quarantine_file: file.quarantineFile,
      first_bad_row: file.firstBadRow,
      sha256: file.sha256 ?? null,
    })),
    notes,
    ...(over ? { failure: shareFailureMessage(over, options.maxBadRowShare, files) } : {}),
  };
}
