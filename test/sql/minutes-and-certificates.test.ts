// minutes_and_certificates with baseline 2021Q2 (2021-04-01..06-30) and comparison 2022Q2 (2022-04-01..06-30).
import { afterEach, describe, expect, it } from 'vitest';
import { resolveStudyPeriods } from '../../lambdas/analysis/periods';
import { minutesAndCertificatesParameters } from '../../lambdas/athena/query-parameters';
import { openEngagementSql, type EngagementRows, type SqlHarness } from './engagement-sql-harness';

const PERIODS = resolveStudyPeriods({ baseline: '2021Q2', comparison: '2022Q2' });

let harness: SqlHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function run(rows: EngagementRows): Promise<string[][]> {
  harness = await openEngagementSql(rows);
  const table = await harness.runFile('minutes_and_certificates.sql', minutesAndCertificatesParameters(PERIODS));
  expect(table.header).toEqual(['student_id', 'certificates_issued', 'minutes_watched']);
  return table.rows;
}

const certificate = (id: string, student: string, day: string) => [id, student, day];
const watched = (student: string, seconds: string, day: string) => [student, '100', seconds, day];

describe('minutes_and_certificates', () => {
  it('counts only certificates issued in the comparison period, both ends included', async () => {
    // Student 1: 2022-03-31 and 2021-05-01 (baseline) are outside 2022Q2 -> no row.
    // Student 2: 2022-04-01 and 2022-06-30 count, 2022-07-01 does not -> 2.
    const rows = await run({
      student_certificates: [
        certificate('1', '1', '2022-03-31'),
        certificate('2', '1', '2021-05-01'),
        certificate('3', '2', '2022-04-01'),
        certificate('4', '2', '2022-06-30'),
        certificate('5', '2', '2022-07-01'),
      ],
      student_video_watched: [watched('2', '60', '2022-05-01')],
    });
    expect(rows).toEqual([['2', '2', '1.00']]);
  });

  it('gives 0.00 minutes to a student with a certificate and no viewing', async () => {
    expect(await run({ student_certificates: [certificate('1', '5', '2022-05-05')] })).toEqual([['5', '1', '0.00']]);
  });

  it('sums the minutes of both periods and nothing in between or after', async () => {
    // 60 s on 2021-04-01 + 120 s on 2022-06-30 = 180 s = 3.00 min; 2021-12-01 (between) and 2022-07-01 (after) ignored.
    // Student 4: 100 s in the baseline only -> 1.67.
    const rows = await run({
      student_certificates: [certificate('1', '3', '2022-06-01'), certificate('2', '4', '2022-06-02')],
      student_video_watched: [
        watched('3', '60', '2021-04-01'),
        watched('3', '120', '2022-06-30'),
        watched('3', '600', '2021-12-01'),
        watched('3', '600', '2022-07-01'),
        watched('4', '100', '2021-06-30'),
      ],
    });
    expect(rows).toEqual([
      ['3', '1', '3.00'],
      ['4', '1', '1.67'],
    ]);
  });

  it('leaves out students who watched but got no certificate', async () => {
    expect(await run({ student_video_watched: [watched('1', '60', '2022-05-01')] })).toEqual([]);
  });
});
