// MOOC drop-out study charts. The MOOC stage's CSV columns are found by name (with a few accepted
// spellings), so a chart whose columns are absent is left out with a note naming what was there.
import type { TopLevelSpec } from 'vega-lite';
import type { CsvTable } from '../../../tabular/csv';
import type { MoocResults } from '../../../contracts/run-results';
import { rocAuc } from '../../stats/roc';
import { ALL, BASE_CONFIG, CHART_HEIGHT, CHART_WIDTH, COLORS, filteredBy, filterSignal, skipped, type ChartResult } from './chart';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Index of the first header matching a candidate (case-insensitive), or -1. */
export function findColumn(header: readonly string[], candidates: readonly (string | RegExp)[]): number {
  const lower = header.map((name) => name.toLowerCase());
  for (const candidate of candidates) {
    const index =
      typeof candidate === 'string' ? lower.indexOf(candidate.toLowerCase()) : header.findIndex((name) => candidate.test(name));
    if (index >= 0) return index;
  }
  return -1;
}

function missingColumns(file: string, table: CsvTable, wanted: string): string {
  return `${file} has no ${wanted} column (columns: ${table.header.join(', ')})`;
}

function asValue(text: string): number | string {
  const number = Number(text);
  return text.trim() !== '' && Number.isFinite(number) ? number : text;
}

const USER_COLUMN = ['USERID', 'user_id', 'userid', 'user'];
const LABEL_COLUMN = ['LABEL', 'dropout', 'dropped_out', 'dropped', 'label', 'is_dropout'];

export function dailyActivityChart(table: CsvTable | undefined): ChartResult {
  const name = 'mooc_daily_activity';
  if (!table) return skipped(name, 'mooc', 'daily_activity.csv is missing');
  const day = findColumn(table.header, ['day', 'date', 'day_index']);
  const actions = findColumn(table.header, ['actions', 'n_actions', 'action_count']);
  const users = findColumn(table.header, ['active_users', 'users', 'n_users']);
  if (day < 0 || actions < 0 || users < 0) return skipped(name, 'mooc', missingColumns('daily_activity.csv', table, 'day, actions or active_users'));
  const dropouts = findColumn(table.header, ['dropouts_that_day', 'dropouts']);
  const numericDays = table.rows.every((row) => typeof asValue(row[day]!) === 'number');
  const series = ['actions', 'active users', ...(dropouts >= 0 ? ['drop-outs (last action that day)'] : [])];
  const values = table.rows.flatMap((row) => [
    { day: asValue(row[day]!), series: series[0], value: Number(row[actions]) },
    { day: asValue(row[day]!), series: series[1], value: Number(row[users]) },
    ...(dropouts >= 0 ? [{ day: asValue(row[day]!), series: series[2], value: Number(row[dropouts]) }] : []),
  ]);
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: 'Daily actions and active users',
    config: BASE_CONFIG,
    data: { values },
    facet: { row: { field: 'series', type: 'nominal', title: null, sort: series } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: CHART_WIDTH,
      height: CHART_HEIGHT / 2,
      // A point per day carries the tooltip: a line is one path, whose tooltip would show one day only.
      mark: { type: 'line', strokeWidth: 1.6, point: { size: 12 } },
      encoding: {
        x: { field: 'day', type: numericDays ? 'quantitative' : 'temporal', title: numericDays ? 'day of the course' : 'day' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'series', type: 'nominal', legend: null, scale: { domain: series, range: [COLORS.comparison, COLORS.paid, COLORS.dropout] } },
        tooltip: [{ field: 'day' }, { field: 'series' }, { field: 'value', type: 'quantitative', format: ',' }],
      },
    },
  };
  return {
    kind: 'chart',
    name,
    study: 'mooc',
    title: 'Activity over time',
    caption: 'All actions per day, distinct users active that day and, when available, users whose last action (drop-out) fell on that day.',
    spec,
  };
}

