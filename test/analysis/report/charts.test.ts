// Chart specs compile and render: SVG marks match the data, PNGs are real images with text, and the
// figures the charts compute (ROC, drop-off curve, segment means, drop-out shares) match pandas/sklearn.
import { describe, expect, it } from 'vitest';
import type { Chart, ChartResult } from '../../../lambdas/analysis/report/charts/chart';
import { cohortDistributionChart, cohortLabel, engagementCharts, meansChart } from '../../../lambdas/analysis/report/charts/engagement';
import { dropoutCounts, moocCharts, rocCurve, segmentProfiles, survivalCurve, targetDropoutRates, testSplitRoc } from '../../../lambdas/analysis/report/charts/mooc';
import { compileSpec, renderPng, renderSvg } from '../../../lambdas/analysis/report/render';
import { loadRunResults } from '../../../lambdas/steps/read-run-results';
import { FIXTURE, fixtureStore } from './fixture-run';

function drawn(results: ChartResult[]): Chart[] {
  return results.filter((chart): chart is Chart => chart.kind === 'chart');
}

function count(svg: string, roledescription: string): number {
  return svg.split(`aria-roledescription="${roledescription}"`).length - 1;
}

/** Items drawn inside the mark group(s) of one kind, e.g. 'mark-rect' or 'mark-symbol'. */
function markItems(svg: string, markClass: string): number {
  let total = 0;
  const pattern = new RegExp(`<g class="${markClass} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs');
  for (const match of svg.matchAll(pattern)) total += (match[1]!.match(/<path/g) ?? []).length;
  return total;
}

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function fixtureResults() {
  const { store, runId } = await fixtureStore();
  return loadRunResults(store, runId);
}

describe('charts from the fixture run', () => {
  it('builds every chart of both studies, and every spec compiles to Vega', async () => {
    const results = await fixtureResults();
    const charts = [...engagementCharts(results.engagement!), ...moocCharts(results.mooc!)];
    const skippedNotes = charts.filter((chart) => chart.kind === 'skipped');
    expect(skippedNotes).toEqual([]);
    expect(charts.map((chart) => chart.name).sort()).toEqual(
      [
        'engagement_means_ci',
        'engagement_minutes_boxplot',
        ...FIXTURE.expected.cohort_order.map((label) => `engagement_minutes_${label.replace(' ', '_')}`),
        'engagement_minutes_vs_certificates',
        'engagement_probabilities',
        'mooc_daily_activity',
        'mooc_dropout_vs_stay',
        'mooc_activity_heatmap',
        'mooc_dropoff_curve',
        'mooc_segment_profiles',
        'mooc_dropout_by_target',
        'mooc_dropout_roc',
      ].sort(),
    );
    for (const chart of drawn(charts)) {
      const compiled = compileSpec(chart.spec) as { marks?: unknown[] };
      expect(compiled.marks?.length, chart.name).toBeGreaterThan(0);
    }
  });

  it('captions the watch probabilities without inviting an independence reading the viewer-only count rules out', async () => {
    const results = await fixtureResults();
    const chart = engagementCharts(results.engagement!).find((candidate) => candidate.name === 'engagement_probabilities')!;
    if (chart.kind !== 'chart') throw new Error(chart.note);
    expect(chart.caption).toContain('so the gap between those two bars is no evidence of a link');
    expect(chart.caption).not.toMatch(/would equal/);
  });

  it('draws one bar per cohort in the means chart, in period then plan order', async () => {
    const results = await fixtureResults();
    const chart = meansChart(results.engagement!.statistics);
    if (chart.kind !== 'chart') throw new Error(chart.note);
    const svg = await renderSvg(chart.spec);
    expect(count(svg, 'bar')).toBe(FIXTURE.expected.cohort_order.length);
    const labels = [...svg.matchAll(/aria-label="cohort: ([^;]+);[^"]*" role="graphics-symbol" aria-roledescription="bar"/g)].map((match) => match[1]);
    expect(labels).toEqual(FIXTURE.expected.cohort_order);
    expect(cohortLabel('2021Q2', 1)).toBe('2021Q2 paid');
  });

  it('draws as many marks as there are data points in the MOOC charts', async () => {
    const results = await fixtureResults();
    const charts = new Map(drawn([...engagementCharts(results.engagement!), ...moocCharts(results.mooc!)]).map((chart) => [chart.name, chart]));
    const heatmap = await renderSvg(charts.get('mooc_activity_heatmap')!.spec);
    expect(markItems(heatmap, 'mark-rect')).toBe(FIXTURE.expected.heatmap_cells);
    const scatter = await renderSvg(charts.get('engagement_minutes_vs_certificates')!.spec);
    expect(markItems(scatter, 'mark-symbol')).toBe(FIXTURE.expected.scatter_points);
    expect(markItems(scatter, 'mark-line')).toBe(1); // the regression line
    const daily = await renderSvg(charts.get('mooc_daily_activity')!.spec);
    expect(markItems(daily, 'mark-line')).toBe(3); // actions, active users, drop-outs
    const stay = await renderSvg(charts.get('mooc_dropout_vs_stay')!.spec);
    expect(count(stay, 'bar')).toBe(2);
    const targets = await renderSvg(charts.get('mooc_dropout_by_target')!.spec);
    expect(count(targets, 'bar')).toBe(Object.keys(FIXTURE.expected.target_rates).length);
  });

  it('the box plot marks each cohort\'s outlier cut-off and the students it removed', async () => {
    const results = await fixtureResults();
    const chart = drawn(engagementCharts(results.engagement!)).find((candidate) => candidate.name === 'engagement_minutes_boxplot')!;
    const svg = await renderSvg(chart.spec);
    const removed = Object.values(FIXTURE.expected.removed_per_cohort).reduce((a, b) => a + b, 0);
    expect(markItems(svg, 'mark-symbol')).toBe(removed);
    // Boxes before and after removal, their median ticks and one cut-off line per cohort.
    expect(markItems(svg, 'mark-rect')).toBe(8 + 8 + 4);
    expect(chart.caption).toContain("red line is each cohort's outlier cut-off");
  });

  it('the drop-off curve the segment filter picks is that segment\'s, as pandas computes it', async () => {
    const results = await fixtureResults();
    const chart = drawn(moocCharts(results.mooc!)).find((candidate) => candidate.name === 'mooc_dropoff_curve')!;
    expect(chart.filters).toEqual(['segment']);
    const values = (chart.spec as { data: { values: { curve: string; threshold: number; share: number }[] } }).data.values;
    const curveOf = (name: string) => values.filter((point) => point.curve === name).map((point) => [point.threshold, point.share]);
    const expected = (points: { threshold: number; share: number }[]) => points.map((point) => [point.threshold, expect.closeTo(point.share, 12)]);
    expect(curveOf('all')).toEqual(expected(FIXTURE.expected.survival));
    for (const [segment, points] of Object.entries(FIXTURE.expected.segment_survival)) expect(curveOf(segment)).toEqual(expected(points));
    // Saved as is (every filter 'all'), the spec draws every user's curve only.
    expect(markItems(await renderSvg(chart.spec), 'mark-line')).toBe(1);
  });

  it('renders PNGs with the PNG signature, a sane size and text drawn with a font', async () => {
    const results = await fixtureResults();
    const chart = meansChart(results.engagement!.statistics) as Chart;
    const svg = await renderSvg(chart.spec);
    const png = await renderPng(svg);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(600);
    expect(width).toBeLessThan(4000);
    expect(height).toBeGreaterThan(300);
    expect(height).toBeLessThan(4000);
    // Without fonts resvg drops every text element, so the same chart with its text stripped gives
    // the same bytes; with fonts the two differ.
    const textless = await renderPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''));
    expect(png.equals(textless)).toBe(false);
  });
});

describe('the activity heatmap', () => {
  it('is about as tall as its seven rows and titles: no axis title longer than the plot', async () => {
    const results = await fixtureResults();
    const heatmap = drawn(moocCharts(results.mooc!)).find((chart) => chart.name === 'mooc_activity_heatmap')!;
    const svg = await renderSvg(heatmap.spec);
    const height = Number(/<svg[^>]* height="([\d.]+)"/.exec(svg)![1]);
    // The plot is 180 high; with the title, subtitle and hour axis the chart stays under 300.
    expect(height).toBeLessThan(300);
    expect(svg).toContain('Day 0 is the first day of the data; the weekday is unknown.');
  });
});

describe('the minutes histograms', () => {
  it('give each bar its range in minutes, not in log10 units, and whole students on the axis', async () => {
    const chart = cohortDistributionChart({ period: '2021Q2', paid: 1, before: [1, 10, 100], after: [1, 10] }) as Chart;
    const svg = await renderSvg(chart.spec);
    // 10 minutes falls in the bin of log10 1.0 to 1.1: 10.00 to 10^1.1 = 12.59 minutes.
    expect(svg).toContain('minutes from: 10.00; minutes to: 12.59');
    expect(svg).toContain('minutes from: 79.43; minutes to: 100.00');
    // One student per bar: the count axis is labelled 0 and 1, not 0.0, 0.2, ..., 1.0.
    expect(svg).not.toMatch(/>0\.[1-9]<\/text>/);
  });
});

describe('figures the charts compute', () => {
  it('ROC AUC of the test split matches sklearn (ties included)', async () => {
    const results = await fixtureResults();
    const roc = testSplitRoc(results.mooc!.predictions!)!;
    expect(roc.n).toBe(FIXTURE.expected.n_test);
    expect(roc.auc).toBeCloseTo(FIXTURE.expected.auc_test, 12);
    expect(roc.points[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(roc.points.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    expect(rocCurve([0.2, 0.4], [1, 1])).toBeUndefined();
  });

  it('the drop-off curve is the share of users with at least k actions', async () => {
    const results = await fixtureResults();
    const table = results.mooc!.userFeatures!;
    const column = table.header.indexOf('n_actions');
    const curve = survivalCurve(table.rows.map((row) => Number(row[column])));
    expect(curve.map((point) => point.threshold)).toEqual(FIXTURE.expected.survival.map((point) => point.threshold));
    curve.forEach((point, index) => expect(point.share).toBeCloseTo(FIXTURE.expected.survival[index]!.share, 12));
  });

  it('drop-out counts, segment means and drop-out share by category match pandas', async () => {
    const results = await fixtureResults();
    const counts = dropoutCounts(results.mooc!)!;
    expect(counts).toMatchObject({ droppedOut: FIXTURE.expected.dropouts, stayed: FIXTURE.expected.stayers, source: 'mooc/user_features.csv' });
    const profiles = segmentProfiles(results.mooc!)!;
    expect(profiles.map((profile) => profile.segment)).toEqual(Object.keys(FIXTURE.expected.segment_means));
    for (const profile of profiles) {
      expect(profile.users).toBe(FIXTURE.expected.segment_sizes[profile.segment]);
      for (const [feature, mean] of Object.entries(FIXTURE.expected.segment_means[profile.segment]!)) {
        expect(profile.features[feature], `${profile.segment} ${feature}`).toBeCloseTo(mean, 9);
      }
    }
    const rates = targetDropoutRates(results.mooc!)!;
    expect(Object.fromEntries(rates.map((rate) => [rate.category, rate.rate]))).toEqual(
      Object.fromEntries(Object.entries(FIXTURE.expected.target_rates).map(([category, rate]) => [category, expect.closeTo(rate, 12)])),
    );
  });

  it('prefers summary.json figures when the MOOC summary carries them', async () => {
    const summary = {
      exploration: { dropout: { dropoutUsers: 7, stayingUsers: 93 } },
      userSegments: { profiles: [{ segment: 1, users: 60, dropouts: 3, dropoutRate: 0.05, featureMeans: { n_actions: 40 } }] },
      targetCategories: { categories: [{ category: 2, lastActions: 50, dropoutLastActions: 5, dropoutShareOfLastActions: 0.1 }] },
    };
    const { store, runId } = await fixtureStore({ edit: (files) => (files['mooc/summary.json'] = JSON.stringify(summary)) });
    const results = await loadRunResults(store, runId);
    expect(dropoutCounts(results.mooc!)).toEqual({ droppedOut: 7, stayed: 93, source: 'mooc/summary.json' });
    expect(segmentProfiles(results.mooc!)).toEqual([{ segment: '1', users: 60, features: { dropout_rate: 0.05, n_actions: 40 } }]);
    expect(targetDropoutRates(results.mooc!)).toEqual([{ category: '2', rate: 0.1, lastActions: 50 }]);
  });
});
