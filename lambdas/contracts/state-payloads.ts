// The payloads the workflow's states pass each other: every Lambda step's input and output
// (StepPayloads), what PlanRun puts in the state for the states after it, and the state as the
// later states add their results to it. The steps and their registry take these types from here,
// and lib/workflow.ts builds every JSONPath from them (lib/state-paths.ts), so a path to a field
// these types do not declare, or a payload unlike the step's event, fails `tsc`.
import type { Period } from '../analysis/periods';
import type {
  CohortMinutesParameters,
  MinutesAndCertificatesParameters,
  PurchasesInfoFlagsParameters,
} from '../athena/query-parameters';
import type { InputCount } from './manifest';
import type { PaidGroup, PeriodRole } from './period-files';
import type { Study } from './tables';
import type { AnalysisOptions } from './run-options';
import type { StudyQuality } from '../validation/data-quality';
import type { FailureRecord } from './result-types';
import type { WorkflowStepName } from './workflow-steps';

export type { InputCount, StudyQuality };

// PlanRun

export interface RunRequest {
  /** The run id, when it is not the execution name (a rerun of an id in AWS: names are unique per execution). */
  runId?: unknown;
  baseline?: unknown;
  comparison?: unknown;
  rolling?: unknown;
  /**
   * The time of the schedule's event that started the run (ISO 8601, EventBridge's `time`), with
   * rolling: the rolling periods count from it rather than from when PlanRun runs, so a rerun of a
   * scheduled month analyses the same quarters; without runId the run id is its month (2026-12).
   */
  scheduledAt?: unknown;
  /** Analysis options (see AnalysisOptions). */
  options?: unknown;
  /**
   * Statistics only: the SQL stage's period files are already in results/<runId>/engagement/
   * (e.g. an analyst's own files), so the run starts at the statistics stage.
   */
  periodFiles?: unknown;
}

export interface PlanRunEvent {
  /** As the execution input or name gave it: PlanRun validates it. */
  runId: unknown;
  /** This attempt: the execution ARN ($$.Execution.Id), or the local runner's execution id. */
  execution: string;
  request?: RunRequest | null;
  /** The run's query templates by state key (lib/workflow.ts RUN_QUERY_FILES); returned filled in as runQueries. */
  queryTemplates?: Record<string, string>;
}

export interface StudyPlan {
  run: boolean;
  note: string;
}

export interface CohortPlan {
  /** e.g. 2021Q2_paid */
  name: string;
  period: string;
  role: PeriodRole;
  group: PaidGroup;
  paid: 0 | 1;
  fileName: string;
  /** The cohort query's parameters by name; absent when the run starts from period files (no query runs). */
  parameters?: CohortMinutesParameters;
}

/** A period as the run knows it; period files from analysts may be labelled by year only. */
export type PlanPeriod = Pick<Period, 'label'> & Partial<Period>;

export interface RunPlan {
  runId: string;
  startedAt: string;
  /** 'sql': the whole workflow; 'periodFiles': statistics on period files already in place. */
  mode: 'sql' | 'periodFiles';
  periods: { baseline: PlanPeriod; comparison: PlanPeriod };
  /** When the monthly schedule started the run (RunRequest.scheduledAt), else null. */
  scheduledAt: string | null;
  studies: Record<Study, StudyPlan>;
  options: AnalysisOptions;
  /** Every query of this run, filled in with its validated run id and data range (run-sql.ts). */
  runQueries: Record<string, string>;
  engagement: {
    cohorts: CohortPlan[];
    minutesAndCertificatesFile: string;
    /** Absent when the run starts from period files (no query runs). */
    minutesAndCertificatesParameters?: MinutesAndCertificatesParameters;
    purchasesInfoParameters?: PurchasesInfoFlagsParameters;
  };
}

// Athena .sync tasks (the ResultSelector of lib/workflow.ts keeps only this)

export interface AthenaOutput {
  outputLocation: string;
}

/** An item of the CohortQueries Map: the cohort and its run's query text. */
export interface CohortQueryItem {
  cohort: CohortPlan;
  sql: string;
}

// Validation (ValidateInputs: one StudyQuality per study branch)

export interface ValidateEngagementFilesEvent {
  runId: string;
}

