// Engagement study charts: pure functions from parsed results to Vega-Lite specs.
import type { TopLevelSpec } from 'vega-lite';
import type { CohortSample, EngagementResults } from '../../../contracts/run-results';
import { cohortKey, type StatisticsAsRead } from '../../../contracts/engagement-statistics';
import { boxSummary, logHistogram, thin } from './summaries';
import { formatCount, formatFigure as fmt, isNumber } from '../../figure-format';
import { BASE_CONFIG, CHART_HEIGHT, CHART_WIDTH, COLORS, filteredBy, planOf, skipped, type Chart, type ChartResult } from './chart';

export function cohortLabel(period: string, paid: 0 | 1): string {
  return `${period} ${planOf(paid)}`;
}

const STAGES = { before: 'before outlier removal', after: 'after outlier removal' } as const;
/** The scatter draws at most this many students; more only hide each other. */
export const MAX_SCATTER_POINTS = 5_000;

const LOG_LABEL = "format(pow(10, datum.value), datum.value < 0 ? '.2~f' : ',.0f')";

/** One histogram per cohort: minutes watched on a log10 axis, before and after outlier removal. */
export function cohortDistributionChart(cohort: CohortSample): ChartResult {
  const plan = planOf(cohort.paid);
  const name = `engagement_minutes_${cohort.period}_${plan}`;
  if ((cohort.before?.length ?? 0) + (cohort.after?.length ?? 0) === 0) {
    return skipped(name, 'engagement', `no students in cohort ${cohortLabel(cohort.period, cohort.paid)}`);
  }
  const { bins, nonPositive } = logHistogram([
    { group: STAGES.before, values: cohort.before ?? [] },
    { group: STAGES.after, values: cohort.after ?? [] },
  ]);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Minutes watched, ${cohortLabel(cohort.period, cohort.paid)}`, subtitle: nonPositive > 0 ? `${nonPositive} zero values not shown on the log axis` : undefined },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    data: { values: bins },
    // The bins' edges are log10 minutes: the tooltip gives them as minutes.
    transform: [
      { calculate: 'pow(10, datum.lo)', as: 'from_minutes' },
      { calculate: 'pow(10, datum.hi)', as: 'to_minutes' },
    ],
    mark: { type: 'bar', opacity: 0.65, binSpacing: 0 },
    encoding: {
      x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: 'minutes watched (log scale)', axis: { labelExpr: LOG_LABEL } },
      x2: { field: 'hi' },
      // Whole students on the axis, also for a cohort of a few.
      y: { field: 'count', type: 'quantitative', title: 'students', stack: null, axis: { tickMinStep: 1, format: 'd' } },
      color: {
        field: 'group',
        type: 'nominal',
        title: null,
        scale: { domain: [STAGES.before, STAGES.after], range: [COLORS.before, COLORS.after] },
        legend: { orient: 'top' },
      },
      tooltip: [
        { field: 'group', type: 'nominal', title: 'stage' },
        { field: 'from_minutes', type: 'quantitative', title: 'minutes from', format: ',.2f' },
        { field: 'to_minutes', type: 'quantitative', title: 'minutes to', format: ',.2f' },
        { field: 'count', type: 'quantitative', title: 'students' },
      ],
    },
  };
  return {
    kind: 'chart',
    name,
    study: 'engagement',
    title: `Distribution of minutes watched: ${cohortLabel(cohort.period, cohort.paid)}`,
    caption: 'Grey: every student in the cohort; blue: after the high outliers were removed. The x axis is logarithmic.',
    spec,
    tags: { period: cohort.period, plan },
  };
}

/** At most this many removed students per cohort are drawn as dots; more only hide each other. */
export const MAX_REMOVED_POINTS = 200;

/**
 * All cohorts side by side as box plots (log axis), before and after outlier removal, with each
 * cohort's cut-off as a red line and the students it removed as red dots (outlier removal
 * drops only the top percent, so the two boxes alone look the same). Follows the period and plan
 * filters.
 */
export function cohortBoxplotChart(cohorts: CohortSample[], statistics?: StatisticsAsRead): ChartResult {
  const name = 'engagement_minutes_boxplot';
  const order = cohorts.map((cohort) => cohortLabel(cohort.period, cohort.paid));
  const keyOf = (cohort: CohortSample) => ({ cohort: cohortLabel(cohort.period, cohort.paid), period: cohort.period, plan: planOf(cohort.paid) });
  const boxes = cohorts.flatMap((cohort) =>
    (['before', 'after'] as const).flatMap((stage) => {
      const summary = boxSummary(cohort[stage] ?? []);
      return summary ? [{ ...keyOf(cohort), stage, ...summary }] : [];
    }),
  );
  if (boxes.length === 0) return skipped(name, 'engagement', 'no cohort files with minutes watched were found');
  const cutoffs = cohorts.flatMap((cohort) => {
    const stats = statistics?.cohorts?.[`${cohort.period}_${planOf(cohort.paid)}`];
    if (!stats || !isNumber(stats.cutoff) || !(stats.cutoff > 0)) return [];
    const removed = isNumber(stats.n_before) && isNumber(stats.n_after) ? stats.n_before - stats.n_after : null;
    return [{ ...keyOf(cohort), cutoff: stats.cutoff, removed }];
  });
  // Removal keeps students strictly below the cut-off: the dots are the file's students at or above it.
  const removedPoints = cohorts.flatMap((cohort) => {
    const cutoff = cutoffs.find((entry) => entry.cohort === cohortLabel(cohort.period, cohort.paid))?.cutoff;
    if (cutoff === undefined) return [];
    const removed = (cohort.before ?? []).filter((minutes) => minutes >= cutoff);
    return thin(removed, MAX_REMOVED_POINTS).map((minutes) => ({ ...keyOf(cohort), stage: 'before', minutes }));
  });
  const filter = filteredBy({ period: 'period', plan: 'plan' });
  const x = { field: 'cohort', type: 'nominal', title: null, sort: order, axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'stage', type: 'nominal', sort: ['before', 'after'] } as const;
  const color = { field: 'stage', type: 'nominal', title: 'outliers', sort: ['before', 'after'], scale: { range: [COLORS.before, COLORS.after] } } as const;
  const minutes = (field: string) => ({ field, type: 'quantitative', scale: { type: 'log' }, title: 'minutes watched' }) as const;
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    { data: { values: boxes }, transform: filter.transform, mark: { type: 'rule' }, encoding: { x, xOffset, y: minutes('lower'), y2: { field: 'upper' }, color } },
    {
      data: { values: boxes },
      transform: filter.transform,
      mark: { type: 'bar', size: 14 },
      encoding: {
        x,
        xOffset,
        y: minutes('q1'),
        y2: { field: 'q3' },
        color,
        tooltip: [
          { field: 'cohort', type: 'nominal' },
          { field: 'stage', type: 'nominal', title: 'outliers' },
          { field: 'n', type: 'quantitative', title: 'students' },
          { field: 'q1', type: 'quantitative', format: ',.2f' },
          { field: 'median', type: 'quantitative', format: ',.2f' },
          { field: 'q3', type: 'quantitative', format: ',.2f' },
        ],
      },
    },
    { data: { values: boxes }, transform: filter.transform, mark: { type: 'tick', color: 'white', size: 14 }, encoding: { x, xOffset, y: minutes('median') } },
  ];
  if (removedPoints.length > 0) {
    layers.push({
      data: { values: removedPoints },
      transform: filter.transform,
      mark: { type: 'point', filled: true, size: 18, opacity: 0.6, color: COLORS.dropout },
      encoding: {
        x,
        xOffset,
        y: minutes('minutes'),
        tooltip: [
          { field: 'cohort', type: 'nominal' },
          { field: 'minutes', type: 'quantitative', format: ',.2f', title: 'minutes (removed as an outlier)' },
        ],
      },
    });
  }
  if (cutoffs.length > 0) {
    layers.push({
      data: { values: cutoffs },
      transform: filter.transform,
      mark: { type: 'tick', color: COLORS.dropout, thickness: 2, size: 40 },
      encoding: {
        x,
        y: minutes('cutoff'),
        tooltip: [
          { field: 'cohort', type: 'nominal' },
          { field: 'cutoff', type: 'quantitative', format: ',.2f', title: 'outlier cut-off (minutes)' },
          { field: 'removed', type: 'quantitative', title: 'students removed' },
        ],
      },
    });
  }
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Minutes watched per cohort (log scale)',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    params: filter.params,
    layer: layers,
  };
  return {
    kind: 'chart',
    name,
    study: 'engagement',
    title: 'Minutes watched per cohort, before and after outlier removal',
    caption:
      'Boxes span the middle half of students, the white tick is the median; whiskers reach the furthest students within 1.5 × the interquartile range. ' +
      (cutoffs.length > 0
        ? `The short red line is each cohort's outlier cut-off; red dots are the students at or above it, who were removed${removedPoints.length < cutoffs.reduce((sum, entry) => sum + (entry.removed ?? 0), 0) ? ` (at most ${MAX_REMOVED_POINTS} per cohort drawn)` : ''}.`
        : 'No cut-offs were found in statistics.json, so where outliers were removed is not marked.'),
    spec,
    filters: filter.filters,
  };
}

