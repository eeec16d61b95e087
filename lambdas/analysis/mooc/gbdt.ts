// A small gradient-boosted decision tree classifier (logistic loss, Newton leaf values, depth-wise
// trees over quantile-binned features), written here because the drop-out model has to run inside a
// Lambda without native code. Features are binned once; a split sends "bin <= threshold" left.

export interface GbdtOptions {
  iterations: number;
  learningRate: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  maxBins: number;
}

/** Gradient sum, hessian sum, row count per histogram slot. */
const HIST_FIELDS = 3;

export const DEFAULT_GBDT_OPTIONS: GbdtOptions = { iterations: 300, learningRate: 0.05, maxDepth: 3, minSamplesLeaf: 50, l2: 1, maxBins: 64 };

/** Internal node: [feature, threshold] with value <= threshold going left; leaf: value. */
export type TreeNode = { feature: number; threshold: number; left: TreeNode; right: TreeNode } | { value: number };

export interface GbdtModel {
  baseScore: number;
  learningRate: number;
  trees: TreeNode[];
  featureNames: readonly string[];
}

/**
 * Cut points of one feature over the given rows (NaN left out; it maps below all): with at most
 * maxBins distinct values, the midpoints between consecutive ones; otherwise, for b = 1..maxBins-1,
 * the value v at position floor(b / maxBins * (m - 1)) of the m sorted values, cut midway between v
 * and the next distinct value above it (none when v is the largest); repeated cuts kept once.
 */
export function binEdges(column: Float64Array, rows: Int32Array, maxBins: number): Float64Array {
  const values = new Float64Array(rows.length);
  let m = 0;
  for (const r of rows) if (!Number.isNaN(column[r]!)) values[m++] = column[r]!;
  const sorted = values.subarray(0, m).sort();
  const distinct: number[] = [];
  for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  const candidates: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) candidates.push((distinct[i - 1]! + distinct[i]!) / 2);
  } else {
    for (let b = 1; b < maxBins; b++) {
      const v = sorted[Math.floor((b / maxBins) * (m - 1))]!;
      const next = distinct.find((d) => d > v);
      if (next !== undefined) candidates.push((v + next) / 2);
    }
  }
  return Float64Array.from(new Set(candidates)).sort();
}

