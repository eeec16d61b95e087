// Per-user aggregates over the whole history (descriptive, not causal): the basis of the drop-off,
// correlation and segmentation figures and of user_features.csv.

import type { MoocActions } from '../../tabular/mooc-load';
import { denseIndex } from './dense-index';
import { MOOC_USER_FEATURES } from '../../contracts/result-files';

/** The per-user figures; the columns of user_features.csv are the catalogue's (contracts/result-files.ts). */
export const USER_FEATURE_NAMES = MOOC_USER_FEATURES;

export type UserFeatureName = (typeof USER_FEATURE_NAMES)[number];

export interface UserTable {
  /** USERID of each dense user index, ascending. */
  ids: number[];
  /** Dense user index of each action row. */
  userOfRow: Int32Array;
  firstRow: Int32Array;
  lastRow: Int32Array;
  /** Position of each row in its user's sequence, 0-based. */
  positionOfRow: Int32Array;
  /** features[name][u]; mean_gap_seconds is NaN for users with one action. */
  features: Record<UserFeatureName, Float64Array>;
  /** 1 when the user's last action carries LABEL 1. */
  dropout: Uint8Array;
}

/** cleanFeatures: the preprocessed FEATUREk columns (imputed and winsorized) to average per user. */
export function buildUserTable(actions: MoocActions, cleanFeatures: Float64Array[]): UserTable {
  const { n, timestamp, targetId, label } = actions;
  const { index: userOfRow, ids } = denseIndex(actions.userId);
  const users = ids.length;
  const firstRow = new Int32Array(users).fill(-1);
  const lastRow = new Int32Array(users);
  const positionOfRow = new Int32Array(n);
  const count = new Float64Array(users);
  const activeDays = new Float64Array(users);
  const lastDay = new Float64Array(users).fill(NaN);
  const sums = cleanFeatures.map(() => new Float64Array(users));
  const seenTargets = new Set<number>();
  // (user, target) pairs keyed by dense indexes, exact whatever the ids (see online-features.ts).
  const targetOfRow = denseIndex(targetId);
  const targets = targetOfRow.ids.length;
  const distinct = new Float64Array(users);
  for (let i = 0; i < n; i++) {
    const u = userOfRow[i]!;
    if (firstRow[u] === -1) firstRow[u] = i;
    lastRow[u] = i;
    positionOfRow[i] = count[u]!;
    count[u]! += 1;
    const day = Math.floor(timestamp[i]! / 86400);
    if (day !== lastDay[u]) {
      activeDays[u]! += 1;
      lastDay[u] = day;
    }
    const key = u * targets + targetOfRow.index[i]!;
    if (!seenTargets.has(key)) {
      seenTargets.add(key);
      distinct[u]! += 1;
    }
    for (let k = 0; k < sums.length; k++) sums[k]![u]! += cleanFeatures[k]![i]!;
  }
  const span = new Float64Array(users);
  const meanGap = new Float64Array(users);
  const dropout = new Uint8Array(users);
  for (let u = 0; u < users; u++) {
    span[u] = timestamp[lastRow[u]!]! - timestamp[firstRow[u]!]!;
    meanGap[u] = count[u]! > 1 ? span[u]! / (count[u]! - 1) : NaN;
    dropout[u] = label[lastRow[u]!]!;
  }
  const means = sums.map((sum) => sum.map((s, u) => s / count[u]!));
  return {
    ids,
    userOfRow,
    firstRow,
    lastRow,
    positionOfRow,
    features: {
      n_actions: count,
      active_days: activeDays,
      span_seconds: span,
      mean_gap_seconds: meanGap,
      distinct_targets: distinct,
      feature0_mean: means[0]!,
      feature1_mean: means[1]!,
      feature2_mean: means[2]!,
      feature3_mean: means[3]!,
    },
    dropout,
  };
}
