// Percentile bootstrap 95% interval of the difference in mean minutes (comparison - baseline).
// It makes no normality assumption, which the heavy-tailed minutes strain for the t interval.
// Each resample draws n values with replacement from each period independently, with indexes from
// the seeded generator, so a run's interval is the same on every re-run with the same seed.
import { quantileLinear } from './descriptive';
import { seededIndexDraw, type IndexDraw } from './seeded-shuffle';
import type { BootstrapInterval } from '../../contracts/engagement-statistics';

/** Resamples per interval: the ends' Monte-Carlo error is then a few percent of the interval's width. */
export const BOOTSTRAP_RESAMPLES = 2000;
/**
 * At most this many draws (resamples x students) per comparison, so millions of students cost seconds,
 * not minutes: larger cohorts get fewer resamples, never fewer than MIN_BOOTSTRAP_RESAMPLES.
 */
export const BOOTSTRAP_DRAW_BUDGET = 400_000_000;
export const MIN_BOOTSTRAP_RESAMPLES = 200;
/** The generator's stream for the bootstrap: other uses of the run's seed (the train/test split) use stream 0. */
export const BOOTSTRAP_STREAM = 7;

export type { BootstrapInterval };

export interface BootstrapOptions {
  seed: number;
  resamples?: number;
  /** The index source; by default the seeded generator. Tests pass a fixed sequence. */
  draw?: IndexDraw;
}

/** Mean of `n` values drawn with replacement from `values`. */
function resampledMean(values: ArrayLike<number>, draw: IndexDraw): number {
  const n = values.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[draw(n)]!;
  return sum / n;
}

/** Resamples that fit the draw budget, or 0 when even the minimum would not. */
export function bootstrapResamplesFor(students: number, wanted = BOOTSTRAP_RESAMPLES): number {
  const affordable = Math.floor(BOOTSTRAP_DRAW_BUDGET / Math.max(1, students));
  const resamples = Math.min(wanted, affordable);
  return resamples >= MIN_BOOTSTRAP_RESAMPLES ? resamples : 0;
}

/** Resamples the bootstrap of two periods' minutes gets: 0 (no interval) when either is empty or the budget allows too few. */
export function bootstrapResamplesOf(baseline: ArrayLike<number>, comparison: ArrayLike<number>): number {
  return baseline.length === 0 || comparison.length === 0 ? 0 : bootstrapResamplesFor(baseline.length + comparison.length);
}

/** The differences of resampled means, baseline drawn before comparison in each resample. */
export function bootstrapMeanDifferences(baseline: ArrayLike<number>, comparison: ArrayLike<number>, resamples: number, draw: IndexDraw): Float64Array {
  const differences = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const before = resampledMean(baseline, draw);
    differences[r] = resampledMean(comparison, draw) - before;
  }
  return differences;
}

export function bootstrapMeanDifference(baseline: ArrayLike<number>, comparison: ArrayLike<number>, options: BootstrapOptions): BootstrapInterval | null {
  if (baseline.length === 0 || comparison.length === 0) return null;
  const resamples = options.resamples ?? bootstrapResamplesOf(baseline, comparison);
  if (resamples === 0) return null;
  const draw = options.draw ?? seededIndexDraw(options.seed, BOOTSTRAP_STREAM);
  return bootstrapIntervalOf(bootstrapMeanDifferences(baseline, comparison, resamples, draw), options.seed);
}

/** The percentile interval of resampled differences (sorted here, in place). */
export function bootstrapIntervalOf(differences: Float64Array, seed: number): BootstrapInterval {
  const sorted = differences.sort();
  return {
    method: 'percentile bootstrap, each period resampled with replacement',
    seed,
    resamples: differences.length,
    mean_difference_ci95: [quantileLinear(sorted, 0.025), quantileLinear(sorted, 0.975)],
  };
}
