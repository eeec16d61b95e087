// Every figure of statistics.json for the fixture cases, against pandas/scipy/statsmodels/sklearn
// (test/fixtures/stats/make_stats_reference.py).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCohortCsv, parseCohortFile, parseMinutesAndCertificates, type Cohort } from '../../../lambdas/core/stats/cohort-file';
import { cleanCohorts, computeEngagementStatistics } from '../../../lambdas/core/stats/engagement-statistics';
import { findPeriodFiles, type PaidGroup, type PeriodRole } from '../../../lambdas/core/stats/period-files';
import { seededTestMask } from '../../../lambdas/core/stats/seeded-shuffle';
import { expectClose } from './close';

const FIXTURES = join(__dirname, '../../fixtures/stats');
type Figures = Record<string, unknown>;
interface Reference {
  alpha: number;
  q: number;
  seed: number;
  test_fraction: number;
  cases: Record<string, Figures & { cohorts: Record<string, Figures>; tests: Record<string, Figures>; regression: Figures & { test_rows: number[] } }>;
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'stats_reference.json'), 'utf8')) as Reference;

const CLOSED_FORM = 1e-9;
const FROM_DISTRIBUTION = 1e-7;
const P_KEYS = /^(p_F|p_pooled|p_welch|p$|chi2_p)/;

/** Compares every numeric/boolean/string figure of `expected` present in `actual`. */
function compareFigures(actual: Figures, expected: Figures, where: string, skip: readonly string[] = []): void {
  for (const [key, value] of Object.entries(expected)) {
    if (skip.includes(key)) continue;
    const what = `${where}.${key}`;
    if (typeof value === 'number') expectClose(actual[key], value, P_KEYS.test(key) ? FROM_DISTRIBUTION : CLOSED_FORM, what);
    else if (Array.isArray(value)) (value as number[]).forEach((v, i) => expectClose((actual[key] as number[])[i], v, CLOSED_FORM, `${what}[${i}]`));
    else if (typeof value === 'boolean' || typeof value === 'string') expect(actual[key], what).toBe(value);
    else compareFigures(actual[key] as Figures, value as Figures, what);
  }
}

async function loadCase(name: string) {
  const folder = join(FIXTURES, name);
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

describe.each(Object.keys(reference.cases))('engagement statistics, case %s', (name) => {
  const expected = reference.cases[name]!;
  const run = async () => {
    const { files, raw, minutesAndCertificates } = await loadCase(name);
    const cohorts = cleanCohorts(raw, reference.q);
    const output = computeEngagementStatistics(
      { periods: files.periods, cohorts, minutesAndCertificates },
      { alpha: reference.alpha, seed: reference.seed, testFraction: reference.test_fraction },
    );
    return { files, raw, cohorts, output, statistics: JSON.parse(JSON.stringify(output.statistics)) as Figures };
  };

  it('finds the periods from the file names', async () => {
    const { files } = await run();
    expect(files.periods).toEqual(expected.periods);
  });

  it('removes outliers like pandas and keeps input order in the cleaned file', async () => {
    const { statistics, cohorts, files } = await run();
    for (const [label, figures] of Object.entries(expected.cohorts)) {
      const role: PeriodRole = label.startsWith(files.periods.baseline) ? 'baseline' : 'comparison';
      const group: PaidGroup = label.endsWith('_paid') ? 'paid' : 'free';
      const kept = cohorts[role][group].removal.kept;
      expect(Array.from(kept.studentIds), `${label} kept students`).toEqual(figures.kept_student_ids);
      expect((statistics.cohorts as Record<string, Figures>)[label]!.cutoff, `${label} cutoff`).toBe(figures.cutoff);
      const reread = await parseCohortFile([formatCohortCsv(kept)], `${label}_no_outliers.csv`);
      expect(reread.paidColumnName).toBe(kept.paidColumnName);
      expect(Array.from(reread.minutes)).toEqual(Array.from(kept.minutes));
      expect(Array.from(reread.studentIds)).toEqual(Array.from(kept.studentIds));
    }
  });

  it('summarises each cohort', async () => {
    const { statistics } = await run();
    for (const [label, figures] of Object.entries(expected.cohorts)) {
      compareFigures((statistics.cohorts as Record<string, Figures>)[label]!, figures, `cohorts.${label}`, ['kept_student_ids', 'ci95_t_scipy_interval']);
    }
  });

  it('tests each group between the periods', async () => {
    const { statistics } = await run();
    for (const group of ['free', 'paid']) {
      const actual = (statistics.tests as Record<string, Figures>)[group]!;
      compareFigures(actual, expected.tests[group]!, `tests.${group}`);
      const conclusion = actual.conclusion as string;
      expect(conclusion).toMatch(expected.tests[group]!.reject_h0 ? /watched more in .*: engagement rose\.$/ : /did not watch significantly more .*: no evidence that engagement rose\.$/);
      expect(conclusion).toContain(expected.tests[group]!.chosen === 'pooled' ? 'pooled t-test' : 'Welch t-test');
    }
  });

  it('correlates minutes and certificates', async () => {
    const { statistics } = await run();
    compareFigures(statistics.correlation as Figures, expected.correlation as Figures, 'correlation');
  });

  it('computes the watch probabilities and the independence test', async () => {
    const { statistics } = await run();
    compareFigures(statistics.probabilities as Figures, expected.probabilities as Figures, 'probabilities');
  });

  it('splits with the seeded shuffle and regresses like statsmodels and sklearn', async () => {
    const { statistics, output } = await run();
    const n = (expected.regression.full as Figures).n as number;
    const testRows = [...seededTestMask(n, reference.test_fraction, reference.seed).entries()].filter(([, v]) => v === 1).map(([i]) => i);
    expect(testRows).toEqual(expected.regression.test_rows);
    compareFigures(statistics.regression as Figures, expected.regression, 'regression', ['test_rows']);
    const csv = [...output.predictionsCsvChunks()].join('');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('student_id,minutes_watched,actual,predicted,split');
    expect(lines.length - 1).toBe(n);
    expect(lines.filter((line) => line.endsWith(',test')).length).toBe(expected.regression.test_rows.length);
  });

  it('writes JSON without NaN or Infinity and with the exact top-level keys', async () => {
    const { statistics } = await run();
    expect(Object.keys(statistics)).toEqual(expect.arrayContaining(['periods', 'cohorts', 'tests', 'correlation', 'probabilities', 'regression']));
    expect(JSON.stringify(statistics)).not.toMatch(/NaN|Infinity/);
  });
});
