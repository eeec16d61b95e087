// Database and pandas exports spell the same data otherwise than the generator does: dates as
// datetimes, a missing refund as NULL, doubles with all their digits, column names in capitals. The same data so spelt must
// give the very same result files as the plain spelling, with no row quarantined.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputCase, makeBaseInput, type DataQualityFile } from './corpus-helpers';

let base: string;
beforeAll(async () => {
  base = await makeBaseInput();
}, 60_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Every engagement result file but the workbook (which carries its own write date), by name. */
function engagementResults(runDir: string): Record<string, string> {
  const dir = path.join(runDir, 'engagement');
  const files = readdirSync(dir).filter((name) => !name.endsWith('.xlsx')).sort();
  return Object.fromEntries(files.map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]));
}

/** The fraction digits a double prints with beyond 15 places: the same number, written longer. */
function withLongFraction(seconds: string): string {
  return seconds.includes('.') ? `${seconds}0000000000000000` : `${seconds}.0000000000000000`;
}

describe('engagement input as database exports spell it', () => {
  it('datetimes, NULL refunds and long decimals give the same results as the plain spelling', async () => {
    const plain = new InputCase(base);
    const spelt = new InputCase(base);
    try {
      const plainResult = await plain.run();
      expect(plainResult.status).toBe('succeeded');

      const students = spelt.fields('student_info.csv');
      // Column names in capitals, as some databases export them.
      spelt.writeFields('student_info.csv', students.map((row, i) => (i === 0 ? row.map((name) => name.toUpperCase()) : [row[0]!, `${row[1]} 00:00:00`])));
      const purchases = spelt.fields('student_purchases.csv');
      const refundsLeftEmpty = purchases.slice(1).filter((row) => row[4] === '').length;
      expect(refundsLeftEmpty).toBeGreaterThan(0);
      expect(purchases.slice(1).some((row) => row[4] !== '')).toBe(true);
      spelt.writeFields('student_purchases.csv', purchases.map((row, i) => (i === 0 ? row : [row[0]!, row[1]!, row[2]!, `${row[3]}T09:30:00Z`, row[4] === '' ? 'NULL' : `${row[4]} 23:59:59.125`])));
      const views = spelt.fields('student_video_watched.csv');
      const header = views[0]!;
      const secondsColumn = header.indexOf('seconds_watched');
      const dayColumn = header.indexOf('date_watched');
      spelt.writeFields(
        'student_video_watched.csv',
        views.map((row, i) => (i === 0 ? row : row.map((value, column) => (column === secondsColumn ? withLongFraction(value) : column === dayColumn ? `${value}T13:05:00` : value)))),
      );
      const certificates = spelt.fields('student_certificates.csv');
      const issuedColumn = certificates[0]!.indexOf('date_issued');
      spelt.writeFields('student_certificates.csv', certificates.map((row, i) => (i === 0 ? row : row.map((value, column) => (column === issuedColumn ? `${value} 00:00:00` : value)))));

      const speltResult = await spelt.run();
      expect(speltResult.failure?.cause).toBeUndefined();
      expect(speltResult.status).toBe('succeeded');
      const quality = JSON.parse(spelt.readRunFile(speltResult, 'data_quality.json')) as { files: DataQualityFile[] };
      for (const file of quality.files) expect({ file: file.file, quarantined: file.quarantined_rows }).toEqual({ file: file.file, quarantined: 0 });
      expect(engagementResults(speltResult.runDir)).toEqual(engagementResults(plainResult.runDir));
    } finally {
      plain.remove();
      spelt.remove();
    }
  }, 120_000);

  it('a date with a time outside the day, a zone offset or another NULL spelling is still quarantined', async () => {
    const c = new InputCase(base);
    try {
      const students = c.fields('student_info.csv');
      students[1]![1] = `${students[1]![1]} 24:00:00`;
      students[2]![1] = `${students[2]![1]}T10:00:00+02:00`;
      c.writeFields('student_info.csv', students);
      const purchases = c.fields('student_purchases.csv');
      const unrefunded = purchases.findIndex((row, i) => i > 0 && row[4] === '');
      purchases[unrefunded]![4] = 'none';
      c.writeFields('student_purchases.csv', purchases);
      const result = await c.run({ maxBadRowShare: 0.5 });
      expect(result.status).toBe('succeeded');
      const quality = JSON.parse(c.readRunFile(result, 'data_quality.json')) as { files: DataQualityFile[] };
      const reasons = Object.fromEntries(quality.files.map((file) => [file.file, file.reasons]));
      expect(reasons['student_info.csv']).toEqual({ 'date_registered is not a real YYYY-MM-DD date': 2 });
      expect(reasons['student_purchases.csv']?.['date_refunded is not a real YYYY-MM-DD date']).toBe(1);
    } finally {
      c.remove();
    }
  }, 120_000);
});
