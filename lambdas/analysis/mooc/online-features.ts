// Causal (no look-ahead) per-action features for the drop-out model: each row's features use only
// the same user's actions up to and including that row, computed in one pass in row (= time) order.

import type { MoocActions } from '../../tabular/mooc-load';
import { denseIndex } from './dense-index';

/** Seconds of silence that start a new session. */
export const SESSION_GAP_SECONDS = 1800;

export const ONLINE_FEATURE_NAMES = [
  'feature0', 'feature1', 'feature2', 'feature3',
  'target_id',
  'actions_so_far',
  'seconds_since_first_action',
  'seconds_since_previous_action',
  'previous_target_id',
  'same_target_as_previous',
  'hour_of_day',
  'seconds_since_second_previous_action',
  'distinct_targets_so_far',
  'actions_on_this_target_so_far',
  'active_days_so_far',
  'actions_today_so_far',
  'actions_in_session_so_far',
  'session_seconds_so_far',
  'mean_gap_so_far',
  'sessions_so_far',
  'max_target_id_so_far',
] as const;

export interface OnlineFeatures {
  /** Rows held (all actions, or the rows asked for). */
  n: number;
  names: readonly string[];
  /** columns[f][i]: feature f of row i (of the i-th row asked for); -1 marks "no previous action". */
  columns: Float64Array[];
}

/**
 * Features of every action, or only of `rows` (ascending row indexes): the pass still reads every
 * action, but the model needs about a third of them, and 21 columns of all 411k rows are 69 MB.
 */
export function computeOnlineFeatures(actions: MoocActions, rows?: Int32Array): OnlineFeatures {
  const { n, timestamp, targetId } = actions;
  const user = denseIndex(actions.userId);
  const users = user.ids.length;
  const kept = rows ? rows.length : n;
  let nextKept = 0;
  const columns = ONLINE_FEATURE_NAMES.map(() => new Float64Array(kept));
  const count = new Int32Array(users);
  const firstTime = new Float64Array(users);
  const previousTime = new Float64Array(users);
  const secondPreviousTime = new Float64Array(users).fill(NaN);
  // Target ids as doubles: an id may be any integer up to 2^53 - 1 (id-rule.ts).
  const previousTarget = new Float64Array(users).fill(-1);
  const maxTarget = new Float64Array(users).fill(-1);
  const distinctTargets = new Int32Array(users);
  const lastDay = new Float64Array(users).fill(NaN);
  const activeDays = new Int32Array(users);
  const actionsToday = new Int32Array(users);
  const sessions = new Int32Array(users);
  const sessionStart = new Float64Array(users);
  const sessionActions = new Int32Array(users);
  const perUserTarget = new Map<number, number>();
  // (user, target) pairs keyed by dense indexes: user * targets + target stays an exact integer
  // whatever the ids (at most n * n), where user * (largest id + 1) + id would not.
  const targetOfRow = denseIndex(targetId);
  const targets = targetOfRow.ids.length;

  for (let i = 0; i < n; i++) {
    const u = user.index[i]!;
    const t = timestamp[i]!;
    const target = targetId[i]!;
    const first = count[u] === 0;
    const gap = first ? -1 : t - previousTime[u]!;
    const gap2 = Number.isNaN(secondPreviousTime[u]!) ? -1 : t - secondPreviousTime[u]!;
    if (first) firstTime[u] = t;
    count[u]! += 1;
    const key = u * targets + targetOfRow.index[i]!;
    const onTarget = (perUserTarget.get(key) ?? 0) + 1;
    perUserTarget.set(key, onTarget);
    if (onTarget === 1) distinctTargets[u]! += 1;
    const day = Math.floor(t / 86400);
    if (day !== lastDay[u]) {
      activeDays[u]! += 1;
      actionsToday[u] = 0;
      lastDay[u] = day;
    }
    actionsToday[u]! += 1;
    if (first || gap > SESSION_GAP_SECONDS) {
      sessions[u]! += 1;
      sessionStart[u] = t;
      sessionActions[u] = 0;
    }
    sessionActions[u]! += 1;
    if (target > maxTarget[u]!) maxTarget[u] = target;
    const sinceFirst = t - firstTime[u]!;

    const out = rows === undefined ? i : rows[nextKept] === i ? nextKept++ : -1;
    if (out >= 0) {
      let f = 0;
      for (let k = 0; k < 4; k++) columns[f++]![out] = actions.features[k]![i]!;
      columns[f++]![out] = target;
      columns[f++]![out] = count[u]!;
      columns[f++]![out] = sinceFirst;
      columns[f++]![out] = gap;
      columns[f++]![out] = previousTarget[u]!;
      columns[f++]![out] = previousTarget[u] === target ? 1 : 0;
      columns[f++]![out] = Math.floor((((t % 86400) + 86400) % 86400) / 3600);
      columns[f++]![out] = gap2;
      columns[f++]![out] = distinctTargets[u]!;
      columns[f++]![out] = onTarget;
      columns[f++]![out] = activeDays[u]!;
      columns[f++]![out] = actionsToday[u]!;
      columns[f++]![out] = sessionActions[u]!;
      columns[f++]![out] = t - sessionStart[u]!;
      columns[f++]![out] = count[u]! > 1 ? sinceFirst / (count[u]! - 1) : -1;
      columns[f++]![out] = sessions[u]!;
      columns[f++]![out] = maxTarget[u]!;
    }

    secondPreviousTime[u] = first ? NaN : previousTime[u]!;
    previousTime[u] = t;
    previousTarget[u] = target;
  }
  if (rows && nextKept !== rows.length) throw new RangeError('rows must be ascending indexes of actions');
  return { n: kept, names: ONLINE_FEATURE_NAMES, columns };
}
