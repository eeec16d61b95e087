// Every Lambda step of the workflow, declared once: the CDK stack makes a function per entry
// (entry file, memory, timeout, which bucket prefixes it may touch), and the local runner maps
// the same names to the same step functions in-process.
import type { WorkflowStepName } from '../lambdas/contracts/workflow-steps';
import { ATHENA_RESULTS_PREFIX, CHECKED_PREFIX, CURATED_PREFIX, RAW_PREFIX, RESULTS_PREFIX, VALIDATED_MOOC_PREFIX } from '../lambdas/contracts/layout';

export interface WorkflowStepSpec {
  /** File under lambdas/handlers/ that exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Key prefixes the function reads (GetObject) and lists. */
  reads: string[];
  /** Key prefixes the function writes (PutObject). */
  writes: string[];
  /** Key prefixes under which the function deletes objects (stale run markers, a re-run's curated partitions). */
  deletes?: string[];
  /** Packages installed next to the bundle instead of bundled (native code, data files). */
  nodeModules?: string[];
  /** arm64 unless a native dependency needs x86_64. */
  architecture?: 'arm64' | 'x86_64';
  /**
   * Bundles the locked @aws-sdk/client-s3 instead of using the runtime's: the run lock's S3
   * conditional writes (If-None-Match and If-Match on PutObject, If-Match on DeleteObject) need a
   * client that knows those parameters, and a client only sends the parameters its version models
   * (an older runtime SDK would make the lock unconditional without a word).
   */
  bundlesS3Client?: boolean;
}

export const WORKFLOW_STEPS = {
  planRun: {
    entry: 'plan-run.ts',
    description: 'Validates the run request, takes the run lock, clears an earlier attempt\'s results and finds which studies have input',
    memoryMb: 256,
    timeoutSeconds: 300,
    reads: [RAW_PREFIX, RESULTS_PREFIX],
    // results/: the run lock (results/.locks/), the "attempt not finished" marker, an earlier attempt's files.
    writes: [RESULTS_PREFIX],
    deletes: [RESULTS_PREFIX],
    bundlesS3Client: true,
  },
  validateEngagementFiles: {
    entry: 'validate-engagement-files.ts',
    description: 'Validation: engagement files present, with their header, data rows and a readable CSV shape; clears a re-run\'s checked and curated partitions',
    memoryMb: 512,
    timeoutSeconds: 900,
    // checked/, curated/: lists and deletes the run's own partitions before the inserts write them again.
    reads: [RAW_PREFIX, CHECKED_PREFIX, CURATED_PREFIX],
    writes: [],
    deletes: [CHECKED_PREFIX, CURATED_PREFIX],
  },
  exportEngagementQuarantine: {
    entry: 'export-engagement-quarantine.ts',
    description: 'Validation: writes rejected engagement rows to results/<runId>/quarantine/ and counts them per reason',
    memoryMb: 1024,
    timeoutSeconds: 900,
    // raw/: the input files' versions (HEAD only), which must be those the structural check read.
    reads: [ATHENA_RESULTS_PREFIX, RAW_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  validateMoocInput: {
    entry: 'validate-mooc-input.ts',
    description: 'Validation: MOOC files structure and row alignment; quarantines rows with bad values; writes the accepted rows typed',
    memoryMb: 3008,
    timeoutSeconds: 900,
    reads: [RAW_PREFIX],
    writes: [RESULTS_PREFIX, VALIDATED_MOOC_PREFIX],
  },
  checkDataQuality: {
    entry: 'check-data-quality.ts',
    description: 'Validation: writes data_quality.json and fails the run when a file has too many bad rows',
    memoryMb: 1024,
    timeoutSeconds: 900,
    reads: [RAW_PREFIX, RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  exportEngagementResults: {
    entry: 'export-engagement-results.ts',
    description: 'Copies the SQL stage results from Athena output into results/<runId>/engagement/',
    memoryMb: 1024,
    timeoutSeconds: 900,
    reads: [ATHENA_RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  removeCohortOutliers: {
    entry: 'remove-cohort-outliers.ts',
    description: 'Statistics step 4: removes one cohort\'s outliers (run as a Map over the cohorts)',
    memoryMb: 1769,
    timeoutSeconds: 900,
    reads: [RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  computeEngagementStatistics: {
    entry: 'compute-engagement-statistics.ts',
    description: 'Statistics steps 5-8: tests, correlation, probabilities, regression, engagement_study.xlsx',
    // The workbook adds about 0.85 GB at Excel's full 1,048,575 rows per sheet (measured) beside the
    // four cleaned cohorts it reads back whole.
    memoryMb: 3008,
    // exceljs (with its zip writer) is ~1.8 MB minified: installed beside the bundle, not inside it.
    nodeModules: ['exceljs'],
    timeoutSeconds: 900,
    reads: [RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  trainDropoutModel: {
    entry: 'train-dropout-model.ts',
    description: 'MOOC: trains and scores the causal drop-out model',
    memoryMb: 3008,
    timeoutSeconds: 900,
    reads: [VALIDATED_MOOC_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  analyzeMooc: {
    entry: 'analyze-mooc.ts',
    description: 'MOOC: exploration, drop-off, categories, segments; writes summary.json',
    memoryMb: 3008,
    timeoutSeconds: 900,
    reads: [VALIDATED_MOOC_PREFIX, ATHENA_RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  buildReport: {
    entry: 'build-report.ts',
    description: 'Result tables (tables/), charts (SVG, PNG, Vega-Lite specs) and the offline dashboard report/index.html with the history of earlier runs',
    memoryMb: 2048,
    timeoutSeconds: 900,
    // raw/: the sha256 of each input file, to tell a repeat of the previous run (same input) from news.
    reads: [RAW_PREFIX, RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
    // resvg ships a native binary, the fonts are files and the dashboard inlines vega's browser build
    // (vega/build/vega.min.js): installed beside the bundle, not bundled.
    nodeModules: ['@resvg/resvg-js', 'dejavu-fonts-ttf', 'vega'],
    architecture: 'x86_64',
  },
  publishManifest: {
    entry: 'publish-manifest.ts',
    description: 'Hashes every result file and writes results/<runId>/manifest.json last',
    memoryMb: 1024,
    timeoutSeconds: 900,
    reads: [RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
    deletes: [RESULTS_PREFIX],
    bundlesS3Client: true,
  },
  recordFailure: {
    entry: 'record-failure.ts',
    description: 'Writes results/<runId>/_FAILED.json when a run fails and releases the run lock',
    memoryMb: 256,
    timeoutSeconds: 60,
    reads: [RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
    deletes: [RESULTS_PREFIX],
    bundlesS3Client: true,
  },
} as const satisfies Record<WorkflowStepName, WorkflowStepSpec>;

export type { WorkflowStepName };
export const WORKFLOW_STEP_ENV = 'WORKFLOW_STEP';
