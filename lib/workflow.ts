// The workflow, states in reading order. This is the only description of it: `cdk synth` turns it
// into the Amazon States Language (JSONPath) that AWS Step Functions runs, and the local runner
// loads the same synthesized definition into aws-local-stepfunctions.
import { Duration, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CHECKED_TABLES, CURATED_TABLES } from '../lambdas/contracts/tables';
import type {
  AthenaOutput,
  CaughtRun,
  CohortQueryDone,
  CohortQueryItem,
  EngagementSqlState,
  EngagementStudyState,
  EngagementValidationState,
  ExecutionInput,
  MoocStudyState,
  RemoveCohortOutliersEvent,
  ResolvedRun,
  RunPlan,
  StepEvent,
  StepResult,
  StudiedRun,
  StudyQuality,
  StudyResult,
  ValidatedRun,
} from '../lambdas/contracts/state-payloads';
import { WORKFLOW_STEPS, type WorkflowStepName } from './function-specs';
import { MAX_RUN_SECONDS } from '../lambdas/steps/run-attempt';
import { grantAthenaAccess } from './athena-access';
import { executionParametersFrom, isParameterisedQuery, readRunQuery } from './queries';
import { EXECUTION_ID, EXECUTION_NAME, type BoundPayload, JsonPathRef, mapItemOf, parametersOf, type ResultSlot, statePaths } from './state-paths';

/** An Athena state's execution parameters (an object of the state, by name) and where its AthenaOutput goes (default: it replaces the state). */
interface AthenaQueryOptions {
  parameters?: JsonPathRef<object | undefined>;
  resultPath?: ResultSlot<AthenaOutput> | typeof DISCARD;
}

export interface AnalyticsWorkflowProps {
  bucket: s3.IBucket;
  functions: Record<WorkflowStepName, lambda.IFunction>;
  databaseName: string;
  workGroupName: string;
}

/** Errors worth another try: throttling and service faults. Bad SQL or bad input are not retried. */
const TRANSIENT_ATHENA_ERRORS = ['Athena.TooManyRequestsException', 'Athena.InternalServerException', 'Athena.AthenaException'];
const TRANSIENT_LAMBDA_ERRORS = ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];
const ATHENA_TIMEOUT_SECONDS = 30 * 60;

/** A state whose result is dropped (ResultPath null): the state's input passes on unchanged. */
const DISCARD: unique symbol = Symbol('discard');

// The paths into each state type of the workflow (lambdas/contracts/state-payloads.ts).
const executionInput = statePaths<ExecutionInput>();
const resolvedRun = statePaths<ResolvedRun>();
const plannedRun = statePaths<RunPlan>();
const validatedRun = statePaths<ValidatedRun>();
const studiedRun = statePaths<StudiedRun>();
const caughtRun = statePaths<CaughtRun>();
const engagementValidation = statePaths<EngagementValidationState>();
const engagementStudy = statePaths<EngagementStudyState>();
const engagementSql = statePaths<EngagementSqlState>();
const moocStudy = statePaths<MoocStudyState>();
const cohortQuery = statePaths<CohortQueryDone>();
const cohortOutliers = statePaths<RemoveCohortOutliersEvent>();

/**
 * Every query a run executes. Each reads only this run's rows and values, so each is a template
 * (lib/queries.ts readRunQuery: the relations of queries/cte/ it reads come first, as CTEs) that
 * PlanRun fills with the validated run id and data range; the periods travel as execution
 * parameters. Nothing is created or replaced in the catalog during a run.
 */
export const RUN_QUERY_FILES: readonly string[] = [
  ...CHECKED_TABLES.map((table) => `check/${table.table}.sql`),
  'engagement_quarantine.sql',
  'engagement_quality_counts.sql',
  ...CURATED_TABLES.map((table) => `curate/${table.view}.sql`),
  'cohort_minutes.sql',
  'minutes_and_certificates.sql',
  'purchases_info_flags.sql',
];

function isInsert(sql: string): boolean {
  return /^\s*INSERT\s+INTO\b/i.test(sql);
}

