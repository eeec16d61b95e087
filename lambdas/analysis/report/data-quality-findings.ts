// What the run set aside, in words: rows quarantined per input file and reason, with the path of
// each quarantine file. A run that succeeds with bad rows quarantined must say so, both in the
// findings (the dashboard) and at the end of `engagement run`.
import { formatCount, formatPercent } from '../figure-format';

export interface QuarantinedFile {
  study: string;
  file: string;
  inputRows: number;
  quarantinedRows: number;
  /** Reasons by rows, most rows first. */
  reasons: { reason: string; rows: number }[];
  /** The quarantine file relative to the run folder (quarantine/<name>.csv), when one was written. */
  quarantineFile: string | null;
}

interface DataQualityFile {
  study?: unknown;
  file?: unknown;
  input_rows?: unknown;
  quarantined_rows?: unknown;
  reasons?: unknown;
  quarantine_file?: unknown;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** results/<runId>/quarantine/x.csv (as data_quality.json holds it) -> quarantine/x.csv. */
function relativeToRun(key: unknown): string | null {
  if (typeof key !== 'string' || key === '') return null;
  const at = key.lastIndexOf('quarantine/');
  return at >= 0 ? key.slice(at) : key;
}

/** The files of data_quality.json with at least one quarantined row; [] for anything else. */
export function quarantinedFiles(dataQuality: unknown): QuarantinedFile[] {
  const files = (dataQuality as { files?: unknown } | undefined)?.files;
  if (!Array.isArray(files)) return [];
  return (files as DataQualityFile[])
    .filter((file) => count(file.quarantined_rows) > 0)
    .map((file) => ({
      study: String(file.study ?? ''),
      file: String(file.file ?? '?'),
      inputRows: count(file.input_rows),
      quarantinedRows: count(file.quarantined_rows),
      reasons: Object.entries((file.reasons ?? {}) as Record<string, unknown>)
        .map(([reason, rows]) => ({ reason, rows: count(rows) }))
        .filter((entry) => entry.rows > 0)
        .sort((a, b) => b.rows - a.rows || (a.reason < b.reason ? -1 : 1)),
      quarantineFile: relativeToRun(file.quarantine_file),
    }));
}

/**
 * "student_purchases.csv: 20 of 12,000 rows (0.2%): refund before purchase (15), plan_id not in 0..3 (5);
 * see ../quarantine/student_purchases.csv". `linkPrefix` turns the run-relative path into one relative
 * to where the text is shown: '' from the run folder, '../' from report/.
 */
export function describeQuarantinedFile(file: QuarantinedFile, linkPrefix: string): string {
  const share = file.inputRows > 0 ? ` (${formatPercent(file.quarantinedRows / file.inputRows, 2)})` : '';
  const reasons = file.reasons.map((entry) => `${entry.reason} (${formatCount(entry.rows)})`).join(', ');
  const where = file.quarantineFile ? `; see ${linkPrefix}${file.quarantineFile}` : '';
  return `${file.file}: ${formatCount(file.quarantinedRows)} of ${formatCount(file.inputRows)} rows${share} quarantined: ${reasons}${where}`;
}

/** "20 input rows were quarantined and left out of the analysis (20 in student_purchases.csv)." */
export function quarantineHeadline(files: readonly QuarantinedFile[]): string {
  const total = files.reduce((sum, file) => sum + file.quarantinedRows, 0);
  const perFile = files.map((file) => `${formatCount(file.quarantinedRows)} in ${file.file}`).join(', ');
  return `${formatCount(total)} input row${total === 1 ? ' was' : 's were'} quarantined and left out of the analysis (${perFile}).`;
}
