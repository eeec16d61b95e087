import { describe, expect, it } from 'vitest';
import { CsvFormatError } from '../../../lambdas/tabular/csv';
import { formatCohortCsv, formatCohortCsvChunks, parseCohortFile, parseMinutesAndCertificates } from '../../../lambdas/tabular/cohort-file';
import { findPeriodFiles } from '../../../lambdas/contracts/period-files';

const cohortNames = (a: string, b: string) => [0, 1].flatMap((paid) => [a, b].map((p) => `minutes_watched_${p}_paid_${paid}.csv`));

describe('findPeriodFiles', () => {
  it('orders the periods and ignores cleaned files and other names', () => {
    const names = [...cohortNames('2022Q2', '2021Q2'), 'minutes_and_certificates.csv', 'minutes_watched_2021Q2_paid_0_no_outliers.csv', 'notes.txt'];
    expect(findPeriodFiles(names)).toEqual({
      periods: { baseline: '2021Q2', comparison: '2022Q2' },
      cohorts: {
        baseline: { free: 'minutes_watched_2021Q2_paid_0.csv', paid: 'minutes_watched_2021Q2_paid_1.csv' },
        comparison: { free: 'minutes_watched_2022Q2_paid_0.csv', paid: 'minutes_watched_2022Q2_paid_1.csv' },
      },
      minutesAndCertificates: 'minutes_and_certificates.csv',
    });
  });
  it('accepts yearly labels and folder prefixes', () => {
    const names = [...cohortNames('2022', '2021'), 'minutes_and_certificates.csv'].map((n) => `results/run1/engagement/${n}`);
    expect(findPeriodFiles(names).periods).toEqual({ baseline: '2021', comparison: '2022' });
  });
  it('names what is missing or ambiguous', () => {
    expect(() => findPeriodFiles(cohortNames('2021Q2', '2022Q2').slice(1))).toThrow(
      /minutes_and_certificates.csv is missing; minutes_watched_2021Q2_paid_0.csv is missing/,
    );
    expect(() => findPeriodFiles([...cohortNames('2021Q2', '2022Q2'), ...cohortNames('2023Q2', '2022Q2'), 'minutes_and_certificates.csv'])).toThrow(
      /exactly 2 periods, found 3: 2021Q2, 2022Q2, 2023Q2/,
    );
    expect(() => findPeriodFiles([...cohortNames('2021Q2', '2022Q2'), 'a/minutes_watched_2021Q2_paid_1.csv', 'minutes_and_certificates.csv'])).toThrow(
      /minutes_watched_2021Q2_paid_1.csv appears 2 times/,
    );
    expect(() => findPeriodFiles([...cohortNames('2021', '2022Q2'), 'minutes_and_certificates.csv'])).toThrow(/mix years and quarters/);
  });
});

describe('cohort files', () => {
  it('reads paid_in_q2 instead of paid_in_period and writes the same columns back', async () => {
    const cohort = await parseCohortFile(['student_id,minutes_watched,paid_in_q2\r\n7,12.5,1\r\n', '9,0,1\r\n'], 'c.csv');
    expect(cohort.paidColumnName).toBe('paid_in_q2');
    expect(Array.from(cohort.minutes)).toEqual([12.5, 0]);
    expect(formatCohortCsv(cohort)).toBe('student_id,minutes_watched,paid_in_q2\n7,12.5,1\n9,0,1\n');
  });
  it('writes a cohort of any size the same across chunk boundaries, every number as String() gives it', () => {
    const n = 5000;
    const cohort = {
      source: 'c.csv',
      studentIds: Float64Array.from({ length: n }, (_, i) => i * 9_007_199_254 + 1),
      minutes: Float64Array.from({ length: n }, (_, i) => [i / 100, i / 3, i * 1e-9, 1e21 + i, i][i % 5]!),
      paid: Uint8Array.from({ length: n }, (_, i) => i % 2),
      paidColumnName: 'paid_in_period',
    };
    const expected = 'student_id,minutes_watched,paid_in_period\n' + Array.from({ length: n }, (_, i) => `${cohort.studentIds[i]},${cohort.minutes[i]},${cohort.paid[i]}\n`).join('');
    expect(formatCohortCsv(cohort)).toBe(expected);
    const small = [...formatCohortCsvChunks(cohort, 1)];
    expect(small.length).toBeGreaterThan(n / 10);
    expect(Buffer.concat(small).toString('utf8')).toBe(expected);
  });
  it('names file, row and reason for bad values', async () => {
    const bad = async (text: string) => parseCohortFile([text], 'minutes_watched_2021Q2_paid_0.csv');
    await expect(bad('student_id,minutes_watched,paid_in_period\n1,5,0\n2,abc,0\n')).rejects.toThrow(
      'minutes_watched_2021Q2_paid_0.csv: row 3: minutes_watched is not a number: "abc"',
    );
    await expect(bad('student_id,minutes_watched,paid_in_period\n1,-5,0\n')).rejects.toThrow(/row 2: minutes_watched must not be negative/);
    await expect(bad('student_id,minutes_watched,paid_in_period\n1,5,2\n')).rejects.toThrow(/row 2: paid_in_period must be 0 or 1/);
    await expect(bad('student_id,minutes_watched,paid_in_period\n1.5,5,0\n')).rejects.toThrow(/row 2: student_id must be a whole number/);
    await expect(bad('student_id,minutes_watched\n1,5\n')).rejects.toThrow(/missing column paid_in_period/);
    await expect(bad('')).rejects.toBeInstanceOf(CsvFormatError);
    await expect(parseMinutesAndCertificates(['student_id,certificates_issued,minutes_watched\n1,,3\n'], 'mc.csv')).rejects.toThrow(
      'mc.csv: row 2: certificates_issued is empty',
    );
  });
});
