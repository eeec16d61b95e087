import { describe, expect, it } from 'vitest';
import { boxSummary, logHistogram, thin } from '../../../lambdas/analysis/report/charts/summaries';

describe('chart summaries', () => {
  it('bins positive values on shared log10 edges and counts the rest apart', () => {
    const { bins, nonPositive } = logHistogram(
      [
        { group: 'before', values: [0, 1, 1, 10, 100, 1000] },
        { group: 'after', values: [1, 10, -3] },
      ],
      3,
    );
    expect(nonPositive).toBe(2);
    // log10 spans 0..3 in three bins of width 1; 1000 falls in the last bin, which includes its edge.
    expect(bins).toEqual([
      { group: 'before', lo: 0, hi: 1, count: 2 },
      { group: 'before', lo: 1, hi: 2, count: 1 },
      { group: 'before', lo: 2, hi: 3, count: 2 },
      { group: 'after', lo: 0, hi: 1, count: 1 },
      { group: 'after', lo: 1, hi: 2, count: 1 },
    ]);
    const total = bins.reduce((sum, bin) => sum + bin.count, 0);
    expect(total).toBe(7);
    expect(logHistogram([{ group: 'x', values: [0, 0] }]).bins).toEqual([]);
  });

  it('gives numpy quartiles and Tukey whiskers (np.percentile([1..10, 100], [25, 50, 75]) = 3.5, 6, 8.5)', () => {
    const values = [100, ...Array.from({ length: 10 }, (_, i) => i + 1)];
    expect(boxSummary(values)).toEqual({ n: 11, lower: 1, q1: 3.5, median: 6, q3: 8.5, upper: 10 });
    // Zeros cannot sit on the log axis: left out.
    expect(boxSummary([0, 0, 4])).toEqual({ n: 1, lower: 4, q1: 4, median: 4, q3: 4, upper: 4 });
    expect(boxSummary([0])).toBeUndefined();
  });

  it('thins to exactly max distinct items, in input order, the same each time', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const kept = thin(items, 500);
    expect(kept).toHaveLength(500);
    expect(new Set(kept).size).toBe(500);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
    expect(thin(items, 500)).toEqual(kept);
    expect(kept[kept.length - 1]! - kept[0]!).toBeGreaterThan(9_000); // spread over the whole input
    expect(thin([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });
});

describe('engagement chart specs stay small however many students', () => {
  it('carries bin counts, box summaries and a capped scatter instead of every row', async () => {
    const { certificatesScatterChart, cohortBoxplotChart, cohortDistributionChart, MAX_SCATTER_POINTS } = await import('../../../lambdas/analysis/report/charts/engagement');
    const minutes = Array.from({ length: 100_000 }, (_, i) => Math.exp((i % 997) / 100));
    const cohort = { period: '2021Q2', paid: 1 as const, before: minutes, after: minutes.slice(0, 90_000) };
    const pairs = minutes.map((value, i) => ({ minutes: value, certificates: i % 4 }));
    const charts = [
      cohortBoxplotChart([cohort]),
      cohortDistributionChart(cohort),
      certificatesScatterChart({ cohorts: [cohort], minutesAndCertificates: pairs }),
    ];
    for (const chart of charts) {
      if (chart.kind !== 'chart') throw new Error(chart.note);
      expect(JSON.stringify(chart.spec).length, chart.name).toBeLessThan(MAX_SCATTER_POINTS * 80);
    }
    const scatter = charts[2]!;
    if (scatter.kind !== 'chart') throw new Error(scatter.note);
    expect(scatter.caption).toContain('a seeded sample of 5,000');
  });
});
