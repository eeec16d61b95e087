// Exploration, time, preprocessing, drop-off and correlation figures of the MOOC actions.

import type { MoocActions } from '../../tabular/mooc-load';
import { USER_FEATURE_NAMES, type UserTable } from './users';
import { RESULT_FILES } from '../../contracts/result-files';
import { cohensD, mean, quantileLinear, sampleSd } from '../stats/descriptive';
import { pearsonR } from '../stats/correlation';

export const SECONDS_PER_DAY = 86400;
export const WINSOR_QUANTILES = [0.001, 0.999] as const;
export const SUMMARY_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9, 0.99] as const;

/** The JSON writes null where a figure is undefined (no values, no spread); the numerics give NaN there. */
const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

export interface Distribution {
  count: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  /** Keys "q0.1", "q0.25", "q0.5", "q0.75", "q0.9", "q0.99" (pandas' linear quantiles). */
  quantiles: Record<string, number | null>;
  max: number | null;
}

/** count, mean, sample SD (ddof 1), min, quantiles and max, as pandas' describe; null where undefined. */
export function describe(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  const quantiles: Record<string, number | null> = {};
  for (const q of SUMMARY_QUANTILES) quantiles[`q${q}`] = orNull(quantileLinear(sorted, q));
  return {
    count: sorted.length,
    mean: orNull(mean(sorted)),
    sd: orNull(sampleSd(sorted)),
    min: sorted.length ? sorted[0]! : null,
    quantiles,
    max: sorted.length ? sorted[sorted.length - 1]! : null,
  };
}

export interface FeaturePreprocessing {
  feature: string;
  missing: number;
  imputedWith: number | null;
  lowerBound: number | null;
  upperBound: number | null;
  clippedLow: number;
  clippedHigh: number;
}

export interface PreprocessingReport {
  rule: string;
  features: FeaturePreprocessing[];
}

/** Median-imputes missing FEATUREk values, then winsorizes at the 0.1% / 99.9% quantiles. */
export function preprocessFeatures(actions: MoocActions): { clean: Float64Array[]; report: PreprocessingReport } {
  const clean: Float64Array[] = [];
  const features: FeaturePreprocessing[] = [];
  actions.features.forEach((column, k) => {
    const present = column.filter((v) => !Number.isNaN(v)).sort();
    const median = orNull(quantileLinear(present, 0.5));
    const lower = orNull(quantileLinear(present, WINSOR_QUANTILES[0]));
    const upper = orNull(quantileLinear(present, WINSOR_QUANTILES[1]));
    const out = new Float64Array(column.length);
    let clippedLow = 0;
    let clippedHigh = 0;
    for (let i = 0; i < column.length; i++) {
      let v = column[i]!;
      if (Number.isNaN(v)) v = median ?? 0;
      else if (lower !== null && v < lower) {
        v = lower;
        clippedLow += 1;
      } else if (upper !== null && v > upper) {
        v = upper;
        clippedHigh += 1;
      }
      out[i] = v;
    }
    clean.push(out);
    features.push({ feature: `FEATURE${k}`, missing: column.length - present.length, imputedWith: median, lowerBound: lower, upperBound: upper, clippedLow, clippedHigh });
  });
  return {
    clean,
    report: {
      rule:
        'Missing or non-numeric FEATUREk values are replaced by the median of the feature; values below the 0.1% or above the 99.9% quantile (linear interpolation over the present values) are clipped to it (winsorized). The cleaned values feed the user-level feature means, the stay/drop comparison and the segmentation; the drop-out model uses the raw values (its trees split on ranks, so clipping would not change them).',
      features,
    },
  };
}

export function exploration(actions: MoocActions, users: UserTable) {
  const targets = new Map<number, number>();
  for (const t of actions.targetId) targets.set(t, (targets.get(t) ?? 0) + 1);
  const dropouts = users.dropout.reduce((a, b) => a + b, 0);
  let labelOnes = 0;
  for (const l of actions.label) labelOnes += l;
  const nUsers = users.ids.length;
  return {
    actions: actions.n,
    users: nUsers,
    targets: targets.size,
    actionsPerUser: describe(users.features.n_actions),
    actionsPerTarget: describe(Array.from(targets.values())),
    dropout: {
      dropoutUsers: dropouts,
      stayingUsers: nUsers - dropouts,
      rate: nUsers > 0 ? dropouts / nUsers : null,
      labelOneRows: labelOnes,
      labelOneRowsNotLastAction: labelOnes - dropouts,
    },
    activeSpanSeconds: describe(users.features.span_seconds),
    activeSpanDays: describe(users.features.span_seconds.map((s) => s / SECONDS_PER_DAY)),
  };
}

