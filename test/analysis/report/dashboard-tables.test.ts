// The dashboard's regression table shows each fit's own figures: the train split's line is scored
// by its train R² and train size (statistics.json has no R², n or standard error for the split).
import { describe, expect, it } from 'vitest';
import type { RegressionStatistics, StatisticsAsRead } from '../../../lambdas/contracts/engagement-statistics';
import { figureTables } from '../../../lambdas/analysis/report/dashboard-tables';

const regression: RegressionStatistics = {
  full: { intercept: 0.125, slope: 0.0021, se_intercept: 0.01, se_slope: 0.00005, r2: 0.6125, n: 100 },
  split: { seed: 42, test_fraction: 0.2, n_train: 80, n_test: 20, intercept: 0.25, slope: 0.0019, r2_train: 0.4321, r2_test: 0.3, mae_test: 0.5, rmse_test: 0.7 },
  prediction: { minutes: 1200, certificates: 2.645 },
  influence: { cooks_distance_threshold: 0.04, max_cooks_distance: 0.2, max_cooks_distance_student_id: 7, n_above_threshold: 3 },
};

const statistics: StatisticsAsRead = { periods: { baseline: '2021Q2', comparison: '2022Q2' }, cohorts: {}, tests: {}, regression };

function regressionRows(html: string): string[] {
  const table = html.slice(html.indexOf('Regression of certificates on minutes'));
  return [...table.matchAll(/<tr><td>(all students|train split)<\/td>(.*?)<\/tr>/g)].map((match) => `${match[1]}: ${match[2]!.replace(/<\/?td>/g, ' ').trim().replace(/\s+/g, ' ')}`);
}

describe('figureTables: regression', () => {
  it('shows the full fit and the train split, each with its own R² and n', () => {
    const html = figureTables({ runId: 'r', files: [], notes: [], engagement: { statistics, cohorts: [] } }, []);
    expect(regressionRows(html)).toEqual(['all students: 0.1250 0.002100 0.000050 0.6125 100', 'train split: 0.2500 0.001900 n/a 0.4321 80']);
  });
});
