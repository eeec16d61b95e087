// Step name (contracts/workflow-steps.ts) -> step function, for the local runner. The type makes
// a step named in contracts but missing here (or in lib/function-specs.ts), or one whose event or
// result differs from contracts/state-payloads.ts StepPayloads, a compile error.
import type { WorkflowStepName } from '../contracts/workflow-steps';
import type { StepEvent, StepResult } from '../contracts/state-payloads';
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

export const STEP_FUNCTIONS: { [S in WorkflowStepName]: WorkflowStep<StepEvent<S>, StepResult<S>> } = {
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

/**
 * A step as the local runner calls it: with the JSON the state machine hands it. That JSON is the
 * payload lib/workflow.ts built against the step's StepPayloads event, so no check is repeated here.
 */
export function untypedStep(name: WorkflowStepName): WorkflowStep<unknown, unknown> {
  return STEP_FUNCTIONS[name] as WorkflowStep<never, unknown> as WorkflowStep<unknown, unknown>;
}
