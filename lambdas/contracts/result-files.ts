// The catalogue of a run's result files: every file the workflow writes under results/<runId>/,
// with the step that writes it, its columns (CSV) or the type of its content (JSON), and what it
// means. Steps take file names from here, the report reads by them, and a test holds the README's
// results table to this list.
import type { WorkflowStepName } from './workflow-steps';

/** A file or a family of files (placeholders in <>) under results/<runId>/. */
export interface ResultFileEntry {
  /** Folder under the run folder ('' for the run folder itself). */
  folder: '' | 'engagement' | 'mooc' | 'quarantine' | 'report' | 'tables';
  /** File name, with <placeholders> where it varies. */
  name: string;
  /** The step(s) that write it. */
  producers: readonly WorkflowStepName[];
  format: 'csv' | 'json' | 'html' | 'svg, png, vl.json' | 'xlsx';
  /** CSV header, in order; a <placeholder> stands for columns that vary with the run. Absent when the columns are an input file's. */
  columns?: readonly string[];
  /** JSON: the TypeScript type of the content, and where it is declared. */
  schema?: string;
  /** One line an analyst can read. */
  meaning: string;
}

/** The MOOC users' per-user figures (user_features.csv, the segments and the drop-out correlations). */
export const MOOC_USER_FEATURES = [
  'n_actions',
  'active_days',
  'span_seconds',
  'mean_gap_seconds',
  'distinct_targets',
  'feature0_mean',
  'feature1_mean',
  'feature2_mean',
  'feature3_mean',
] as const;

const COHORT_COLUMNS = ['student_id', 'minutes_watched', 'paid_in_period'] as const;

