// Per-cohort summaries. Sums are compensated (Neumaier) and the variance is two-pass, so cohorts
// of millions of students keep the same digits numpy gets with its pairwise sums.
import { standardNormalQuantile, studentTQuantile } from './distributions';

export type Interval = [number, number];

/** Compensated sum of values[i] (or of f(values[i]) when given). */
export function accurateSum(values: ArrayLike<number>, f?: (value: number, index: number) => number): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const value = f ? f(values[i]!, i) : values[i]!;
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return sum + compensation;
}

export function mean(values: ArrayLike<number>): number {
  return accurateSum(values) / values.length;
}

/** Sum of squared deviations from the mean. */
export function sumOfSquares(values: ArrayLike<number>, center = mean(values)): number {
  return accurateSum(values, (value) => (value - center) * (value - center));
}

/** Sample standard deviation (ddof 1); NaN below 2 values. */
export function sampleSd(values: ArrayLike<number>): number {
  if (values.length < 2) return NaN;
  return Math.sqrt(sumOfSquares(values) / (values.length - 1));
}

/** Cohen's d of b minus a with the pooled sample standard deviation; NaN below 2 values a side or with no spread. */
export function cohensD(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return NaN;
  const pooled = Math.sqrt((sumOfSquares(a) + sumOfSquares(b)) / (na + nb - 2));
  if (pooled === 0) return NaN;
  return (mean(b) - mean(a)) / pooled;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Median of values sorted ascending (mean of the two middle ones for an even count), as numpy. */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const middle = n >> 1;
  return n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Quantile of ascending values with linear interpolation between order statistics, reproducing
 * pandas' Series.quantile bit for bit: pandas passes q as a percentile (q * 100) that numpy divides
 * by 100 again, the index is (n - 1) q, and numpy's lerp interpolates from the nearer end.
 */
export function quantileLinear(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const index = quantileIndex(n, q);
  if (index >= n - 1) return sorted[n - 1]!;
  const below = Math.floor(index);
  return lerp(sorted[below]!, sorted[below + 1]!, index - below);
}

/**
 * quantileLinear of values in any order: the two order statistics it interpolates are selected
 * (on a copy) instead of sorting all the values, linear rather than n log n time. Same number.
 */
export function quantileLinearOfUnsorted(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const index = quantileIndex(n, q);
  const work = Float64Array.from(values);
  const below = Math.min(Math.floor(index), n - 1);
  selectInPlace(work, below);
  if (index >= n - 1) return work[below]!;
  // Selection leaves every value after `below` at least as large: the next order statistic is their minimum.
  let next = work[below + 1]!;
  for (let i = below + 2; i < n; i++) if (work[i]! < next) next = work[i]!;
  return lerp(work[below]!, next, index - below);
}

function quantileIndex(n: number, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be between 0 and 1, got ${q}`);
  return (n - 1) * ((q * 100) / 100);
}

function lerp(a: number, b: number, gamma: number): number {
  const difference = b - a;
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}

/**
 * Rearranges values so that values[k] is the k-th smallest (0-based), no value before it larger and
 * none after it smaller (Hoare's selection, median-of-three pivots). For numbers without NaN.
 */
export function selectInPlace(values: Float64Array, k: number): void {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const middle = (left + right) >>> 1;
    // Median of three as the pivot keeps sorted and reversed input linear.
    if (values[middle]! < values[left]!) swap(values, middle, left);
    if (values[right]! < values[left]!) swap(values, right, left);
    if (values[right]! < values[middle]!) swap(values, right, middle);
    const pivot = values[middle]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(values: Float64Array, i: number, j: number): void {
  const value = values[i]!;
  values[i] = values[j]!;
  values[j] = value;
}

export interface CohortSummary {
  n: number;
  mean: number | null;
  median: number | null;
  sd: number | null;
  ci95_t: Interval | null;
  ci95_z: Interval | null;
  notes: string[];
}

/**
 * n, mean, median, sample SD and the 95% interval of the mean, t-based (n - 1 df) and normal-based,
 * both with the standard error sd/sqrt(n). A zero SD gives the degenerate interval [mean, mean].
 * `sorted` is the values in ascending order, when the caller has them (cohorts of millions of
 * students are sorted once for the median and the rank test).
 */
export function summarizeCohort(values: ArrayLike<number>, label: string, confidence = 0.95, sorted?: ArrayLike<number>): CohortSummary {
  const n = values.length;
  const notes: string[] = [];
  if (n === 0) {
    notes.push(`cohort ${label} has no students: no mean, median or standard deviation`);
    return { n, mean: null, median: null, sd: null, ci95_t: null, ci95_z: null, notes };
  }
  const m = mean(values);
  const median = medianOfSorted(sorted ?? sortedCopy(values));
  if (n < 2) {
    notes.push(`cohort ${label} has 1 student: no standard deviation or confidence interval`);
    return { n, mean: m, median, sd: null, ci95_t: null, ci95_z: null, notes };
  }
  const sd = Math.sqrt(sumOfSquares(values, m) / (n - 1));
  const se = sd / Math.sqrt(n);
  const upperP = 1 - (1 - confidence) / 2;
  const tHalf = studentTQuantile(upperP, n - 1) * se;
  const zHalf = standardNormalQuantile(upperP) * se;
  if (sd === 0) notes.push(`cohort ${label}: every student watched the same minutes, so the intervals have width 0`);
  return { n, mean: m, median, sd, ci95_t: [m - tHalf, m + tHalf], ci95_z: [m - zHalf, m + zHalf], notes };
}
