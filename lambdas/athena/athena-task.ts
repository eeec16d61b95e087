// The shape of Step Functions' `arn:aws:states:::athena:startQueryExecution.sync` task: what the
// state machine passes in and what the task returns. The cloud gets this from Step Functions; the
// local runner gets it from the DuckDB emulator, so downstream states see the same data.

export const ATHENA_SYNC_RESOURCE = 'arn:aws:states:::athena:startQueryExecution.sync';

export interface AthenaStartQueryParameters {
  QueryString: string;
  QueryExecutionContext?: { Database?: string; Catalog?: string };
  WorkGroup?: string;
  /** Athena execution parameters, positional for each `?`: strings quoted ('2021-04-01'), numbers bare. */
  ExecutionParameters?: string[];
  ResultConfiguration?: { OutputLocation?: string };
  /**
   * Idempotency token (32 to 128 characters): Athena answers a repeated request that carries it
   * with the query it already created instead of creating another, and rejects one whose other
   * parameters differ.
   */
  ClientRequestToken?: string;
}

export interface AthenaQueryExecution {
  QueryExecutionId: string;
  Query: string;
  StatementType: 'DDL' | 'DML' | 'UTILITY';
  WorkGroup?: string;
  ResultConfiguration: { OutputLocation: string };
  Status: { State: 'SUCCEEDED'; SubmissionDateTime: string; CompletionDateTime: string };
  Statistics: { EngineExecutionTimeInMillis: number; DataScannedInBytes: number; TotalExecutionTimeInMillis: number };
}

export interface AthenaSyncResult {
  QueryExecution: AthenaQueryExecution;
}

/** Runs one Athena task's parameters somewhere (DuckDB locally) and answers as the .sync task does. */
export interface AthenaTaskExecutor {
  startQueryExecutionSync(parameters: AthenaStartQueryParameters): Promise<AthenaSyncResult>;
  close(): Promise<void>;
}

/** Error that surfaces in the state machine like a failed Athena query (States.TaskFailed). */
export class AthenaQueryFailedError extends Error {
  override name = 'States.TaskFailed';
  constructor(
    readonly queryName: string,
    readonly reason: string,
  ) {
    super(`Athena query ${queryName ? `${queryName} ` : ''}failed: ${reason}`);
  }
}

/** A request Athena refuses before running anything (Step Functions reports it as Athena.InvalidRequestException). */
export class AthenaInvalidRequestError extends Error {
  override name = 'Athena.InvalidRequestException';
}
