// Structural checks of one raw CSV file, made before any SQL reads it: the file has the declared
// header and at least one data row, and every row can be read the same way by Athena (line by line,
// OpenCSVSerDe) and DuckDB (strict CSV): as many fields as the header, no line break inside a field,
// no empty line. A structural fault fails the run; row-level faults are the SQL rules' job.
import { CsvFormatError, isHeaderOf, parseCsvRecords } from '../tabular/csv';
import type { RawTable } from '../contracts/tables';
import { printable, unreadableHeaderReason } from './encoding';

export interface FileStructure {
  /** Data rows (the header not counted). */
  dataRows: number;
}

/** Thrown for a structural fault; the message reads "<file>: row <n>: <reason>". */
export class InputStructureError extends CsvFormatError {
  override name = 'InputStructureError';
}


export async function checkFileStructure(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  table: RawTable,
): Promise<FileStructure> {
  const file = table.fileName;
  const expected = table.columns.join(table.delimiter === ',' ? ',' : '\\t');
  let row = 0;
  try {
    for await (const record of parseCsvRecords(chunks, file, { delimiter: table.delimiter })) {
      row += 1;
      if (row === 1) {
        if (!isHeaderOf(record, table.columns)) {
          const found = record.join(table.delimiter === ',' ? ',' : '\\t');
          throw new InputStructureError(file, 1, unreadableHeaderReason(found) ?? `expected header ${expected}, found ${printable(found)}`);
        }
        continue;
      }
      if (record.length === 1 && record[0] === '') throw new InputStructureError(file, row, 'empty line');
      if (record.length !== table.columns.length) {
        throw new InputStructureError(file, row, `expected ${table.columns.length} fields (${expected}), found ${record.length}`);
      }
      if (record.some((field) => field.includes('\n') || field.includes('\r'))) {
        throw new InputStructureError(file, row, 'a field holds a line break (Athena reads the file line by line)');
      }
    }
  } catch (error) {
    if (error instanceof InputStructureError || !(error instanceof CsvFormatError)) throw error;
    throw new InputStructureError(file, error.row, error.reason);
  }
  if (row === 0) throw new InputStructureError(file, 1, `the file is empty (expected header ${expected})`);
  if (row === 1) throw new InputStructureError(file, 2, 'the file has a header but no data rows');
  return { dataRows: row - 1 };
}