/** Bin index = number of edges strictly below the value (0 for NaN). */
function binOf(edges: Float64Array, value: number): number {
  if (Number.isNaN(value)) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function trainGbdt(columns: Float64Array[], featureNames: readonly string[], rows: Int32Array, labels: Uint8Array, options: GbdtOptions = DEFAULT_GBDT_OPTIONS): GbdtModel {
  const n = rows.length;
  const features = columns.length;
  const edges = columns.map((column) => binEdges(column, rows, Math.min(options.maxBins, 256)));
  const binCount = edges.map((e) => e.length + 1);
  const rowBins = new Uint8Array(n * features);
  for (let f = 0; f < features; f++) {
    const column = columns[f]!;
    for (let i = 0; i < n; i++) rowBins[i * features + f] = binOf(edges[f]!, column[rows[i]!]!);
  }
  const y = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] = labels[rows[i]!]!;
  const rate = Math.min(Math.max(positives / Math.max(n, 1), 1e-6), 1 - 1e-6);
  const baseScore = Math.log(rate / (1 - rate));
  const trees: TreeNode[] = [];
  if (positives === 0 || positives === n) return { baseScore, learningRate: options.learningRate, trees, featureNames };

  const score = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const order = new Int32Array(n);
  const maxBin = Math.max(...binCount);
  // A node's histogram: per (feature, bin) slot, gradient sum, hessian sum and row count side by side
  // (one cache line per update). Two per depth: a node's children, built while the parent is known.
  const histSize = maxBin * features * HIST_FIELDS;
  // Each row's histogram slot per feature, computed once instead of in every histogram pass.
  const rowSlots = histSize <= 0x10000 ? new Uint16Array(n * features) : new Uint32Array(n * features);
  for (let k = 0; k < n * features; k++) rowSlots[k] = ((k % features) * maxBin + rowBins[k]!) * HIST_FIELDS;
  const histograms = Array.from({ length: options.maxDepth + 1 }, () => [new Float64Array(histSize), new Float64Array(histSize)] as const);

  const leaf = (start: number, end: number): TreeNode => {
    let g = 0;
    let h = 0;
    for (let j = start; j < end; j++) {
      g += grad[order[j]!]!;
      h += hess[order[j]!]!;
    }
    const value = (-g / (h + options.l2)) * options.learningRate;
    for (let j = start; j < end; j++) score[order[j]!]! += value;
    return { value };
  };

  // One pass over the node's rows fills every feature's histogram (row-major bins keep it cache-friendly).
  const fill = (hist: Float64Array, start: number, end: number): void => {
    hist.fill(0);
    for (let j = start; j < end; j++) {
      const r = order[j]!;
      const g = grad[r]!;
      const h = hess[r]!;
      const base = r * features;
      for (let f = 0; f < features; f++) {
        const slot = rowSlots[base + f]!;
        hist[slot]! += g;
        hist[slot + 1]! += h;
        hist[slot + 2]! += 1;
      }
    }
  };

  const splits = (rows: number, depth: number): boolean => depth < options.maxDepth && rows >= 2 * options.minSamplesLeaf;

  // Grows the node over order[start, end) from its histogram and returns it; partitions order in place.
  const grow = (start: number, end: number, depth: number, hist: Float64Array): TreeNode => {
    if (!splits(end - start, depth)) return leaf(start, end);
    let totalG = 0;
    let totalH = 0;
    for (let j = start; j < end; j++) {
      totalG += grad[order[j]!]!;
      totalH += hess[order[j]!]!;
    }
    const parentGain = (totalG * totalG) / (totalH + options.l2);
    let bestGain = 1e-9;
    let bestFeature = -1;
    let bestBin = -1;
    for (let f = 0; f < features; f++) {
      const nb = binCount[f]!;
      const offset = f * maxBin * HIST_FIELDS;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let b = 0; b < nb - 1; b++) {
        const slot = offset + b * HIST_FIELDS;
        gl += hist[slot]!;
        hl += hist[slot + 1]!;
        const count = hist[slot + 2]!;
        // An empty bin splits the rows as the bin before it did; skipping it keeps the lower threshold
        // even when subtraction leaves rounding dust in the bin's sums.
        if (count === 0) continue;
        nl += count;
        const nr = end - start - nl;
        if (nl < options.minSamplesLeaf) continue;
        if (nr < options.minSamplesLeaf) break;
        const gr = totalG - gl;
        const hr = totalH - hl;
        const gain = (gl * gl) / (hl + options.l2) + (gr * gr) / (hr + options.l2) - parentGain;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestBin = b;
        }
      }
    }
    if (bestFeature < 0) return leaf(start, end);
    // Partition order[start, end) so rows with bin <= bestBin come first.
    let i = start;
    let k = end - 1;
    while (i <= k) {
      if (rowBins[order[i]! * features + bestFeature]! <= bestBin) i += 1;
      else {
        const swap = order[i]!;
        order[i] = order[k]!;
        order[k] = swap;
        k -= 1;
      }
    }
    // Histogram subtraction: only the smaller child is counted; the larger is parent minus smaller.
    const [smallHist, largeHist] = histograms[depth + 1]!;
    const leftSmaller = i - start <= end - i;
    if (splits(i - start, depth + 1) || splits(end - i, depth + 1)) {
      if (leftSmaller) fill(smallHist, start, i);
      else fill(smallHist, i, end);
      for (let s = 0; s < histSize; s++) largeHist[s] = hist[s]! - smallHist[s]!;
    }
    return {
      feature: bestFeature,
      threshold: edges[bestFeature]![bestBin]!,
      left: grow(start, i, depth + 1, leftSmaller ? smallHist : largeHist),
      right: grow(i, end, depth + 1, leftSmaller ? largeHist : smallHist),
    };
  };

  for (let iteration = 0; iteration < options.iterations; iteration++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-score[i]!));
      grad[i] = p - y[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-12);
      order[i] = i;
    }
    // grow() adds each leaf's value to the scores of the rows it holds.
    const rootHist = histograms[0]![0];
    if (splits(n, 0)) fill(rootHist, 0, n);
    trees.push(grow(0, n, 0, rootHist));
  }
  return { baseScore, learningRate: options.learningRate, trees, featureNames };
}

/** Raw margin for one row of a feature matrix given as columns. */
export function predictMargin(model: GbdtModel, columns: Float64Array[], row: number): number {
  let margin = model.baseScore;
  for (const tree of model.trees) {
    let node = tree;
    while ('feature' in node) {
      const v = columns[node.feature]![row]!;
      node = Number.isNaN(v) || v <= node.threshold ? node.left : node.right;
    }
    margin += node.value;
  }
  return margin;
}

export function predictProbability(model: GbdtModel, columns: Float64Array[], row: number): number {
  return 1 / (1 + Math.exp(-predictMargin(model, columns, row)));
}
