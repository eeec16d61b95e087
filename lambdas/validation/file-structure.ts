// Structural checks of one raw CSV file, made before any SQL reads it: the file has the declared
// header and at least one data row, and every row can be read the same way by Athena (line by line,
// OpenCSVSerDe) and DuckDB (strict CSV): as many fields as the header, no line break inside a field,
// no empty line, UTF-8 text, and every line ending as the header's does (LF, CRLF or CR; DuckDB
// refuses a file that mixes them, or holds bytes that are not UTF-8, without naming the row). A
// structural fault fails the run; row-level faults are the SQL rules' job.
import { CsvFormatError, isHeaderOf } from '../tabular/csv';
import { isAscii, isUtf8 } from 'node:buffer';
import { CR_END, CRLF_END, LF_END, NO_LINE_END, PLAIN, forEachRecord, recordTexts, type RecordFields, type TextChunks } from '../tabular/tokenizer';
import type { RawTable } from '../contracts/tables';
import { binaryFileReason, printable, unreadableHeaderReason } from './encoding';

const LF = 10;
const CR = 13;

export interface FileStructure {
  /** Data rows (the header not counted). */
  dataRows: number;
}

/** Longest row accepted: DuckDB refuses lines over 2 MiB with an error of its own, and no row of these tables comes near. */
const MAX_LINE_BYTES = 1024 * 1024;

/** Thrown for a structural fault; the message reads "<file>: row <n>: <reason>". */
export class InputStructureError extends CsvFormatError {
  override name = 'InputStructureError';
}


/** Reads the file once, from its bytes: the header, then each row's width and fields. */
export async function checkFileStructure(chunks: TextChunks, table: RawTable): Promise<FileStructure> {
  const file = table.fileName;
  const expected = table.columns.join(table.delimiter === ',' ? ',' : '\\t');
  const width = table.columns.length;
  let headerLineEnd = NO_LINE_END;
  const utf8 = new Utf8Check();
  const start = new FirstBytes(4);
  const onRecord = (bytes: Uint8Array, fields: RecordFields, row: number): void => {
    // The first record starts the file: a compressed file or a workbook is named as such.
    const binary = row === 1 ? binaryFileReason(start.bytes) : undefined;
    if (binary) throw new InputStructureError(file, 1, binary);
    if (!utf8.holds(bytes, fields)) throw new InputStructureError(file, row, 'the line is not UTF-8 text (save the file as UTF-8: Latin-1 or Windows-1252 text needs converting)');
    if (row === 1) {
      headerLineEnd = fields.lineEnd;
      const header = recordTexts(bytes, fields);
      if (!isHeaderOf(header, table.columns)) {
        const found = header.join(table.delimiter === ',' ? ',' : '\\t');
        throw new InputStructureError(file, 1, unreadableHeaderReason(found) ?? `expected header ${expected}, found ${printable(found)}`);
      }
      return;
    }
    if (fields.isBlank()) throw new InputStructureError(file, row, 'empty line');
    const length = fields.count > 0 ? fields.ends[fields.count - 1]! - fields.starts[0]! : 0;
    if (length > MAX_LINE_BYTES) {
      throw new InputStructureError(file, row, `the line is ${length.toLocaleString('en-US')} bytes long, more than the ${MAX_LINE_BYTES.toLocaleString('en-US')} a row of ${width} short fields can need (binary data or a run-on field)`);
    }
    if (fields.count !== width) throw new InputStructureError(file, row, `expected ${width} fields (${expected}), found ${fields.count}`);
    if (holdsLineBreak(bytes, fields)) throw new InputStructureError(file, row, 'a field holds a line break (Athena reads the file line by line)');
    if (fields.lineEnd !== headerLineEnd && fields.lineEnd !== NO_LINE_END) {
      throw new InputStructureError(file, row, `the line ends with ${LINE_END_NAMES[fields.lineEnd]} but the header line with ${LINE_END_NAMES[headerLineEnd]}: save the file with one kind of line ending throughout`);
    }
  };
  let records: number;
  try {
    records = await forEachRecord(start.of(chunks), file, { delimiter: table.delimiter }, onRecord);
  } catch (error) {
    if (error instanceof InputStructureError || !(error instanceof CsvFormatError)) throw error;
    // Compressed bytes may hold a quote before their first line break: the first record then never
    // reaches onRecord, and the file is named for what it is here instead.
    const binary = error.row === 1 ? binaryFileReason(start.bytes) : undefined;
    throw new InputStructureError(file, error.row, binary ?? error.reason);
  }
  if (records === 0) throw new InputStructureError(file, 1, `the file is empty (expected header ${expected})`);
  if (records === 1) throw new InputStructureError(file, 2, 'the file has a header but no data rows');
  return { dataRows: records - 1 };
}

/** Keeps a copy of the first bytes that pass through (a stream may refill the arrays it hands on). */
class FirstBytes {
  bytes = new Uint8Array(0);
  constructor(private readonly size: number) {}

  async *of(chunks: TextChunks): AsyncIterable<string | Uint8Array> {
    for await (const chunk of chunks) {
      if (this.bytes.length < this.size) {
        const more = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        this.bytes = Uint8Array.from([...this.bytes, ...more.subarray(0, this.size - this.bytes.length)]);
      }
      yield chunk;
    }
  }
}

const LINE_END_NAMES: Record<number, string> = { [LF_END]: 'LF', [CRLF_END]: 'CRLF', [CR_END]: 'CR', [NO_LINE_END]: 'no line break' };

/** Whether a record's bytes are UTF-8; a chunk of ASCII bytes (the usual case) is checked once, not per record. */
class Utf8Check {
  private version = -1;
  private chunkIsAscii = false;

  holds(bytes: Uint8Array, fields: RecordFields): boolean {
    if (fields.bytesVersion !== this.version) {
      this.version = fields.bytesVersion;
      this.chunkIsAscii = isAscii(bytes);
    }
    if (this.chunkIsAscii || fields.count === 0) return true;
    // Delimiters and quotes are ASCII: the bytes from the first field's start to the last field's end decide.
    return isUtf8(bytes.subarray(fields.starts[0]!, fields.ends[fields.count - 1]!));
  }
}

/** Only a quoted field can hold a line break. */
function holdsLineBreak(bytes: Uint8Array, fields: RecordFields): boolean {
  for (let f = 0; f < fields.count; f++) {
    if (fields.kinds[f] === PLAIN) continue;
    for (let i = fields.starts[f]!; i < fields.ends[f]!; i++) if (bytes[i] === LF || bytes[i] === CR) return true;
  }
  return false;
}