/** Mean minutes per cohort (after outlier removal) with the 95% t confidence interval. */
export function meansChart(statistics: StatisticsAsRead | undefined): ChartResult {
  const name = 'engagement_means_ci';
  if (!statistics) return skipped(name, 'engagement', 'statistics.json is missing, so there are no cohort means');
  const values = orderedCohorts(statistics)
    .filter(({ stats }) => isNumber(stats.mean))
    .map(({ key, period, plan, stats }) => ({
      cohort: `${period} ${plan}`,
      key,
      role: period === statistics.periods.baseline ? 'baseline' : 'comparison',
      period,
      plan,
      mean: stats.mean,
      lo: stats.ci95_t?.[0] ?? stats.mean,
      hi: stats.ci95_t?.[1] ?? stats.mean,
      n: stats.n_after,
    }));
  if (values.length === 0) return skipped(name, 'engagement', 'no cohort has a mean in statistics.json');
  const filter = filteredBy({ period: 'period', plan: 'plan' });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Mean minutes watched with 95% confidence intervals',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    params: filter.params,
    data: { values },
    transform: filter.transform,
    encoding: {
      x: { field: 'cohort', type: 'nominal', title: null, sort: values.map((value) => value.cohort), axis: { labelAngle: 0 } },
    },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.6 } },
        encoding: {
          y: { field: 'mean', type: 'quantitative', title: 'mean minutes watched (outliers removed)' },
          color: { field: 'role', type: 'nominal', title: 'period', scale: { domain: ['baseline', 'comparison'], range: [COLORS.baseline, COLORS.comparison] } },
          tooltip: [
            { field: 'cohort', type: 'nominal' },
            { field: 'mean', type: 'quantitative', format: '.2f' },
            { field: 'lo', type: 'quantitative', format: '.2f', title: 'CI low' },
            { field: 'hi', type: 'quantitative', format: '.2f', title: 'CI high' },
            { field: 'n', type: 'quantitative', title: 'students' },
          ],
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#222' },
        encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
    ],
  };
  return {
    kind: 'chart',
    name,
    study: 'engagement',
    title: 'Mean minutes watched per cohort',
    caption: 'Bars are the mean minutes watched after outlier removal; black lines are 95% confidence intervals (t distribution).',
    spec,
    filters: filter.filters,
  };
}