export function activityHeatmapChart(table: CsvTable | undefined): ChartResult {
  const name = 'mooc_activity_heatmap';
  if (!table) return skipped(name, 'mooc', 'hour_cycle_day_activity.csv is missing');
  // Older result files call the cycle day 'weekday'; it never was a calendar weekday.
  const cycleDay = findColumn(table.header, ['cycle_day', 'weekday', 'day_of_week', 'dow']);
  const hour = findColumn(table.header, ['hour', 'hour_of_day']);
  const actions = findColumn(table.header, ['actions', 'n_actions', 'action_count']);
  if (cycleDay < 0 || hour < 0 || actions < 0) return skipped(name, 'mooc', missingColumns('hour_cycle_day_activity.csv', table, 'cycle_day, hour or actions'));
  const values = table.rows.map((row) => ({ cycle_day: asValue(row[cycleDay]!), hour: Number(row[hour]), actions: Number(row[actions]) }));
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    // The axis explanation goes in the subtitle: as the y title it was taller than the 7 rows.
    title: { text: 'Actions by hour and day of the 7-day cycle (from the start of the data)', subtitle: 'Day 0 is the first day of the data; the weekday is unknown.' },
    width: CHART_WIDTH,
    height: 180,
    config: BASE_CONFIG,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'hour', type: 'ordinal', title: 'hour of the data clock' },
      y: { field: 'cycle_day', type: 'ordinal', title: 'cycle day' },
      color: { field: 'actions', type: 'quantitative', title: 'actions', scale: { scheme: 'blues' } },
      tooltip: [{ field: 'cycle_day', title: 'day of cycle' }, { field: 'hour' }, { field: 'actions', type: 'quantitative', format: ',' }],
    },
  };
  return {
    kind: 'chart',
    name,
    study: 'mooc',
    title: 'When learners are active',
    caption: 'Darker cells had more actions. Times are counted from the start of the data, which has no date or time zone, so the days are days of a 7-day cycle, not weekdays.',
    spec,
  };
}

export interface DropoutCounts {
  stayed: number;
  droppedOut: number;
  source: string;
}

/** Users who dropped out vs stayed: from summary.json if it says, else user features, else predictions. */
export function dropoutCounts(mooc: MoocResults): DropoutCounts | undefined {
  const summary = mooc.summary as Record<string, unknown> | undefined;
  const dropouts = numberAt(summary, ['exploration', 'dropout', 'dropoutUsers']);
  const stayers = numberAt(summary, ['exploration', 'dropout', 'stayingUsers']);
  if (dropouts !== undefined && stayers !== undefined) return { stayed: stayers, droppedOut: dropouts, source: 'mooc/summary.json' };
  for (const [file, table] of [
    ['mooc/user_features.csv', mooc.userFeatures],
    ['mooc/dropout_predictions.csv', mooc.predictions],
  ] as const) {
    if (!table) continue;
    const label = findColumn(table.header, LABEL_COLUMN);
    if (label < 0) continue;
    const user = findColumn(table.header, USER_COLUMN);
    const byUser = new Map<string, boolean>();
    table.rows.forEach((row, index) => {
      const key = user >= 0 ? row[user]! : String(index);
      byUser.set(key, (byUser.get(key) ?? false) || Number(row[label]) === 1 || row[label] === 'true');
    });
    const droppedOut = [...byUser.values()].filter(Boolean).length;
    return { stayed: byUser.size - droppedOut, droppedOut, source: file };
  }
  return undefined;
}

function numberAt(object: Record<string, unknown> | undefined, path: string[]): number | undefined {
  let value: unknown = object;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function dropoutVsStayChart(mooc: MoocResults): ChartResult {
  const name = 'mooc_dropout_vs_stay';
  const counts = dropoutCounts(mooc);
  if (!counts) return skipped(name, 'mooc', 'no drop-out label was found in summary.json, user_features.csv or dropout_predictions.csv');
  const total = counts.stayed + counts.droppedOut;
  const values = [
    { outcome: 'stayed', users: counts.stayed, share: total > 0 ? counts.stayed / total : 0 },
    { outcome: 'dropped out', users: counts.droppedOut, share: total > 0 ? counts.droppedOut / total : 0 },
  ];
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: 'Users who dropped out vs stayed',
    width: CHART_WIDTH,
    height: 120,
    config: BASE_CONFIG,
    data: { values },
    encoding: {
      y: { field: 'outcome', type: 'nominal', title: null, sort: ['stayed', 'dropped out'] },
      x: { field: 'users', type: 'quantitative', title: 'users' },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          color: { field: 'outcome', type: 'nominal', legend: null, scale: { domain: ['stayed', 'dropped out'], range: [COLORS.stay, COLORS.dropout] } },
          tooltip: [{ field: 'outcome' }, { field: 'users', type: 'quantitative', format: ',' }, { field: 'share', type: 'quantitative', format: '.1%' }],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { text: { field: 'share', type: 'quantitative', format: '.1%' } },
      },
    ],
  };
  return { kind: 'chart', name, study: 'mooc', title: 'Drop-out vs stay', caption: `Counted per user from ${counts.source}.`, spec };
}

