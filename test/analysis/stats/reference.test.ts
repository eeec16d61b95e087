// Every figure of statistics.json for the fixture cases, against pandas/scipy/statsmodels/sklearn
// (test/fixtures/stats/make_stats_reference.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCohortCsv, parseCohortFile } from '../../../lambdas/tabular/cohort-file';
import { cleanCohorts, computeEngagementStatistics } from '../../../lambdas/analysis/stats/engagement-statistics';
import { type PaidGroup, type PeriodRole } from '../../../lambdas/contracts/period-files';
import { seededTestMask } from '../../../lambdas/analysis/stats/seeded-shuffle';
import { bootstrapMeanDifference, bootstrapMeanDifferences } from '../../../lambdas/analysis/stats/bootstrap';
import { expectClose } from './close';
import { loadStatsCase } from '../../support/stats-case';

const FIXTURES = join(__dirname, '../../fixtures/stats');
type Figures = Record<string, unknown>;
interface Reference {
  alpha: number;
  q: number;
  seed: number;
  test_fraction: number;
  cases: Record<string, Figures & { cohorts: Record<string, Figures>; tests: Record<string, Figures & { bootstrap_reference: BootstrapReference }>; regression: Figures & { test_rows: number[] } }>;
  bootstrap_tiny: { baseline: number[]; comparison: number[]; resamples: number; differences: number[]; ci95: [number, number] };
}
interface BootstrapReference {
  resamples: number;
  ci95: [number, number];
  sd_of_ends: [number, number];
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'stats_reference.json'), 'utf8')) as Reference;

const CLOSED_FORM = 1e-9;
const FROM_DISTRIBUTION = 1e-7;
const P_KEYS = /^(p_F|p_pooled|p_welch|p_two_sided|p$|chi2_p)/;

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


describe.each(Object.keys(reference.cases))('engagement statistics, case %s', (name) => {
  const expected = reference.cases[name]!;
  const run = async () => {
    const { files, raw, minutesAndCertificates } = await loadStatsCase(name);
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
      compareFigures(actual, expected.tests[group]!, `tests.${group}`, ['bootstrap_reference']);
      const conclusion = actual.conclusion as string;
      const want = expected.tests[group]!;
      expect(conclusion).toMatch(
        want.significant_change ? new RegExp(`engagement ${want.direction} significantly from`) : /no significant change in engagement from/,
      );
      expect(conclusion).toContain(`(${want.effect_size})`);
      expect(conclusion).toContain(want.chosen === 'pooled' ? 'pooled t-test' : 'Welch t-test');
    }
  });

  it("bootstraps the mean difference: each end within 4 standard deviations of a 2000-resample end from numpy's bootstrap", async () => {
    const { statistics } = await run();
    for (const group of ['free', 'paid']) {
      const bootstrap = (statistics.tests as Record<string, { bootstrap: { resamples: number; mean_difference_ci95: [number, number] } }>)[group]!.bootstrap;
      const reference = expected.tests[group]!.bootstrap_reference;
      expect(bootstrap.resamples).toBe(reference.resamples);
      // sd_of_ends is the spread of a 2000-resample interval's ends over 200 numpy repeats; the
      // 40,000-resample reference's own error is about sqrt(2000/40000) of it. Four SDs: a correct
      // resampler strays that far about once in 16,000 intervals, a wrong one (e.g. the wrong
      // period resampled, or a t interval) by many more.
      for (const end of [0, 1] as const) {
        const allowed = 4 * reference.sd_of_ends[end] * Math.sqrt(1 + 2000 / 40000);
        expect(Math.abs(bootstrap.mean_difference_ci95[end] - reference.ci95[end]), `${group} end ${end}: ${bootstrap.mean_difference_ci95[end]} vs ${reference.ci95[end]}`).toBeLessThanOrEqual(allowed);
      }
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

  it("measures each student's pull on the line with Cook's distance like statsmodels", async () => {
    const { statistics } = await run();
    compareFigures((statistics.regression as Figures).influence as Figures, (expected.regression as Figures).influence as Figures, 'regression.influence');
  });

  it('writes JSON without NaN or Infinity and with the exact top-level keys', async () => {
    const { statistics } = await run();
    expect(Object.keys(statistics)).toEqual(expect.arrayContaining(['periods', 'cohorts', 'tests', 'correlation', 'probabilities', 'regression']));
    expect(JSON.stringify(statistics)).not.toMatch(/NaN|Infinity/);
  });
});

describe('bootstrap resampling on a fixed index sequence', () => {
  it('resamples baseline then comparison, with replacement, and takes numpy percentiles of the differences', () => {
    const tiny = reference.bootstrap_tiny;
    let k = 0;
    const draw = (n: number): number => (7 * k++ + 3) % n;
    const differences = bootstrapMeanDifferences(tiny.baseline, tiny.comparison, tiny.resamples, draw);
    Array.from(differences).forEach((d, i) => expectClose(d, tiny.differences[i]!, 1e-12, `difference ${i}`));
    k = 0;
    const interval = bootstrapMeanDifference(tiny.baseline, tiny.comparison, { seed: 1, resamples: tiny.resamples, draw });
    interval!.mean_difference_ci95.forEach((end, i) => expectClose(end, tiny.ci95[i]!, 1e-12, `ci95[${i}]`));
  });

  it('gives the same interval for the same seed and another for another seed', () => {
    const baseline = Array.from({ length: 50 }, (_, i) => (i * 37) % 23);
    const comparison = Array.from({ length: 40 }, (_, i) => (i * 11) % 29);
    const once = bootstrapMeanDifference(baseline, comparison, { seed: 5 });
    expect(bootstrapMeanDifference(baseline, comparison, { seed: 5 })).toEqual(once);
    expect(bootstrapMeanDifference(baseline, comparison, { seed: 6 })!.mean_difference_ci95).not.toEqual(once!.mean_difference_ci95);
  });
});
