// A run's result files turned into the rows of the result tables (lambdas/contracts/result-tables):
// the figures are copied from statistics.json, data_quality.json and the MOOC summary, never
// recomputed, so the tables and the files cannot disagree.
import { cohortKey, type Interval, type StatisticsAsRead } from '../contracts/engagement-statistics';
import type { ResultRow, ResultRows } from '../contracts/result-tables';

export interface InputFact {
  study: string;
  file: string;
  input_rows: number;
  /** Null when the file could not be read again to hash it. */
  sha256: string | null;
}

export interface DataQualityFile {
  study: string;
  file: string;
  input_rows: number;
  accepted_rows: number;
  reasons: Record<string, number>;
  /** The sha256 of the file as the validation read it (absent in data_quality.json files written before it was recorded). */
  sha256?: string | null;
}

export interface RunFiguresSource {
  periods: { baseline: string; comparison: string };
  studiesRan: { engagement: boolean; mooc: boolean };
  statistics?: StatisticsAsRead;
  dataQualityFiles?: readonly DataQualityFile[];
  moocSummary?: Record<string, unknown>;
  inputs: readonly InputFact[];
  /** The run's analysis options as optionsText writes them; null when unknown. */
  options: string | null;
  /** The earlier run this one repeats (same periods, options and input), if any. */
  repeatOf: string | null;
}

export function resultRows(source: RunFiguresSource): ResultRows {
  const periods = { baseline: source.periods.baseline, comparison: source.periods.comparison };
  const rows: ResultRows = {
    result_runs: [{ ...periods, engagement_ran: source.studiesRan.engagement, mooc_ran: source.studiesRan.mooc, options: source.options, repeat_of: source.repeatOf }],
    result_inputs: source.inputs.map((input) => ({ ...input })),
  };
  if (source.dataQualityFiles) rows.result_data_quality = dataQualityRows(source.dataQualityFiles);
  if (source.statistics) Object.assign(rows, engagementRows(source.statistics, periods));
  if (source.moocSummary) rows.result_mooc = [moocRow(source.moocSummary)];
  return rows;
}

function dataQualityRows(files: readonly DataQualityFile[]): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const file of files) {
    const base = { study: file.study, file: file.file, input_rows: file.input_rows, accepted_rows: file.accepted_rows };
    const reasons = Object.entries(file.reasons).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (reasons.length === 0) rows.push({ ...base, reason: null, quarantined_rows: 0 });
    for (const [reason, count] of reasons) rows.push({ ...base, reason, quarantined_rows: count });
  }
  return rows;
}

const low = (interval: Interval | null | undefined): number | null => interval?.[0] ?? null;
const high = (interval: Interval | null | undefined): number | null => interval?.[1] ?? null;

function engagementRows(statistics: StatisticsAsRead, periods: { baseline: string; comparison: string }): ResultRows {
  const cohorts: ResultRow[] = [];
  for (const [role, period] of [['baseline', periods.baseline], ['comparison', periods.comparison]] as const) {
    for (const plan of ['free', 'paid'] as const) {
      const cohort = statistics.cohorts?.[cohortKey(period, plan)];
      if (!cohort) continue;
      cohorts.push({
        ...periods,
        period,
        role,
        plan,
        n_before: cohort.n_before,
        cutoff: cohort.cutoff,
        n_after: cohort.n_after,
        mean: cohort.mean,
        median: cohort.median,
        sd: cohort.sd,
        ci95_low: low(cohort.ci95_t),
        ci95_high: high(cohort.ci95_t),
      });
    }
  }
  const tests: ResultRow[] = [];
  for (const plan of ['free', 'paid'] as const) {
    const test = statistics.tests?.[plan];
    if (!test) continue;
    tests.push({
      ...periods,
      plan,
      f: test.F,
      p_f: test.p_F,
      t_pooled: test.t_pooled,
      p_pooled_two_sided: test.p_pooled_two_sided ?? null,
      t_welch: test.t_welch,
      p_welch_two_sided: test.p_welch_two_sided ?? null,
      chosen: test.chosen,
      p_two_sided: test.p_two_sided ?? null,
      mean_difference: test.mean_difference ?? null,
      mean_difference_ci95_low: low(test.mean_difference_ci95),
      mean_difference_ci95_high: high(test.mean_difference_ci95),
      cohens_d: test.cohens_d,
      effect_size: test.effect_size ?? null,
      direction: test.direction ?? null,
      significant_change: test.significant_change ?? null,
      reject_h0: test.reject_h0,
    });
  }
  const rows: ResultRows = { result_cohorts: cohorts, result_tests: tests };
  const correlation = statistics.correlation;
  if (correlation) {
    rows.result_correlation = [
      {
        ...periods,
        n: correlation.n,
        pearson: correlation.pearson,
        pearson_ci95_low: low(correlation.pearson_ci95),
        pearson_ci95_high: high(correlation.pearson_ci95),
        p: correlation.p,
        spearman: correlation.spearman,
      },
    ];
  }
  const probabilities = statistics.probabilities;
  if (probabilities) {
    const { n_baseline, n_comparison, n_both, n_any, p_baseline, p_comparison, p_both, p_product, chi2_p, independent } = probabilities;
    rows.result_probabilities = [{ ...periods, n_baseline, n_comparison, n_both, n_any, p_baseline, p_comparison, p_both, p_product, chi2_p, independent }];
  }
  const regression = statistics.regression;
  if (regression?.full) {
    const split = regression.split;
    rows.result_regression = [
      {
        ...periods,
        n: regression.full.n,
        intercept: regression.full.intercept,
        slope: regression.full.slope,
        r2: regression.full.r2,
        r2_test: split?.r2_test ?? null,
        mae_test: split?.mae_test ?? null,
        rmse_test: split?.rmse_test ?? null,
        prediction_minutes: regression.prediction?.minutes ?? null,
        predicted_certificates: regression.prediction?.certificates ?? null,
      },
    ];
  }
  return rows;
}

function moocRow(summary: Record<string, unknown>): ResultRow {
  const exploration = (summary.exploration ?? {}) as { users?: number; actions?: number; dropout?: { dropoutUsers?: number; rate?: number } };
  const model = (summary.dropoutModel ?? {}) as { auc_val?: number | null; auc_test?: number | null; n_test?: number | null };
  return {
    users: exploration.users ?? null,
    actions: exploration.actions ?? null,
    dropout_users: exploration.dropout?.dropoutUsers ?? null,
    dropout_rate: exploration.dropout?.rate ?? null,
    auc_val: model.auc_val ?? null,
    auc_test: model.auc_test ?? null,
    n_test: model.n_test ?? null,
  };
}