export const RESULT_FILES = {
  manifest: {
    folder: '',
    name: 'manifest.json',
    producers: ['publishManifest'],
    format: 'json',
    schema: 'RunManifest (contracts/manifest.ts)',
    meaning: 'written last, only when the run succeeded: what ran, on which inputs, and every output with its rows, bytes and sha256',
  },
  failed: {
    folder: '',
    name: '_FAILED.json',
    producers: ['recordFailure'],
    format: 'json',
    schema: 'FailureRecord (contracts/result-types.ts)',
    meaning: 'written instead of manifest.json when the run fails: the failed state, the error and its cause',
  },
  dataQuality: {
    folder: '',
    name: 'data_quality.json',
    producers: ['checkDataQuality'],
    format: 'json',
    schema: 'DataQualityReport (validation/data-quality.ts)',
    meaning: 'rows read, accepted and quarantined per input file, with the reasons',
  },
  cohortMinutes: {
    folder: 'engagement',
    name: 'minutes_watched_<YYYY>Q<q>_paid_<0|1>.csv',
    producers: ['exportEngagementResults'],
    format: 'csv',
    columns: COHORT_COLUMNS,
    meaning: 'minutes watched per student of one period and paid group (queries/cohort_minutes.sql)',
  },
  cohortMinutesWithoutOutliers: {
    folder: 'engagement',
    name: 'minutes_watched_<YYYY>Q<q>_paid_<0|1>_no_outliers.csv',
    producers: ['removeCohortOutliers'],
    format: 'csv',
    columns: COHORT_COLUMNS,
    meaning: 'the cohort after outlier removal (students strictly below the cutoff)',
  },
  minutesAndCertificates: {
    folder: 'engagement',
    name: 'minutes_and_certificates.csv',
    producers: ['exportEngagementResults'],
    format: 'csv',
    columns: ['student_id', 'certificates_issued', 'minutes_watched'],
    meaning: 'certificates issued in the comparison period and minutes watched over both periods',
  },
  purchasesInfo: {
    folder: 'engagement',
    name: 'purchases_info.csv',
    producers: ['exportEngagementResults'],
    format: 'csv',
    columns: ['purchase_id', 'student_id', 'plan_id', 'date_start', 'date_end', 'paid_q<q>_<yyyy>'],
    meaning: 'every purchase with its access days and a flag per period it overlaps',
  },
  statistics: {
    folder: 'engagement',
    name: 'statistics.json',
    producers: ['computeEngagementStatistics'],
    format: 'json',
    schema: 'EngagementStatistics (contracts/engagement-statistics.ts)',
    meaning: 'the study\'s figures: cohorts, tests, correlation, probabilities and regression (see below)',
  },
  regressionPredictions: {
    folder: 'engagement',
    name: 'regression_predictions.csv',
    producers: ['computeEngagementStatistics'],
    format: 'csv',
    columns: ['student_id', 'minutes_watched', 'actual', 'predicted', 'split'],
    meaning: 'the regression\'s prediction per student, split train/test',
  },
  engagementWorkbook: {
    folder: 'engagement',
    name: 'engagement_study.xlsx',
    producers: ['computeEngagementStatistics'],
    format: 'xlsx',
    meaning: 'the study in Excel: data sheets and the figures as live formulas beside the workflow\'s figures (see below)',
  },
  moocSummary: {
    folder: 'mooc',
    name: 'summary.json',
    producers: ['analyzeMooc'],
    format: 'json',
    schema: 'described in docs/mooc-summary.md',
    meaning: 'the MOOC study\'s figures and the drop-out model\'s scores',
  },
  moocDailyActivity: {
    folder: 'mooc',
    name: 'daily_activity.csv',
    producers: ['analyzeMooc'],
    format: 'csv',
    columns: ['day', 'actions', 'active_users', 'dropouts_that_day'],
    meaning: 'actions, active users and drop-outs per day',
  },
  moocHourCycleDayActivity: {
    folder: 'mooc',
    name: 'hour_cycle_day_activity.csv',
    producers: ['analyzeMooc'],
    format: 'csv',
    columns: ['cycle_day', 'hour', 'actions', 'active_users'],
    meaning: 'actions and active users per hour and day of the 7-day cycle',
  },
  moocTargetCategories: {
    folder: 'mooc',
    name: 'target_categories.csv',
    producers: ['analyzeMooc'],
    format: 'csv',
    columns: ['TARGETID', 'category', 'actions', 'users', 'mean_position', 'last_actions', 'dropout_last_actions', 'dropout_share', 'label_rate'],
    meaning: 'each target (course item) with its category and how often it is a drop-out\'s last action',
  },
  moocUserSegments: {
    folder: 'mooc',
    name: 'user_segments.csv',
    producers: ['analyzeMooc'],
    format: 'csv',
    columns: ['USERID', 'segment'],
    meaning: 'the k-means segment of each user',
  },
  moocUserFeatures: {
    folder: 'mooc',
    name: 'user_features.csv',
    producers: ['analyzeMooc'],
    format: 'csv',
    columns: ['USERID', ...MOOC_USER_FEATURES, 'dropout'],
    meaning: 'per-user activity figures and whether the user dropped out',
  },
  moocDropoutPredictions: {
    folder: 'mooc',
    name: 'dropout_predictions.csv',
    producers: ['trainDropoutModel'],
    format: 'csv',
    columns: ['row', 'USERID', 'split', 'score', 'LABEL'],
    meaning: 'the drop-out model\'s score per action row of the validation and test splits',
  },
  moocDropoutModel: {
    folder: 'mooc',
    name: 'dropout_model.json',
    producers: ['trainDropoutModel'],
    format: 'json',
    schema: 'the trained gradient-boosted trees and their settings (analysis/mooc/dropout-model.ts)',
    meaning: 'the drop-out model itself, to score other rows',
  },
  quarantine: {
    folder: 'quarantine',
    name: '<file>.csv',
    producers: ['exportEngagementQuarantine', 'validateMoocInput'],
    format: 'csv',
    meaning: 'the rejected rows of one input file with their original columns and a reason (MOOC: also the file line)',
  },
  reportIndex: {
    folder: 'report',
    name: 'index.html',
    producers: ['buildReport'],
    format: 'html',
    meaning: 'the dashboard: one self-contained offline page',
  },
  reportCharts: {
    folder: 'report',
    name: 'charts/<name>.<svg|png|vl.json>',
    producers: ['buildReport'],
    format: 'svg, png, vl.json',
    meaning: 'every chart as SVG and PNG, and its Vega-Lite spec to restyle',
  },
  reportFindings: {
    folder: 'report',
    name: 'findings.json',
    producers: ['buildReport'],
    format: 'json',
    schema: '{ run_id, findings: Finding[], notes } (analysis/report/findings.ts)',
    meaning: 'the headline findings shown on the dashboard and at the end of `engagement run`',
  },
  resultTables: {
    folder: 'tables',
    name: '<table>/<table>.json',
    producers: ['buildReport'],
    format: 'json',
    schema: 'JSON lines, one row per line, columns as declared in contracts/result-tables.ts',
    meaning: 'the run\'s figures as rows of the result tables (JSON lines, run_id first)',
  },
} as const satisfies Record<string, ResultFileEntry>;

