// engagement/statistics.json: the figures of steps 4-8 of the engagement study, declared once. The
// statistics analysis (lambdas/analysis/stats/) builds its results as these shapes (with a notes
// list where the file has one `note`), the workbook writes them, and the report and the result
// tables read the file back as StatisticsAsRead. A figure that could not be computed is null and
// the part's `note` says why; NaN and Infinity never appear (JSON has neither).
import type { PaidGroup, PeriodRole } from './period-files';

/** A 95% interval: lower, upper. */
export type Interval = [number, number];

/** |cohens_d| in Cohen's bands: negligible < 0.2, small < 0.5, medium < 0.8, large. */
export type EffectSize = 'negligible' | 'small' | 'medium' | 'large';

/** Step 4 (outlier removal) and step 5's description of one cohort, e.g. cohorts["2021Q2_paid"]. */
export interface CohortStatistics {
  n_before: number;
  /** The outlier_quantile quantile of the cohort's minutes; null for an empty cohort. */
  cutoff: number | null;
  n_after: number;
  mean: number | null;
  median: number | null;
  sd: number | null;
  ci95_t: Interval | null;
  ci95_z: Interval | null;
  note?: string;
}

/** Mann-Whitney U of the two periods' minutes (normal approximation, tie and continuity corrected). */
export interface RankTest {
  /** U of the comparison period: pairs (comparison, baseline) where the comparison student watched more, ties counting half. */
  u: number;
  /** (U - n1 n2 / 2), moved 0.5 towards 0, over the tie-corrected standard deviation. */
  z: number | null;
  p_two_sided: number | null;
  /** 2U / (n1 n2) - 1, in [-1, 1]: positive when comparison students tend to watch more. */
  rank_biserial: number;
  method: string;
}

/** Percentile bootstrap interval of the difference in mean minutes (comparison - baseline). */
export interface BootstrapInterval {
  method: string;
  seed: number;
  resamples: number;
  /** 2.5% and 97.5% quantiles (linear interpolation, as numpy.percentile) of the resampled differences. */
  mean_difference_ci95: Interval;
}

/** Step 5's test of one plan (free or paid): baseline period against comparison period. */
export interface GroupTest {
  F: number | null;
  p_F: number | null;
  t_pooled: number | null;
  df_pooled: number | null;
  p_pooled_one_sided: number | null;
  p_pooled_two_sided: number | null;
  t_welch: number | null;
  df_welch: number | null;
  p_welch_one_sided: number | null;
  p_welch_two_sided: number | null;
  chosen: 'pooled' | 'welch' | null;
  /** (comparison mean - baseline mean) / pooled SD: positive when engagement rose. */
  cohens_d: number | null;
  effect_size: EffectSize | null;
  /** Comparison mean - baseline mean, in minutes. */
  mean_difference: number | null;
  /** 95% interval of mean_difference from the chosen t-test (pooled or Welch standard error and df). */
  mean_difference_ci95: Interval | null;
  /** The chosen test's two-sided p: is there a change in either direction? */
  p_two_sided: number | null;
  /** rose / fell (by the means) / unchanged */
  direction: 'rose' | 'fell' | 'unchanged' | null;
  /** p_two_sided < alpha: a significant change, in the direction above. */
  significant_change: boolean | null;
  /** The study's one-sided test (H0: comparison mean <= baseline mean), chosen t-test, at alpha. */
  reject_h0: boolean | null;
  mann_whitney: RankTest | null;
  /** Does the rank test find a significant change in the same direction as the means (or none, as they)? */
  rank_test_agrees: boolean | null;
  bootstrap: BootstrapInterval | null;
  conclusion: string;
  note?: string;
}

/** Step 6: minutes watched against certificates issued, over every student. */
export interface CorrelationStatistics {
  n: number;
  pearson: number | null;
  pearson_ci95: Interval | null;
  /** Two-sided p of Pearson's r (H0: no linear correlation). */
  p: number | null;
  spearman: number | null;
  note?: string;
}

