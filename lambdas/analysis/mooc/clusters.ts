// Target categories and user segments: seeded k-means (ml-kmeans) on standardized profiles, k chosen by
// the mean silhouette. Clusters are renumbered by ascending drop-out so the numbering is meaningful.

import { kmeans } from 'ml-kmeans';
import type { MoocActions } from '../../tabular/mooc-load';
import { RESULT_FILES } from '../../contracts/result-files';
import { USER_FEATURE_NAMES, type UserTable } from './users';
import { mulberry32 } from '../random';
import { mean, sumOfSquares } from '../stats/descriptive';
import { silhouettes } from '../stats/silhouette';

export interface ClusterChoice {
  k: number;
  clusters: number[];
  silhouetteByK: Record<string, number | null>;
  silhouetteSample: number;
  notes: string[];
}

/** Column-wise z-scores with the population sd (as sklearn's StandardScaler); constant columns become 0. */
export function standardize(rows: number[][]): number[][] {
  if (rows.length === 0) return [];
  const d = rows[0]!.length;
  const columns = Array.from({ length: d }, (_, j) => Float64Array.from(rows, (r) => r[j]!));
  // Constant is decided on the values, not on sd > 0: the mean of a constant column can miss the
  // value by rounding, leaving a tiny sd that would turn every value into -1 or 1.
  const constant = columns.map((column) => column.every((v) => v === column[0]));
  const mu = columns.map((column) => mean(column));
  const sd = columns.map((column, j) => Math.sqrt(sumOfSquares(column, mu[j]) / rows.length));
  return rows.map((r) => r.map((v, j) => (!constant[j] && sd[j]! > 0 ? (v - mu[j]!) / sd[j]! : 0)));
}

/**
 * k-means from this many seeded k-means++ starts, keeping the partition with the lowest within-cluster
 * sum of squares (sklearn's n_init). One start often stops in a local optimum: on the test fixture's
 * users, k = 2 from seed 42 ends at 135.0 where the best partition has 115.5.
 */
export const KMEANS_STARTS = 10;

function bestOfStarts(points: number[][], k: number, seed: number): number[] {
  let best: { clusters: number[]; withinSumOfSquares: number } | undefined;
  for (let start = 0; start < KMEANS_STARTS; start++) {
    const { clusters, centroids } = kmeans(points, k, { seed: seed + start, initialization: 'kmeans++', maxIterations: 100 });
    let withinSumOfSquares = 0;
    points.forEach((p, i) => p.forEach((v, f) => (withinSumOfSquares += (v - centroids[clusters[i]!]![f]!) ** 2)));
    // Strictly lower: equal partitions from later starts keep the first one's numbering.
    if (best === undefined || withinSumOfSquares < best.withinSumOfSquares) best = { clusters, withinSumOfSquares };
  }
  return best!.clusters;
}

/** Runs k-means (best of KMEANS_STARTS starts) for each k and keeps the best mean silhouette (computed on a seeded sample when large). */
export function chooseKMeans(points: number[][], ks: number[], seed: number, maxSilhouettePoints = 2000): ClusterChoice {
  const notes: string[] = [];
  const distinct = new Set(points.map((p) => p.join(','))).size;
  const silhouetteByK: Record<string, number | null> = {};
  let sample = points.map((_, i) => i);
  if (points.length > maxSilhouettePoints) {
    const random = mulberry32(seed);
    for (let i = sample.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [sample[i], sample[j]] = [sample[j]!, sample[i]!];
    }
    sample = sample.slice(0, maxSilhouettePoints).sort((a, b) => a - b);
    notes.push(`silhouette computed on a seeded sample of ${maxSilhouettePoints} of ${points.length} points`);
  }
  const runs: { k: number; clusters: number[] }[] = [];
  for (const k of ks) {
    if (k >= distinct) silhouetteByK[String(k)] = null;
    else runs.push({ k, clusters: bestOfStarts(points, k, seed) });
  }
  const scores = silhouettes(
    sample.map((i) => points[i]!),
    runs.map((run) => sample.map((i) => run.clusters[i]!)),
  );
  let best: { k: number; clusters: number[]; score: number } | null = null;
  for (let r = 0; r < runs.length; r++) {
    const { k, clusters } = runs[r]!;
    const score = scores[r]!;
    silhouetteByK[String(k)] = score;
    if (score !== null && (best === null || score > best.score)) best = { k, clusters, score };
  }
  if (best === null) {
    notes.push(`fewer distinct points (${distinct}) than needed for k in ${ks.join(',')}: everything is one cluster`);
    return { k: 1, clusters: points.map(() => 0), silhouetteByK, silhouetteSample: sample.length, notes };
  }
  return { k: best.k, clusters: best.clusters, silhouetteByK, silhouetteSample: sample.length, notes };
}