/** Share of users who reached at least k actions (or active days), for every k seen. */
export function survivalCurve(counts: readonly number[]): { threshold: number; share: number; users: number }[] {
  const sorted = counts.filter((count) => Number.isFinite(count)).sort((a, b) => a - b);
  const total = sorted.length;
  const curve: { threshold: number; share: number; users: number }[] = [];
  for (let i = 0; i < total; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    const atLeast = total - i;
    curve.push({ threshold: sorted[i]!, share: atLeast / total, users: atLeast });
  }
  return curve;
}

/** Segment of each user from user_segments.csv (USERID -> segment), when the file has both columns. */
export function segmentOfUsers(segments: CsvTable | undefined): Map<string, string> | undefined {
  if (!segments) return undefined;
  const segmentColumn = findColumn(segments.header, ['segment', 'cluster', /segment/i, /cluster/i]);
  const userColumn = findColumn(segments.header, USER_COLUMN);
  if (segmentColumn < 0 || userColumn < 0) return undefined;
  return new Map(segments.rows.map((row) => [row[userColumn]!, row[segmentColumn]!]));
}

/**
 * The drop-off curve of every user, and of each segment's users when user_segments.csv says who is
 * in which: the segment filter picks one curve (every user's when it is 'all').
 */
export function dropoffCurveChart(table: CsvTable | undefined, segments?: CsvTable): ChartResult {
  const name = 'mooc_dropoff_curve';
  if (!table) return skipped(name, 'mooc', 'user_features.csv is missing');
  const column = findColumn(table.header, ['n_actions', 'actions', 'num_actions', 'action_count', /actions/i, 'active_days', /days/i]);
  if (column < 0) return skipped(name, 'mooc', missingColumns('user_features.csv', table, 'action count'));
  const what = table.header[column]!;
  const positive = (rows: readonly string[][]) => rows.map((row) => Number(row[column])).filter((value) => value > 0);
  const curve = survivalCurve(positive(table.rows));
  if (curve.length === 0) return skipped(name, 'mooc', `user_features.csv has no positive ${what}`);
  const values = curve.map((point) => ({ curve: ALL, ...point }));
  const segmentOf = segmentOfUsers(segments);
  const userColumn = findColumn(table.header, USER_COLUMN);
  if (segmentOf && userColumn >= 0) {
    const rowsBySegment = new Map<string, string[][]>();
    for (const row of table.rows) {
      const segment = segmentOf.get(row[userColumn]!);
      if (segment === undefined) continue;
      if (!rowsBySegment.has(segment)) rowsBySegment.set(segment, []);
      rowsBySegment.get(segment)!.push(row);
    }
    for (const [segment, rows] of rowsBySegment) values.push(...survivalCurve(positive(rows)).map((point) => ({ curve: segment, ...point })));
  }
  const signal = filterSignal('segment');
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: `Share of users who reach k ${what.replace(/^n_/, '').replace(/_/g, ' ')}`,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    params: [{ name: signal, value: ALL }],
    data: { values },
    transform: [{ filter: `datum.curve === ${signal}` }],
    // A point per k carries the tooltip: a line is one path, whose tooltip would show one k only.
    mark: { type: 'line', interpolate: 'step-after', color: COLORS.dropout, strokeWidth: 2, point: { size: 10, color: COLORS.dropout } },
    encoding: {
      x: { field: 'threshold', type: 'quantitative', scale: { type: 'log' }, title: `${what.replace(/_/g, ' ')} (log scale)` },
      y: { field: 'share', type: 'quantitative', axis: { format: '.0%' }, title: 'users with at least k', scale: { domain: [0, 1] } },
      tooltip: [{ field: 'curve', title: 'segment' }, { field: 'threshold', title: 'k' }, { field: 'share', format: '.1%' }, { field: 'users' }],
    },
  };
  return {
    kind: 'chart',
    name,
    study: 'mooc',
    title: 'Drop-off curve',
    caption: `How many users get past each number of ${what.replace(/_/g, ' ')}: the steeper the early fall, the sooner learners leave. The segment filter shows one segment's users.`,
    spec,
    filters: ['segment'],
  };
}

