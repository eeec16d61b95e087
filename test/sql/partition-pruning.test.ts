// The period queries read only their periods' partitions of the curated watch table: a file that is not
// Parquet at all, put in another quarter's partition of the same run, breaks any query that reads
// it, yet the period queries still answer (and a query without the partition filter fails).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod, resolveStudyPeriods } from '../../lambdas/analysis/periods';
import { cohortMinutesParameters, minutesAndCertificatesParameters } from '../../lambdas/athena/query-parameters';
import { HARNESS_RUN_ID, openEngagementSql, type SqlHarness } from './engagement-sql-harness';

let harness: SqlHarness;
beforeAll(async () => {
  harness = await openEngagementSql({
    student_video_watched: [
      ['1', '100', '120', '2021-05-01'],
      ['2', '100', '60', '2021-08-01'],
    ],
  });
});
afterAll(async () => harness?.close());

describe('partition pruning of the cohort query', () => {
  it('curates each row into the partition of its date', async () => {
    const table = await harness.runSql(
      `SELECT student_id, year, quarter FROM curated_student_video_watched WHERE run_id = '${HARNESS_RUN_ID}' ORDER BY student_id`,
    );
    expect(table.rows).toEqual([
      ['1', '2021', '2'],
      ['2', '2021', '3'],
    ]);
  });

  it('does not read another quarter\'s files', async () => {
    const otherQuarter = path.join(harness.dir, 'curated', 'curated_student_video_watched', `run_id=${HARNESS_RUN_ID}`, 'year=2021', 'quarter=3');
    mkdirSync(otherQuarter, { recursive: true });
    writeFileSync(path.join(otherQuarter, 'not-parquet.parquet'), 'this is not a Parquet file');
    // The broken file is read by a query that needs that quarter...
    await expect(harness.runSql('-- all views\nSELECT count(*) AS n FROM student_video_watched')).rejects.toThrow(/not-parquet|Parquet/i);
    // ...and not by the cohort query of 2021Q2, which filters on year and quarter.
    const table = await harness.runFile('cohort_minutes.sql', cohortMinutesParameters(parsePeriod('2021Q2'), 0));
    expect(table.rows).toEqual([['1', '2.00', '0']]);
  });
});

describe('partition pruning of minutes_and_certificates', () => {
  let pruned: SqlHarness;
  beforeAll(async () => {
    pruned = await openEngagementSql({
      student_video_watched: [
        ['1', '100', '120', '2021-05-01'],
        ['1', '100', '60', '2022-05-01'],
      ],
      student_certificates: [['10', '1', '2022-05-02']],
    });
    // Broken files only after the real ones in name order: DuckDB takes the schema from the first file
    // it lists (Athena takes it from Glue), which is not what this test is about.
    for (const [year, quarter] of [['2022', '3'], ['2023', '1']]) {
      for (const table of ['curated_student_video_watched', 'curated_student_certificates']) {
        const dir = path.join(pruned.dir, 'curated', table, `run_id=${HARNESS_RUN_ID}`, `year=${year}`, `quarter=${quarter}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'not-parquet.parquet'), 'this is not a Parquet file');
      }
    }
  });
  afterAll(async () => pruned?.close());

  it('reads only the baseline and comparison partitions', async () => {
    const periods = resolveStudyPeriods({ baseline: '2021Q2', comparison: '2022Q2' });
    const table = await pruned.runFile('minutes_and_certificates.sql', minutesAndCertificatesParameters(periods));
    expect(table.rows).toEqual([['1', '1', '3.00']]);
    await expect(pruned.runSql('-- all certificates\nSELECT count(*) AS n FROM student_certificates')).rejects.toThrow(/Parquet|magic/i);
  });
});
