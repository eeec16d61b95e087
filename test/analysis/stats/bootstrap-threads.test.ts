// The worker thread's resampling must give the same differences, bit for bit, as the in-thread
// bootstrap with the seeded generator: the interval in statistics.json may not depend on whether a
// cohort was large enough to be resampled on a thread.
import { describe, expect, it } from 'vitest';
import { Random } from '../../../lambdas/analysis/random';
import { BOOTSTRAP_STREAM, bootstrapMeanDifference, bootstrapMeanDifferences } from '../../../lambdas/analysis/stats/bootstrap';
import { bootstrapDifferencesOnThread, bootstrapMeanDifferenceOnThread } from '../../../lambdas/analysis/stats/bootstrap-threads';
import { seededIndexDraw } from '../../../lambdas/analysis/stats/seeded-shuffle';
import { attachBootstraps, cohortFigures, computeEngagementStatistics, type CohortStudyInput } from '../../../lambdas/analysis/stats/engagement-statistics';
import type { PaidGroup, PeriodRole } from '../../../lambdas/contracts/period-files';

function minutes(n: number, seed: number): Float64Array {
  const random = new Random(seed);
  return Float64Array.from({ length: n }, () => Math.round(random.lognormal(3.5, 1.1) * 100) / 100);
}

describe('bootstrap on a worker thread', () => {
  it.each([
    { seed: 42, baseline: 1, comparison: 1, resamples: 5 },
    { seed: 0, baseline: 7, comparison: 3, resamples: 50 },
    { seed: 4_294_967_295, baseline: 1_000, comparison: 2_500, resamples: 30 },
    { seed: 123_456, baseline: 60_000, comparison: 45_000, resamples: 4 },
  ])('gives the in-thread differences exactly (seed $seed, $baseline vs $comparison students)', async ({ seed, baseline, comparison, resamples }) => {
    const a = minutes(baseline, seed + 1);
    const b = minutes(comparison, seed + 2);
    const inThread = bootstrapMeanDifferences(a, b, resamples, seededIndexDraw(seed, BOOTSTRAP_STREAM));
    const onThread = await bootstrapDifferencesOnThread(a, b, resamples, seed);
    expect(onThread).toHaveLength(resamples);
    expect(Array.from(onThread)).toEqual(Array.from(inThread));
  });

  it("gives the in-thread interval, and none where the in-thread bootstrap gives none", async () => {
    const a = minutes(300, 9);
    const b = minutes(280, 10);
    const inThread = bootstrapMeanDifference(a, b, { seed: 17 });
    expect(inThread).not.toBeNull();
    expect(await bootstrapMeanDifferenceOnThread(a, b, 17)).toEqual(inThread);
    expect(await bootstrapMeanDifferenceOnThread(new Float64Array(0), b, 17)).toBeNull();
  });

  it("rejects with the worker's own error when the resampling throws there", async () => {
    await expect(bootstrapDifferencesOnThread([1, 2], [3, 4], -1, 42)).rejects.toThrow(/Invalid typed array length/);
  });

  it('draws other differences for another seed', async () => {
    const a = minutes(200, 1);
    const b = minutes(200, 2);
    const first = await bootstrapDifferencesOnThread(a, b, 10, 1);
    const second = await bootstrapDifferencesOnThread(a, b, 10, 2);
    expect(Array.from(first)).not.toEqual(Array.from(second));
  });
});

describe('bootstrap intervals attached after the other figures', () => {
  /** Cohorts of the given sizes (free, paid) per period, with a note-worthy zero-variance free baseline when asked. */
  function cohortsOf(sizes: Record<PaidGroup, [number, number]>): Record<PeriodRole, Record<PaidGroup, CohortStudyInput>> {
    const cohorts = { baseline: {}, comparison: {} } as Record<PeriodRole, Record<PaidGroup, CohortStudyInput>>;
    (['free', 'paid'] as const).forEach((group, g) =>
      (['baseline', 'comparison'] as const).forEach((role, r) => {
        const n = sizes[group][r]!;
        const kept = { minutes: minutes(n, 100 + 10 * g + r) };
        cohorts[role][group] = { removal: { q: 0.99, cutoff: 1e9, nBefore: n, nAfter: n, kept }, rawStudentIds: Float64Array.from({ length: n }, (_, i) => i + 1) };
      }),
    );
    return cohorts;
  }

  const statisticsJson = (cohorts: Record<PeriodRole, Record<PaidGroup, CohortStudyInput>>, bootstraps?: Parameters<typeof cohortFigures>[3]) => {
    const mc = { source: 'mc.csv', studentIds: Float64Array.from([1, 2, 3, 4]), minutes: Float64Array.from([10, 20, 30, 45]), certificates: Float64Array.from([0, 1, 1, 2]) };
    const periods = { baseline: '2021Q2', comparison: '2022Q2' };
    return computeEngagementStatistics({ periods, cohorts, minutesAndCertificates: mc, cohortFigures: cohortFigures({ periods, cohorts }, 0.05, 11, bootstraps) }, { seed: 11 }).statistics;
  };

  it('gives statistics.json byte for byte as computed inline, an interval for one group and none (with its note) for a group over the draw budget', async () => {
    // 2,000,001 students leave fewer than the minimum resamples in the draw budget: no interval, a note.
    const cohorts = cohortsOf({ free: [1_000_001, 1_000_000], paid: [400, 350] });
    const inline = statisticsJson(cohorts);
    expect(inline.tests.free.bootstrap).toBeNull();
    expect(inline.tests.free.note).toMatch(/too many for the bootstrap's draw budget/);
    expect(inline.tests.paid.bootstrap).not.toBeNull();

    const deferred = statisticsJson(cohorts, ['free', 'paid']);
    expect(deferred.tests.paid.bootstrap).toBeNull();
    const m = (role: PeriodRole, group: PaidGroup) => cohorts[role][group].removal.kept.minutes;
    attachBootstraps(
      deferred,
      {
        free: await bootstrapMeanDifferenceOnThread(m('baseline', 'free'), m('comparison', 'free'), 11),
        paid: await bootstrapMeanDifferenceOnThread(m('baseline', 'paid'), m('comparison', 'paid'), 11),
      },
    );
    expect(JSON.stringify(deferred, null, 2)).toBe(JSON.stringify(inline, null, 2));
  });
});