export interface EngagementFilesChecked {
  /** Data rows per file, as the structural pass counted them. */
  dataRows: Record<string, number>;
  /** The sha256 of each file's bytes, as the structural pass read them. */
  sha256: Record<string, string>;
  /** Each file's version (ObjectStore.objectVersion) before the structural pass read it: the checks must read the same. */
  versions?: Record<string, string>;
}

export interface ExportEngagementQuarantineEvent {
  runId: string;
  queries: { quarantine: AthenaOutput; counts: AthenaOutput };
  /** What the structural pass read: the checks' row counts must agree with it. */
  files: EngagementFilesChecked;
}

export interface ValidateMoocInputEvent {
  runId: string;
}

export interface CheckDataQualityEvent {
  runId: string;
  options: Pick<AnalysisOptions, 'maxBadRowShare' | 'dataStart' | 'dataEnd'>;
  /** One entry per study branch; a skipped study reports no files. */
  validation: StudyQuality[];
}

export interface DataQualitySummary {
  key: string;
  status: 'passed';
  quarantinedRows: number;
  /** file -> rows quarantined, for files with any. */
  quarantined: Record<string, number>;
}

// ExportEngagementResults (and the studies' result, which every study branch returns)

export interface ExportEngagementEvent {
  runId: string;
  periods: { baseline: Period; comparison: Period };
  queries: {
    cohorts: { cohort: CohortPlan; query: AthenaOutput }[];
    minutesAndCertificates: AthenaOutput;
    purchasesInfo: AthenaOutput;
  };
  /** ValidateInputs' result, one entry per study. */
  validation: StudyQuality[];
}


export interface PublishedOutput {
  key: string;
  rows: number;
}

export interface StudyResult {
  study: 'engagement' | 'mooc';
  status: 'succeeded' | 'skipped';
  note?: string;
  inputs: InputCount[];
  outputs: PublishedOutput[];
  /** Wall-clock figures of the study (seconds), for the manifest: result files hold no timings. */
  timings?: Record<string, number>;
}

// RemoveCohortOutliers (a Map over the cohorts)

export interface RemoveCohortOutliersEvent {
  runId: string;
  cohort: CohortPlan;
  quantile: number;
}

export interface CohortOutlierRecord {
  name: string;
  fileName: string;
  cleanedFileName: string;
  q: number;
  cutoff: number | null;
  nBefore: number;
  nAfter: number;
}

// ComputeEngagementStatistics

export interface ComputeEngagementStatisticsEvent {
  runId: string;
  periods: { baseline: PlanPeriod; comparison: PlanPeriod };
  /** Set for a scheduled run: one with no student in its comparison period fails instead of succeeding empty. */
  scheduledAt?: string | null;
  cohorts: CohortPlan[];
  outliers: CohortOutlierRecord[];
  minutesAndCertificatesFile: string;
  options: AnalysisOptions;
  inputs?: InputCount[];
  /** The files ExportEngagementResults wrote, with the rows it counted: the study's result lists them for the manifest. */
  exported?: PublishedOutput[];
}

// MOOC study

export interface TrainDropoutModelEvent {
  runId: string;
}

export interface DropoutModelSummary {
  summary: Record<string, unknown>;
  outputs: PublishedOutput[];
  /** Wall-clock training time: it goes to the log and the manifest's timings, never into a result file. */
  trainingSeconds: number;
}

export interface AnalyzeMoocEvent {
  runId: string;
  options: AnalysisOptions;
  model: DropoutModelSummary;
  /** ValidateInputs' result: ValidateMoocInput counted every row of the three files. */
  validation: readonly StudyQuality[];
}

// BuildReport

export interface BuildReportEvent {
  runId: string;
  periods: { baseline: PlanPeriod; comparison: PlanPeriod };
  studies: Record<string, StudyPlan>;
  /** The run's analysis options: a run repeats an earlier one only with the same options. Absent in payloads from before. */
  options?: AnalysisOptions;
}

export interface BuildReportResult {
  /** Files written (report and result tables). */
  files: number;
  notes: string[];
}

// PublishManifest

export interface PublishManifestEvent {
  runId: string;
  /** This attempt ($$.Execution.Id): only the holder of the run lock publishes. */
  execution: string;
  startedAt: string;
  periods: { baseline: PlanPeriod; comparison: PlanPeriod };
  studies: Record<string, StudyPlan>;
  studyResults: StudyResult[];
}

export interface PublishManifestResult {
  manifestKey: string;
  /** Result files the manifest describes. */
  outputs: number;
}

