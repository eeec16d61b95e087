// Segmentation against sklearn (test/fixtures/mooc/make_segments_reference.py): z-scores against
// StandardScaler, k-means partitions against KMeans (equal up to renumbering, i.e. adjusted Rand
// index 1), silhouettes against silhouette_score, the chosen k, and the documented numbering rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../../lambdas/tabular/csv';
import { analyzeMoocDescriptive } from '../../../lambdas/analysis/mooc/analyze';
import { chooseKMeans, standardize } from '../../../lambdas/analysis/mooc/clusters';
import { USER_FEATURE_NAMES } from '../../../lambdas/analysis/mooc/users';
import { FIXTURES, loadOracle } from './helpers';

const reference = JSON.parse(readFileSync(join(FIXTURES, 'segments_reference.json'), 'utf8'));
const SEEDS = [42, 1, 7];

function expectClose(actual: number | null | undefined, expected: number | null, where: string): void {
  if (expected === null) {
    expect(actual ?? null, where).toBeNull();
    return;
  }
  expect(typeof actual, where).toBe('number');
  expect(Math.abs(actual! - expected), `${where}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** The same partition under some renumbering of the clusters (adjusted Rand index 1). */
function expectSamePartition(actual: readonly number[], expected: readonly number[], where: string): void {
  expect(actual.length, where).toBe(expected.length);
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(forward.get(a) ?? e, `${where}: point ${i}`).toBe(e);
    expect(backward.get(e) ?? a, `${where}: point ${i}`).toBe(a);
    forward.set(a, e);
    backward.set(e, a);
  });
}

async function csvRows(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const record of parseCsvRecords([text], 'out')) rows.push(record);
  return rows.slice(1);
}

describe('standardize and k-means on a point set with one clear partition per k', () => {
  const { points, standardized, ks, labels, silhouette, best_k: bestK } = reference.points;

  it('z-scores equal StandardScaler (population sd; a constant column becomes 0)', () => {
    const z = standardize(points);
    z.forEach((row, i) => row.forEach((v, j) => expectClose(v, standardized[i][j], `point ${i} column ${j}`)));
    expect(z.every((row) => row[3] === 0)).toBe(true);
  });

  it.each(SEEDS)('seed %i: each k gives sklearn KMeans\' partition and silhouette_score, and the best k', (seed) => {
    const z = standardize(points);
    for (const k of ks as number[]) {
      const choice = chooseKMeans(z, [k], seed);
      expect(choice.k, `k=${k}`).toBe(k);
      expectSamePartition(choice.clusters, labels[String(k)], `k=${k}`);
      expectClose(choice.silhouetteByK[String(k)], silhouette[String(k)], `silhouette k=${k}`);
    }
    expect(chooseKMeans(z, ks, seed).k).toBe(bestK);
  });
});

describe('user segments and target categories of the oracle fixture', () => {
  const ref = reference.user_segments;

  it('user features equal pandas', async () => {
    const { files } = analyzeMoocDescriptive(await loadOracle(), { seed: 42 });
    const rows = await csvRows(files['user_features.csv']!);
    expect(ref.feature_names).toEqual([...USER_FEATURE_NAMES, 'dropout']);
    expect(rows.map((row) => Number(row[0]))).toEqual(ref.users);
    rows.forEach((row, u) => row.slice(1).forEach((value, f) => expectClose(value === '' ? null : Number(value), ref.features[u][f], `user ${row[0]} ${ref.feature_names[f]}`)));
  });

  it('segmentation inputs standardize as StandardScaler does', () => {
    standardize(ref.inputs).forEach((row, i) => row.forEach((v, j) => expectClose(v, ref.standardized[i][j], `user ${ref.users[i]} input ${j}`)));
  });

  it.each(SEEDS)('seed %i: the same k, silhouettes and segments numbered by ascending drop-out rate', async (seed) => {
    const { summary, files } = analyzeMoocDescriptive(await loadOracle(), { seed });
    const segments = (summary as any).userSegments;
    expect(segments.k).toBe(ref.k);
    // Silhouettes of the k whose sklearn partition does not depend on the start.
    for (const [k, score] of Object.entries<number>(ref.silhouette)) expectClose(segments.silhouetteByK[k], score, `silhouette k=${k}`);
    const rows = await csvRows(files['user_segments.csv']!);
    expect(rows.map((row) => Number(row[0]))).toEqual(ref.users);
    expect(rows.map((row) => Number(row[1]))).toEqual(ref.segments);
    expect(segments.profiles.map((profile: { dropoutRate: number }) => profile.dropoutRate)).toEqual(ref.dropout_rates);
  });

  it('per-target figures equal pandas and categories are numbered by ascending drop-out share of last actions', async () => {
    const { summary, files } = analyzeMoocDescriptive(await loadOracle(), { seed: 42 });
    const expected = reference.target_categories;
    const rows = await csvRows(files['target_categories.csv']!);
    expect(rows.map((row) => Number(row[0]))).toEqual(expected.targets);
    const column = (name: string) => rows.map((row) => Number(row[['TARGETID', 'category', 'actions', 'users', 'mean_position', 'last_actions', 'dropout_last_actions', 'dropout_share', 'label_rate'].indexOf(name)]));
    for (const name of ['actions', 'users', 'mean_position', 'last_actions', 'dropout_last_actions', 'label_rate']) {
      column(name).forEach((value, i) => expectClose(value, expected[name][i], `target ${expected.targets[i]} ${name}`));
    }
    const k = (summary as any).targetCategories.k;
    const share = Array.from({ length: k }, (_, category) => {
      const members = rows.flatMap((row, i) => (Number(row[1]) === category ? [i] : []));
      const last = members.reduce((sum, i) => sum + expected.last_actions[i], 0);
      return last > 0 ? members.reduce((sum, i) => sum + expected.dropout_last_actions[i], 0) / last : -1;
    });
    // Ascending (categories without a last action, share -1, first); at least two different shares,
    // so the order is the rule's and not only the tie rule's.
    expect(new Set(share).size).toBeGreaterThan(1);
    expect(share).toEqual([...share].sort((a, b) => a - b));
  });
});
