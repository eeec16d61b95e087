// Degenerate inputs: figures that cannot exist come out as null with a note, never NaN or a crash.
import { describe, expect, it } from 'vitest';
import type { Cohort, MinutesAndCertificates } from '../../../lambdas/tabular/cohort-file';
import { summarizeCohort } from '../../../lambdas/analysis/stats/descriptive';
import { cleanCohorts, cohortFigures, computeEngagementStatistics } from '../../../lambdas/analysis/stats/engagement-statistics';
import { compareCohortPeriods } from '../../../lambdas/analysis/stats/hypothesis';
import { bootstrapResamplesFor } from '../../../lambdas/analysis/stats/bootstrap';
import { quantileLinear } from '../../../lambdas/analysis/stats/descriptive';
import { removeOutliers } from '../../../lambdas/analysis/stats/outliers';
import { watchProbabilities } from '../../../lambdas/analysis/stats/probabilities';

function cohort(ids: number[], minutes: number[], paid: 0 | 1 = 0): Cohort {
  return { source: 'test.csv', studentIds: Float64Array.from(ids), minutes: Float64Array.from(minutes), paid: new Uint8Array(ids.length).fill(paid), paidColumnName: 'paid_in_period' };
}
function certificates(minutes: number[], issued: number[]): MinutesAndCertificates {
  return { source: 'mc.csv', studentIds: Float64Array.from(minutes.map((_, i) => i + 1)), minutes: Float64Array.from(minutes), certificates: Float64Array.from(issued) };
}
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const spread = (count: number) => Array.from({ length: count }, (_, i) => 10 + ((i * 37) % 23) * 3.5);
const labels = { group: 'Paid students', baseline: '2021Q2', comparison: '2022Q2' };

function run(raw: Parameters<typeof cleanCohorts>[0], mc: MinutesAndCertificates) {
  const statistics = computeEngagementStatistics({ periods: { baseline: '2021Q2', comparison: '2022Q2' }, cohorts: cleanCohorts(raw), minutesAndCertificates: mc }).statistics;
  expect(JSON.stringify(statistics)).not.toMatch(/NaN|Infinity/);
  return statistics;
}