export interface SegmentProfile {
  segment: string;
  users: number;
  features: Record<string, number>;
}

/**
 * Per-segment profile: from summary.json's userSegments.profiles when present, else user_segments.csv
 * (USERID, segment) joined to user_features.csv and averaged per segment (empty values skipped).
 */
export function segmentProfiles(mooc: MoocResults): SegmentProfile[] | undefined {
  const fromSummary = arrayAt(mooc.summary, ['userSegments', 'profiles']);
  if (fromSummary && fromSummary.length > 0) {
    return fromSummary.map((entry) => {
      const means = (entry.featureMeans && typeof entry.featureMeans === 'object' ? entry.featureMeans : {}) as Record<string, unknown>;
      const features: Record<string, number> = {};
      if (typeof entry.dropoutRate === 'number') features.dropout_rate = entry.dropoutRate;
      for (const [key, value] of Object.entries(means)) if (typeof value === 'number') features[key] = value;
      return { segment: String(entry.segment), users: typeof entry.users === 'number' ? entry.users : NaN, features };
    });
  }
  const segmentOf = segmentOfUsers(mooc.segments);
  if (!segmentOf) return undefined;
  const userFeatures = mooc.userFeatures;
  const featureUser = userFeatures ? findColumn(userFeatures.header, USER_COLUMN) : -1;
  const groups = new Map<string, { users: number; sums: Map<string, { total: number; count: number }> }>();
  for (const segment of segmentOf.values()) if (!groups.has(segment)) groups.set(segment, { users: 0, sums: new Map() });
  for (const segment of segmentOf.values()) groups.get(segment)!.users += 1;
  if (userFeatures && featureUser >= 0) {
    const numeric = userFeatures.header
      .map((name, index) => ({ name, index }))
      .filter(({ index }) => index !== featureUser && userFeatures.rows.some((row) => row[index] !== '') && userFeatures.rows.every((row) => row[index] === '' || Number.isFinite(Number(row[index]))));
    for (const row of userFeatures.rows) {
      const group = groups.get(segmentOf.get(row[featureUser]!) ?? '\u0000');
      if (!group) continue;
      for (const { name, index } of numeric) {
        if (row[index] === '') continue;
        const sum = group.sums.get(name) ?? { total: 0, count: 0 };
        sum.total += Number(row[index]);
        sum.count += 1;
        group.sums.set(name, sum);
      }
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([segment, group]) => ({
      segment,
      users: group.users,
      features: Object.fromEntries([...group.sums.entries()].map(([name, sum]) => [name, sum.count > 0 ? sum.total / sum.count : NaN])),
    }));
}

export function segmentProfilesChart(mooc: MoocResults): ChartResult {
  const name = 'mooc_segment_profiles';
  const profiles = segmentProfiles(mooc);
  if (!profiles || profiles.length === 0) {
    return skipped(name, 'mooc', mooc.segments ? missingColumns('user_segments.csv', mooc.segments, 'USERID or segment') : 'user_segments.csv and summary.json segment profiles are missing');
  }
  const featureNames = Object.keys(profiles[0]!.features);
  if (featureNames.length === 0) return skipped(name, 'mooc', 'no numeric user features were found to profile the segments');
  // Colour is each feature scaled across segments (0 = lowest segment, 1 = highest), so features
  // with different units share one colour scale; the text shows the real value.
  const values = featureNames.flatMap((feature) => {
    const column = profiles.map((profile) => profile.features[feature]!).filter((value) => Number.isFinite(value));
    const lo = Math.min(...column);
    const hi = Math.max(...column);
    return profiles.map((profile) => ({
      segment: profile.segment,
      feature,
      value: profile.features[feature]!,
      relative: hi > lo ? (profile.features[feature]! - lo) / (hi - lo) : 0.5,
    }));
  });
  const filter = filteredBy({ segment: 'segment' });
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: 'Segment profiles',
    width: Math.max(CHART_WIDTH, featureNames.length * 70),
    height: Math.max(120, profiles.length * 36),
    config: BASE_CONFIG,
    params: filter.params,
    data: { values },
    transform: filter.transform,
    encoding: {
      x: { field: 'feature', type: 'nominal', title: null, sort: featureNames, axis: { labelAngle: -30 } },
      y: { field: 'segment', type: 'nominal', title: 'segment', sort: profiles.map((profile) => profile.segment) },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'relative', type: 'quantitative', title: 'low → high', scale: { scheme: 'purples', domain: [0, 1] } },
          tooltip: [{ field: 'segment' }, { field: 'feature' }, { field: 'value', type: 'quantitative', format: ',.4~r', title: 'segment mean' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: ',.3~r' },
          color: { condition: { test: 'datum.relative > 0.6', value: 'white' }, value: '#222' },
        },
      },
    ],
  };
  return {
    kind: 'chart',
    name,
    study: 'mooc',
    title: 'What each segment looks like',
    caption: 'Each cell is the segment mean of a feature; colour compares segments within a column (darkest = highest).',
    spec,
    filters: filter.filters,
  };
}

