// The workflow's Lambda steps by name. Declared here, beside the payloads they exchange, so the
// steps' registry, the deployment specs (lib/function-specs.ts `satisfies` a record of these) and
// the catalogue of result files name the same steps without a Lambda importing infrastructure.
export const WORKFLOW_STEP_NAMES = [
  'planRun',
  'validateEngagementFiles',
  'exportEngagementQuarantine',
  'validateMoocInput',
  'checkDataQuality',
  'exportEngagementResults',
  'removeCohortOutliers',
  'computeEngagementStatistics',
  'trainDropoutModel',
  'analyzeMooc',
  'buildReport',
  'publishManifest',
  'recordFailure',
] as const;

export type WorkflowStepName = (typeof WORKFLOW_STEP_NAMES)[number];