/** Step 7: among distinct students who watched in either period, watching in each, in both, and independence. */
export interface ProbabilityStatistics {
  n_baseline: number;
  n_comparison: number;
  n_both: number;
  n_any: number;
  p_baseline: number | null;
  p_comparison: number | null;
  p_both: number | null;
  p_product: number | null;
  independent: boolean | null;
  chi2: number | null;
  chi2_p: number | null;
  p_baseline_given_comparison: number | null;
  p_comparison_given_baseline: number | null;
  method: string;
  note?: string;
}

/** How much single students move the full line: Cook's distance (statsmodels' OLSInfluence.cooks_distance). */
export interface InfluenceStatistics {
  cooks_distance_threshold: number | null;
  max_cooks_distance: number | null;
  max_cooks_distance_student_id: number | null;
  n_above_threshold: number | null;
}

/** Step 8: certificates issued on minutes watched, by ordinary least squares. */
export interface RegressionStatistics {
  full: { intercept: number | null; slope: number | null; se_intercept: number | null; se_slope: number | null; r2: number | null; n: number };
  /** The line fitted on a seeded train part, scored on the rest. */
  split: {
    seed: number;
    test_fraction: number;
    n_train: number;
    n_test: number;
    intercept: number | null;
    slope: number | null;
    r2_train: number | null;
    r2_test: number | null;
    mae_test: number | null;
    rmse_test: number | null;
  };
  prediction: { minutes: number; certificates: number | null };
  influence: InfluenceStatistics;
  note?: string;
}

/** A cohort's key in statistics.json's `cohorts`: <period label>_<free|paid>, e.g. 2021Q2_paid. */
export function cohortKey(periodLabel: string, group: PaidGroup): string {
  return `${periodLabel}_${group}`;
}

/** engagement/statistics.json as this version writes it. */
export interface EngagementStatistics {
  periods: Record<PeriodRole, string>;
  alpha: number;
  /** The quantile every cohort's outliers were cut at; null when the cohorts used different ones. */
  outlier_quantile: number | null;
  /** By cohortKey: <period label>_<free|paid>. */
  cohorts: Record<string, CohortStatistics>;
  tests: Record<PaidGroup, GroupTest>;
  correlation: CorrelationStatistics;
  probabilities: ProbabilityStatistics;
  regression: RegressionStatistics;
}

/** A part of the file as the analysis computes it: every note in a list, joined into `note` when written. */
export type WithNotes<Part extends { note?: string }> = Omit<Part, 'note'> & { notes: string[] };

/** GroupTest's fields written since the two-sided reading of the test: older files lack them. */
type TwoSidedReadingField =
  | 'p_pooled_two_sided'
  | 'p_welch_two_sided'
  | 'effect_size'
  | 'mean_difference'
  | 'mean_difference_ci95'
  | 'p_two_sided'
  | 'direction'
  | 'significant_change'
  | 'mann_whitney'
  | 'rank_test_agrees'
  | 'bootstrap';

/** A test as read back: a file from before the two-sided reading lacks those fields. */
export type GroupTestAsRead = Omit<GroupTest, TwoSidedReadingField> & Partial<Pick<GroupTest, TwoSidedReadingField>>;

/**
 * statistics.json as the report and the result tables read it: this version's file, or an older or
 * hand-made one, which may lack a plan's test, the steps 6-8 parts, alpha or outlier_quantile.
 */
export type StatisticsAsRead = Pick<EngagementStatistics, 'periods' | 'cohorts'> & {
  alpha?: number | null;
  outlier_quantile?: number | null;
  tests: Partial<Record<PaidGroup, GroupTestAsRead>>;
  correlation?: CorrelationStatistics | null;
  probabilities?: ProbabilityStatistics | null;
  regression?: RegressionStatistics | null;
};
