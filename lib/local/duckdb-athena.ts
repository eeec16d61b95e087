// Athena's startQueryExecution.sync task, emulated on DuckDB for the local runner: the same
// queries/*.sql, the same positional ExecutionParameters, and the result file where Athena puts it
// (athena-results/<QueryExecutionId>.csv, in Athena's CSV format) so downstream states read it alike.
// One DuckDbAthena is one catalog (one Glue database): several runs may share it at once (forRun),
// each with its own raw input and result store, as every execution shares the cloud's database.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DuckDBInstance, DuckDBTypeId, StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult } from '@duckdb/node-api';
import { ATHENA_RESULTS_PREFIX } from '../../lambdas/contracts/layout';
import { parseExecutionParameters, type ExecutionParameterValue } from '../../lambdas/athena/athena-execution-parameters';
import { athenaCsvHeader, athenaCsvRow } from './athena-result-csv';
import { ClientRequestTokens } from '../../lambdas/athena/athena-idempotency';
import {
  AthenaQueryFailedError,
  type AthenaQueryExecution,
  type AthenaStartQueryParameters,
  type AthenaSyncResult,
  type AthenaTaskExecutor,
} from '../../lambdas/athena/athena-task';
import { CHECKED_TABLES, CURATED_TABLES, PARQUET_TABLES, type ParquetTable } from '../../lambdas/contracts/tables';
import { createDatabaseTables, isDatabaseTableInsert } from './duckdb-database-tables';
import { parquetInsertCopySql, parseParquetInsert, publishStagedInsert, refreshParquetView, registerParquetTables, stagedInsertDir, type ParquetTableFolder } from './duckdb-parquet-tables';
import { rawTableViews, registerRawTables, runViewStatements, sqlString, type RawViewStatement, type RegisteredRawTable } from './duckdb-raw-tables';
import { applyTrinoDialect } from './duckdb-trino-dialect';
import { UnderWay } from './under-way';
import type { ObjectStore } from '../../lambdas/io/object-store';

export interface DuckDbAthenaOptions {
  /** Where result files go (athena-results/ must be writable). */
  store: ObjectStore;
  /** Folder holding <study>/<file> input files, as the local object store mounts raw/. */
  inputDir: string;
  /** DuckDB database file; in memory when absent. */
  databasePath?: string;
  /** Folder holding the curated/ prefix (curated/<table>/... as <curatedDir>/<table>/...); no curated tables when absent. */
  curatedDir?: string;
  /** Folder holding the checked/ prefix (checked/<table>/... as <checkedDir>/<table>/...); no checked tables when absent. */
  checkedDir?: string;
  /**
   * Every checked_* and curated_* table as a table of this DuckDB database (duckdb-database-tables.ts)
   * instead of Parquet under checkedDir/curatedDir: for a local run that owns the database, where
   * nothing else reads those tables. Not with checkedDir or curatedDir.
   */
  tablesInDatabase?: boolean;
  /** DuckDB's memory_limit (e.g. '1GB'); beyond it, operators spill to a temporary folder. DuckDB's default when absent. */
  memoryLimit?: string;
  /**
   * Folder in which to make the folder for result files before the store takes them, and for spills
   * (removed at close): a local run gives its own scratch folder, which it removes even when stopped
   * by a signal. A new folder in the system's temporary folder when absent.
   */
  scratchParent?: string;
}

const DDL_STATEMENTS = new Set<StatementType>([StatementType.CREATE, StatementType.DROP, StatementType.ALTER]);

/** What one run brings to a shared catalog: where its query results go and its raw input files. */
export interface AthenaRunSource {
  store: ObjectStore;
  inputDir: string;
}

/** One run's Athena on a shared catalog (DuckDbAthena.forRun); closing it leaves the catalog open. */
export interface AthenaRunExecutor extends AthenaTaskExecutor {
  /** The raw views of this run's input folder, with any problem found in a file's header. */
  readonly rawTables: readonly RegisteredRawTable[];
}

