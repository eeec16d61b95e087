// Step name (contracts/workflow-steps.ts) -> step function, for the local runner. The type makes
// a step named in contracts but missing here (or in lib/function-specs.ts), or one whose event or
// result differs from contracts/state-payloads.ts StepPayloads, a compile error.
// Each step's module loads when the step first runs, not when the runner starts: the heavy ones
// (vega and resvg for the report, exceljs and the distributions for the statistics, the MOOC
// models) then load while DuckDB runs the SQL states on the other core, and a run without one of
// the studies never loads that study's modules.
import type { WorkflowStepName } from '../contracts/workflow-steps';
import type { StepEvent, StepResult } from '../contracts/state-payloads';
import type { WorkflowStep } from './step-context';

/** A step whose module can be loaded ahead of its first call. */
type Preloadable = { preload?: () => Promise<unknown> };

/** A step that imports its module on its first call (later calls reuse it), or when preloaded. */
function loadedOnFirstCall<E, R>(load: () => Promise<WorkflowStep<E, R>>): WorkflowStep<E, R> {
  let step: Promise<WorkflowStep<E, R>> | undefined;
  const loaded = (): Promise<WorkflowStep<E, R>> => (step ??= load());
  const call: WorkflowStep<E, R> = async (event, context) => (await loaded())(event, context);
  return Object.assign(call, { preload: loaded });
}

/**
 * Loads a step's module now rather than on its first call: the local runner does so for the report
 * while DuckDB runs the first SQL states and this thread would only wait. A module that fails to
 * load fails again, with its error, when the step is called.
 */
export function preloadStep(name: WorkflowStepName): void {
  void (STEP_FUNCTIONS[name] as Preloadable).preload?.().catch(() => undefined);
}

export const STEP_FUNCTIONS: { [S in WorkflowStepName]: WorkflowStep<StepEvent<S>, StepResult<S>> } = {
  planRun: loadedOnFirstCall(async () => (await import('./plan-run')).planRun),
  validateEngagementFiles: loadedOnFirstCall(async () => (await import('./validate-engagement-files')).validateEngagementFiles),
  exportEngagementQuarantine: loadedOnFirstCall(async () => (await import('./export-engagement-quarantine')).exportEngagementQuarantine),
  validateMoocInput: loadedOnFirstCall(async () => (await import('./validate-mooc-input')).validateMoocInput),
  checkDataQuality: loadedOnFirstCall(async () => (await import('./check-data-quality')).checkDataQuality),
  exportEngagementResults: loadedOnFirstCall(async () => (await import('./export-engagement-results')).exportEngagementResults),
  removeCohortOutliers: loadedOnFirstCall(async () => (await import('./remove-cohort-outliers')).removeCohortOutliers),
  computeEngagementStatistics: loadedOnFirstCall(async () => (await import('./compute-engagement-statistics')).computeStatisticsStep),
  trainDropoutModel: loadedOnFirstCall(async () => (await import('./mooc-steps')).trainDropoutModelStep),
  analyzeMooc: loadedOnFirstCall(async () => (await import('./mooc-steps')).analyzeMoocStep),
  buildReport: loadedOnFirstCall(async () => (await import('./build-report')).buildReportStep),
  publishManifest: loadedOnFirstCall(async () => (await import('./publish-manifest')).publishManifest),
  recordFailure: loadedOnFirstCall(async () => (await import('./record-failure')).recordFailure),
};

/**
 * A step as the local runner calls it: with the JSON the state machine hands it. That JSON is the
 * payload lib/workflow.ts built against the step's StepPayloads event, so no check is repeated here.
 */
export function untypedStep(name: WorkflowStepName): WorkflowStep<unknown, unknown> {
  return STEP_FUNCTIONS[name] as WorkflowStep<never, unknown> as WorkflowStep<unknown, unknown>;
}
