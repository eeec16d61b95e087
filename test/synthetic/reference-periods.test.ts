// The pandas reference for the engagement period outputs (test/fixtures/engagement/reference_periods.py)
// is itself checked here: on a hand-made folder whose expected figures were worked out by hand, and on
// generated default data, where every output must have rows so the embedded data exercises each branch.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';
import { describeRequiring, PYTHON, pythonModules } from '../support/requirements';
import { scratchFolder } from './helpers';

const SCRIPT = path.resolve(__dirname, '../fixtures/engagement/reference_periods.py');
const TINY = path.resolve(__dirname, '../fixtures/engagement/reference_tiny');

const scratch = scratchFolder('reference');
afterAll(() => scratch.remove());

function runReference(input: string, name: string, ...periods: string[]): Record<string, string> {
  const out = path.join(scratch.dir, name);
  execFileSync(PYTHON, [SCRIPT, input, out, ...periods], { encoding: 'utf8' });
  return Object.fromEntries(readdirSync(out).map((file) => [file, readFileSync(path.join(out, file), 'utf8')]));
}

const lines = (...rows: string[]): string => rows.map((row) => `${row}\n`).join('');

describeRequiring([pythonModules('pandas')], 'reference_periods.py', () => {
  it('applies the study rules on the hand-made folder (default quarters 2021Q2 and 2022Q2)', () => {
    const files = runReference(TINY, 'q2');
    expect(Object.keys(files).sort()).toEqual([
      'minutes_and_certificates.csv',
      'minutes_watched_2021Q2_paid_0.csv',
      'minutes_watched_2021Q2_paid_1.csv',
      'minutes_watched_2022Q2_paid_0.csv',
      'minutes_watched_2022Q2_paid_1.csv',
    ]);
    // 2021Q2: s1 monthly from 03-01 ends 04-01 = the first day (inclusive) -> paid; 100+50 s = 2.50 (the 03-31
    // row is outside). s2 monthly from 05-31, 61 s -> 1.0167 -> 1.02. s3 lifetime, 3620 s -> 60.33.
    // s4 annual bought 04-10, refunded 04-12 -> paid in 2021Q2, 90 s -> 1.50. s5 lifetime refunded the day
    // it was bought (01-05) -> not paid, 59 s -> 0.98. s6 never bought, 1 s -> 0.02.
    expect(files['minutes_watched_2021Q2_paid_0.csv']).toBe(lines('student_id,minutes_watched,paid_in_period', '5,0.98,0', '6,0.02,0'));
    expect(files['minutes_watched_2021Q2_paid_1.csv']).toBe(
      lines('student_id,minutes_watched,paid_in_period', '1,2.50,1', '2,1.02,1', '3,60.33,1', '4,1.50,1'),
    );
    // 2022Q2: s2's plan ended 2021-06-30, 1 s -> 0.02. s4's refund (not the annual term to 2022-04-10)
    // ends the plan -> unpaid, 45 s -> 0.75. s6 120 s -> 2.00. s8 buys 2022-07-01, after the quarter ->
    // unpaid, 200 s -> 3.33. s3 lifetime 7199 s -> 119.98. s7 quarterly from 2022-03-31 ends 06-30 -> paid,
    // two rows of 10 s -> 0.33. s7's and s8's July rows and s9's December row are outside.
    expect(files['minutes_watched_2022Q2_paid_0.csv']).toBe(
      lines('student_id,minutes_watched,paid_in_period', '2,0.02,0', '4,0.75,0', '6,2.00,0', '8,3.33,0'),
    );
    expect(files['minutes_watched_2022Q2_paid_1.csv']).toBe(lines('student_id,minutes_watched,paid_in_period', '3,119.98,1', '7,0.33,1'));
    // Certificates in 2022Q2: s3 two (04-01 and 06-30 inclusive), 3620 + 7199 s = 180.3167 -> 180.32;
    // s6 one, 1 + 120 s -> 2.02; s9 one with no viewing in either quarter -> 0.00. s1's (2021-05-01,
    // 2022-07-01) and s4's (2022-03-31) fall outside.
    expect(files['minutes_and_certificates.csv']).toBe(
      lines('student_id,certificates_issued,minutes_watched', '3,2,180.32', '6,1,2.02', '9,1,0.00'),
    );
  });

  it('clamps plan ends to the month end (the Q3 quarters show it)', () => {
    const files = runReference(TINY, 'q3', '--baseline', '2021Q3', '--comparison', '2022Q3');
    // s2 monthly from 2021-05-31 ends 06-30 (clamped; overflowing to 07-01 would make it paid), 30 s -> 0.50;
    // s7 has no plan in 2021Q3, 500 s -> 8.33; nobody watching was paid in 2021Q3.
    expect(files['minutes_watched_2021Q3_paid_0.csv']).toBe(lines('student_id,minutes_watched,paid_in_period', '2,0.50,0', '7,8.33,0'));
    expect(files['minutes_watched_2021Q3_paid_1.csv']).toBe(lines('student_id,minutes_watched,paid_in_period'));
    // s7 quarterly from 2022-03-31 ends 06-30 (clamped) -> unpaid, 6 s -> 0.10; s3 lifetime 3 s -> 0.05;
    // s8 monthly bought 2022-07-01 -> paid, 60 s -> 1.00.
    expect(files['minutes_watched_2022Q3_paid_0.csv']).toBe(lines('student_id,minutes_watched,paid_in_period', '7,0.10,0'));
    expect(files['minutes_watched_2022Q3_paid_1.csv']).toBe(lines('student_id,minutes_watched,paid_in_period', '3,0.05,1', '8,1.00,1'));
    expect(files['minutes_and_certificates.csv']).toBe(lines('student_id,certificates_issued,minutes_watched', '1,1,0.00'));
  });

  it('finds rows for every output in the generated default data', async () => {
    const input = path.join(scratch.dir, 'generated');
    await generateEngagementData({ students: 3000, seed: 5, outDir: input });
    const files = runReference(input, 'generated-reference');
    expect(Object.keys(files)).toHaveLength(5);
    for (const [name, text] of Object.entries(files)) expect(text.trim().split('\n').length, name).toBeGreaterThan(10);
    const certificateMinutes = files['minutes_and_certificates.csv']!.trim().split('\n').slice(1).map((row) => row.split(',')[2]);
    expect(certificateMinutes.every((value) => /^\d+\.\d{2}$/.test(value!))).toBe(true);
  }, 30_000);
});
