// Every Lambda step of the workflow, declared once: the CDK stack makes a function per entry
// (entry file, memory, timeout, which bucket prefixes it may touch), and the local runner maps
// the same names to the same step functions in-process.
import { ATHENA_RESULTS_PREFIX, RAW_PREFIX, RESULTS_PREFIX } from '../core/layout';

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
}

export const WORKFLOW_STEPS = {
  planRun: {
    entry: 'plan-run.ts',
    description: 'Validates the run request, resolves the periods and finds which studies have input',
    memoryMb: 256,
    timeoutSeconds: 60,
    reads: [RAW_PREFIX, RESULTS_PREFIX],
    writes: [],
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
    description: 'Statistics steps 5-8: tests, correlation, probabilities, regression',
    memoryMb: 1769,
    timeoutSeconds: 900,
    reads: [RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  trainDropoutModel: {
    entry: 'train-dropout-model.ts',
    description: 'MOOC: trains and scores the causal drop-out model',
    memoryMb: 3008,
    timeoutSeconds: 900,
    reads: [RAW_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  analyzeMooc: {
    entry: 'analyze-mooc.ts',
    description: 'MOOC: exploration, drop-off, categories, segments; writes summary.json',
    memoryMb: 3008,
    timeoutSeconds: 900,
    reads: [RAW_PREFIX, ATHENA_RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  publishManifest: {
    entry: 'publish-manifest.ts',
    description: 'Hashes every result file and writes results/<runId>/manifest.json last',
    memoryMb: 1024,
    timeoutSeconds: 900,
    reads: [RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
  recordFailure: {
    entry: 'record-failure.ts',
    description: 'Writes results/<runId>/_FAILED.json when a run fails',
    memoryMb: 256,
    timeoutSeconds: 60,
    reads: [RESULTS_PREFIX],
    writes: [RESULTS_PREFIX],
  },
} as const satisfies Record<string, WorkflowStepSpec>;

export type WorkflowStepName = keyof typeof WORKFLOW_STEPS;
export const WORKFLOW_STEP_ENV = 'WORKFLOW_STEP';