export type ResultFileId = keyof typeof RESULT_FILES;

/** The key of an entry relative to results/<runId>/ (placeholders kept). */
export function resultFileKey(entry: Pick<ResultFileEntry, 'folder' | 'name'>): string {
  return entry.folder ? `${entry.folder}/${entry.name}` : entry.name;
}

export const MANIFEST_FILE = RESULT_FILES.manifest.name;
export const FAILED_FILE = RESULT_FILES.failed.name;
export const DATA_QUALITY_FILE = RESULT_FILES.dataQuality.name;
export const STATISTICS_FILE = RESULT_FILES.statistics.name;
export const REGRESSION_PREDICTIONS_FILE = RESULT_FILES.regressionPredictions.name;
export const MINUTES_AND_CERTIFICATES_FILE = RESULT_FILES.minutesAndCertificates.name;
export const PURCHASES_INFO_FILE = RESULT_FILES.purchasesInfo.name;
export const MOOC_SUMMARY_FILE = RESULT_FILES.moocSummary.name;
export const ENGAGEMENT_WORKBOOK_FILE = RESULT_FILES.engagementWorkbook.name;

/** The MOOC study's files other than summary.json, by the name the analysis and the report use. */
export const MOOC_FILES = {
  daily: RESULT_FILES.moocDailyActivity.name,
  hourCycleDay: RESULT_FILES.moocHourCycleDayActivity.name,
  targetCategories: RESULT_FILES.moocTargetCategories.name,
  segments: RESULT_FILES.moocUserSegments.name,
  userFeatures: RESULT_FILES.moocUserFeatures.name,
  predictions: RESULT_FILES.moocDropoutPredictions.name,
  model: RESULT_FILES.moocDropoutModel.name,
} as const;

/** minutes_watched_<YYYY>Q<q>_paid_<0|1>.csv, or with a suffix such as '_no_outliers'. */
export function cohortFileName(periodLabel: string, paid: 0 | 1, suffix = ''): string {
  return `minutes_watched_${periodLabel}_paid_${paid}${suffix}.csv`;
}

/** Each entry's key as a pattern: <YYYY>, <q> and <0|1> as what they stand for, any other <placeholder> as one or more characters. */
const KEY_PATTERNS: [ResultFileId, RegExp][] = (Object.entries(RESULT_FILES) as [ResultFileId, ResultFileEntry][]).map(([id, entry]) => {
  const source = resultFileKey(entry)
    .split(/(<[^>]+>)/)
    .map((part) => {
      if (part === '<YYYY>') return '\\d{4}';
      if (part === '<q>') return '[1-4]';
      if (part.startsWith('<') && part.endsWith('>')) {
        const choices = part.slice(1, -1).split('|');
        return choices.length > 1 ? `(?:${choices.map(escapeRegExp).join('|')})` : '[^/]+';
      }
      return escapeRegExp(part);
    })
    .join('');
  return [id, new RegExp(`^${source}$`)];
});

/** The catalogue entry a key (relative to results/<runId>/) belongs to, if any. */
export function resultFileIdOf(relativeKey: string): ResultFileId | undefined {
  return KEY_PATTERNS.find(([, pattern]) => pattern.test(relativeKey))?.[0];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
