// Mean silhouette coefficient (Euclidean), as sklearn.metrics.silhouette_score: how well separated
// a clustering is, from -1 to 1.

/** Mean silhouette (Euclidean) over the given points; null with fewer than two clusters. */
export function silhouette(points: readonly number[][], clusters: readonly number[]): number | null {
  return silhouettes(points, [clusters])[0]!;
}

/**
 * silhouette() of several clusterings of the same points, each distance computed once for all of
 * them (k-means for k = 2..6 would otherwise compute every distance once per k). Point i receives
 * d(i, j) in ascending j either way, so every score is bit-identical to silhouette() alone.
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
