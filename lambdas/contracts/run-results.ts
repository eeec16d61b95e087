// What the report is given of a run: the build-report step reads results/<runId>/ into this shape
// (lambdas/steps/read-run-results.ts) and the pure report code (lambdas/analysis/report/) draws from
// it, so the report itself never touches the store.
import type { CsvTable } from '../tabular/csv';
import type { StatisticsAsRead } from './engagement-statistics';
import type { FailedMarker, RunManifest, StudyPeriodLabels } from './result-types';

export type Paid = 0 | 1;

export interface CohortSample {
  period: string;
  paid: Paid;
  /** Minutes watched per student before outlier removal (undefined when the file is missing). */
  before?: number[];
  /** After outlier removal. */
  after?: number[];
}

export interface EngagementResults {
  statistics?: StatisticsAsRead;
  cohorts: CohortSample[];
  minutesAndCertificates?: { minutes: number; certificates: number }[];
}

export interface MoocResults {
  summary?: Record<string, unknown>;
  daily?: CsvTable;
  hourCycleDay?: CsvTable;
  targetCategories?: CsvTable;
  segments?: CsvTable;
  userFeatures?: CsvTable;
  predictions?: CsvTable;
  model?: Record<string, unknown>;
}

/** One object under the run folder. */
export interface RunFolderFile {
  /** Relative to results/<runId>/. */
  key: string;
  size: number;
}

export interface RunResults {
  runId: string;
  manifest?: RunManifest;
  failed?: FailedMarker;
  dataQuality?: unknown;
  periods?: StudyPeriodLabels;
  /** Undefined when the study did not run (skipped, or nothing of it was written). */
  engagement?: EngagementResults;
  mooc?: MoocResults;
  /** Every object under the run folder (for the dashboard's links). */
  files: RunFolderFile[];
  /** Why something is missing, in plain words. */
  notes: string[];
}

/**
 * What the workflow knows of the run it is in (from its state payload): the report of a running
 * attempt takes these from here and never reads a manifest or _FAILED.json, which could only be
 * an earlier attempt's.
 */
export interface RunFacts {
  periods?: StudyPeriodLabels;
  studies: Record<string, { run: boolean; note?: string }>;
}