// RecordFailure (the Catch target: the error Step Functions caught is at $.failure)

export interface CaughtError {
  Error?: string;
  Cause?: string;
}

export interface RecordFailureEvent {
  /** As the failed state had it: when PlanRun refused it, not a valid run id (RecordFailure checks it). */
  runId: unknown;
  /** This attempt ($$.Execution.Id). */
  execution: string;
  failure?: CaughtError | null;
}

/** What RecordFailure did: `recorded` false when it wrote nothing (this attempt did not hold the run). */
export type RecordFailureResult = FailureRecord & { recorded: boolean };

// Every Lambda step's event and result by step name: the steps' registry must match it, and
// lib/workflow.ts builds each step's payload and result path against it.

export interface StepPayloads extends Record<WorkflowStepName, { event: unknown; result: unknown }> {
  planRun: { event: PlanRunEvent; result: RunPlan };
  validateEngagementFiles: { event: ValidateEngagementFilesEvent; result: EngagementFilesChecked };
  exportEngagementQuarantine: { event: ExportEngagementQuarantineEvent; result: StudyQuality };
  validateMoocInput: { event: ValidateMoocInputEvent; result: StudyQuality };
  checkDataQuality: { event: CheckDataQualityEvent; result: DataQualitySummary };
  exportEngagementResults: { event: ExportEngagementEvent; result: StudyResult };
  removeCohortOutliers: { event: RemoveCohortOutliersEvent; result: CohortOutlierRecord };
  computeEngagementStatistics: { event: ComputeEngagementStatisticsEvent; result: StudyResult };
  trainDropoutModel: { event: TrainDropoutModelEvent; result: DropoutModelSummary };
  analyzeMooc: { event: AnalyzeMoocEvent; result: StudyResult };
  buildReport: { event: BuildReportEvent; result: BuildReportResult };
  publishManifest: { event: PublishManifestEvent; result: PublishManifestResult };
  recordFailure: { event: RecordFailureEvent; result: RecordFailureResult };
}

export type StepEvent<S extends WorkflowStepName> = StepPayloads[S]['event'];
export type StepResult<S extends WorkflowStepName> = StepPayloads[S]['result'];

// The state between the states, as lib/workflow.ts builds it: each state's JSONPaths are checked
// against the state type it runs in (lib/state-paths.ts), and each ResultPath against the field it fills.

/** The execution's input as ResolveRunId reads it. */
export type ExecutionInput = RunRequest;

/** After ResolveRunId: PlanRun's input. */
export interface ResolvedRun {
  runId: unknown;
  request: RunRequest;
}

/** After ValidateInputs and CheckDataQuality: what the study branches see. */
export interface ValidatedRun extends RunPlan {
  /** One entry per study branch of ValidateInputs, in branch order. */
  validation: StudyQuality[];
  dataQuality: DataQualitySummary;
}

/** After RunStudies (one result per study branch) and BuildReport. */
export interface StudiedRun extends ValidatedRun {
  studyResults: StudyResult[];
  report: BuildReportResult;
}

/** What RecordFailure sees: a Catch put the error at $.failure, in whichever state the run was (each has runId). */
export interface CaughtRun {
  runId: unknown;
  failure: CaughtError;
}

/** Inside the engagement validation branch (its state starts as the RunPlan). */
export interface EngagementValidationState extends RunPlan {
  engagementFiles: EngagementFilesChecked;
  /** The quarantine and count queries' outputs (the curation branch's result is dropped). */
  engagementQualityQueries: ExportEngagementQuarantineEvent['queries'];
}

/** Inside the engagement study branch. */
export interface EngagementStudyState extends ValidatedRun {
  /** The SQL stage's queries (absent when the run starts from period files). */
  engagementQueries: ExportEngagementEvent['queries'];
  engagementResult: StudyResult;
  outliers: CohortOutlierRecord[];
}

/** The engagement branch's SQL stage: only in 'sql' mode, where PlanRun gave whole periods (not labels only). */
export type EngagementSqlState = Omit<EngagementStudyState, 'periods'> & { periods: { baseline: Period; comparison: Period } };

/** Inside the MOOC study branch. */
export interface MoocStudyState extends ValidatedRun {
  moocModel: DropoutModelSummary;
}

/** An item of the CohortQueries Map once its query ran (the Map's result is a list of these). */
export interface CohortQueryDone extends CohortQueryItem {
  query: AthenaOutput;
}
