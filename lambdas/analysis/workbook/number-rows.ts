// Rows of numbers written straight to an exceljs streaming sheet. exceljs builds a Row and a Cell
// object for every cell and resolves each cell's style by value, about 10 µs a row: most of the
// workbook's time once data sheets hold hundreds of thousands of students. A data sheet holds
// numbers only, each column in one fixed style, so its rows are written here straight into byte
// buffers: the XML exceljs writes, less the two row attributes it adds as hints (spans and
// x14ac:dyDescent, both optional), a quarter of each row that the zip would otherwise compress.
// Cells keep their references (r="B123"): the format makes them optional, but readers such as
// exceljs' own need them. test/analysis/workbook/number-rows.test.ts holds the XML to exceljs' with
// exactly those attributes removed and reads the cells back with exceljs. This reaches two of
// exceljs' non-public fields (the sheet's stream and the workbook's style table); the test fails if
// a release moves them.
import type ExcelJS from 'exceljs';

/** exceljs' internal ValueType.Number, under which a number cell's style is registered. */
const NUMBER_CELL = 2;

interface StreamingSheetInternals {
  stream: { write(bytes: Buffer): unknown };
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

/** Bytes of one batch handed to the sheet's stream (which the zip compresses while the next is filled). */
const BATCH_BYTES = 1 << 20;
/**
 * The longest text String() gives a double: 17 significant digits in fixed notation below 1e-6 and
 * a sign, e.g. -0.0000012345678901234567 (the exponent form, -1.2345678901234567e-308, is 24).
 */
const MAX_NUMBER_CHARS = 25;

const latin1 = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** Copies a short constant byte by byte: cheaper than Buffer#copy's call for a few dozen bytes. */
function put(target: Buffer, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) target[at + i] = bytes[i]!;
  return at + bytes.length;
}

/**
 * Appends data rows below an already committed header row (row 1): row r + 2 holds each column's
 * value at rows[r]. The XML goes straight into byte buffers (a number's text is written as Latin-1,
 * which its ASCII is), so millions of rows leave no strings for the garbage collector; after each
 * batch the zip gets a turn of the event loop to compress it.
 */
export async function writeNumberRows(
  sheet: ExcelJS.Worksheet,
  columns: readonly NumberColumn[],
  rows: ArrayLike<number>,
  batchBytes = BATCH_BYTES,
): Promise<void> {
  const internals = sheet as unknown as StreamingSheetInternals;
  const styleIds = columns.map((column) => internals._workbook.styles.addStyleModel({ numFmt: column.format }, NUMBER_CELL));
  const rowOpen = latin1('<row r="');
  const rowAttributes = latin1('">');
  const cellOpen = columns.map((_, index) => latin1(`<c r="${columnLetter(index)}`));
  const cellAttributes = styleIds.map((id) => latin1(`" s="${id}"><v>`));
  const cellClose = latin1('</v></c>');
  const rowClose = latin1('</row>');
  const rowDigits = String(rows.length + 1).length;
  const maxRowBytes =
    rowOpen.length + rowDigits + rowAttributes.length + rowClose.length +
    columns.reduce((sum, _, c) => sum + cellOpen[c]!.length + rowDigits + cellAttributes[c]!.length + MAX_NUMBER_CHARS + cellClose.length, 0);
  const values = columns.map((column) => column.values);
  let batch = Buffer.allocUnsafe(Math.max(batchBytes, maxRowBytes));
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    if (at + maxRowBytes > batch.length) {
      internals.stream.write(batch.subarray(0, at));
      batch = Buffer.allocUnsafe(batch.length);
      at = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const source = rows[i]!;
    const rowNumber = String(i + 2);
    at = put(batch, at, rowOpen);
    at += batch.write(rowNumber, at, 'latin1');
    at = put(batch, at, rowAttributes);
    for (let c = 0; c < values.length; c++) {
      at = put(batch, at, cellOpen[c]!);
      at += batch.write(rowNumber, at, 'latin1');
      at = put(batch, at, cellAttributes[c]!);
      at += batch.write(String(values[c]![source]), at, 'latin1');
      at = put(batch, at, cellClose);
    }
    at = put(batch, at, rowClose);
  }
  if (at > 0) internals.stream.write(batch.subarray(0, at));
}
