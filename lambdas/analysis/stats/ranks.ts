// Ranks with ties averaged: Spearman's rho and the ROC AUC both read them.
import { sortedCopy } from './descriptive';

/**
 * Ranks 1..n with ties given their average rank (scipy.stats.rankdata 'average'). A value's tie run
 * in the sorted copy spans [first, end), so its rank is (first + 1 + end) / 2. Native typed-array sort
 * plus two binary searches per value: a comparator sort of indexes takes seconds per million rows.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const sorted = sortedCopy(values);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    ranks[i] = (lowerBound(sorted, value) + 1 + upperBound(sorted, value)) / 2;
  }
  return ranks;
}

/** First index whose value is not below `value`. */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index whose value is above `value`. */
function upperBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
