// All engagement queries over a seeded random data set, against outputs computed independently in
// Python (dateutil month arithmetic, Decimal half-up rounding): test/fixtures/sql/make_engagement_cross_check.py.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../lambdas/tabular/csv';
import { parsePeriod, resolveStudyPeriods } from '../../lambdas/analysis/periods';
import { cohortMinutesParameters, minutesAndCertificatesParameters, purchasesInfoFlagsParameters } from '../../lambdas/athena/query-parameters';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { openEngagementSql, type EngagementRows, type SqlHarness } from './engagement-sql-harness';

const FIXTURE_DIR = path.resolve(__dirname, '../fixtures/sql');
const expected = JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'engagement_cross_check.json'), 'utf8')) as {
  baseline: string;
  comparison: string;
  cohort_minutes: Record<string, string[][]>;
  purchases_info_flags: string[][];
  minutes_and_certificates: string[][];
  input_counts: string[][];
};
const periods = resolveStudyPeriods({ baseline: expected.baseline, comparison: expected.comparison });

let harness: SqlHarness;
beforeAll(async () => {
  const rows: EngagementRows = {};
  for (const table of ENGAGEMENT_TABLES) {
    const file = path.join(FIXTURE_DIR, 'engagement_cross_check', table.fileName);
    const csv = await readCsvTable([readFileSync(file, 'utf8')], file);
    expect(csv.header).toEqual(table.columns);
    rows[table.fileName.replace(/\.csv$/, '') as keyof EngagementRows] = csv.rows;
  }
  harness = await openEngagementSql(rows);
});
afterAll(async () => harness?.close());

describe('engagement queries against the independent Python computation', () => {
  it.each(Object.keys(expected.cohort_minutes))('cohort_minutes %s', async (cohort) => {
    const match = /^(\d{4}Q\d)_paid_([01])$/.exec(cohort)!;
    const table = await harness.runFile('cohort_minutes.sql', cohortMinutesParameters(parsePeriod(match[1]), Number(match[2]) as 0 | 1));
    expect(table.rows).toEqual(expected.cohort_minutes[cohort]);
  });

  it('the data holds accesses ending on a period\'s first day and starting on its last day', () => {
    const flags = expected.purchases_info_flags;
    for (const [first, last, column] of [['2021-04-01', '2021-06-30', 5], ['2022-04-01', '2022-06-30', 6]] as const) {
      expect(flags.some((row) => row[4] === first && row[column] === '1'), `ends ${first}`).toBe(true);
      expect(flags.some((row) => row[3] === last && row[column] === '1'), `starts ${last}`).toBe(true);
    }
  });

  it('purchases_info_flags', async () => {
    const table = await harness.runFile('purchases_info_flags.sql', purchasesInfoFlagsParameters(periods));
    expect(table.rows).toEqual(expected.purchases_info_flags);
  });

  it('minutes_and_certificates', async () => {
    const table = await harness.runFile('minutes_and_certificates.sql', minutesAndCertificatesParameters(periods));
    expect(table.rows).toEqual(expected.minutes_and_certificates);
  });

  it('input counts: accepted + quarantined rows per file (engagement_quality_counts) are the data rows', async () => {
    const counts = new Map<string, number>();
    for (const [file, , rows] of (await harness.runFile('engagement_quality_counts.sql')).rows) {
      const table = `raw_${file!.replace(/\.csv$/, '')}`;
      counts.set(table, (counts.get(table) ?? 0) + Number(rows));
    }
    expect([...counts].sort(([a], [b]) => a.localeCompare(b)).map(([table, rows]) => [table, String(rows)])).toEqual(expected.input_counts);
  });
});