export const DAILY_ACTIVITY_COLUMNS = RESULT_FILES.moocDailyActivity.columns;

/** Rows per day from the first to the last day of the data (days without actions included as zeros). */
export function dailyActivity(actions: MoocActions, users: UserTable): number[][] {
  if (actions.n === 0) return [];
  const dayOf = (i: number) => Math.floor(actions.timestamp[i]! / SECONDS_PER_DAY);
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let i = 0; i < actions.n; i++) {
    minDay = Math.min(minDay, dayOf(i));
    maxDay = Math.max(maxDay, dayOf(i));
  }
  const days = maxDay - minDay + 1;
  const counts = new Float64Array(days);
  const dropouts = new Float64Array(days);
  const activeUsers = Array.from({ length: days }, () => new Set<number>());
  for (let i = 0; i < actions.n; i++) {
    const d = dayOf(i) - minDay;
    counts[d]! += 1;
    activeUsers[d]!.add(users.userOfRow[i]!);
  }
  users.lastRow.forEach((row, u) => {
    if (users.dropout[u] === 1) dropouts[dayOf(row) - minDay]! += 1;
  });
  return Array.from({ length: days }, (_, d) => [d + minDay, counts[d]!, activeUsers[d]!.size, dropouts[d]!]);
}

// act-mooc timestamps are seconds from the start of the data: the day of a 7-day cycle can be
// counted, a calendar weekday cannot, so nothing here is called a weekday.
export const HOUR_CYCLE_DAY_COLUMNS = RESULT_FILES.moocHourCycleDayActivity.columns;

/** hour = floor((t mod 86400) / 3600); cycle_day = day mod 7 with day 0 the first day of the clock. */
export function timeFeatures(actions: MoocActions, users: UserTable): { rows: number[][]; summary: Record<string, unknown> } {
  const cells = 7 * 24;
  const counts = new Float64Array(cells);
  const cellUsers = Array.from({ length: cells }, () => new Set<number>());
  const sincePrevious: number[] = [];
  const sinceFirst = new Float64Array(actions.n);
  const byHour = new Float64Array(24);
  const byCycleDay = new Float64Array(7);
  for (let i = 0; i < actions.n; i++) {
    const t = actions.timestamp[i]!;
    const day = Math.floor(t / SECONDS_PER_DAY);
    const hour = Math.floor((((t % SECONDS_PER_DAY) + SECONDS_PER_DAY) % SECONDS_PER_DAY) / 3600);
    const cycleDay = ((day % 7) + 7) % 7;
    counts[cycleDay * 24 + hour]! += 1;
    cellUsers[cycleDay * 24 + hour]!.add(users.userOfRow[i]!);
    byHour[hour]! += 1;
    byCycleDay[cycleDay]! += 1;
    const u = users.userOfRow[i]!;
    sinceFirst[i] = t - actions.timestamp[users.firstRow[u]!]!;
  }
  // Previous action of the same user: rows are walked per user via positions.
  const previousTime = new Float64Array(users.ids.length).fill(NaN);
  for (let i = 0; i < actions.n; i++) {
    const u = users.userOfRow[i]!;
    if (!Number.isNaN(previousTime[u]!)) sincePrevious.push(actions.timestamp[i]! - previousTime[u]!);
    previousTime[u] = actions.timestamp[i]!;
  }
  const rows: number[][] = [];
  for (let w = 0; w < 7; w++) for (let h = 0; h < 24; h++) rows.push([w, h, counts[w * 24 + h]!, cellUsers[w * 24 + h]!.size]);
  return {
    rows,
    summary: {
      definitions:
        'TIMESTAMP is seconds from the start of the data: hour = floor((TIMESTAMP mod 86400) / 3600) of that clock; cycle_day = floor(TIMESTAMP / 86400) mod 7, day 0 = the first day of the data (not a calendar weekday, which the data cannot give)',
      actionsByHour: Array.from(byHour),
      actionsByCycleDay: Array.from(byCycleDay),
      secondsSincePreviousAction: describe(sincePrevious),
      secondsSinceFirstAction: describe(sinceFirst),
    },
  };
}

