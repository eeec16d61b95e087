// The worker thread's resampling must give the same differences, bit for bit, as the in-thread
// bootstrap with the seeded generator: the interval in statistics.json may not depend on whether a
// cohort was large enough to be resampled on a thread.
import { describe, expect, it } from 'vitest';
import { Random } from '../../../lambdas/analysis/random';
import { BOOTSTRAP_STREAM, bootstrapMeanDifference, bootstrapMeanDifferences } from '../../../lambdas/analysis/stats/bootstrap';
import { bootstrapDifferencesOnThread, bootstrapMeanDifferenceOnThread } from '../../../lambdas/analysis/stats/bootstrap-threads';
import { seededIndexDraw } from '../../../lambdas/analysis/stats/seeded-shuffle';

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

  it('draws other differences for another seed', async () => {
    const a = minutes(200, 1);
    const b = minutes(200, 2);
    const first = await bootstrapDifferencesOnThread(a, b, 10, 1);
    const second = await bootstrapDifferencesOnThread(a, b, 10, 2);
    expect(Array.from(first)).not.toEqual(Array.from(second));
  });
});
