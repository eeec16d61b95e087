// A CSV/TSV reader and writer (RFC 4180 quoting). Pure: works on strings and
// async iterables of text chunks, so it serves Lambdas (S3 streams), the local runner and tests.

export interface CsvOptions {
  delimiter?: string;
}

export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
  constructor(
    readonly source: string,
    readonly row: number,
    readonly reason: string,
  ) {
    super(`${source}: row ${row}: ${reason}`);
  }
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
 * A quoted field may span lines; CRLF and LF both end a record; a final newline is optional.
 */
export async function* parseCsvRecords(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  source: string,
  options: CsvOptions = {},
): AsyncGenerator<string[]> {
  for await (const batch of parseCsvBatches(chunks, source, options)) yield* batch;
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

/**
 * The records of each text chunk as one array (what parseCsvRecords yields one by one): readers of
 * millions of rows pay one await per chunk instead of one per record. Records before a format error
 * are still yielded before the error is thrown.
 */
export async function* parseCsvBatches(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  source: string,
  options: CsvOptions = {},
): AsyncGenerator<string[][]> {
  const delimiter = options.delimiter ?? ',';
  // A delimiter of other than one character never matches: every line is then one field.
  const delimiterCode = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  const decoder = new TextDecoder('utf-8');
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  // A quote seen inside a quoted field: the next character tells an escaped quote ("") from the end.
  let quoteInQuotes = false;
  let quoteClosed = false;
  let pendingCR = false;
  let recordNumber = 1;
  let sawAny = false;

  const endRecord = (): string[] => {
    record.push(field);
    const done = record;
    field = '';
    record = [];
    quoteClosed = false;
    recordNumber += 1;
    return done;
  };

  for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const length = text.length;
    if (length > 0) sawAny = true;
    const batch: string[][] = [];
    try {
      let i = 0;
      while (i < length) {
        if (pendingCR) {
          pendingCR = false;
          if (text.charCodeAt(i) === LF) {
            i += 1;
            continue;
          }
        }
        if (quoteInQuotes) {
          quoteInQuotes = false;
          if (text.charCodeAt(i) === QUOTE) {
            field += '"';
            i += 1;
            continue;
          }
          inQuotes = false;
          quoteClosed = true;
        }
        if (inQuotes) {
          // Everything up to the next quote belongs to the field.
          const quote = text.indexOf('"', i);
          if (quote === -1) {
            field += text.slice(i);
            break;
          }
          field += text.slice(i, quote);
          quoteInQuotes = true;
          i = quote + 1;
          continue;
        }
        // An unquoted run: up to the next delimiter, line end or quote, taken as one slice.
        let end = i;
        let code = -1;
        while (end < length) {
          code = text.charCodeAt(end);
          if (code === delimiterCode || code === LF || code === CR || code === QUOTE) break;
          end += 1;
        }
        if (end > i) {
          if (quoteClosed) throw new CsvFormatError(source, recordNumber, 'text after a closing quote');
          field += text.slice(i, end);
          i = end;
          if (end === length) break;
        }
        if (code === delimiterCode) {
          record.push(field);
          field = '';
          quoteClosed = false;
        } else if (code === LF || code === CR) {
          if (code === CR) pendingCR = true;
          batch.push(endRecord());
        } else {
          if (field.length > 0 || quoteClosed) {
            throw new CsvFormatError(source, recordNumber, 'unexpected quote inside an unquoted field');
          }
          inQuotes = true;
        }
        i += 1;
      }
    } catch (error) {
      if (batch.length > 0) yield batch;
      throw error;
    }
    if (batch.length > 0) yield batch;
  }
  if (quoteInQuotes) {
    inQuotes = false;
    quoteClosed = true;
  }
  if (inQuotes) throw new CsvFormatError(source, recordNumber, 'a quoted field is not closed before the end of the file');
  if (sawAny && (field.length > 0 || record.length > 0 || quoteClosed)) yield [endRecord()];
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
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
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