describe('quantile and outliers', () => {
  it('interpolates linearly between order statistics ((n-1) q, as numpy)', () => {
    expect(quantileLinear([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileLinear([5, 5, 5, 5, 5, 100], 0.99)).toBeCloseTo(5 + 0.95 * 95, 12);
    expect(quantileLinear([7], 0.99)).toBe(7);
  });
  it('a cohort of 1 student or of equal minutes loses everyone (all are >= the cutoff), with a note', () => {
    expect(removeOutliers(cohort([1], [30])).nAfter).toBe(0);
    const statistics = run(
      { baseline: { free: cohort([1], [30]), paid: cohort([2, 3, 4], [8, 8, 8], 1) }, comparison: { free: cohort(range(10, 20), spread(20)), paid: cohort(range(40, 20), spread(20), 1) } },
      certificates([0, 10, 20], [0, 1, 1]),
    );
    expect(statistics.cohorts['2021Q2_free']).toMatchObject({ n_before: 1, cutoff: 30, n_after: 0, mean: null, sd: null, ci95_t: null });
    expect(statistics.cohorts['2021Q2_paid']).toMatchObject({ n_before: 3, cutoff: 8, n_after: 0, mean: null });
    expect(statistics.cohorts['2021Q2_paid']!.note).toMatch(/all 3 students are at or above the cutoff 8/);
    expect(statistics.tests.free).toMatchObject({ t_pooled: null, t_welch: null, chosen: null, reject_h0: null });
    expect(statistics.tests.free.note).toMatch(/2021Q2 has 0 students/);
    expect(statistics.tests.free.conclusion).toMatch(/could not be compared between 2021Q2 and 2022Q2/);
  });
  it('a cohort of 0 students has no cutoff', () => {
    expect(removeOutliers(cohort([], []))).toMatchObject({ cutoff: null, nBefore: 0, nAfter: 0 });
  });
});

describe('cohort summaries', () => {
  it('1 student: mean and median, no SD or interval', () => {
    const summary = summarizeCohort([42], '2021Q2_paid');
    expect(summary).toMatchObject({ n: 1, mean: 42, median: 42, sd: null, ci95_t: null, ci95_z: null });
    expect(summary.notes.join()).toBe('cohort 2021Q2_paid has 1 student: no standard deviation or confidence interval');
  });
  it('zero variance: SD 0 and a zero-width interval', () => {
    const summary = summarizeCohort([5, 5, 5, 5, 5], 'c');
    expect(summary).toMatchObject({ mean: 5, median: 5, sd: 0, ci95_t: [5, 5], ci95_z: [5, 5] });
    expect(summary.notes.join()).toMatch(/width 0/);
  });
});

describe('period comparison with zero variance', () => {
  const varied = [10, 14, 9, 20, 17, 11];
  it('one period constant: F = 0, p_F = 0, Welch chosen with df = n - 1 of the other period', () => {
    const result = compareCohortPeriods([5, 5, 5, 5], varied, labels);
    const m = varied.reduce((a, b) => a + b) / varied.length;
    const v = varied.reduce((a, b) => a + (b - m) ** 2, 0) / (varied.length - 1);
    expect(result).toMatchObject({ F: 0, p_F: 0, chosen: 'welch', df_welch: varied.length - 1 });
    expect(result.t_welch).toBeCloseTo((5 - m) / Math.sqrt(v / varied.length), 12);
    expect(result.reject_h0).toBe(true);
    expect(result.cohens_d).toBeGreaterThan(0);
  });
  it('comparison constant: F infinite is reported as null with p_F 0 and a note', () => {
    const result = compareCohortPeriods(varied, [5, 5, 5], labels);
    expect(result).toMatchObject({ F: null, p_F: 0, chosen: 'welch', reject_h0: false });
    expect(result.notes.join()).toMatch(/zero variance, so F is infinite/);
  });
  it('both periods constant: no t-test, no effect size, a clear conclusion', () => {
    const result = compareCohortPeriods([5, 5, 5], [7, 7], labels);
    expect(result).toMatchObject({ F: null, p_F: null, t_pooled: null, t_welch: null, cohens_d: null, chosen: null, reject_h0: null });
    expect(result.notes.join()).toMatch(/zero variance in both periods/);
    expect(result.conclusion).toMatch(/could not be tested/);
  });
});

describe('no certificates and a period without viewers', () => {
  it('constant certificates: correlation and R² null with notes, the line is flat', () => {
    const statistics = run(
      { baseline: { free: cohort(range(1, 30), spread(30)), paid: cohort(range(100, 10), spread(10), 1) }, comparison: { free: cohort([], []), paid: cohort([], [], 1) } },
      certificates([0, 5, 12, 40, 80, 100, 3], [0, 0, 0, 0, 0, 0, 0]),
    );
    expect(statistics.correlation).toMatchObject({ n: 7, pearson: null, pearson_ci95: null, p: null, spearman: null });
    expect(statistics.correlation.note).toMatch(/same certificates_issued/);
    expect(statistics.regression.full).toMatchObject({ slope: 0, intercept: 0, r2: null, se_slope: 0 });
    expect(statistics.regression.prediction).toEqual({ minutes: 1200, certificates: 0 });
    expect(statistics.regression.note).toMatch(/R² is undefined/);
    // Each null of the split has its note too.
    expect(statistics.regression.split.r2_train).toBeNull();
    expect(statistics.regression.note).toContain('every training student has the same certificates_issued: train R² is undefined');

    // The comparison period had no viewers at all.
    expect(statistics.probabilities).toMatchObject({
      n_baseline: 40,
      n_comparison: 0,
      n_both: 0,
      n_any: 40,
      p_baseline: 1,
      p_comparison: 0,
      p_both: 0,
      p_product: 0,
      chi2_p: null,
      independent: null,
      p_baseline_given_comparison: null,
      p_comparison_given_baseline: 0,
    });
    expect(statistics.probabilities.note).toMatch(/no student watched in the comparison period/);
    expect(statistics.tests.paid.note).toMatch(/2022Q2 has 0 students/);
  });
  it('no viewers in either period and an empty certificates table', () => {
    const empty = { free: cohort([], []), paid: cohort([], [], 1) };
    const statistics = run({ baseline: empty, comparison: empty }, certificates([], []));
    expect(statistics.probabilities).toMatchObject({ n_any: 0, p_baseline: null, p_both: null, chi2_p: null });
    expect(statistics.correlation.note).toMatch(/at least 3 students/);
    expect(statistics.regression.full).toMatchObject({ n: 0, slope: null, intercept: null });
    expect(statistics.regression.prediction.certificates).toBeNull();
  });
  it('the structural zero: among viewers, both-period watching is always below the product unless a period holds everyone', () => {
    const result = watchProbabilities([[1, 2, 3, 4]], [[3, 4, 5]]);
    expect(result.p_both! - result.p_product!).toBeCloseTo(-(1 - result.p_baseline!) * (1 - result.p_comparison!), 15);
  });
});

describe('two-sided reading, rank test and bootstrap at the edges', () => {
  const labels = { group: 'Free students', baseline: '2021Q2', comparison: '2022Q2' };
  it('both periods constant: no test, so no CI, significance or effect size; the rank test still sees every comparison student ahead', () => {
    const result = compareCohortPeriods([5, 5, 5], [7, 7], labels);
    expect(result).toMatchObject({ mean_difference: 2, direction: 'rose', mean_difference_ci95: null, p_two_sided: null, significant_change: null, effect_size: null, rank_test_agrees: null });
    expect(result.mann_whitney).toMatchObject({ u: 6, rank_biserial: 1 });
  });
  it('every student tied: the rank test has no variance and reports no p', () => {
    const result = compareCohortPeriods([5, 5, 5], [5, 5], labels);
    expect(result.direction).toBe('unchanged');
    expect(result.mann_whitney).toMatchObject({ u: 3, z: null, p_two_sided: null, rank_biserial: 0 });
  });
  it('the bootstrap keeps to its draw budget: fewer resamples for millions of students, none beyond', () => {
    expect(bootstrapResamplesFor(100_000)).toBe(2000);
    expect(bootstrapResamplesFor(1_000_000)).toBe(400);
    expect(bootstrapResamplesFor(2_000_000)).toBe(200);
    expect(bootstrapResamplesFor(2_000_001)).toBe(0);
  });
});

describe('the bootstrap follows the run seed', () => {
  it('cohortFigures passes its seed to each comparison: same seed same interval, another seed another', () => {
    const periods = { baseline: '2021Q2', comparison: '2022Q2' };
    const cohort = (shift: number) => ({ removal: { q: 0.99, cutoff: 1e9, nBefore: 60, nAfter: 60, kept: { minutes: Float64Array.from({ length: 60 }, (_, i) => ((i * 37) % 50) + shift) } } });
    const cohorts = { baseline: { free: cohort(0), paid: cohort(5) }, comparison: { free: cohort(3), paid: cohort(9) } };
    const seven = cohortFigures({ periods, cohorts }, 0.05, 7).tests.free.bootstrap!;
    expect(seven.seed).toBe(7);
    expect(cohortFigures({ periods, cohorts }, 0.05, 7).tests.free.bootstrap).toEqual(seven);
    expect(cohortFigures({ periods, cohorts }, 0.05, 8).tests.free.bootstrap!.mean_difference_ci95).not.toEqual(seven.mean_difference_ci95);
  });
});
