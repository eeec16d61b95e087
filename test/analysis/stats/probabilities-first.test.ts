// The Lambda computes step 7, then step 5, then the rest (so it never holds one input beside the
// next): given that way, the statistics are the same as when computed from the cohorts at once.
import { describe, expect, it } from 'vitest';
import type { Cohort } from '../../../lambdas/tabular/cohort-file';
import { cleanCohorts, cohortFigures, computeEngagementStatistics } from '../../../lambdas/analysis/stats/engagement-statistics';
import { distinctSorted, watchProbabilities, watchProbabilitiesOfDistinct } from '../../../lambdas/analysis/stats/probabilities';

const cohort = (ids: number[], minutes: number[]): Cohort => ({
  source: 't.csv',
  studentIds: Float64Array.from(ids),
  minutes: Float64Array.from(minutes),
  paid: new Uint8Array(ids.length),
  paidColumnName: 'paid_in_period',
});
const spread = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + ((i * 37) % 23) * 3.5);
const ids = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + 2 * i);

describe('probabilities given first', () => {
  const raw = {
    baseline: { free: cohort(ids(0, 40), spread(10, 40)), paid: cohort(ids(1, 30), spread(20, 30)) },
    comparison: { free: cohort(ids(40, 50), spread(12, 50)), paid: cohort(ids(41, 20), spread(25, 20)) },
  };
  const mc = { source: 'mc.csv', studentIds: Float64Array.from(ids(0, 30)), minutes: Float64Array.from(spread(0, 30)), certificates: Float64Array.from(spread(0, 30).map((m) => Math.round(m / 40))) };
  const periods = { baseline: '2021Q2', comparison: '2022Q2' };

  it('gives byte-identical statistics', () => {
    const cohorts = cleanCohorts(raw);
    const fromRaw = computeEngagementStatistics({ periods, cohorts, minutesAndCertificates: mc }).statistics;
    const baseline = distinctSorted([raw.baseline.free.studentIds, raw.baseline.paid.studentIds]);
    const comparison = distinctSorted([raw.comparison.free.studentIds, raw.comparison.paid.studentIds]);
    const only = (c: (typeof cohorts)['baseline']) => ({ free: { removal: c.free.removal }, paid: { removal: c.paid.removal } });
    const given = computeEngagementStatistics({
      periods,
      cohorts: { baseline: only(cohorts.baseline), comparison: only(cohorts.comparison) },
      minutesAndCertificates: mc,
      probabilities: watchProbabilitiesOfDistinct(baseline, comparison),
    }).statistics;
    expect(JSON.stringify(given)).toBe(JSON.stringify(fromRaw));
    // Baseline: evens 0..78 and odds 1..59; comparison: evens 40..138 and odds 41..79. In both: evens
    // 40..78 (20) and odds 41..59 (10).
    expect(fromRaw.probabilities).toMatchObject({ n_baseline: 70, n_comparison: 70, n_both: 30, n_any: 110 });
    expect(watchProbabilities([[1, 2, 2, 3]], [[3, 4]])).toEqual(watchProbabilitiesOfDistinct(Float64Array.from([1, 2, 3]), Float64Array.from([3, 4])));
  });

  it('gives byte-identical statistics from the cohort figures and probabilities alone, without cohorts', () => {
    const cohorts = cleanCohorts(raw);
    const fromRaw = computeEngagementStatistics({ periods, cohorts, minutesAndCertificates: mc }).statistics;
    const probabilities = watchProbabilities(
      [raw.baseline.free.studentIds, raw.baseline.paid.studentIds],
      [raw.comparison.free.studentIds, raw.comparison.paid.studentIds],
    );
    const given = computeEngagementStatistics({ periods, minutesAndCertificates: mc, probabilities, cohortFigures: cohortFigures({ periods, cohorts }) }).statistics;
    expect(JSON.stringify(given)).toBe(JSON.stringify(fromRaw));
    expect(() => computeEngagementStatistics({ periods, minutesAndCertificates: mc, probabilities })).toThrow('no cohorts given');
  });

  it('refuses cohorts with neither raw ids nor probabilities', () => {
    const { baseline, comparison } = cleanCohorts(raw);
    const cohorts = { baseline: { ...baseline, free: { removal: baseline.free.removal } }, comparison };
    expect(() => computeEngagementStatistics({ periods, cohorts, minutesAndCertificates: mc })).toThrow('cohort 2021Q2_free: no raw student ids and no probabilities given');
  });
});
