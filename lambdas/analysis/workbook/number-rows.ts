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
import { MAX_NUMBER_BYTES, putNumber } from '../../tabular/number-text';

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

/**
 * Bytes of one batch handed to the sheet's stream. The zip deflates on libuv's threads, but each
 * chunk's completion and the next chunk's start are callbacks on this thread, so it advances by
 * about one chunk per turn of the event loop this writer yields. Batches about the size of exceljs'
 * 64 KB sheet buffers keep the two in step; with 1 MB batches the zip fell behind and finished
 * seconds after the last row (a workbook of 2.4M rows: 3.1 s at 1 MB, 2.3 s at 32 KB, 2.7 s at 64 KB).
 */
const BATCH_BYTES = 1 << 15;
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
 * One buffer serves every batch: the sheet's stream (exceljs' StreamBuf in batch mode) copies what it
 * is given into its own buffers before write returns. A fresh buffer per batch made Node run a full
 * garbage collection every few hundred batches (139 against 85 in three builds of a workbook of 4M rows);
 * the test writes batches of one row and compares the XML byte for byte, so a stream that kept the
 * buffer would fail it.
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
    columns.reduce((sum, _, c) => sum + cellOpen[c]!.length + rowDigits + cellAttributes[c]!.length + MAX_NUMBER_BYTES + cellClose.length, 0);
  const values = columns.map((column) => column.values);
  const batch = Buffer.allocUnsafe(Math.max(batchBytes, maxRowBytes));
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    if (at + maxRowBytes > batch.length) {
      internals.stream.write(batch.subarray(0, at));
      at = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const source = rows[i]!;
    at = put(batch, at, rowOpen);
    // The row number once as text; each cell's reference copies its bytes.
    const numberStart = at;
    at = putNumber(batch, at, i + 2);
    const numberEnd = at;
    at = put(batch, at, rowAttributes);
    for (let c = 0; c < values.length; c++) {
      at = put(batch, at, cellOpen[c]!);
      for (let k = numberStart; k < numberEnd; k++) batch[at++] = batch[k]!;
      at = put(batch, at, cellAttributes[c]!);
      at = putNumber(batch, at, values[c]![source]!);
      at = put(batch, at, cellClose);
    }
    at = put(batch, at, rowClose);
  }
  if (at > 0) internals.stream.write(batch.subarray(0, at));
}
