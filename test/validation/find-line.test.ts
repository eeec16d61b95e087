// The first quarantined row in file order, found in the raw file among the quarantine file's rows
// (whose order Athena does not tie to the file's).
import { describe, expect, it } from 'vitest';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { firstQuarantinedRow } from '../../lambdas/validation/find-line';

const table = ENGAGEMENT_TABLES.find((candidate) => candidate.fileName === 'student_info.csv')!; // student_id, date_registered
const file = (...rows: string[]) => [['student_id,date_registered', ...rows].join('\n') + '\n'];
const row = (line: string, reason: string) => ({ values: line.split(','), reason });

describe('firstQuarantinedRow', () => {
  it('names the listed row that stands first in the file, whatever the list\'s order', async () => {
    const found = await firstQuarantinedRow(file('1,2021-01-01', '10,abc', '2,2021-01-02', '4,xyz'), table, [
      row('4,xyz', 'date_registered is not a real YYYY-MM-DD date'),
      row('10,abc', 'date_registered is not a real YYYY-MM-DD date'),
    ]);
    expect(found).toEqual({ line: 3, reason: 'date_registered is not a real YYYY-MM-DD date', values: { student_id: '10', date_registered: 'abc' } });
  });

  it('takes the later of identical lines for a duplicate, and a lone listed duplicate where it stands', async () => {
    expect((await firstQuarantinedRow(file('5,2021-01-01', '6,2021-01-02', '5,2021-01-01'), table, [row('5,2021-01-01', 'duplicate student_id')]))?.line).toBe(4);
    expect((await firstQuarantinedRow(file('7,2021-01-01', '7,2021-02-01'), table, [row('7,2021-02-01', 'duplicate student_id')]))?.line).toBe(3);
  });

  it('weighs a duplicate seen once against a later row that is no duplicate', async () => {
    // 8 stands on lines 2 and 5: its quarantined copy is line 5, after the bad date on line 3.
    const rows = [row('8,2021-01-01', 'duplicate student_id'), row('9,abc', 'date_registered is not a real YYYY-MM-DD date')];
    expect((await firstQuarantinedRow(file('8,2021-01-01', '9,abc', '3,2021-01-03', '8,2021-01-01'), table, rows))?.line).toBe(3);
    // A lone listed duplicate before it comes first.
    const lone = [row('8,2021-03-01', 'duplicate student_id'), row('9,abc', 'date_registered is not a real YYYY-MM-DD date')];
    expect((await firstQuarantinedRow(file('8,2021-01-01', '8,2021-03-01', '9,abc'), table, lone))?.line).toBe(3);
    expect((await firstQuarantinedRow(file('8,2021-03-01', '9,abc', '8,2021-01-01'), table, lone))?.line).toBe(2);
  });

  it('is null when no listed row is in the file', async () => {
    expect(await firstQuarantinedRow(file('1,2021-01-01'), table, [row('2,abc', 'x')])).toBeNull();
  });
});
