// The statistics steps hold no per-row JavaScript objects: each runs, as its Lambda would, in its own
// process on 800,000 students per cohort with the JavaScript heap capped at 48 MB. Typed arrays live
// outside that heap, so the cap catches per-row objects: one file's 800,000 {id, minutes, paid}
// objects need about 40 MB of heap beside the ~15 MB of loaded modules, and fail here (checked by
// swapping such a reader in); typed columns need about 20 MB of heap whatever the size. Peak RSS and
// time are measured by `npm run bench -- --cohort-students N`, not asserted here. The statistics step
// also writes engagement_study.xlsx (millions of rows through exceljs), hence the generous timeout.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatisticsChildInput, StatisticsChildReport } from '../../bench/statistics-child';
import { writeStatisticsInput } from '../../bench/statistics-data';
import type { CohortOutlierRecord } from '../../lambdas/contracts/state-payloads';

const STUDENTS = 800_000;
const HEAP_MB = 48;
const RUN_ID = 'memory';
const ROOT = path.resolve(__dirname, '../..');

let resultsDir = '';

async function runStep(input: StatisticsChildInput): Promise<StatisticsChildReport> {
  const child = path.join(ROOT, 'bench', 'statistics-child.ts');
  const { stdout } = await promisify(execFile)(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', child, JSON.stringify(input)], {
    cwd: ROOT,
    maxBuffer: 16 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as StatisticsChildReport;
}

describe(`statistics steps on ${STUDENTS.toLocaleString('en-US')} students per cohort with a ${HEAP_MB} MB heap`, () => {
  beforeAll(async () => {
    resultsDir = await mkdtemp(path.join(os.tmpdir(), 'statistics-memory-'));
    await writeStatisticsInput(path.join(resultsDir, RUN_ID), STUDENTS, STUDENTS, 42);
  });
  afterAll(async () => {
    if (resultsDir) await rm(resultsDir, { recursive: true, force: true });
  });

  it('RemoveCohortOutliers x4 then ComputeEngagementStatistics complete', async () => {
    const outliers: CohortOutlierRecord[] = [];
    for (let cohort = 0; cohort < 4; cohort++) {
      const report = await runStep({ step: 'RemoveCohortOutliers', resultsDir, runId: RUN_ID, cohort });
      const record = report.result as CohortOutlierRecord;
      expect(record.nBefore).toBe(STUDENTS);
      // Strictly below the 0.99 quantile of continuous minutes: 99% of the students, give or take ties.
      expect(record.nAfter).toBeGreaterThan(0.985 * STUDENTS);
      expect(record.nAfter).toBeLessThan(0.991 * STUDENTS);
      outliers.push(record);
    }
    await runStep({ step: 'ComputeEngagementStatistics', resultsDir, runId: RUN_ID, outliers });
    const statistics = JSON.parse(await readFile(path.join(resultsDir, RUN_ID, 'engagement', 'statistics.json'), 'utf8'));
    // By construction of the input: 2N students watched in each period, N of them in both.
    expect(statistics.probabilities).toMatchObject({ n_baseline: 2 * STUDENTS, n_comparison: 2 * STUDENTS, n_both: STUDENTS, n_any: 3 * STUDENTS });
    expect(statistics.correlation.n).toBe(STUDENTS);
    expect(statistics.regression.split).toMatchObject({ n_train: 0.8 * STUDENTS, n_test: 0.2 * STUDENTS });
  }, 600_000);
});
