// CSV as strings (records, small tables) over the tokenizer, and the CSV writer (RFC 4180 quoting).
// Works on strings and iterables of text chunks, so it serves Lambdas (S3 streams), the local runner and tests.

import { CsvFormatError } from './csv-error';
import { Tokenizer, forEachRecord, recordTexts, type RecordFields, type TextChunks } from './tokenizer';
import { headerDescription } from '../validation/encoding';

export { CsvFormatError } from './csv-error';
export type { TextChunks } from './tokenizer';

export interface CsvOptions {
  delimiter?: string;
}

/** Quotes a field when it holds the delimiter, a quote or a line break. */
export function formatCsvField(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

export function formatCsvRow(values: readonly unknown[], delimiter = ','): string {
  return values.map((value) => formatCsvField(value, delimiter)).join(delimiter) + '\n';
}

export function formatCsv(header: readonly string[], rows: Iterable<readonly unknown[]>, delimiter = ','): string {
  const parts = [formatCsvRow(header, delimiter)];
  for (const row of rows) parts.push(formatCsvRow(row, delimiter));
  return parts.join('');
}

/**
 * Streams records out of text chunks. Yields each record as an array of fields, header included.
 * A quoted field may span lines; CRLF, LF and a lone CR end a record; a final newline is optional.
 */
export async function* parseCsvRecords(chunks: TextChunks, source: string, options: CsvOptions = {}): AsyncGenerator<string[]> {
  for await (const batch of parseCsvBatches(chunks, source, options)) yield* batch;
}

/**
 * The records of each text chunk as one array (what parseCsvRecords yields one by one): readers of
 * millions of rows pay one await per chunk instead of one per record. Records before a format error
 * are still yielded before the error is thrown.
 */
export async function* parseCsvBatches(chunks: TextChunks, source: string, options: CsvOptions = {}): AsyncGenerator<string[][]> {
  const tokenizer = new Tokenizer(source, { delimiter: options.delimiter ?? ',' });
  let batch: string[][] = [];
  const collect = (bytes: Uint8Array, fields: RecordFields): void => {
    batch.push(recordTexts(bytes, fields));
  };
  const take = (): string[][] => {
    const taken = batch;
    batch = [];
    return taken;
  };
  try {
    for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) {
      tokenizer.push(chunk, collect);
      if (batch.length > 0) yield take();
    }
    tokenizer.end(collect);
  } catch (error) {
    if (batch.length > 0) yield take();
    throw error;
  }
  if (batch.length > 0) yield take();
}

/** Header names as users write them: a byte-order mark and spaces around a name are tolerated. */
export function normalizedHeader(record: readonly string[]): string[] {
  return record.map((name, index) => (index === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
}

/**
 * The record, as a header (normalizedHeader), names exactly these columns in this order, in any case
 * (some databases export names in capitals; Athena and DuckDB read the columns by position).
 */
export function isHeaderOf(record: readonly string[], columns: readonly string[]): boolean {
  const header = normalizedHeader(record);
  return header.length === columns.length && header.every((name, index) => name.toLowerCase() === columns[index]!.toLowerCase());
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/**
 * The header (normalizedHeader), then each data row as strings: blank lines are skipped, a row of
 * another width than the header fails naming its row (the header is row 1), as does an empty file.
 */
export async function forEachDataRow(
  chunks: TextChunks,
  source: string,
  onHeader: (header: string[]) => void,
  onRow: (row: string[], rowNumber: number) => void,
  options: CsvOptions = {},
): Promise<void> {
  let width = -1;
  const records = await forEachRecord(chunks, source, { delimiter: options.delimiter ?? ',' }, (bytes, fields, record) => {
    if (width < 0) {
      const header = normalizedHeader(recordTexts(bytes, fields));
      width = header.length;
      onHeader(header);
      return;
    }
    if (fields.isBlank()) return;
    if (fields.count !== width) throw new CsvFormatError(source, record, `expected ${width} fields, found ${fields.count}`);
    onRow(recordTexts(bytes, fields), record);
  });
  if (records === 0) throw new CsvFormatError(source, 1, 'the file is empty (no header row)');
}

/** Reads a whole small table (forEachDataRow's rules). */
export async function readCsvTable(chunks: TextChunks, source: string, options: CsvOptions = {}): Promise<CsvTable> {
  let header: string[] = [];
  const rows: string[][] = [];
  await forEachDataRow(chunks, source, (names) => (header = names), (row) => rows.push(row), options);
  return { header, rows };
}

/** Index of each required column in a header, with a clear error naming the missing ones. */
export function columnIndexes<T extends string>(header: readonly string[], required: readonly T[], source: string): Record<T, number> {
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new CsvFormatError(source, 1, `missing column(s) ${missing.join(', ')}; ${headerDescription(header.join(', '))}`);
  }
  return Object.fromEntries(required.map((name) => [name, header.indexOf(name)])) as Record<T, number>;
}
