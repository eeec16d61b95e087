// The SQL stage's files, read into typed columns (cohorts can hold millions of students), and the
// cleaned cohort written back in the same layout.
import { CsvFormatError, columnIndexes, formatCsvRow, type TextChunks } from './csv';
import { readNumberColumns, type ValueCheck } from './number-columns';
import { MAX_NUMBER_BYTES, putNumber } from './number-text';
import { headerDescription } from '../validation/encoding';

export type { TextChunks } from './csv';

/** One cohort file: minutes_watched_<period>_paid_<0|1>.csv. */
export interface Cohort {
  /** File name, used in messages. */
  source: string;
  studentIds: Float64Array;
  minutes: Float64Array;
  /** The paid flag of each row (0 or 1), written back unchanged. */
  paid: Uint8Array;
  /** paid_in_period, or the name the file used instead (e.g. paid_in_q2). */
  paidColumnName: string;
}

/** minutes_and_certificates.csv */
export interface MinutesAndCertificates {
  source: string;
  studentIds: Float64Array;
  certificates: Float64Array;
  minutes: Float64Array;
}

const PAID_COLUMN = 'paid_in_period';


const wholeNumber: ValueCheck = (value) => (Number.isSafeInteger(value) ? undefined : 'must be a whole number');
const nonNegative: ValueCheck = (value) => (value < 0 ? 'must not be negative' : undefined);
const flag: ValueCheck = (value) => (value === 0 || value === 1 ? undefined : 'must be 0 or 1');

/** What each column of the SQL stage's files must hold (the ids are exact in a double up to 2^53); the rest is the paid flag. */
function checkOf(column: string): ValueCheck {
  if (column === 'student_id') return wholeNumber;
  if (column === 'minutes_watched' || column === 'certificates_issued') return nonNegative;
  return flag;
}

/** The paid column: paid_in_period, or the one paid_in_* column an older query wrote (paid_in_q2); undefined if none or several. */
function findPaidColumn(header: readonly string[]): string | undefined {
  if (header.includes(PAID_COLUMN)) return PAID_COLUMN;
  const candidates = paidInColumns(header);
  return candidates.length === 1 ? candidates[0] : undefined;
}

const paidInColumns = (header: readonly string[]): string[] => header.filter((name) => /^paid_in_/.test(name));

/** findPaidColumn, or an error saying what the header lacks. */
function paidColumnOf(header: readonly string[], source: string): string {
  const found = findPaidColumn(header);
  if (found) return found;
  const candidates = paidInColumns(header);
  throw new CsvFormatError(
    source,
    1,
    candidates.length === 0
      ? `missing column ${PAID_COLUMN} (or paid_in_q2); ${headerDescription(header.join(', '))}`
      : `several paid columns (${candidates.join(', ')}); expected one named ${PAID_COLUMN}`,
  );
}

export async function parseCohortFile(chunks: TextChunks, source: string): Promise<Cohort> {
  let paidColumnName = PAID_COLUMN;
  const read = await readNumberColumns(
    chunks,
    source,
    (header) => {
      paidColumnName = paidColumnOf(header, source);
      return ['student_id', 'minutes_watched', paidColumnName];
    },
    { checkOf },
  );
  const [studentIds, minutes, paid] = read.values as [Float64Array, Float64Array, Float64Array];
  return { source, studentIds, minutes, paid: Uint8Array.from(paid), paidColumnName };
}

/**
 * One column of a cohort file, checked as parseCohortFile checks it. The statistics step needs only
 * the ids of each raw cohort and the minutes of each cleaned one: reading just those keeps 8 bytes
 * per student and file instead of 17, and skips converting the other fields.
 */
export async function readCohortColumn(chunks: TextChunks, source: string, column: 'student_id' | 'minutes_watched'): Promise<Float64Array> {
  const read = await readNumberColumns(
    chunks,
    source,
    (header) => {
      columnIndexes(header, ['student_id', 'minutes_watched'], source);
      paidColumnOf(header, source);
      return [column];
    },
    { checkOf },
  );
  return read.values[0]!;
}

export async function parseMinutesAndCertificates(chunks: TextChunks, source: string): Promise<MinutesAndCertificates> {
  const read = await readNumberColumns(chunks, source, ['student_id', 'certificates_issued', 'minutes_watched'], { checkOf });
  const [studentIds, certificates, minutes] = read.values as [Float64Array, Float64Array, Float64Array];
  return { source, studentIds, certificates, minutes };
}

/** Bytes of one chunk of a cohort CSV. */
const COHORT_CHUNK_BYTES = 1 << 16;
const COMMA = 44;
const NEWLINE = 10;

/** The cohort as CSV (student_id, minutes_watched, <paid column>), rows in cohort order, as byte chunks. */
export function* formatCohortCsvChunks(cohort: Cohort, chunkBytes = COHORT_CHUNK_BYTES): Generator<Buffer> {
  const header = Buffer.from(formatCsvRow(['student_id', 'minutes_watched', cohort.paidColumnName]), 'utf8');
  const maxRowBytes = 3 * (MAX_NUMBER_BYTES + 1);
  let chunk = Buffer.allocUnsafe(Math.max(chunkBytes, header.length + maxRowBytes));
  let at = header.copy(chunk, 0);
  for (let i = 0; i < cohort.minutes.length; i++) {
    if (at + maxRowBytes > chunk.length) {
      yield chunk.subarray(0, at);
      chunk = Buffer.allocUnsafe(chunk.length);
      at = 0;
    }
    at = putNumber(chunk, at, cohort.studentIds[i]!);
    chunk[at++] = COMMA;
    at = putNumber(chunk, at, cohort.minutes[i]!);
    chunk[at++] = COMMA;
    at = putNumber(chunk, at, cohort.paid[i]!);
    chunk[at++] = NEWLINE;
  }
  if (at > 0) yield chunk.subarray(0, at);
}

export function formatCohortCsv(cohort: Cohort): string {
  return Buffer.concat([...formatCohortCsvChunks(cohort)]).toString('utf8');
}