export interface TargetDropout {
  category: string;
  /** Share of users whose last action fell in this category who dropped out. */
  rate: number;
  lastActions?: number;
}

/**
 * Drop-out share per target category: from summary.json's targetCategories.categories when present,
 * else summed from target_categories.csv (one row per target) as dropout_last_actions / last_actions.
 */
export function targetDropoutRates(mooc: MoocResults): TargetDropout[] | undefined {
  const fromSummary = arrayAt(mooc.summary, ['targetCategories', 'categories']);
  if (fromSummary && fromSummary.length > 0) {
    return fromSummary.map((entry) => ({
      category: String(entry.category),
      rate: typeof entry.dropoutShareOfLastActions === 'number' ? entry.dropoutShareOfLastActions : NaN,
      lastActions: typeof entry.lastActions === 'number' ? entry.lastActions : undefined,
    }));
  }
  const table = mooc.targetCategories;
  if (!table) return undefined;
  const category = findColumn(table.header, ['category', 'target_category', /categor/i]);
  const last = findColumn(table.header, ['last_actions']);
  const dropped = findColumn(table.header, ['dropout_last_actions']);
  if (category < 0 || last < 0 || dropped < 0) return undefined;
  const sums = new Map<string, { last: number; dropped: number }>();
  for (const row of table.rows) {
    const entry = sums.get(row[category]!) ?? { last: 0, dropped: 0 };
    entry.last += Number(row[last]) || 0;
    entry.dropped += Number(row[dropped]) || 0;
    sums.set(row[category]!, entry);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entry]) => ({ category: name, rate: entry.last > 0 ? entry.dropped / entry.last : NaN, lastActions: entry.last }));
}

function arrayAt(object: Record<string, unknown> | undefined, path: string[]): Record<string, unknown>[] | undefined {
  let value: unknown = object;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? (value.filter((item) => item && typeof item === 'object') as Record<string, unknown>[]) : undefined;
}

export function dropoutByTargetChart(mooc: MoocResults): ChartResult {
  const name = 'mooc_dropout_by_target';
  const rates = targetDropoutRates(mooc);
  if (!rates) {
    const table = mooc.targetCategories;
    return skipped(name, 'mooc', table ? missingColumns('target_categories.csv', table, 'category, last_actions or dropout_last_actions') : 'target_categories.csv is missing');
  }
  const values = rates.filter((rate) => Number.isFinite(rate.rate));
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: 'Drop-out share by target category of the last action',
    width: CHART_WIDTH,
    height: Math.max(120, values.length * 22),
    config: BASE_CONFIG,
    data: { values },
    encoding: {
      y: { field: 'category', type: 'nominal', title: 'target category', sort: values.map((value) => value.category) },
      x: { field: 'rate', type: 'quantitative', title: 'drop-out rate', axis: { format: '.0%' } },
      tooltip: [{ field: 'category' }, { field: 'rate', format: '.1%' }, { field: 'lastActions', title: 'last actions' }],
    },
    layer: [{ mark: { type: 'bar', color: COLORS.dropout } }, { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { text: { field: 'rate', type: 'quantitative', format: '.1%' } } }],
  };
  return {
    kind: 'chart',
    name,
    study: 'mooc',
    title: 'Drop-out by target category',
    caption: 'Among learners whose last action was on a target of this category, the share who dropped out. Categories are clusters of targets, numbered by ascending drop-out share.',
    spec,
  };
}