/** Renumbers clusters 0..k-1 by ascending key (ties by old number). */
function renumber(clusters: number[], k: number, key: (cluster: number) => number): number[] {
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => key(a) - key(b) || a - b);
  const map = new Map(order.map((old, i) => [old, i]));
  return clusters.map((c) => map.get(c)!);
}

export const TARGET_CATEGORY_COLUMNS = RESULT_FILES.moocTargetCategories.columns;

export function targetCategories(actions: MoocActions, users: UserTable, seed: number) {
  const stats = new Map<number, { actions: number; users: Set<number>; positionSum: number; last: number; dropLast: number; labels: number }>();
  for (let i = 0; i < actions.n; i++) {
    const t = actions.targetId[i]!;
    let s = stats.get(t);
    if (!s) stats.set(t, (s = { actions: 0, users: new Set(), positionSum: 0, last: 0, dropLast: 0, labels: 0 }));
    const u = users.userOfRow[i]!;
    const length = users.features.n_actions[u]!;
    s.actions += 1;
    s.users.add(u);
    // Normalized position in the user's sequence: 0 first action, 1 last (0 for single-action users).
    s.positionSum += length > 1 ? users.positionOfRow[i]! / (length - 1) : 0;
    s.labels += actions.label[i]!;
  }
  users.lastRow.forEach((row, u) => {
    const s = stats.get(actions.targetId[row]!)!;
    s.last += 1;
    s.dropLast += users.dropout[u]!;
  });
  const ids = Array.from(stats.keys()).sort((a, b) => a - b);
  const overallDrop = users.dropout.reduce((a, b) => a + b, 0) / Math.max(users.ids.length, 1);
  const table = ids.map((t) => {
    const s = stats.get(t)!;
    return {
      target: t,
      actions: s.actions,
      users: s.users.size,
      meanPosition: s.positionSum / s.actions,
      lastActions: s.last,
      dropoutLastActions: s.dropLast,
      dropoutShare: s.last > 0 ? s.dropLast / s.last : null,
      labelRate: s.labels / s.actions,
    };
  });
  // Profile: popularity (log actions), mean position, drop-out share of last actions (overall rate when none).
  const points = standardize(table.map((r) => [Math.log1p(r.actions), r.meanPosition, r.dropoutShare ?? overallDrop]));
  const choice = chooseKMeans(points, [3, 4, 5, 6], seed);
  const k = choice.k;
  const dropOfCluster = (c: number) => {
    let last = 0;
    let drop = 0;
    table.forEach((r, i) => {
      if (choice.clusters[i] === c) {
        last += r.lastActions;
        drop += r.dropoutLastActions;
      }
    });
    return last > 0 ? drop / last : -1;
  };
  const clusters = renumber(choice.clusters, k, dropOfCluster);
  const categories = Array.from({ length: k }, (_, c) => {
    const members = table.filter((_, i) => clusters[i] === c);
    const sum = (f: (r: (typeof table)[number]) => number) => members.reduce((a, r) => a + f(r), 0);
    const last = sum((r) => r.lastActions);
    return {
      category: c,
      targets: members.length,
      actions: sum((r) => r.actions),
      meanPopularity: members.length ? sum((r) => r.actions) / members.length : null,
      meanPosition: members.length ? sum((r) => r.meanPosition) / members.length : null,
      lastActions: last,
      dropoutLastActions: sum((r) => r.dropoutLastActions),
      dropoutShareOfLastActions: last > 0 ? sum((r) => r.dropoutLastActions) / last : null,
      labelRate: sum((r) => r.actions) > 0 ? sum((r) => r.labelRate * r.actions) / sum((r) => r.actions) : null,
    };
  });
  const rows = table.map((r, i) => [r.target, clusters[i]!, r.actions, r.users, r.meanPosition, r.lastActions, r.dropoutLastActions, r.dropoutShare, r.labelRate]);
  return {
    summary: {
      profile: `standardized [log(1 + actions), mean normalized position in users' sequences, drop-out share of the last actions on the target]; k-means (ml-kmeans), best of ${KMEANS_STARTS} seeded k-means++ starts; categories numbered by ascending drop-out share`,
      k,
      silhouetteByK: choice.silhouetteByK,
      categories,
      notes: choice.notes,
    },
    rows,
  };
}