/** Minutes watched against certificates issued, with the fitted regression line. */
export function certificatesScatterChart(engagement: EngagementResults): ChartResult {
  const name = 'engagement_minutes_vs_certificates';
  const pairs = engagement.minutesAndCertificates;
  if (!pairs || pairs.length === 0) return skipped(name, 'engagement', 'minutes_and_certificates.csv is missing or empty');
  const fit = engagement.statistics?.regression?.full;
  // A loop, not Math.max(...): spreading hundreds of thousands of values overflows the call stack.
  const maxMinutes = pairs.reduce((max, pair) => (pair.minutes > max ? pair.minutes : max), -Infinity);
  const points = thin(pairs, MAX_SCATTER_POINTS);
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    {
      data: { values: points },
      mark: { type: 'point', filled: true, opacity: 0.45, size: 28, color: COLORS.comparison },
      encoding: {
        x: { field: 'minutes', type: 'quantitative', title: 'minutes watched' },
        y: { field: 'certificates', type: 'quantitative', title: 'certificates issued' },
        tooltip: [{ field: 'minutes', type: 'quantitative', format: ',.2f' }, { field: 'certificates', type: 'quantitative' }],
      },
    },
  ];
  if (fit && isNumber(fit.intercept) && isNumber(fit.slope)) {
    const line = [0, maxMinutes].map((minutes) => ({ minutes, certificates: fit.intercept! + fit.slope! * minutes }));
    layers.push({
      data: { values: line },
      mark: { type: 'line', color: COLORS.dropout, strokeWidth: 2.5 },
      encoding: { x: { field: 'minutes', type: 'quantitative' }, y: { field: 'certificates', type: 'quantitative' } },
    });
  }
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Certificates issued against minutes watched',
      subtitle: fit && isNumber(fit.slope) ? `line: certificates = ${fmt(fit.intercept, 3)} + ${fmt(fit.slope, 5)} × minutes (R² ${fmt(fit.r2, 3)})` : 'no regression line: the fit is missing',
    },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    layer: layers,
  };
  return {
    kind: 'chart',
    name,
    study: 'engagement',
    title: 'Minutes watched and certificates',
    caption:
      (points.length < pairs.length ? `Each dot is a student (a seeded sample of ${formatCount(points.length)}); ` : 'Each dot is a student; ') +
      'the red line is the least-squares fit of certificates on minutes watched, over every student.',
    spec,
  };
}