export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

/**
 * ROC curve and its AUC (the area under the curve). The curve steps at each distinct score (ties
 * taken together), but only its corners are kept: a point on the straight line between its
 * neighbours (a run of positives or of negatives in score order) draws nothing, and a test split of
 * tens of thousands of rows would otherwise put as many points in the chart's spec, its SVG and the
 * dashboard. Collinearity is tested on the integer counts, so it is exact.
 */
export function rocCurve(scores: readonly number[], labels: readonly (0 | 1)[]): { points: RocPoint[]; auc: number } | undefined {
  const pairs = scores.map((score, index) => ({ score, label: labels[index]! })).sort((a, b) => b.score - a.score);
  const positives = pairs.filter((pair) => pair.label === 1).length;
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  const corners: { threshold: number; fp: number; tp: number }[] = [{ threshold: Infinity, fp: 0, tp: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < pairs.length; i++) {
    if (pairs[i]!.label === 1) tp += 1;
    else fp += 1;
    if (i === pairs.length - 1 || pairs[i + 1]!.score !== pairs[i]!.score) {
      while (corners.length >= 2 && onOneLine(corners[corners.length - 2]!, corners[corners.length - 1]!, { fp, tp })) corners.pop();
      corners.push({ threshold: pairs[i]!.score, fp, tp });
    }
  }
  return { points: corners.map(({ threshold, fp: f, tp: t }) => ({ threshold, fpr: f / negatives, tpr: t / positives })), auc: rocAuc(scores, labels) };
}

/** Whether b lies on the segment from a to c, for points that only move up and right. */
function onOneLine(a: { fp: number; tp: number }, b: { fp: number; tp: number }, c: { fp: number; tp: number }): boolean {
  return (b.fp - a.fp) * (c.tp - b.tp) === (b.tp - a.tp) * (c.fp - b.fp);
}

export function testSplitRoc(table: CsvTable): { points: RocPoint[]; auc: number; n: number } | undefined {
  const split = findColumn(table.header, ['split']);
  const score = findColumn(table.header, ['score', 'probability', 'prob', 'predicted']);
  const label = findColumn(table.header, LABEL_COLUMN);
  if (split < 0 || score < 0 || label < 0) return undefined;
  const rows = table.rows.filter((row) => row[split] === 'test');
  const roc = rocCurve(
    rows.map((row) => Number(row[score])),
    rows.map((row) => (Number(row[label]) === 1 ? 1 : 0)),
  );
  return roc ? { ...roc, n: rows.length } : undefined;
}

export function rocChart(mooc: MoocResults): ChartResult {
  const name = 'mooc_dropout_roc';
  if (!mooc.predictions) return skipped(name, 'mooc', 'dropout_predictions.csv is missing');
  const roc = testSplitRoc(mooc.predictions);
  if (!roc) return skipped(name, 'mooc', 'dropout_predictions.csv has no test rows with both outcomes (or lacks split, score or LABEL)');
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: { text: 'ROC curve of the drop-out model (test split)', subtitle: `AUC ${roc.auc.toFixed(3)} on ${roc.n} test rows` },
    width: 320,
    height: 320,
    config: BASE_CONFIG,
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
        encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
      },
      {
        data: { values: roc.points.map((point, step) => ({ step, fpr: point.fpr, tpr: point.tpr })) },
        mark: { type: 'line', color: COLORS.dropout, strokeWidth: 2 },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
          order: { field: 'step', type: 'quantitative' },
        },
      },
    ],
  };
  return {
    kind: 'chart',
    name,
    study: 'mooc',
    title: 'How well the model spots drop-outs',
    caption: 'The further the red curve bends to the top left above the dashed diagonal (a coin toss), the better the ranking of drop-outs.',
    spec,
  };
}

export function moocCharts(mooc: MoocResults): ChartResult[] {
  return [
    dailyActivityChart(mooc.daily),
    dropoutVsStayChart(mooc),
    activityHeatmapChart(mooc.hourCycleDay),
    dropoffCurveChart(mooc.userFeatures, mooc.segments),
    segmentProfilesChart(mooc),
    dropoutByTargetChart(mooc),
    rocChart(mooc),
  ];
}