/**
 * The ClientRequestToken of an INSERT INTO state: the SHA-256 (64 hex characters; Athena takes 32
 * to 128) of the state's name and the execution's id. A Retry of the state sends the same token,
 * and Athena answers with the query that token already started instead of inserting again (a
 * failed one stays failed: the run fails rather than risk rows twice). Another execution, or
 * another state, gets another token. The name is written into the definition because the local
 * executor has no $$.State.Name, and comes first because that executor's States.Hash reads only
 * about the first 55 bytes of its input (the emulator keeps each run's tokens apart, so the state
 * is what must differ there). Names are letters, digits and '_': nothing to escape in the format string.
 */
function insertIdempotencyToken(stateName: string): string {
  if (!/^\w+$/.test(stateName)) throw new Error(`state ${stateName}: an INSERT INTO state's name must be letters, digits and '_' (it is quoted in its ClientRequestToken)`);
  return `States.Hash(States.Format('${stateName}@{}', $$.Execution.Id), 'SHA-256')`;
}

/** A run query's key in the payload: its path without .sql, '/' as '_' (a plain JSONPath name). */
export function runQueryKey(file: string): string {
  return file.replace(/\.sql$/, '').replace(/\//g, '_');
}

/** The YYYY-MM of an ISO 8601 time, by intrinsic functions (what the schedule's event time gives as its run's id). */
export function monthOf(time: JsonPathRef<unknown>): JsonPathRef<string> {
  const part = (index: number): string => `States.ArrayGetItem(States.StringSplit(${time.path}, '-'), ${index})`;
  return new JsonPathRef<string>(`States.Format('{}-{}', ${part(0)}, ${part(1)})`);
}

export class AnalyticsWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The SQL of every Athena state (a Lambda-made statement as its query file has it): what the role is granted for. */
  readonly athenaStatements: string[] = [];
  /** The state machine role's policy for its Athena queries. */
  readonly athenaAccess: iam.Policy;

  constructor(scope: Construct, id: string, private readonly props: AnalyticsWorkflowProps) {
    super(scope, id);

    // The run id: {"runId": ...} in the execution input (a rerun of an id: execution names are
    // unique per execution for 90 days); else the month of the schedule's event (scheduledAt
    // 2026-12-02T06:00:00Z: run 2026-12), so each monthly run has a name an analyst can write in a
    // query; else the execution name.
    const resolveRunId = new sfn.Choice(this, 'ResolveRunId')
      .when(
        sfn.Condition.isPresent(executionInput.at('runId').path),
        new sfn.Pass(this, 'RunIdFromInput', { parameters: parametersOf<ResolvedRun>({ runId: executionInput.at('runId'), request: executionInput.whole }) }),
      )
      .when(
        sfn.Condition.isPresent(executionInput.at('scheduledAt').path),
        new sfn.Pass(this, 'RunIdFromSchedule', { parameters: parametersOf<ResolvedRun>({ runId: monthOf(executionInput.at('scheduledAt')), request: executionInput.whole }) }),
      )
      .otherwise(new sfn.Pass(this, 'RunIdFromExecutionName', { parameters: parametersOf<ResolvedRun>({ runId: EXECUTION_NAME, request: executionInput.whole }) }))
      .afterwards();
    // The run's query templates travel in PlanRun's payload; it returns them filled in (runQueries).
    const queryTemplates = Object.fromEntries(RUN_QUERY_FILES.map((file) => [runQueryKey(file), readRunQuery(file)]));
    const planRun = this.invoke('PlanRun', 'planRun', { runId: resolvedRun.at('runId'), execution: EXECUTION_ID, request: resolvedRun.at('request'), queryTemplates });

    const { validateInputs, checkDataQuality } = this.validationStage();

    const runStudies = new sfn.Parallel(this, 'RunStudies', { resultPath: studiedRun.into('studyResults').path }).branch(this.engagementBranch()).branch(this.moocBranch());

    const publishManifest = this.invoke(
      'PublishManifest',
      'publishManifest',
      {
        runId: studiedRun.at('runId'),
        execution: EXECUTION_ID,
        startedAt: studiedRun.at('startedAt'),
        periods: studiedRun.at('periods'),
        studies: studiedRun.at('studies'),
        studyResults: studiedRun.at('studyResults'),
      },
      DISCARD,
    );

    const buildReport = this.invoke(
      'BuildReport',
      'buildReport',
      { runId: studiedRun.at('runId'), periods: studiedRun.at('periods'), studies: studiedRun.at('studies'), options: studiedRun.at('options') },
      studiedRun.into('report'),
    );

    const recordFailure = this.invoke('RecordFailure', 'recordFailure', { runId: caughtRun.at('runId'), execution: EXECUTION_ID, failure: caughtRun.at('failure') }).next(
      new sfn.Fail(this, 'RunFailed', { error: 'WorkflowFailed', cause: 'The run failed: see results/<runId>/_FAILED.json' }),
    );
    for (const state of [planRun, validateInputs, checkDataQuality, runStudies, buildReport, publishManifest]) state.addCatch(recordFailure, { resultPath: caughtRun.into('failure').path });

    const definition = resolveRunId.next(planRun).next(validateInputs).next(checkDataQuality).next(runStudies).next(buildReport).next(publishManifest).next(new sfn.Succeed(this, 'RunSucceeded'));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      stateMachineType: sfn.StateMachineType.STANDARD,
      // The run lock expires after this (run-attempt.ts): an execution stopped by it cannot block its run id.
      timeout: Duration.seconds(MAX_RUN_SECONDS),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'ExecutionLogs', { retention: logs.RetentionDays.THREE_MONTHS }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    this.athenaAccess = grantAthenaAccess(this, this.stateMachine.role, {
      bucket: props.bucket,
      databaseName: props.databaseName,
      workGroupName: props.workGroupName,
      statements: this.athenaStatements,
    });
  }

  /**
   * Input validation, before either study runs: each study's files are checked (structure first,
   * then row rules), rejected rows go to results/<runId>/quarantine/, and CheckDataQuality writes
   * data_quality.json once for both and fails the run when a file has too many bad rows.
   */
  private validationStage(): { validateInputs: sfn.Parallel; checkDataQuality: tasks.LambdaInvoke } {
    const validateInputs = new sfn.Parallel(this, 'ValidateInputs', { resultPath: validatedRun.into('validation').path })
      .branch(this.engagementValidation())
      .branch(this.moocValidation());
    const checkDataQuality = this.invoke(
      'CheckDataQuality',
      'checkDataQuality',
      { runId: validatedRun.at('runId'), options: validatedRun.at('options'), validation: validatedRun.at('validation') },
      validatedRun.into('dataQuality'),
    );
    return { validateInputs, checkDataQuality };
  }

  /**
   * Engagement rules in SQL, each raw CSV read once: INSERT INTO checked_student_info, then the three
   * tables that look their students up in it (queries/check/*.sql: every row with its reject reason,
   * Parquet for this run); then, side by side and reading those, the quarantine and count queries
   * and the curation; then the quarantine export.
   */
  private engagementValidation(): sfn.IChainable {
    const noInput = new sfn.Pass(this, 'NoEngagementValidation', { result: sfn.Result.fromObject({ study: 'engagement', files: [] } satisfies StudyQuality) });
    const checkFiles = this.invoke('ValidateEngagementFiles', 'validateEngagementFiles', { runId: engagementValidation.at('runId') }, engagementValidation.into('engagementFiles'));
    const [students, ...events] = CHECKED_TABLES;
    const checkStudents = this.runQuery(`Check_${students!.table}`, `check/${students!.table}.sql`, { resultPath: DISCARD });
    // The other checks look students up in this run's checked_student_info, so they come after it.
    const checkEvents = new sfn.Parallel(this, 'CheckEngagementTables', { resultPath: sfn.JsonPath.DISCARD });
    for (const table of events) checkEvents.branch(this.runQuery(`Check_${table.table}`, `check/${table.table}.sql`, { resultPath: DISCARD }));
    const qualityQueries = new sfn.Parallel(this, 'EngagementQualityQueries', {
      resultSelector: { 'quarantine.$': '$[0]', 'counts.$': '$[1]' },
      resultPath: engagementValidation.into('engagementQualityQueries').path,
    })
      .branch(this.runQuery('RunEngagementQuarantineQuery', 'engagement_quarantine.sql', {}))
      .branch(this.runQuery('CountEngagementQuality', 'engagement_quality_counts.sql', {}))
      .branch(this.curation());
    const exportQuarantine = this.invoke('ExportEngagementQuarantine', 'exportEngagementQuarantine', {
      runId: engagementValidation.at('runId'),
      queries: engagementValidation.at('engagementQualityQueries'),
      files: engagementValidation.at('engagementFiles'),
    });
    return new sfn.Choice(this, 'HasEngagementRawInput')
      .when(sfn.Condition.booleanEquals(engagementValidation.at('studies.engagement.run').path, false), noInput)
      .when(sfn.Condition.stringEquals(engagementValidation.at('mode').path, 'periodFiles'), noInput)
      .otherwise(checkFiles.next(checkStudents).next(checkEvents).next(qualityQueries).next(exportQuarantine));
  }

  /**
   * Types the accepted rows once: INSERT INTO curated_<table> (Parquet, partitioned by run, year and
   * quarter) from this run's checked_<table>. Every study query reads this run's partitions of these
   * (queries/cte/) instead of re-parsing the CSVs.
   */
  private curation(): sfn.IChainable {
    const curate = new sfn.Parallel(this, 'CurateEngagementTables', { resultPath: sfn.JsonPath.DISCARD });
    for (const table of CURATED_TABLES) {
      curate.branch(this.runQuery(`Curate_${table.view}`, `curate/${table.view}.sql`, { resultPath: DISCARD }));
    }
    return curate;
  }

  /** A query of RUN_QUERY_FILES, as PlanRun filled it in for this run (runQueries.<key>), or as a Map item carries it. */
  private runQuery(id: string, file: string, options: AthenaQueryOptions & { queryString?: JsonPathRef<string> }): sfn.CustomState {
    if (!RUN_QUERY_FILES.includes(file)) throw new Error(`${file} is not a run query template (RUN_QUERY_FILES)`);
    const { queryString = plannedRun.at(`runQueries.${runQueryKey(file)}`), ...rest } = options;
    return this.athenaQuery(id, queryString, rest, file);
  }

  /** MOOC rules in the loader (lambdas/tabular/mooc-load.ts, rowFaults 'quarantine'). */
  private moocValidation(): sfn.IChainable {
    const noInput = new sfn.Pass(this, 'NoMoocValidation', { result: sfn.Result.fromObject({ study: 'mooc', files: [] } satisfies StudyQuality) });
    const validate = this.invoke('ValidateMoocInput', 'validateMoocInput', { runId: plannedRun.at('runId') });
    return new sfn.Choice(this, 'HasMoocRawInput').when(sfn.Condition.booleanEquals(plannedRun.at('studies.mooc.run').path, true), validate).otherwise(noInput);
  }

  /** Engagement study: the period queries in parallel over the curated tables, then the export. */
  private engagementBranch(): sfn.IChainable {
    const skip = new sfn.Pass(this, 'SkipEngagement', {
      parameters: parametersOf<StudyResult>({ study: 'engagement', status: 'skipped', note: engagementStudy.at('studies.engagement.note'), inputs: [], outputs: [] }),
    });

    const cohorts = engagementSql.at('engagement.cohorts');
    const cohortQueries = new sfn.Map(this, 'CohortQueries', {
      itemsPath: cohorts.path,
      // The item carries the run's query: a Map iteration sees only what its selector gives it.
      itemSelector: parametersOf<CohortQueryItem>({ cohort: mapItemOf(cohorts), sql: engagementSql.at(`runQueries.${runQueryKey('cohort_minutes.sql')}`) }),
      maxConcurrency: 4,
    }).itemProcessor(
      this.runQuery('RunCohortQuery', 'cohort_minutes.sql', { queryString: cohortQuery.at('sql'), parameters: cohortQuery.at('cohort.parameters'), resultPath: cohortQuery.into('query') }),
    );

    const queries = new sfn.Parallel(this, 'EngagementQueries', {
      resultSelector: { 'cohorts.$': '$[0]', 'minutesAndCertificates.$': '$[1]', 'purchasesInfo.$': '$[2]' },
      resultPath: engagementSql.into('engagementQueries').path,
    })
      .branch(cohortQueries)
      .branch(this.runQuery('RunMinutesAndCertificatesQuery', 'minutes_and_certificates.sql', { parameters: engagementSql.at('engagement.minutesAndCertificatesParameters') }))
      .branch(this.runQuery('RunPurchasesInfoQuery', 'purchases_info_flags.sql', { parameters: engagementSql.at('engagement.purchasesInfoParameters') }));

    const exportResults = this.invoke(
      'ExportEngagementResults',
      'exportEngagementResults',
      // Input row counts come from the validation (accepted + quarantined per file): no second scan.
      { runId: engagementSql.at('runId'), periods: engagementSql.at('periods'), queries: engagementSql.at('engagementQueries'), validation: engagementSql.at('validation') },
      engagementSql.into('engagementResult'),
    );
    const statistics = this.statisticsStage();
    const sqlStage = queries.next(exportResults).next(statistics);

    // An analyst's own period files: straight to the statistics, with no raw inputs to count.
    const usePeriodFiles = new sfn.Pass(this, 'UsePeriodFiles', {
      result: sfn.Result.fromObject({ study: 'engagement', status: 'succeeded', inputs: [], outputs: [] } satisfies StudyResult),
      resultPath: engagementStudy.into('engagementResult').path,
    }).next(statistics);

    return new sfn.Choice(this, 'HasEngagementInput')
      .when(sfn.Condition.booleanEquals(engagementStudy.at('studies.engagement.run').path, false), skip)
      .when(sfn.Condition.stringEquals(engagementStudy.at('mode').path, 'periodFiles'), usePeriodFiles)
      .otherwise(sqlStage);
  }

  /** Statistics (steps 4-8): outliers per cohort as a Map, then the tests and models. */
  private statisticsStage(): sfn.IChainable {
    const cohorts = engagementStudy.at('engagement.cohorts');
    const removeOutliers = new sfn.Map(this, 'RemoveOutliers', {
      itemsPath: cohorts.path,
      itemSelector: parametersOf<RemoveCohortOutliersEvent>({ runId: engagementStudy.at('runId'), cohort: mapItemOf(cohorts), quantile: engagementStudy.at('options.outlierQuantile') }),
      maxConcurrency: 4,
      resultPath: engagementStudy.into('outliers').path,
    }).itemProcessor(
      this.invoke('RemoveCohortOutliers', 'removeCohortOutliers', { runId: cohortOutliers.at('runId'), cohort: cohortOutliers.at('cohort'), quantile: cohortOutliers.at('quantile') }),
    );
    const computeStatistics = this.invoke('ComputeEngagementStatistics', 'computeEngagementStatistics', {
      runId: engagementStudy.at('runId'),
      periods: engagementStudy.at('periods'),
      scheduledAt: engagementStudy.at('scheduledAt'),
      cohorts,
      outliers: engagementStudy.at('outliers'),
      minutesAndCertificatesFile: engagementStudy.at('engagement.minutesAndCertificatesFile'),
      options: engagementStudy.at('options'),
      inputs: engagementStudy.at('engagementResult.inputs'),
      exported: engagementStudy.at('engagementResult.outputs'),
    });
    return removeOutliers.next(computeStatistics);
  }

  /** MOOC study: the drop-out model, then the descriptive analysis (input row counts come from ValidateMoocInput). */
  private moocBranch(): sfn.IChainable {
    const skip = new sfn.Pass(this, 'SkipMooc', {
      parameters: parametersOf<StudyResult>({ study: 'mooc', status: 'skipped', note: moocStudy.at('studies.mooc.note'), inputs: [], outputs: [] }),
    });
    const trainModel = this.invoke('TrainDropoutModel', 'trainDropoutModel', { runId: moocStudy.at('runId') }, moocStudy.into('moocModel'));
    const analyze = this.invoke('AnalyzeMoocActions', 'analyzeMooc', {
      runId: moocStudy.at('runId'),
      options: moocStudy.at('options'),
      model: moocStudy.at('moocModel'),
      validation: moocStudy.at('validation'),
    });
    return new sfn.Choice(this, 'HasMoocInput')
      .when(sfn.Condition.booleanEquals(moocStudy.at('studies.mooc.run').path, true), trainModel.next(analyze))
      .otherwise(skip);
  }

  /**
   * A Lambda step, given its event (contracts StepPayloads) field by field; by default its result
   * replaces the state, else it goes to a field whose type takes the step's result.
   */
  private invoke<S extends WorkflowStepName>(id: string, step: S, payload: BoundPayload<StepEvent<S>>, result?: ResultSlot<StepResult<S>> | typeof DISCARD): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: this.props.functions[step],
      payload: sfn.TaskInput.fromObject(parametersOf(payload)),
      payloadResponseOnly: true,
      // Our own retrier below (with jitter) replaces CDK's default one.
      retryOnServiceExceptions: false,
      resultPath: result === DISCARD ? sfn.JsonPath.DISCARD : result?.path,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(WORKFLOW_STEPS[step].timeoutSeconds + 30)),
    });
    task.addRetry({ errors: TRANSIENT_LAMBDA_ERRORS, interval: Duration.seconds(2), maxAttempts: 5, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    return task;
  }

  /**
   * An Athena query run through the native .sync integration. Written as a custom state so the
   * IAM policy stays ours (least privilege) rather than the task construct's wildcard one. The SQL
   * is at the queryString path in the state: a run query PlanRun filled in from `file`, whose text decides
   * the role's Athena access (lib/athena-access.ts) and whether the state needs an idempotency token.
   */
  private athenaQuery(id: string, queryString: JsonPathRef<string>, options: AthenaQueryOptions, file: string): sfn.CustomState {
    const statement = readRunQuery(file);
    this.athenaStatements.push(statement);
    const parameters: Record<string, unknown> = {
      'QueryString.$': queryString.path,
      QueryExecutionContext: { Database: this.props.databaseName },
      WorkGroup: this.props.workGroupName,
    };
    if (isInsert(statement)) parameters['ClientRequestToken.$'] = insertIdempotencyToken(id);
    // The state carries the parameters by name; the SQL file's markers decide their order here.
    if (options.parameters) {
      if (!isParameterisedQuery(file)) throw new Error(`${file} has no parameter fields (QUERY_PARAMETER_FIELDS)`);
      parameters['ExecutionParameters.$'] = executionParametersFrom(file, options.parameters.path);
    }
    const state: Record<string, unknown> = {
      Type: 'Task',
      Resource: `arn:${Stack.of(this).partition}:states:::athena:startQueryExecution.sync`,
      Parameters: parameters,
      TimeoutSeconds: ATHENA_TIMEOUT_SECONDS,
      Retry: [{ ErrorEquals: TRANSIENT_ATHENA_ERRORS, IntervalSeconds: 5, MaxAttempts: 4, BackoffRate: 2, JitterStrategy: 'FULL' }],
    };
    if (options.resultPath === DISCARD) {
      state.ResultPath = null;
    } else {
      state.ResultSelector = { 'outputLocation.$': '$.QueryExecution.ResultConfiguration.OutputLocation' };
      if (options.resultPath) state.ResultPath = options.resultPath.path;
    }
    return new sfn.CustomState(this, id, { stateJson: state });
  }
}