/**
 * The queries one executor has under way. A failed branch of a Parallel state ends the execution
 * while its sibling branches' queries still run (Step Functions stops them in the cloud): stop()
 * interrupts them and waits until they have ended, so nothing writes into a folder being removed.
 */
class RunningQueries {
  private readonly connections = new Set<DuckDBConnection>();
  private readonly queries = new UnderWay();
  private stopped = false;

  /** Runs `query` on a fresh connection of `instance`, closed when it ends. */
  run<T>(instance: DuckDBInstance, query: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('DuckDbAthena is closed'));
    return this.queries.track(
      (async () => {
        const connection = await instance.connect();
        this.connections.add(connection);
        try {
          return await query(connection);
        } finally {
          this.connections.delete(connection);
          connection.closeSync();
        }
      })(),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const connection of this.connections) connection.interrupt();
    await this.queries.settled();
  }
}

export class DuckDbAthena implements AthenaTaskExecutor {
  private closed = false;
  /** Changes to the catalog's own views (after an insert) one at a time: DuckDB refuses concurrent changes of one entry. */
  private catalogChanges: Promise<unknown> = Promise.resolve();
  /** The ClientRequestTokens this executor has seen (a retried INSERT INTO gets its query back). */
  private readonly tokens = new ClientRequestTokens();
  private readonly running = new RunningQueries();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly store: ObjectStore,
    /** The raw views registered at open, with any problem found in a file's header. */
    readonly rawTables: readonly RegisteredRawTable[],
    /** Where DuckDB writes result files before they are put in the store. */
    private readonly scratchDir: string,
    /** The Parquet tables an INSERT INTO may write, by the folder that holds them. */
    private readonly parquetFolders: readonly ParquetTableFolder[],
    /** The checked and curated tables kept in the database itself (tablesInDatabase), else none. */
    private readonly databaseTables: readonly ParquetTable[],
  ) {}

  static async open(options: DuckDbAthenaOptions): Promise<DuckDbAthena> {
    if (options.tablesInDatabase && (options.checkedDir !== undefined || options.curatedDir !== undefined)) {
      throw new Error('DuckDbAthena: tablesInDatabase keeps the checked and curated tables in the database; give no checkedDir or curatedDir with it');
    }
    const databaseTables = options.tablesInDatabase ? PARQUET_TABLES : [];
    const instance = await DuckDBInstance.create(options.databasePath ?? ':memory:');
    try {
      const connection = await instance.connect();
      try {
        const rawTables = await registerRawTables(connection, options.inputDir);
        const parquetFolders: ParquetTableFolder[] = [];
        if (options.checkedDir !== undefined) parquetFolders.push({ dir: options.checkedDir, tables: CHECKED_TABLES });
        if (options.curatedDir !== undefined) parquetFolders.push({ dir: options.curatedDir, tables: CURATED_TABLES });
        for (const folder of parquetFolders) await registerParquetTables(connection, folder);
        await createDatabaseTables(connection, databaseTables);
        const scratchDir = await mkdtemp(path.join(options.scratchParent ?? os.tmpdir(), 'duckdb-athena-results-'));
        if (options.memoryLimit !== undefined) {
          // Spill to our scratch folder (removed at close) rather than grow past the limit.
          await connection.run(`SET memory_limit = ${sqlString(options.memoryLimit)}`);
          await connection.run(`SET temp_directory = ${sqlString(path.join(scratchDir, 'spill'))}`);
        }
        return new DuckDbAthena(instance, options.store, rawTables, scratchDir, parquetFolders, databaseTables);
      } finally {
        connection.closeSync();
      }
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  /** The catalog's Parquet folders: a run on it must keep its checked/ and curated/ prefixes there. */
  get checkedDir(): string | undefined {
    return this.parquetFolders.find((folder) => folder.tables === CHECKED_TABLES)?.dir;
  }

  get curatedDir(): string | undefined {
    return this.parquetFolders.find((folder) => folder.tables === CURATED_TABLES)?.dir;
  }

  /** Runs one task's query; a repeated ClientRequestToken gets the query it started (athena-idempotency.ts). */
  async startQueryExecutionSync(parameters: AthenaStartQueryParameters): Promise<AthenaSyncResult> {
    return this.tokens.once(parameters, (request) => this.running.run(this.instance, (connection) => this.execute(connection, request, this.store, [])));
  }

  /**
   * An executor for one run on this catalog: its queries read the raw files of run.inputDir (TEMP
   * views of each query's connection) and write results to run.store, while the checked and curated
   * tables are the catalog's, shared with every other run, as in the cloud.
   */
  async forRun(run: AthenaRunSource): Promise<AthenaRunExecutor> {
    const views = await rawTableViews(run.inputDir, 'connection');
    // Tokens per run: distinct in the cloud (they hash the execution id), but aws-local-stepfunctions'
    // States.Hash reads only about the first 55 bytes, so two local runs could share one.
    const tokens = new ClientRequestTokens();
    // Closing one run's executor stops that run's queries; the catalog stays open for the others.
    const running = new RunningQueries();
    return {
      rawTables: views.registered,
      startQueryExecutionSync: (parameters) =>
        tokens.once(parameters, (request) => {
          if (this.closed) return Promise.reject(new Error('DuckDbAthena is closed'));
          return running.run(this.instance, (connection) => this.execute(connection, request, run.store, views.statements));
        }),
      close: () => running.stop(),
    };
  }

  /** One query on its own connection: the state machine runs queries in parallel, and one DuckDB connection serves one statement at a time. */
  private async execute(connection: DuckDBConnection, parameters: AthenaStartQueryParameters, store: ObjectStore, connectionSetup: readonly RawViewStatement[]): Promise<AthenaSyncResult> {
    const sql = parameters.QueryString;
    const name = queryNameOf(sql);
    const queryExecutionId = randomUUID();
    const submitted = new Date();
    const values = failAs(name, () => parseExecutionParameters(parameters.ExecutionParameters));
    await applyTrinoDialect(connection);
    await runViewStatements(connection, connectionSetup);
    const insert = this.parquetInsert(sql);
    if (insert) {
      if (values.length > 0) throw new AthenaQueryFailedError(name, 'the emulator takes no ExecutionParameters in INSERT INTO');
      const key = `${resultPrefix(parameters.ResultConfiguration?.OutputLocation)}${queryExecutionId}.csv`;
      const started = Date.now();
      try {
        // Written aside, then moved into the table's folders: a query of another run listing the
        // table never meets a half-written file (an S3 object appears whole).
        const staging = stagedInsertDir(insert.dir, queryExecutionId);
        await mkdir(staging, { recursive: true });
        await connection.run(parquetInsertCopySql(insert.table, insert.query, staging, queryExecutionId));
        await publishStagedInsert(staging, insert.dir, insert.table);
        await this.changeCatalog(() => refreshParquetView(connection, insert.dir, insert.table));
        // Athena's INSERT INTO leaves an empty result; nothing downstream reads it.
        await store.put(key, '', 'text/csv');
      } catch (error) {
        throw new AthenaQueryFailedError(name, duckDbReason(error));
      }
      return this.succeeded(parameters, store, sql, queryExecutionId, submitted, 'DML', key, Date.now() - started);
    }
    const prepared = await prepareSingleStatement(connection, sql, name);
    try {
      if (isDatabaseTableInsert(sql, this.databaseTables)) {
        if (values.length > 0) throw new AthenaQueryFailedError(name, 'the emulator takes no ExecutionParameters in INSERT INTO');
        const key = `${resultPrefix(parameters.ResultConfiguration?.OutputLocation)}${queryExecutionId}.csv`;
        const started = Date.now();
        try {
          // The statement as Athena gets it; DuckDB takes the query's columns by position and
          // casts them to the table's types, as Athena's INSERT INTO does.
          await prepared.run();
          await store.put(key, '', 'text/csv');
        } catch (error) {
          throw new AthenaQueryFailedError(name, duckDbReason(error));
        }
        return this.succeeded(parameters, store, sql, queryExecutionId, submitted, 'DML', key, Date.now() - started);
      }
      bindParameters(prepared, values, name);
      const statementType = DDL_STATEMENTS.has(prepared.statementType) ? 'DDL' : 'DML';
      const prefix = resultPrefix(parameters.ResultConfiguration?.OutputLocation);
      const key = `${prefix}${queryExecutionId}.${statementType === 'DDL' ? 'txt' : 'csv'}`;
      const started = Date.now();
      try {
        // Athena writes an empty .txt for DDL and the result table as CSV for everything else.
        if (statementType === 'DDL') {
          await this.changeCatalog(() => prepared.run());
          await store.put(key, '', 'text/plain');
        } else if (!(await this.copyResultCsv(connection, store, sql, prepared, values, key))) {
          const result = await prepared.stream();
          await store.putStream(key, Readable.from(athenaCsvChunks(result)), 'text/csv');
        }
      } catch (error) {
        throw new AthenaQueryFailedError(name, duckDbReason(error));
      }
      return this.succeeded(parameters, store, sql, queryExecutionId, submitted, statementType, key, Date.now() - started);
    } finally {
      prepared.destroySync();
    }
  }

  /** An INSERT INTO one of the registered Parquet tables, with the folder it writes to. */
  private parquetInsert(sql: string) {
    for (const folder of this.parquetFolders) {
      const insert = parseParquetInsert(sql, folder.tables);
      if (insert) return { ...insert, dir: folder.dir };
    }
    return undefined;
  }

  /** Runs a change of the catalog's own objects after any other in progress has finished. */
  private changeCatalog<T>(change: () => Promise<T>): Promise<T> {
    const done = this.catalogChanges.then(change, change);
    this.catalogChanges = done.catch(() => undefined);
    return done;
  }

  /** The .sync task's answer for a finished query. */
  private succeeded(
    parameters: AthenaStartQueryParameters,
    store: ObjectStore,
    sql: string,
    queryExecutionId: string,
    submitted: Date,
    statementType: 'DDL' | 'DML',
    key: string,
    elapsed: number,
  ): AthenaSyncResult {
    const execution: AthenaQueryExecution = {
      QueryExecutionId: queryExecutionId,
      Query: sql,
      StatementType: statementType,
      ...(parameters.WorkGroup !== undefined ? { WorkGroup: parameters.WorkGroup } : {}),
      ResultConfiguration: { OutputLocation: `s3://${store.bucket}/${key}` },
      Status: { State: 'SUCCEEDED', SubmissionDateTime: submitted.toISOString(), CompletionDateTime: new Date().toISOString() },
      Statistics: { EngineExecutionTimeInMillis: elapsed, DataScannedInBytes: 0, TotalExecutionTimeInMillis: Date.now() - submitted.getTime() },
    };
    return { QueryExecution: execution };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.running.stop();
    this.instance.closeSync();
    await rm(this.scratchDir, { recursive: true, force: true });
  }

  /**
   * Has DuckDB's own CSV writer produce the result file when every column prints exactly as Athena
   * prints it (integers, DECIMAL, DATE, VARCHAR, BOOLEAN): converting millions of values to text in
   * JavaScript took most of the SQL stage's time. Returns false, having written nothing, when a
   * column type needs Athena's spelling (doubles, timestamps) or the query cannot be wrapped in COPY.
   */
  private async copyResultCsv(
    connection: DuckDBConnection,
    store: ObjectStore,
    sql: string,
    prepared: DuckDBPreparedStatement,
    values: readonly ExecutionParameterValue[],
    key: string,
  ): Promise<boolean> {
    for (let column = 0; column < prepared.columnCount; column++) {
      if (!COPY_AS_IS_TYPES.has(prepared.columnTypeId(column))) return false;
    }
    const file = path.join(this.scratchDir, `${randomUUID()}.csv`);
    let copy: DuckDBPreparedStatement;
    try {
      // FORCE_QUOTE * quotes every non-NULL value and the header, and leaves NULL empty: Athena's format.
      const text = `COPY (\n${sql.replace(/;\s*$/, '')}\n) TO ${sqlString(file)} (FORMAT CSV, HEADER, DELIMITER ',', QUOTE '"', ESCAPE '"', FORCE_QUOTE *)`;
      copy = await connection.prepare(text);
    } catch {
      return false;
    }
    try {
      bindParameters(copy, values, queryNameOf(sql));
      await copy.run();
      // Read in pieces into the store; never held whole in memory.
      await store.putStream(key, createReadStream(file, { highWaterMark: 32 * 1024 }), 'text/csv');
      return true;
    } finally {
      copy.destroySync();
      await rm(file, { force: true });
    }
  }
}

/** Column types DuckDB's CSV writer prints as Athena does (checked in test/local/duckdb-athena.test.ts). */
const COPY_AS_IS_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.DATE,
  DuckDBTypeId.VARCHAR,
]);