/** Quartile 1..4 of a value given the 25/50/75% cut points: Q1 <= q25 < Q2 <= q50 < Q3 <= q75 < Q4. */
function quartileOf(value: number, cuts: number[]): number {
  let q = 1;
  for (const cut of cuts) if (value > cut) q += 1;
  return q;
}

export function dropOff(actions: MoocActions, users: UserTable, topTargets = 10) {
  const nUsers = users.ids.length;
  const dropIdx: number[] = [];
  const stayIdx: number[] = [];
  for (let u = 0; u < nUsers; u++) (users.dropout[u] === 1 ? dropIdx : stayIdx).push(u);
  const pick = (values: Float64Array, idx: number[]) => idx.map((u) => values[u]!);
  const notes: string[] = [];
  if (dropIdx.length === 0) notes.push('No user drops out: drop-out figures are null.');
  if (stayIdx.length === 0) notes.push('Every user drops out: stay/drop comparisons are null.');

  const nActions = users.features.n_actions;
  const sortedCounts = Float64Array.from(nActions).sort();
  const cuts = [0.25, 0.5, 0.75].map((q) => (sortedCounts.length > 0 ? quantileLinear(sortedCounts, q) : 0));
  const quartiles = [1, 2, 3, 4].map((q) => ({ quartile: q, users: 0, dropouts: 0, minActions: null as number | null, maxActions: null as number | null, dropoutRate: null as number | null }));
  for (let u = 0; u < nUsers; u++) {
    const row = quartiles[quartileOf(nActions[u]!, cuts) - 1]!;
    row.users += 1;
    row.dropouts += users.dropout[u]!;
    row.minActions = row.minActions === null ? nActions[u]! : Math.min(row.minActions, nActions[u]!);
    row.maxActions = row.maxActions === null ? nActions[u]! : Math.max(row.maxActions, nActions[u]!);
  }
  for (const row of quartiles) row.dropoutRate = row.users > 0 ? row.dropouts / row.users : null;

  const lastTargetCounts = (idx: number[]) => {
    const counts = new Map<number, number>();
    for (const u of idx) {
      const t = actions.targetId[users.lastRow[u]!]!;
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return counts;
  };
  const dropLast = lastTargetCounts(dropIdx);
  const stayLast = lastTargetCounts(stayIdx);
  const top = (counts: Map<number, number>, other: Map<number, number>, total: number, otherTotal: number) =>
    Array.from(counts.entries())
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, topTargets)
      .map(([target, count]) => ({
        target,
        count,
        share: count / total,
        otherGroupCount: other.get(target) ?? 0,
        otherGroupShare: otherTotal > 0 ? (other.get(target) ?? 0) / otherTotal : null,
      }));

  const stayVsDrop = USER_FEATURE_NAMES.map((name) => {
    const values = users.features[name];
    const finite = (idx: number[]) => pick(values, idx).filter((v) => !Number.isNaN(v));
    const stay = finite(stayIdx);
    const drop = finite(dropIdx);
    return { feature: name, meanStay: orNull(mean(stay)), meanDrop: orNull(mean(drop)), nStay: stay.length, nDrop: drop.length, cohensD: orNull(cohensD(stay, drop)) };
  });

  return {
    dropoutActionCount: describe(pick(nActions, dropIdx)),
    dropoutDaysFirstToLast: describe(pick(users.features.span_seconds, dropIdx).map((s) => s / SECONDS_PER_DAY)),
    byActivityQuartile: { cutPoints: { q25: cuts[0]!, q50: cuts[1]!, q75: cuts[2]! }, rule: 'Q1: n_actions <= q25; Q2: <= q50; Q3: <= q75; Q4: above', quartiles },
    lastActionTargets: {
      dropouts: top(dropLast, stayLast, dropIdx.length, stayIdx.length),
      stayers: top(stayLast, dropLast, stayIdx.length, dropIdx.length),
    },
    stayVsDrop: { effect: 'cohensD = (mean drop - mean stay) / pooled sample sd', features: stayVsDrop },
    notes,
  };
}

/** Point-biserial correlation (Pearson with the 0/1 drop-out) of each user feature; users with NaN skipped. */
export function dropoutCorrelations(users: UserTable) {
  return USER_FEATURE_NAMES.map((name) => {
    const x: number[] = [];
    const y: number[] = [];
    users.features[name].forEach((v, u) => {
      if (Number.isNaN(v)) return;
      x.push(v);
      y.push(users.dropout[u]!);
    });
    return { feature: name, n: x.length, pointBiserialR: orNull(pearsonR(x, y)) };
  });
}