export const USER_SEGMENT_COLUMNS = RESULT_FILES.moocUserSegments.columns;
export const USER_FEATURE_COLUMNS = RESULT_FILES.moocUserFeatures.columns;

/** Segmentation inputs: log scales for the skewed counts and durations; mean gap 0 for one-action users. */
function segmentationPoint(users: UserTable, u: number): number[] {
  const f = users.features;
  const gap = f.mean_gap_seconds[u]!;
  return [
    Math.log1p(f.n_actions[u]!),
    f.active_days[u]!,
    Math.log1p(f.span_seconds[u]!),
    Math.log1p(Number.isNaN(gap) ? 0 : gap),
    f.distinct_targets[u]!,
    f.feature0_mean[u]!,
    f.feature1_mean[u]!,
    f.feature2_mean[u]!,
    f.feature3_mean[u]!,
  ];
}

export function userSegments(users: UserTable, seed: number) {
  const nUsers = users.ids.length;
  const points = standardize(Array.from({ length: nUsers }, (_, u) => segmentationPoint(users, u)));
  const choice = chooseKMeans(points, [2, 3, 4, 5, 6], seed);
  const rate = (c: number) => {
    let n = 0;
    let d = 0;
    choice.clusters.forEach((x, u) => {
      if (x === c) {
        n += 1;
        d += users.dropout[u]!;
      }
    });
    return n ? d / n : -1;
  };
  const segments = renumber(choice.clusters, choice.k, rate);
  const profiles = Array.from({ length: choice.k }, (_, s) => {
    const members = segments.flatMap((x, u) => (x === s ? [u] : []));
    const featureMeans: Record<string, number | null> = {};
    for (const name of USER_FEATURE_NAMES) {
      const values = members.map((u) => users.features[name][u]!).filter((v) => !Number.isNaN(v));
      featureMeans[name] = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    }
    const dropouts = members.reduce((a, u) => a + users.dropout[u]!, 0);
    return { segment: s, users: members.length, dropouts, dropoutRate: members.length ? dropouts / members.length : null, featureMeans };
  });
  const f = users.features;
  return {
    summary: {
      inputs: `standardized [log(1+n_actions), active_days, log(1+span_seconds), log(1+mean_gap_seconds) (0 for one action), distinct_targets, feature0..3 means]; k-means (ml-kmeans), best of ${KMEANS_STARTS} seeded k-means++ starts; segments numbered by ascending drop-out rate`,
      k: choice.k,
      silhouetteByK: choice.silhouetteByK,
      silhouetteSample: choice.silhouetteSample,
      profiles,
      notes: choice.notes,
    },
    segmentRows: users.ids.map((id, u) => [id, segments[u]!]),
    featureRows: users.ids.map((id, u) => [id, ...USER_FEATURE_NAMES.map((name) => (Number.isNaN(f[name][u]!) ? null : f[name][u]!)), users.dropout[u]!]),
  };
}
