// Small descriptive statistics shared by the MOOC analysis. Conventions follow pandas so the figures
// can be checked against it: sample standard deviation (ddof 1), quantiles by linear interpolation.

export const SUMMARY_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9, 0.99] as const;

export interface Distribution {
  count: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  /** Keys "q0.1", "q0.25", "q0.5", "q0.75", "q0.9", "q0.99". */
  quantiles: Record<string, number | null>;
  max: number | null;
}

/** Quantile of ascending-sorted values, linear interpolation (numpy/pandas default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * fraction;
}

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sample standard deviation (n - 1); null below two values. */
export function sampleSd(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values)!;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

export function describe(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  const quantiles: Record<string, number | null> = {};
  for (const q of SUMMARY_QUANTILES) quantiles[`q${q}`] = quantileSorted(sorted, q);
  return {
    count: sorted.length,
    mean: mean(sorted),
    sd: sampleSd(sorted),
    min: sorted.length ? sorted[0]! : null,
    quantiles,
    max: sorted.length ? sorted[sorted.length - 1]! : null,
  };
}

/** Pearson correlation; null when either side is constant or there are fewer than two pairs. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = mean(x)!;
  const my = mean(y)!;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Cohen's d of b minus a with the pooled sample standard deviation; null when undefined. */
export function cohensD(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return null;
  const sa = sampleSd(a)!;
  const sb = sampleSd(b)!;
  const pooled = Math.sqrt(((na - 1) * sa * sa + (nb - 1) * sb * sb) / (na + nb - 2));
  if (pooled === 0) return null;
  return (mean(b)! - mean(a)!) / pooled;
}

/** Rank-based ROC AUC (Mann-Whitney), tied scores get their average rank; null without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++) {
      if (labels[order[j]!] === 1) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean silhouette (Euclidean) over the given points; null with fewer than two clusters. */
export function silhouette(points: readonly number[][], clusters: readonly number[]): number | null {
  return silhouettes(points, [clusters])[0]!;
}

/**
 * silhouette() of several clusterings of the same points, each distance computed once for all of
 * them (k-means for k = 2..6 used to compute every distance 10 times). Point i receives d(i, j) in
 * ascending j as before, so every score is bit-identical to silhouette() alone.
 */
export function silhouettes(points: readonly number[][], clusterings: readonly (readonly number[])[]): (number | null)[] {
  const n = points.length;
  const ks = clusterings.map((clusters) => Math.max(...clusters) + 1);
  const sizes = clusterings.map((clusters, c) => {
    const counts = new Array<number>(ks[c]!).fill(0);
    for (const cluster of clusters) counts[cluster]! += 1;
    return counts;
  });
  // sums[c][i * k + cluster]: sum of distances from point i to the points of that cluster.
  const sums = ks.map((k) => new Float64Array(n * k));
  const labels = clusterings.map((clusters) => Int32Array.from(clusters));
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    for (let j = i + 1; j < n; j++) {
      const q = points[j]!;
      let d = 0;
      for (let f = 0; f < p.length; f++) d += (p[f]! - q[f]!) ** 2;
      d = Math.sqrt(d);
      for (let c = 0; c < clusterings.length; c++) {
        const k = ks[c]!;
        const own = sums[c]!;
        own[i * k + labels[c]![j]!]! += d;
        own[j * k + labels[c]![i]!]! += d;
      }
    }
  }
  return clusterings.map((clusters, c) => {
    const k = ks[c]!;
    const size = sizes[c]!;
    if (size.filter((s) => s > 0).length < 2) return null;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const own = clusters[i]!;
      if (size[own]! <= 1) continue; // sklearn: silhouette 0 for singletons
      const row = sums[c]!.subarray(i * k, (i + 1) * k);
      const a = row[own]! / (size[own]! - 1);
      let b = Infinity;
      for (let other = 0; other < k; other++) if (other !== own && size[other]! > 0) b = Math.min(b, row[other]! / size[other]!);
      const denominator = Math.max(a, b);
      total += denominator === 0 ? 0 : (b - a) / denominator;
    }
    return total / n;
  });
}

/** Deterministic PRNG (mulberry32) so sampling is reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Maps arbitrary ids to 0..k-1 in ascending id order. */
export function denseIndex(ids: ArrayLike<number> & Iterable<number>): { index: Int32Array; ids: number[] } {
  const unique = Array.from(new Set(ids)).sort((a, b) => a - b);
  const position = new Map<number, number>();
  unique.forEach((id, i) => position.set(id, i));
  const index = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) index[i] = position.get(ids[i]!)!;
  return { index, ids: unique };
}
