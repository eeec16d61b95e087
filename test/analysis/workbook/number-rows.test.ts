// Data rows written as text must be the bytes exceljs itself writes for the same cells, styles
// included; otherwise (an exceljs release that renames the fields reached, or changes its row XML)
// this fails rather than the workbook quietly differing from what exceljs would produce.
import { Writable } from 'node:stream';
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer';
import { describe, expect, it } from 'vitest';
import { setZipEntryDates } from '../../../lambdas/analysis/workbook/deterministic-zip';
import { writeNumberRows, type NumberColumn } from '../../../lambdas/analysis/workbook/number-rows';

const DATE = new Date('2022-06-30T00:00:00Z');

async function workbookBytes(fill: (sheet: ReturnType<InstanceType<typeof WorkbookWriter>['addWorksheet']>, columns: NumberColumn[]) => Promise<void>, columns: NumberColumn[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => (chunks.push(chunk), done()) });
  const workbook = new WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  workbook.created = DATE;
  workbook.modified = DATE;
  const sheet = workbook.addWorksheet('Data', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column, index) => ({ header: `column ${index}`, width: 14, style: { numFmt: column.format } }));
  sheet.getRow(1).font = { bold: true };
  await fill(sheet, columns);
  await sheet.commit();
  await workbook.commit();
  await new Promise((resolve) => sink.end(resolve));
  return setZipEntryDates(Buffer.concat(chunks), DATE);
}

describe('writeNumberRows', () => {
  it('writes the bytes exceljs writes row by row, for awkward numbers, a sample of rows, a row per batch and one batch', async () => {
    const ids = [1, 2, 1e15, 0, -0, 42, 7, 9_007_199_254_740_991, 3, 5, 8];
    // Among them the longest texts a double has: -0.0000012345678901234567 (25) and an exponent form (24).
    const minutes = [0.1 + 0.2, 1e21, 1e-7, -3.5, -0.0000012345678901234567, 12.25, 1 / 3, 5e-324, 1_048_575.75, -1.2345678901234567e-308, 1e300];
    const flags = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1];
    const columns: NumberColumn[] = [
      { values: Float64Array.from(ids), format: '0' },
      { values: Float64Array.from(minutes), format: '#,##0.00' },
      { values: Uint8Array.from(flags), format: '0' },
    ];
    const rows = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10];
    const byExceljs = await workbookBytes(async (sheet, cols) => {
      for (const row of rows) sheet.addRow(cols.map((column) => column.values[row]!)).commit();
    }, columns);
    const byText = await workbookBytes(async (sheet, cols) => {
      sheet.getRow(1).commit();
      await writeNumberRows(sheet, cols, rows, 1);
    }, columns);
    const byTextOneBatch = await workbookBytes(async (sheet, cols) => {
      sheet.getRow(1).commit();
      await writeNumberRows(sheet, cols, rows);
    }, columns);
    expect(byTextOneBatch.equals(byExceljs)).toBe(true);
    expect(byText.length).toBeGreaterThan(0);
    expect(byText.equals(byExceljs)).toBe(true);
  });

  it('refuses a sheet wider than its column letters', async () => {
    const column: NumberColumn = { values: [1], format: '0' };
    await expect(workbookBytes(async (sheet, cols) => writeNumberRows(sheet, cols, [0]), Array.from({ length: 27 }, () => column))).rejects.toThrow(/at most 26 columns/);
  });
});
