// Step name (contracts/workflow-steps.ts) -> step function, for the local runner. The type makes
// a step named in contracts but missing here (or in lib/function-specs.ts) a compile error.
import type { WorkflowStepName } from '../contracts/workflow-steps';
import { buildReportStep } from './build-report';
import { computeStatisticsStep } from './compute-engagement-statistics';
import { exportEngagementResults } from './export-engagement-results';
import { checkDataQuality } from './check-data-quality';
import { exportEngagementQuarantine } from './export-engagement-quarantine';
import { validateEngagementFiles } from './validate-engagement-files';
import { validateMoocInput } from './validate-mooc-input';
import { analyzeMoocStep, trainDropoutModelStep } from './mooc-steps';
import { planRun } from './plan-run';
import { publishManifest } from './publish-manifest';
import { recordFailure } from './record-failure';
import { removeCohortOutliers } from './remove-cohort-outliers';
import type { WorkflowStep } from './step-context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const STEP_FUNCTIONS: Record<WorkflowStepName, WorkflowStep<any, unknown>> = {
  planRun,
  validateEngagementFiles,
  exportEngagementQuarantine,
  validateMoocInput,
  checkDataQuality,
  exportEngagementResults,
  removeCohortOutliers,
  computeEngagementStatistics: computeStatisticsStep,
  trainDropoutModel: trainDropoutModelStep,
  analyzeMooc: analyzeMoocStep,
  buildReport: buildReportStep,
  publishManifest,
  recordFailure,
};
