// Distributions reduced to what a chart draws, before they go into a spec. A spec carries its data
// (the dashboard embeds every spec, analysts restyle the saved .vl.json), so a chart over 50,000
// sampled students must not carry 50,000 rows: histograms carry bin counts, box plots five numbers.
import { quantileLinear } from '../../stats/descriptive';
import { Random } from '../../random';
import { markedIndexes } from '../../stats/seeded-shuffle';

export interface HistogramBin {
  /** The group the counts belong to (e.g. before/after outlier removal). */
  group: string;
  /** Bin edges in log10(value); the last bin includes its upper edge. */
  lo: number;
  hi: number;
  count: number;
}

/**
 * Counts positive values in equal-width bins of log10(value), shared by every group so overlaid
 * bars line up. Zero and negative values have no place on a log axis: they are counted apart.
 */
export function logHistogram(groups: readonly { group: string; values: readonly number[] }[], maxBins = 30): { bins: HistogramBin[]; nonPositive: number } {
  let min = Infinity;
  let max = -Infinity;
  let nonPositive = 0;
  for (const { values } of groups) {
    for (const value of values) {
      if (!(value > 0)) {
        nonPositive++;
        continue;
      }
      const log = Math.log10(value);
      if (log < min) min = log;
      if (log > max) max = log;
    }
  }
  if (min === Infinity) return { bins: [], nonPositive };
  // Edges on tenths of a decade, so labels read as round numbers.
  const start = Math.floor(min * 10) / 10;
  const end = Math.max(Math.ceil(max * 10) / 10, start + 0.1);
  const width = Math.ceil(((end - start) / maxBins) * 10) / 10;
  const binCount = Math.max(1, Math.ceil((end - start) / width - 1e-9));
  const bins: HistogramBin[] = [];
  for (const { group, values } of groups) {
    const counts = new Float64Array(binCount);
    for (const value of values) {
      if (!(value > 0)) continue;
      const index = Math.min(binCount - 1, Math.floor((Math.log10(value) - start) / width));
      counts[index]!++;
    }
    counts.forEach((count, index) => {
      if (count > 0) bins.push({ group, lo: round(start + index * width), hi: round(start + (index + 1) * width), count });
    });
  }
  return { bins, nonPositive };
}

export interface BoxSummary {
  n: number;
  /** Tukey whiskers: the furthest values within 1.5 × IQR of the quartiles. */
  lower: number;
  q1: number;
  median: number;
  q3: number;
  upper: number;
}

/** Quartiles (linear interpolation, as numpy and pandas) and Tukey whiskers of the positive values. */
export function boxSummary(values: readonly number[]): BoxSummary | undefined {
  const sorted = Float64Array.from(values.filter((value) => value > 0)).sort();
  const n = sorted.length;
  if (n === 0) return undefined;
  const q1 = quantileLinear(sorted, 0.25);
  const median = quantileLinear(sorted, 0.5);
  const q3 = quantileLinear(sorted, 0.75);
  const reach = 1.5 * (q3 - q1);
  let lower = q1;
  let upper = q3;
  for (let i = 0; i < n; i++) {
    if (sorted[i]! >= q1 - reach) {
      lower = Math.min(sorted[i]!, q1);
      break;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    if (sorted[i]! <= q3 + reach) {
      upper = Math.max(sorted[i]!, q3);
      break;
    }
  }
  return { n, lower, q1, median, q3, upper };
}

/** At most `max` items, a seeded choice kept in input order (the same items on every run). */
export function thin<T>(items: readonly T[], max: number, seed = 20261201): T[] {
  const chosen = sampleIndexes(items.length, max, seed);
  return chosen ? Array.from(chosen, (index) => items[index]!) : [...items];
}

/** `max` distinct indexes below n in ascending order, seeded; undefined when n <= max (keep all). */
export function sampleIndexes(n: number, max: number, seed = 20261201): Uint32Array | undefined {
  if (n <= max) return undefined;
  const random = new Random(seed);
  const chosen = new Uint8Array(n);
  // Floyd's algorithm: exactly `max` distinct indexes without shuffling the whole range.
  for (let j = n - max; j < n; j++) {
    const pick = random.int(j + 1);
    chosen[chosen[pick] ? j : pick] = 1;
  }
  return markedIndexes(chosen, max);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
