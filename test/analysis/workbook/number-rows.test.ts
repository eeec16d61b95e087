// Data rows written as text must be the XML exceljs itself writes for the same cells, styles
// included, less exactly the row attributes the writer leaves out (spans and x14ac:dyDescent); every
// other file of the workbook must be byte for byte exceljs'. Otherwise (an exceljs release that
// renames the fields reached, or changes its row XML) this fails rather than the workbook quietly
// differing. exceljs' own reader then reads the same cells from both.
import { Writable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer';
import { describe, expect, it } from 'vitest';
import { setZipEntryDates } from '../../../lambdas/analysis/workbook/deterministic-zip';
import { writeNumberRows, type NumberColumn } from '../../../lambdas/analysis/workbook/number-rows';

const DATE = new Date('2022-06-30T00:00:00Z');
const SHEET = 'xl/worksheets/sheet1.xml';

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

/** Every entry of a zip, inflated, by name (from the central directory: exceljs streams its entries). */
function zipEntries(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + skip;
  }
  return entries;
}

/** exceljs' sheet XML with the attributes writeNumberRows leaves out of data rows (below row 1) removed. */
function withoutOptionalAttributes(xml: string): string {
  return xml.replace(/<row r="(\d+)" spans="[^"]*" x14ac:dyDescent="[^"]*">/g, (row, number: string) => (number === '1' ? row : `<row r="${number}">`));
}

async function cellsReadBack(bytes: Buffer): Promise<Map<string, unknown>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const cells = new Map<string, unknown>();
  workbook.getWorksheet('Data')!.eachRow((row) => row.eachCell((cell) => void cells.set(cell.address, cell.value)));
  return cells;
}

describe('writeNumberRows', () => {
  it('writes the row XML exceljs writes less its row hints, every other file byte for byte, for awkward numbers, a sample of rows, a row per batch and one batch', async () => {
    const ids = [1, 2, 1e15, 0, -0, 42, 7, 9_007_199_254_740_991, 3, 5, 8, 10];
    // Among them the longest texts a double has: -0.0000012345678901234567 (25) and an exponent form (24).
    const minutes = [0.1 + 0.2, 1e21, 1e-7, -3.5, -0.0000012345678901234567, 12.25, 1 / 3, 5e-324, 1_048_575.75, -1.2345678901234567e-308, 1e300, 0.05];
    const flags = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1];
    const columns: NumberColumn[] = [
      { values: Float64Array.from(ids), format: '0' },
      { values: Float64Array.from(minutes), format: '#,##0.00' },
      { values: Uint8Array.from(flags), format: '0' },
    ];
    const rows = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11];
    const byExceljs = await workbookBytes(async (sheet, cols) => {
      for (const row of rows) sheet.addRow(cols.map((column) => column.values[row]!)).commit();
    }, columns);
    const expected = zipEntries(byExceljs);
    expect(expected.get(SHEET)!.toString()).toMatch(/<c r="B3" s="\d+"><v>/);
    for (const batchBytes of [1, undefined]) {
      const byText = await workbookBytes(async (sheet, cols) => {
        sheet.getRow(1).commit();
        await writeNumberRows(sheet, cols, rows, batchBytes);
      }, columns);
      const written = zipEntries(byText);
      expect([...written.keys()]).toEqual([...expected.keys()]);
      for (const [name, bytes] of expected) {
        if (name === SHEET) expect(written.get(name)!.toString()).toBe(withoutOptionalAttributes(bytes.toString()));
        else expect(written.get(name)!.equals(bytes), name).toBe(true);
      }
      expect(await cellsReadBack(byText)).toEqual(await cellsReadBack(byExceljs));
    }
  });

  it('refuses a sheet wider than its column letters', async () => {
    const column: NumberColumn = { values: [1], format: '0' };
    await expect(workbookBytes(async (sheet, cols) => writeNumberRows(sheet, cols, [0]), Array.from({ length: 27 }, () => column))).rejects.toThrow(/at most 26 columns/);
  });
});

