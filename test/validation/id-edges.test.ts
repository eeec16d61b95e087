// One rule for every id, end to end: 2^53 - 1 (9007199254740991), the largest id the checks accept,
// goes through the SQL, RemoveCohortOutliers and ComputeEngagementStatistics unchanged; 2^53 is
// quarantined by the checks with the reason naming the range, so no later step ever meets it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalWorkflow, type LocalRunResult } from '../../lib/local/local-runner';
import { writeEngagementInput } from '../sql/engagement-sql-harness';

const LARGEST = '9007199254740991';
const TOO_LARGE = '9007199254740992';
const REASON = (column: string) => `${column} is not an integer in 0..9007199254740991`;

const root = mkdtempSync(path.join(os.tmpdir(), 'id-edges-'));
let result: LocalRunResult;

const csvRows = (file: string): string[][] =>
  readFileSync(path.join(result.runDir, file), 'utf8').trimEnd().split('\n').slice(1).map((line) => line.split(','));

beforeAll(async () => {
  const others = ['11', '12', '13', '14', '15'];
  const students = [LARGEST, ...others];
  await writeEngagementInput(path.join(root, 'input'), {
    student_info: [...students.map((id) => [id, '2020-01-01']), [TOO_LARGE, '2020-01-01']],
    student_purchases: [
      // The largest id bought a month in 2022Q2; 11 and 12 a year from 2021-04-01 (paid in both periods).
      [LARGEST, LARGEST, '0', '2022-05-01', ''],
      ['1', '11', '2', '2021-04-01', ''],
      ['2', '12', '2', '2021-04-01', ''],
      [TOO_LARGE, '13', '0', '2022-05-01', ''],
    ],
    // Each student watches in both periods; the largest id watches less than 11 and 12, so outlier
    // removal (students strictly below the 0.99 quantile) keeps it.
    student_video_watched: students.flatMap((id, i) => [
      [id, LARGEST, String(300 + 60 * i), '2021-05-10'],
      [id, '1', String(id === LARGEST ? 300 : 600 + 120 * i), '2022-05-10'],
    ]),
    student_certificates: [
      [LARGEST, LARGEST, '2022-05-20'],
      ['1', '11', '2022-05-21'],
      ['2', '12', '2022-05-22'],
      ['3', '14', '2022-06-01'],
      [TOO_LARGE, '15', '2022-06-02'],
    ],
  });
  result = await runLocalWorkflow({
    inputDir: path.join(root, 'input'),
    outDir: path.join(root, 'out'),
    runId: 'id-edges',
    request: { baseline: '2021Q2', comparison: '2022Q2', options: { maxBadRowShare: 1 } },
  });
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ids at the edge of the id rule', () => {
  it('the run succeeds', () => {
    expect([result.status, result.failure]).toEqual(['succeeded', undefined]);
  });

  it('2^53 is quarantined by the checks, naming the range', () => {
    const quality = JSON.parse(readFileSync(path.join(result.runDir, 'data_quality.json'), 'utf8'));
    const reasons = Object.fromEntries(quality.files.map((file: { file: string; reasons: Record<string, number> }) => [file.file, file.reasons]));
    expect(reasons['student_info.csv']).toEqual({ [REASON('student_id')]: 1 });
    expect(reasons['student_purchases.csv']).toEqual({ [REASON('purchase_id')]: 1 });
    expect(reasons['student_certificates.csv']).toEqual({ [REASON('certificate_id')]: 1 });
    expect(reasons['student_video_watched.csv']).toEqual({});
  });

  it('2^53 - 1 reaches the period files, purchases_info and, through RemoveCohortOutliers, the cleaned cohort', () => {
    expect(csvRows('engagement/minutes_watched_2022Q2_paid_1.csv').map((row) => row[0])).toEqual(['11', '12', LARGEST]);
    expect(csvRows('engagement/minutes_watched_2022Q2_paid_1_no_outliers.csv').map((row) => row[0])).toContain(LARGEST);
    expect(csvRows('engagement/minutes_watched_2021Q2_paid_0.csv').map((row) => row[0])).toContain(LARGEST);
    expect(csvRows('engagement/purchases_info.csv').map((row) => row.slice(0, 2))).toContainEqual([LARGEST, LARGEST]);
  });

  it('2^53 - 1 reaches ComputeEngagementStatistics: counted in its cohort and predicted in the regression', () => {
    const statistics = JSON.parse(readFileSync(path.join(result.runDir, 'engagement/statistics.json'), 'utf8'));
    expect(statistics.cohorts['2022Q2_paid'].n_before).toBe(3);
    // 300 s in each period: 10.00 minutes.
    expect(csvRows('engagement/minutes_and_certificates.csv')).toContainEqual([LARGEST, '1', '10.00']);
    expect(csvRows('engagement/regression_predictions.csv').map((row) => row[0])).toContain(LARGEST);
  });
});
