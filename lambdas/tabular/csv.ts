// CSV as strings (records, small tables) over the tokenizer, and the CSV writer (RFC 4180 quoting).
// Works on strings and iterables of text chunks, so it serves Lambdas (S3 streams), the local runner and tests.

import { CsvFormatError } from './csv-error';
import { Tokenizer, recordTexts, type RecordFields, type TextChunks } from './tokenizer';

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

/** The record, as a header (normalizedHeader), names exactly these columns in this order. */
export function isHeaderOf(record: readonly string[], columns: readonly string[]): boolean {
  const header = normalizedHeader(record);
  return header.length === columns.length && header.every((name, index) => name === columns[index]);
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Reads a whole small table, checking that every row has as many fields as the header. */
export async function readCsvTable(
  chunks: TextChunks,
  source: string,
  options: CsvOptions = {},
): Promise<CsvTable> {
  let header: string[] | undefined;
  const rows: string[][] = [];
  let rowNumber = 1;
  for await (const record of parseCsvRecords(chunks, source, options)) {
    if (!header) {
      header = normalizedHeader(record);
      continue;
    }
    rowNumber += 1;
    if (record.length === 1 && record[0] === '') continue; // blank line
    if (record.length !== header.length) {
      throw new CsvFormatError(source, rowNumber, `expected ${header.length} fields, found ${record.length}`);
    }
    rows.push(record);
  }
  if (!header) throw new CsvFormatError(source, 1, 'the file is empty (no header row)');
  return { header, rows };
}

/** Index of each required column in a header, with a clear error naming the missing ones. */
export function columnIndexes<T extends string>(header: readonly string[], required: readonly T[], source: string): Record<T, number> {
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new CsvFormatError(source, 1, `missing column(s) ${missing.join(', ')}; header is ${header.join(', ')}`);
  }
  return Object.fromEntries(required.map((name) => [name, header.indexOf(name)])) as Record<T, number>;
}
