// Structural checks of one raw CSV file, made before any SQL reads it: the file has the declared
// header and at least one data row, and every row can be read the same way by Athena (line by line,
// OpenCSVSerDe) and DuckDB (strict CSV): as many fields as the header, no line break inside a field,
// no empty line. A structural fault fails the run; row-level faults are the SQL rules' job.
import { CsvFormatError, isHeaderOf } from '../tabular/csv';
import { PLAIN, forEachRecord, recordTexts, type RecordFields, type TextChunks } from '../tabular/tokenizer';
import type { RawTable } from '../contracts/tables';
import { printable, unreadableHeaderReason } from './encoding';

const LF = 10;
const CR = 13;

export interface FileStructure {
  /** Data rows (the header not counted). */
  dataRows: number;
}

/** Thrown for a structural fault; the message reads "<file>: row <n>: <reason>". */
export class InputStructureError extends CsvFormatError {
  override name = 'InputStructureError';
}


/** Reads the file once, from its bytes: the header, then each row's width and fields. */
export async function checkFileStructure(chunks: TextChunks, table: RawTable): Promise<FileStructure> {
  const file = table.fileName;
  const expected = table.columns.join(table.delimiter === ',' ? ',' : '\\t');
  const width = table.columns.length;
  const onRecord = (bytes: Uint8Array, fields: RecordFields, row: number): void => {
    if (row === 1) {
      const header = recordTexts(bytes, fields);
      if (!isHeaderOf(header, table.columns)) {
        const found = header.join(table.delimiter === ',' ? ',' : '\\t');
        throw new InputStructureError(file, 1, unreadableHeaderReason(found) ?? `expected header ${expected}, found ${printable(found)}`);
      }
      return;
    }
    if (fields.isBlank()) throw new InputStructureError(file, row, 'empty line');
    if (fields.count !== width) throw new InputStructureError(file, row, `expected ${width} fields (${expected}), found ${fields.count}`);
    if (holdsLineBreak(bytes, fields)) throw new InputStructureError(file, row, 'a field holds a line break (Athena reads the file line by line)');
  };
  let records: number;
  try {
    records = await forEachRecord(chunks, file, { delimiter: table.delimiter }, onRecord);
  } catch (error) {
    if (error instanceof InputStructureError || !(error instanceof CsvFormatError)) throw error;
    throw new InputStructureError(file, error.row, error.reason);
  }
  if (records === 0) throw new InputStructureError(file, 1, `the file is empty (expected header ${expected})`);
  if (records === 1) throw new InputStructureError(file, 2, 'the file has a header but no data rows');
  return { dataRows: records - 1 };
}

/** Only a quoted field can hold a line break. */
function holdsLineBreak(bytes: Uint8Array, fields: RecordFields): boolean {
  for (let f = 0; f < fields.count; f++) {
    if (fields.kinds[f] === PLAIN) continue;
    for (let i = fields.starts[f]!; i < fields.ends[f]!; i++) if (bytes[i] === LF || bytes[i] === CR) return true;
  }
  return false;
}
