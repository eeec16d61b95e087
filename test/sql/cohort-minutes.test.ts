// cohort_minutes: one cohort (period x paid flag) per run. Periods: 2021Q2 = 2021-04-01..2021-06-30,
// 2022Q2 = 2022-04-01..2022-06-30. A purchase makes its student paid in a period when
// date_start <= last day and (date_end is NULL or date_end >= first day).
import { afterEach, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../lambdas/analysis/periods';
import { cohortMinutesParameters } from '../../lambdas/athena/query-parameters';
import { openEngagementSql, type EngagementRows, type SqlHarness } from './engagement-sql-harness';

const Q2_2021 = parsePeriod('2021Q2');
const Q2_2022 = parsePeriod('2022Q2');

let harness: SqlHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Both cohorts of a period: { paid: rows, unpaid: rows }, rows as [student_id, minutes_watched]. */
async function cohorts(rows: EngagementRows, period = Q2_2021): Promise<{ paid: string[][]; unpaid: string[][] }> {
  harness ??= await openEngagementSql(rows);
  const result: { paid: string[][]; unpaid: string[][] } = { paid: [], unpaid: [] };
  for (const paid of [0, 1] as const) {
    const table = await harness.runFile('cohort_minutes.sql', cohortMinutesParameters(period, paid));
    expect(table.header).toEqual(['student_id', 'minutes_watched', 'paid_in_period']);
    for (const [student, minutes, flag] of table.rows) {
      expect(flag).toBe(String(paid)); // only the asked cohort comes back
      result[paid === 1 ? 'paid' : 'unpaid'].push([student!, minutes!]);
    }
  }
  return result;
}

const watched = (student: string, seconds: string, day: string) => [student, '100', seconds, day];

describe('cohort_minutes', () => {
  it('puts a student without any purchase in the unpaid cohort', async () => {
    expect(await cohorts({ student_video_watched: [watched('2', '120', '2021-05-01')] })).toEqual({ paid: [], unpaid: [['2', '2.00']] });
  });

  it('rounds minutes to two decimals: 100 s -> 1.67, 1 s -> 0.02, 30 s + 45 s -> 1.25', async () => {
    // 100/60 = 1.666.. -> 1.67; 1/60 = 0.0166.. -> 0.02; two days summed: 75/60 = 1.25.
    const result = await cohorts({
      student_video_watched: [watched('1', '100', '2021-04-01'), watched('2', '1', '2021-05-05'), watched('3', '30', '2021-06-01'), watched('3', '45', '2021-06-30')],
    });
    expect(result.unpaid).toEqual([['1', '1.67'], ['2', '0.02'], ['3', '1.25']]);
  });

  it('holds a student whose summed seconds outgrow 18 digits of cents (each row within the check)', async () => {
    // 700 rows of 999,999,999,999,999 s: 1.1667e16 minutes, past DECIMAL(18, 2)'s 1e16.
    const rows = Array.from({ length: 700 }, (_, day) => watched('7', '999999999999999', `2021-04-${String((day % 30) + 1).padStart(2, '0')}`));
    const result = await cohorts({ student_video_watched: rows });
    expect(result.unpaid).toHaveLength(1);
    expect(Number(result.unpaid[0]![1])).toBeCloseTo((700 * 999999999999999) / 60, -3);
  });

  it('ignores viewing outside the period, first and last day included', async () => {
    // Student 1: 60 s on the first day + 60 s on the last day count; 2021-03-31 and 2021-07-01 do not -> 2.00.
    // Student 9 watched only outside the period: no row at all.
    const result = await cohorts({
      student_video_watched: [
        watched('1', '60', '2021-04-01'),
        watched('1', '60', '2021-06-30'),
        watched('1', '600', '2021-03-31'),
        watched('1', '600', '2021-07-01'),
        watched('9', '600', '2021-03-31'),
        watched('9', '600', '2022-04-02'),
      ],
    });
    expect(result).toEqual({ paid: [], unpaid: [['1', '2.00']] });
  });

  it('counts a purchase whose month-end clamped end falls before the period as unpaid, and a one-day overlap as paid', async () => {
    // Student 4: monthly from 2021-01-31 ends 2021-02-28 < 2021-04-01 -> unpaid.
    // Student 5: monthly from 2021-03-01 ends 2021-04-01 = first day -> paid (ends inclusive).
    const result = await cohorts({
      student_purchases: [
        ['1', '4', '0', '2021-01-31', ''],
        ['2', '5', '0', '2021-03-01', ''],
      ],
      student_video_watched: [watched('4', '60', '2021-05-01'), watched('5', '60', '2021-05-01')],
    });
    expect(result).toEqual({ paid: [['5', '1.00']], unpaid: [['4', '1.00']] });
  });

  it('ends access at a refund made before the natural end', async () => {
    // Annual from 2021-01-10 would run to 2022-01-10; refunded 2021-03-31, it ends before 2021Q2 -> unpaid.
    const result = await cohorts({
      student_purchases: [['1', '6', '2', '2021-01-10', '2021-03-31']],
      student_video_watched: [watched('6', '60', '2021-05-01')],
    });
    expect(result).toEqual({ paid: [], unpaid: [['6', '1.00']] });
  });

  it('treats a refund on the purchase day as one day of access', async () => {
    // Student 7: bought and refunded 2021-04-10 -> [04-10, 04-10] lies in 2021Q2 -> paid.
    // Student 8: bought and refunded 2021-03-20 -> [03-20, 03-20] is before 2021Q2 -> unpaid.
    const result = await cohorts({
      student_purchases: [
        ['1', '7', '0', '2021-04-10', '2021-04-10'],
        ['2', '8', '0', '2021-03-20', '2021-03-20'],
      ],
      student_video_watched: [watched('7', '60', '2021-06-01'), watched('8', '60', '2021-06-01')],
    });
    expect(result).toEqual({ paid: [['7', '1.00']], unpaid: [['8', '1.00']] });
  });

  it('counts a lifetime plan as paid in every later period and not before it starts', async () => {
    // Bought 2021-05-01, no end: 2021Q2 (starts by 06-30) and 2022Q2 paid; 2021Q1 (ends 03-31 < 05-01) unpaid.
    const rows: EngagementRows = {
      student_purchases: [['1', '3', '3', '2021-05-01', '']],
      student_video_watched: [watched('3', '60', '2021-02-01'), watched('3', '60', '2021-06-01'), watched('3', '60', '2022-06-01')],
    };
    expect(await cohorts(rows, Q2_2021)).toEqual({ paid: [['3', '1.00']], unpaid: [] });
    expect(await cohorts(rows, Q2_2022)).toEqual({ paid: [['3', '1.00']], unpaid: [] });
    expect(await cohorts(rows, parsePeriod('2021Q1'))).toEqual({ paid: [], unpaid: [['3', '1.00']] });
  });

  it('counts an annual plan bought 2021-06-15 as paid in both 2021Q2 and 2022Q2', async () => {
    // [2021-06-15, 2022-06-15]: starts before 2021-06-30 -> paid in 2021Q2 (even viewing on 05-01, before the
    // purchase: the flag is about the period); ends 2022-06-15 >= 2022-04-01 -> paid in 2022Q2 too.
    const rows: EngagementRows = {
      student_purchases: [['1', '1', '2', '2021-06-15', '']],
      student_video_watched: [watched('1', '60', '2021-05-01'), watched('1', '120', '2022-06-20')],
    };
    expect(await cohorts(rows, Q2_2021)).toEqual({ paid: [['1', '1.00']], unpaid: [] });
    expect(await cohorts(rows, Q2_2022)).toEqual({ paid: [['1', '2.00']], unpaid: [] });
  });

  it('flags a student with several purchases as paid when any one overlaps (one row per student)', async () => {
    // Monthly 2020-01-05..2020-02-05 misses 2021Q2; quarterly bought on the last day 2021-06-30 overlaps.
    const result = await cohorts({
      student_purchases: [
        ['1', '8', '0', '2020-01-05', ''],
        ['2', '8', '1', '2021-06-30', ''],
        ['3', '8', '3', '2019-01-01', '2019-02-01'],
      ],
      student_video_watched: [watched('8', '30', '2021-04-02'), watched('8', '30', '2021-04-03')],
    });
    expect(result).toEqual({ paid: [['8', '1.00']], unpaid: [] });
  });

  it('counts both boundary days: access ending on the first day or starting on the last day is paid, a day beyond is not', async () => {
    // 20: monthly 2021-03-01 ends 2021-04-01 (first day); 21: refunded on the first day; 22: starts 2021-06-30 (last day).
    // 23: refunded 2021-03-31, the day before; 24: starts 2021-07-01, the day after.
    const result = await cohorts({
      student_purchases: [
        ['1', '20', '0', '2021-03-01', ''],
        ['2', '21', '2', '2021-01-20', '2021-04-01'],
        ['3', '22', '0', '2021-06-30', ''],
        ['4', '23', '0', '2021-03-01', '2021-03-31'],
        ['5', '24', '3', '2021-07-01', ''],
      ],
      student_video_watched: ['20', '21', '22', '23', '24'].map((student) => watched(student, '60', '2021-05-01')),
    });
    expect(result).toEqual({ paid: [['20', '1.00'], ['21', '1.00'], ['22', '1.00']], unpaid: [['23', '1.00'], ['24', '1.00']] });
  });

  it('orders rows by student_id as a number', async () => {
    const result = await cohorts({ student_video_watched: [watched('10', '60', '2021-05-01'), watched('9', '60', '2021-05-01')] });
    expect(result.unpaid.map(([student]) => student)).toEqual(['9', '10']);
  });
});
