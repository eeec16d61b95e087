import { describe, expect, it } from 'vitest';
import { binEdges, trainGbdt, type GbdtOptions, type TreeNode } from '../../../lambdas/analysis/mooc/gbdt';
import { mulberry32 } from '../../../lambdas/analysis/random';

const OPTIONS: GbdtOptions = { iterations: 15, learningRate: 0.1, maxDepth: 3, minSamplesLeaf: 20, l2: 1, maxBins: 16 };

/** Seeded rows: a continuous, a discrete, a mostly-missing and a noise feature; label from a logistic model. */
function data(n: number) {
  const random = mulberry32(7);
  const columns = [0, 1, 2, 3].map(() => new Float64Array(n));
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    columns[0]![i] = random() * 10;
    columns[1]![i] = Math.floor(random() * 5);
    columns[2]![i] = random() < 0.7 ? NaN : random();
    columns[3]![i] = random();
    const margin = -2 + 0.4 * columns[0]![i]! - 0.5 * columns[1]![i]! + (Number.isNaN(columns[2]![i]!) ? 1 : 0);
    labels[i] = random() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
  }
  return { columns, labels, rows: Int32Array.from({ length: n }, (_, i) => i) };
}

/** The same trees grown the slow way: every node's histogram counted from its own rows, no subtraction. */
function referenceTrees(columns: Float64Array[], labels: Uint8Array, o: GbdtOptions): TreeNode[] {
  const n = labels.length;
  const edges = columns.map((column) => binEdges(column, Int32Array.from({ length: n }, (_, i) => i), o.maxBins));
  const bin = columns.map((column, f) => Int32Array.from(column, (v) => (Number.isNaN(v) ? 0 : edges[f]!.filter((e) => e < v).length)));
  const rate = labels.reduce((s, y) => s + y, 0) / n;
  const score = new Float64Array(n).fill(Math.log(rate / (1 - rate)));
  const trees: TreeNode[] = [];
  for (let it = 0; it < o.iterations; it++) {
    const p = Array.from(score, (s) => 1 / (1 + Math.exp(-s)));
    const g = p.map((pi, i) => pi - labels[i]!);
    const h = p.map((pi) => Math.max(pi * (1 - pi), 1e-12));
    const sum = (rows: number[], v: number[]) => rows.reduce((s, r) => s + v[r]!, 0);
    const grow = (rows: number[], depth: number): TreeNode => {
      const G = sum(rows, g);
      const H = sum(rows, h);
      let best = { gain: 1e-9, f: -1, b: -1 };
      if (depth < o.maxDepth && rows.length >= 2 * o.minSamplesLeaf) {
        columns.forEach((_, f) => {
          const hist = Array.from({ length: edges[f]!.length + 1 }, () => ({ g: 0, h: 0, n: 0 }));
          for (const r of rows) {
            hist[bin[f]![r]!]!.g += g[r]!;
            hist[bin[f]![r]!]!.h += h[r]!;
            hist[bin[f]![r]!]!.n += 1;
          }
          let gl = 0, hl = 0, nl = 0;
          for (let b = 0; b < hist.length - 1; b++) {
            gl += hist[b]!.g;
            hl += hist[b]!.h;
            nl += hist[b]!.n;
            if (nl < o.minSamplesLeaf || rows.length - nl < o.minSamplesLeaf) continue;
            const gain = (gl * gl) / (hl + o.l2) + ((G - gl) * (G - gl)) / (H - hl + o.l2) - (G * G) / (H + o.l2);
            if (gain > best.gain) best = { gain, f, b };
          }
        });
      }
      if (best.f < 0) {
        const value = (-G / (H + o.l2)) * o.learningRate;
        for (const r of rows) score[r]! += value;
        return { value };
      }
      const left = rows.filter((r) => bin[best.f]![r]! <= best.b);
      const right = rows.filter((r) => bin[best.f]![r]! > best.b);
      return { feature: best.f, threshold: edges[best.f]![best.b]!, left: grow(left, depth + 1), right: grow(right, depth + 1) };
    };
    trees.push(grow(Array.from({ length: n }, (_, i) => i), 0));
  }
  return trees;
}

function expectSameTree(actual: TreeNode, expected: TreeNode, path: string): void {
  if ('value' in expected) {
    expect('value' in actual, `${path} is a leaf`).toBe(true);
    expect((actual as { value: number }).value, path).toBeCloseTo(expected.value, 12);
    return;
  }
  expect(actual, path).toMatchObject({ feature: expected.feature, threshold: expected.threshold });
  const node = actual as Extract<TreeNode, { feature: number }>;
  expectSameTree(node.left, expected.left, `${path}L`);
  expectSameTree(node.right, expected.right, `${path}R`);
}

describe('trainGbdt', () => {
  it('grows the trees a per-node histogram count grows (histogram subtraction changes nothing)', () => {
    const { columns, labels, rows } = data(3000);
    const model = trainGbdt(columns, ['a', 'b', 'c', 'd'], rows, labels, OPTIONS);
    const expected = referenceTrees(columns, labels, OPTIONS);
    expect(model.trees).toHaveLength(OPTIONS.iterations);
    expect(model.trees.some((tree) => 'feature' in tree && 'feature' in tree.left)).toBe(true); // depth > 1 reached
    model.trees.forEach((tree, t) => expectSameTree(tree, expected[t]!, `tree ${t} `));
  });
});
