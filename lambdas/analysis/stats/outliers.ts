// Step 4: drop each cohort's heaviest viewers, those at or above the q quantile of minutes watched.
import type { Cohort } from '../../tabular/cohort-file';
import { sortedCopy } from './descriptive';

/**
 * Quantile of ascending values with linear interpolation between order statistics, reproducing
 * pandas' Series.quantile bit for bit: pandas passes q as a percentile (q * 100) that numpy divides
 * by 100 again, the index is (n - 1) q, and numpy's lerp interpolates from the nearer end.
 */
export function quantileLinear(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be between 0 and 1, got ${q}`);
  const quantile = (q * 100) / 100;
  const index = (n - 1) * quantile;
  if (index >= n - 1) return sorted[n - 1]!;
  const below = Math.floor(index);
  const gamma = index - below;
  const a = sorted[below]!;
  const b = sorted[below + 1]!;
  const difference = b - a;
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}

export interface OutlierRemoval {
  q: number;
  /** The q quantile of the cohort; null for an empty cohort. */
  cutoff: number | null;
  nBefore: number;
  nAfter: number;
  /** Students strictly below the cutoff, in input order. */
  kept: Cohort;
}

export function removeOutliers(cohort: Cohort, q = 0.99): OutlierRemoval {
  const nBefore = cohort.minutes.length;
  if (nBefore === 0) return { q, cutoff: null, nBefore, nAfter: 0, kept: cohort };
  const cutoff = quantileLinear(sortedCopy(cohort.minutes), q);
  let nAfter = 0;
  for (let i = 0; i < nBefore; i++) if (cohort.minutes[i]! < cutoff) nAfter += 1;
  const studentIds = new Float64Array(nAfter);
  const minutes = new Float64Array(nAfter);
  const paid = new Uint8Array(nAfter);
  let next = 0;
  for (let i = 0; i < nBefore; i++) {
    if (cohort.minutes[i]! < cutoff) {
      studentIds[next] = cohort.studentIds[i]!;
      minutes[next] = cohort.minutes[i]!;
      paid[next] = cohort.paid[i]!;
      next += 1;
    }
  }
  return { q, cutoff, nBefore, nAfter, kept: { ...cohort, studentIds, minutes, paid } };
}
