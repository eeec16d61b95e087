// Shapes of the result files the report reads. Figures may be null (with a note) when a stage could
// not compute them, so every number here is optional in practice.

import type { ManifestOutput, RunManifest as WrittenManifest } from './manifest';

export type Figure = number | null;
export type Interval = [Figure, Figure] | null;

export interface StudyPeriodLabels {
  baseline: string;
  comparison: string;
}

export interface CohortStatistics {
  n_before: Figure;
  cutoff: Figure;
  n_after: Figure;
  mean: Figure;
  median: Figure;
  sd: Figure;
  ci95_t: Interval;
  ci95_z: Interval;
  note?: string;
}

export interface GroupTest {
  F: Figure;
  p_F: Figure;
  t_pooled: Figure;
  df_pooled: Figure;
  p_pooled_one_sided: Figure;
  p_pooled_two_sided?: Figure;
  t_welch: Figure;
  df_welch: Figure;
  p_welch_one_sided: Figure;
  p_welch_two_sided?: Figure;
  chosen: 'pooled' | 'welch' | null;
  cohens_d: Figure;
  reject_h0: boolean | null;
  conclusion: string | null;
  /** Written since the two-sided reading; older statistics.json files lack them. */
  effect_size?: string | null;
  mean_difference?: Figure;
  mean_difference_ci95?: Interval;
  p_two_sided?: Figure;
  direction?: 'rose' | 'fell' | 'unchanged' | null;
  significant_change?: boolean | null;
  mann_whitney?: { u: Figure; z: Figure; p_two_sided: Figure; rank_biserial: Figure; method?: string } | null;
  rank_test_agrees?: boolean | null;
  bootstrap?: { method?: string; seed: Figure; resamples: Figure; mean_difference_ci95: Interval } | null;
  note?: string;
}

export interface InfluenceStatistics {
  cooks_distance_threshold: Figure;
  max_cooks_distance: Figure;
  max_cooks_distance_student_id: Figure;
  n_above_threshold: Figure;
}

export interface CorrelationStatistics {
  n: Figure;
  pearson: Figure;
  pearson_ci95: Interval;
  p: Figure;
  spearman: Figure;
  note?: string;
}

export interface ProbabilityStatistics {
  n_baseline: Figure;
  n_comparison: Figure;
  n_both: Figure;
  n_any: Figure;
  p_baseline: Figure;
  p_comparison: Figure;
  p_both: Figure;
  p_product: Figure;
  independent: boolean | null;
  chi2_p: Figure;
  p_baseline_given_comparison: Figure;
  p_comparison_given_baseline: Figure;
  note?: string;
}

export interface RegressionFit {
  intercept: Figure;
  slope: Figure;
  se_intercept: Figure;
  se_slope: Figure;
  r2: Figure;
  n: Figure;
  note?: string;
}

export interface EngagementStatistics {
  periods: StudyPeriodLabels;
  alpha?: Figure;
  cohorts: Record<string, CohortStatistics>;
  tests: Partial<Record<'free' | 'paid', GroupTest>>;
  correlation?: CorrelationStatistics | null;
  probabilities?: ProbabilityStatistics | null;
  regression?: {
    full?: RegressionFit | null;
    split?: RegressionFit | null;
    prediction?: { minutes: Figure; certificates: Figure } | null;
    influence?: InfluenceStatistics | null;
    note?: string;
  } | null;
  note?: string;
}

export type { ManifestOutput };

/** A manifest as read back: written by PublishManifest, tolerant of older or hand-made files. */
export type RunManifest = Pick<WrittenManifest, 'run_id' | 'started_at' | 'finished_at' | 'outputs'> & {
  status: WrittenManifest['status'] | 'failed';
  periods?: StudyPeriodLabels;
  studies?: Record<string, { status: string; note?: string }>;
  inputs?: WrittenManifest['inputs'];
};

/** _FAILED.json as RecordFailure writes it. */
export interface FailureRecord {
  run_id: string;
  status: 'failed';
  failed_at: string;
  state: string | null;
  error: string;
  cause: string;
}

/** _FAILED.json as read back (FailureRecord, or an older or hand-made file). */
export interface FailedMarker {
  state?: string;
  error?: string;
  cause?: string;
}
