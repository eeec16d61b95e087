// The SQL stage's files, read into typed columns (cohorts can hold millions of students), and the
// cleaned cohort written back in the same layout.
import { NumberColumn } from './typed-column';
import { CsvFormatError, columnIndexes, formatCsvRow, normalizedHeader, parseCsvBatches } from './csv';
import { readNumberColumns } from './number-columns';

export type TextChunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

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


type Check = 'integer' | 'non-negative' | 'flag';

function parseNumber(text: string | undefined, column: string, check: Check, source: string, row: number): number {
  // Number() ignores the same surrounding white space as trim(), so only an empty field needs trimming.
  const value = text === undefined ? 0 : Number(text);
  if (value === 0 && (text ?? '').trim() === '') throw new CsvFormatError(source, row, `${column} is empty`);
  if (!Number.isFinite(value)) throw new CsvFormatError(source, row, `${column} is not a number: ${JSON.stringify(text)}`);
  if (check === 'integer' && !Number.isSafeInteger(value)) {
    throw new CsvFormatError(source, row, `${column} must be a whole number, got ${JSON.stringify(text)}`);
  }
  if (check === 'non-negative' && value < 0) throw new CsvFormatError(source, row, `${column} must not be negative, got ${JSON.stringify(text)}`);
  if (check === 'flag' && value !== 0 && value !== 1) throw new CsvFormatError(source, row, `${column} must be 0 or 1, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * Calls onHeader with the header (trimmed), then onRecord for each data record, blank lines skipped;
 * row numbers count the header as 1. Records come a chunk at a time: cohorts hold millions of rows.
 */
async function readDataRecords(
  chunks: TextChunks,
  source: string,
  onHeader: (header: string[]) => void,
  onRecord: (record: string[], row: number) => void,
): Promise<void> {
  let row = 0;
  let width = 0;
  for await (const batch of parseCsvBatches(chunks, source)) {
    for (const record of batch) {
      row += 1;
      if (row === 1) {
        const header = normalizedHeader(record);
        width = header.length;
        onHeader(header);
        continue;
      }
      if (record.length === 1 && record[0] === '') continue;
      if (record.length !== width) throw new CsvFormatError(source, row, `expected ${width} fields, found ${record.length}`);
      onRecord(record, row);
    }
  }
  if (row === 0) throw new CsvFormatError(source, 1, 'the file is empty (no header row)');
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
      ? `missing column ${PAID_COLUMN} (or paid_in_q2); header is ${header.join(', ')}`
      : `several paid columns (${candidates.join(', ')}); expected one named ${PAID_COLUMN}`,
  );
}

export async function parseCohortFile(chunks: TextChunks, source: string): Promise<Cohort> {
  const ids = new NumberColumn();
  const minutes = new NumberColumn();
  const paid = new NumberColumn();
  let idIndex = -1;
  let minutesIndex = -1;
  let paidIndex = -1;
  let paidColumnName = PAID_COLUMN;
  await readDataRecords(
    chunks,
    source,
    (header) => {
      const indexes = columnIndexes(header, ['student_id', 'minutes_watched'], source);
      idIndex = indexes.student_id;
      minutesIndex = indexes.minutes_watched;
      paidColumnName = paidColumnOf(header, source);
      paidIndex = header.indexOf(paidColumnName);
    },
    (record, row) => {
      ids.push(parseNumber(record[idIndex], 'student_id', 'integer', source, row));
      minutes.push(parseNumber(record[minutesIndex], 'minutes_watched', 'non-negative', source, row));
      paid.push(parseNumber(record[paidIndex], paidColumnName, 'flag', source, row));
    },
  );
  return { source, studentIds: ids.toArray(), minutes: minutes.toArray(), paid: Uint8Array.from(paid.toArray()), paidColumnName };
}

const COHORT_COLUMN_CHECK = { student_id: 'integer', minutes_watched: 'non-negative' } as const;

/**
 * One column of a cohort file, checked as parseCohortFile checks it. The statistics step needs only
 * the ids of each raw cohort and the minutes of each cleaned one: reading just those keeps 8 bytes
 * per student and file instead of 17, and skips converting the other fields.
 */
export async function readCohortColumn(chunks: TextChunks, source: string, column: keyof typeof COHORT_COLUMN_CHECK): Promise<Float64Array> {
  const values = new NumberColumn();
  let index = -1;
  await readDataRecords(
    chunks,
    source,
    (header) => {
      index = columnIndexes(header, ['student_id', 'minutes_watched'], source)[column];
      paidColumnOf(header, source);
    },
    (record, row) => values.push(parseNumber(record[index], column, COHORT_COLUMN_CHECK[column], source, row)),
  );
  return values.toArray();
}

export async function parseMinutesAndCertificates(chunks: TextChunks, source: string): Promise<MinutesAndCertificates> {
  const ids = new NumberColumn();
  const certificates = new NumberColumn();
  const minutes = new NumberColumn();
  let indexes: { student_id: number; certificates_issued: number; minutes_watched: number } | undefined;
  await readDataRecords(
    chunks,
    source,
    (header) => {
      indexes = columnIndexes(header, ['student_id', 'certificates_issued', 'minutes_watched'], source);
    },
    (record, row) => {
      ids.push(parseNumber(record[indexes!.student_id], 'student_id', 'integer', source, row));
      certificates.push(parseNumber(record[indexes!.certificates_issued], 'certificates_issued', 'non-negative', source, row));
      minutes.push(parseNumber(record[indexes!.minutes_watched], 'minutes_watched', 'non-negative', source, row));
    },
  );
  return { source, studentIds: ids.toArray(), certificates: certificates.toArray(), minutes: minutes.toArray() };
}

/** Opens a file's bytes; the loaders below open it a second time only when the byte reader declines. */
export type OpenChunks = () => Promise<TextChunks>;

const isSafeIntegers = (values: Float64Array): boolean => values.every((value) => Number.isSafeInteger(value));
const isNonNegative = (values: Float64Array): boolean => values.every((value) => value >= 0);
const isFlags = (values: Float64Array): boolean => values.every((value) => value === 0 || value === 1);

/**
 * The fast way to the same result as parseCohortFile: plain files whose every value passes are read
 * from their bytes (about 4x faster at millions of rows); anything else goes through parseCohortFile,
 * which names the row and the reason.
 */
export async function loadCohortFile(open: OpenChunks, source: string): Promise<Cohort> {
  let paidColumnName: string | undefined;
  const fast = await readNumberColumns(await open(), (header) => {
    paidColumnName = findPaidColumn(header);
    return paidColumnName ? ['student_id', 'minutes_watched', paidColumnName] : undefined;
  });
  if (fast && paidColumnName) {
    const [ids, minutes, paid] = fast.values as [Float64Array, Float64Array, Float64Array];
    if (isSafeIntegers(ids) && isNonNegative(minutes) && isFlags(paid)) {
      return { source, studentIds: ids, minutes, paid: Uint8Array.from(paid), paidColumnName };
    }
  }
  return parseCohortFile(await open(), source);
}

/** readCohortColumn's result, from the bytes when the file is plain and the column's values pass. */
export async function loadCohortColumn(open: OpenChunks, source: string, column: keyof typeof COHORT_COLUMN_CHECK): Promise<Float64Array> {
  const fast = await readNumberColumns(await open(), (header) => (findPaidColumn(header) ? [column] : undefined));
  const values = fast?.values[0];
  if (values && (column === 'student_id' ? isSafeIntegers(values) : isNonNegative(values))) return values;
  return readCohortColumn(await open(), source, column);
}

/** parseMinutesAndCertificates' result, from the bytes when the file is plain and its values pass. */
export async function loadMinutesAndCertificates(open: OpenChunks, source: string): Promise<MinutesAndCertificates> {
  const fast = await readNumberColumns(await open(), ['student_id', 'certificates_issued', 'minutes_watched']);
  if (fast) {
    const [ids, certificates, minutes] = fast.values as [Float64Array, Float64Array, Float64Array];
    if (isSafeIntegers(ids) && isNonNegative(certificates) && isNonNegative(minutes)) return { source, studentIds: ids, certificates, minutes };
  }
  return parseMinutesAndCertificates(await open(), source);
}

/** The cohort as CSV (student_id, minutes_watched, <paid column>), rows in cohort order. */
export function* formatCohortCsvChunks(cohort: Cohort, rowsPerChunk = 10000): Generator<string> {
  let chunk = formatCsvRow(['student_id', 'minutes_watched', cohort.paidColumnName]);
  for (let i = 0; i < cohort.minutes.length; i++) {
    chunk += `${cohort.studentIds[i]},${cohort.minutes[i]},${cohort.paid[i]}\n`;
    if ((i + 1) % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

export function formatCohortCsv(cohort: Cohort): string {
  return [...formatCohortCsvChunks(cohort)].join('');
}
