// Loads one case folder of test/fixtures/stats (period files an analyst would hand in) the way the
// statistics step parses them, for the tests that compare its figures with the Python references.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCohortFile, parseMinutesAndCertificates, type Cohort } from '../../lambdas/tabular/cohort-file';
import { findPeriodFiles, type PaidGroup, type PeriodRole } from '../../lambdas/contracts/period-files';

export const STATS_FIXTURES = join(__dirname, '../fixtures/stats');

export async function loadStatsCase(name: string) {
  const folder = join(STATS_FIXTURES, name);
  const files = findPeriodFiles(readdirSync(folder));
  const read = (file: string) => [readFileSync(join(folder, file))];
  const raw = {} as Record<PeriodRole, Record<PaidGroup, Cohort>>;
  for (const role of ['baseline', 'comparison'] as const) {
    raw[role] = {
      free: await parseCohortFile(read(files.cohorts[role].free), files.cohorts[role].free),
      paid: await parseCohortFile(read(files.cohorts[role].paid), files.cohorts[role].paid),
    };
  }
  const minutesAndCertificates = await parseMinutesAndCertificates(read(files.minutesAndCertificates), files.minutesAndCertificates);
  return { files, raw, minutesAndCertificates };
}