/** P(A), P(B), P(A and B) and P(A)·P(B): A = watched in the baseline period, B = in the comparison period. */
export function probabilitiesChart(statistics: StatisticsAsRead | undefined): ChartResult {
  const name = 'engagement_probabilities';
  const probabilities = statistics?.probabilities;
  if (!statistics || !probabilities) return skipped(name, 'engagement', 'statistics.json has no probabilities');
  const { baseline, comparison } = statistics.periods;
  const values = [
    { event: `A: watched in ${baseline}`, p: probabilities.p_baseline },
    { event: `B: watched in ${comparison}`, p: probabilities.p_comparison },
    { event: 'A and B', p: probabilities.p_both },
    { event: 'P(A)·P(B) if independent', p: probabilities.p_product },
  ].filter((value) => isNumber(value.p));
  if (values.length === 0) return skipped(name, 'engagement', 'no probability could be computed: no student watched in either period');
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Probability of watching in each period',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    data: { values },
    encoding: {
      y: { field: 'event', type: 'nominal', title: null, sort: values.map((value) => value.event) },
      x: { field: 'p', type: 'quantitative', title: 'probability', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
    },
    layer: [
      { mark: { type: 'bar', color: COLORS.comparison }, encoding: { tooltip: [{ field: 'event' }, { field: 'p', type: 'quantitative', format: '.1%', title: 'probability' }] } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'p', type: 'quantitative', format: '.1%' } } },
    ],
  };
  return {
    kind: 'chart',
    name,
    study: 'engagement',
    title: 'Watching in both periods',
    caption:
      'Among students who watched in either period. Counting only them puts P(A and B) below P(A)·P(B) whatever the periods have to do with each other, ' +
      'so the gap between those two bars is no evidence of a link; P(A and B) says how many viewers came back.',
    spec,
  };
}

export function engagementCharts(engagement: EngagementResults): ChartResult[] {
  return [
    meansChart(engagement.statistics),
    cohortBoxplotChart(engagement.cohorts, engagement.statistics),
    ...engagement.cohorts.map((cohort) => cohortDistributionChart(cohort)),
    certificatesScatterChart(engagement),
    probabilitiesChart(engagement.statistics),
  ];
}

export function orderedCohorts(statistics: StatisticsAsRead) {
  const { baseline, comparison } = statistics.periods;
  const order: { key: string; period: string; plan: 'free' | 'paid' }[] = [];
  for (const period of [baseline, comparison]) {
    for (const plan of ['free', 'paid'] as const) order.push({ key: cohortKey(period, plan), period, plan });
  }
  return order.filter(({ key }) => statistics.cohorts?.[key]).map((entry) => ({ ...entry, stats: statistics.cohorts[entry.key]! }));
}

export type { Chart };