/** The text of the SQL's first-line `-- ` comment, which names the query in errors; else '' (the state's name says which query failed). */
export function queryNameOf(sql: string): string {
  const firstLine = sql.replace(/^\uFEFF/, '').trimStart().split(/\r?\n/, 1)[0] ?? '';
  const comment = /^--\s*(.*?)\s*$/.exec(firstLine);
  return comment && comment[1] ? comment[1] : '';
}

/** s3://bucket/prefix -> 'prefix/' (the bucket is the store's); Athena's default folder when absent. */
export function resultPrefix(outputLocation: string | undefined): string {
  if (outputLocation === undefined) return ATHENA_RESULTS_PREFIX;
  const match = /^s3:\/\/[^/]+\/?(.*)$/.exec(outputLocation);
  if (!match) throw new Error(`ResultConfiguration.OutputLocation must be an s3:// URI, got ${JSON.stringify(outputLocation)}`);
  const prefix = match[1]!;
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

async function prepareSingleStatement(connection: DuckDBConnection, sql: string, name: string): Promise<DuckDBPreparedStatement> {
  try {
    const statements = await connection.extractStatements(sql);
    // Athena runs exactly one statement per query.
    if (statements.count !== 1) {
      throw new AthenaQueryFailedError(name, `expected exactly one SQL statement, found ${statements.count}`);
    }
    return await statements.prepare(0);
  } catch (error) {
    if (error instanceof AthenaQueryFailedError) throw error;
    throw new AthenaQueryFailedError(name, duckDbReason(error));
  }
}

function bindParameters(prepared: DuckDBPreparedStatement, values: readonly ExecutionParameterValue[], name: string): void {
  if (prepared.parameterCount !== values.length) {
    throw new AthenaQueryFailedError(
      name,
      `the query has ${prepared.parameterCount} parameter placeholder(s) (?) but ${values.length} ExecutionParameters were given`,
    );
  }
  values.forEach((parameter, index) => {
    const position = index + 1;
    if (parameter.kind === 'string') prepared.bindVarchar(position, parameter.value);
    else if (parameter.kind === 'double') prepared.bindDouble(position, parameter.value);
    else if (parameter.value >= -2147483648n && parameter.value <= 2147483647n) prepared.bindInteger(position, Number(parameter.value));
    else prepared.bindBigInt(position, parameter.value);
  });
}

/** The result as CSV text, one piece per DuckDB chunk (about 2048 rows), never the whole table at once. */
async function* athenaCsvChunks(result: DuckDBResult): AsyncGenerator<string> {
  yield athenaCsvHeader(result.columnNames());
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return;
    let text = '';
    for (const row of chunk.getRows()) text += athenaCsvRow(row);
    yield text;
  }
}

function failAs<T>(name: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new AthenaQueryFailedError(name, (error as Error).message);
  }
}

/** DuckDB's message; for a CSV file it can't parse, the problem and the file, without the tuning advice. */
export function duckDbReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const file = /^\s*file = (.+)$/m.exec(message)?.[1];
  if (!file) return message.trim();
  const problem = message.split(/\n\s*Possible fixes:/)[0]!.trim().replace(/\n+/g, '; ');
  return `${problem} (file ${file.trim()})`;
}
