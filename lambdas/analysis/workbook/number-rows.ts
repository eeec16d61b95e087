// Rows of numbers written straight to an exceljs streaming sheet. exceljs builds a Row and a Cell
// object for every cell and resolves each cell's style by value, about 10 µs a row: most of the
// workbook's time once data sheets hold hundreds of thousands of students. A data sheet holds
// numbers only, each column in one fixed style, so its rows are the same XML text exceljs would
// write (test/analysis/workbook/number-rows.test.ts holds the two to the same bytes) built here
// as strings. This reaches two of exceljs' non-public fields (the sheet's stream and the workbook's
// style table); the test fails if an exceljs release moves them.
import type ExcelJS from 'exceljs';

/** exceljs' internal ValueType.Number, under which a number cell's style is registered. */
const NUMBER_CELL = 2;

interface StreamingSheetInternals {
  stream: { write(text: string): unknown };
  _workbook: { styles: { addStyleModel(style: Partial<ExcelJS.Style>, cellType: number): number } };
}

export interface NumberColumn {
  values: ArrayLike<number>;
  /** Excel number format; the sheet's column carries the same style. */
  format: string;
}

/** Column letters A..Z, enough for a data sheet. */
function columnLetter(index: number): string {
  if (index >= 26) throw new Error(`a data sheet has at most 26 columns, not ${index + 1}`);
  return String.fromCharCode(65 + index);
}

/**
 * Appends data rows below an already committed header row (row 1): row r + 2 holds each column's
 * value at rows[r]. Pauses every `rowsBetweenPauses` rows so the zip compresses what was written
 * instead of the whole sheet's XML waiting in memory.
 */
export async function writeNumberRows(
  sheet: ExcelJS.Worksheet,
  columns: readonly NumberColumn[],
  rows: ArrayLike<number>,
  rowsBetweenPauses = 10_000,
): Promise<void> {
  const internals = sheet as unknown as StreamingSheetInternals;
  const styleIds = columns.map((column) => internals._workbook.styles.addStyleModel({ numFmt: column.format }, NUMBER_CELL));
  const letters = columns.map((_, index) => columnLetter(index));
  const rowOpen = ` spans="1:${columns.length}" x14ac:dyDescent="0.25">`;
  for (let start = 0; start < rows.length; start += rowsBetweenPauses) {
    const end = Math.min(rows.length, start + rowsBetweenPauses);
    let xml = '';
    for (let i = start; i < end; i++) {
      const source = rows[i]!;
      const r = i + 2;
      xml += `<row r="${r}"${rowOpen}`;
      for (let c = 0; c < columns.length; c++) {
        xml += `<c r="${letters[c]}${r}" s="${styleIds[c]}"><v>${columns[c]!.values[source]}</v></c>`;
      }
      xml += '</row>';
    }
    internals.stream.write(xml);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
