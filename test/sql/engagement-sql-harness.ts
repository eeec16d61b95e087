// Runs the real queries/*.sql through the DuckDB Athena emulator over small CSV files written to a
// temporary folder, and reads each result back through the object store, as the workflow does.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatCsv, readCsvTable, type CsvTable } from '../../lambdas/tabular/csv';
import { DEFAULT_ANALYSIS_OPTIONS } from '../../lambdas/contracts/run-options';
import { fillRunQuery, type RunQueryValues } from '../../lambdas/athena/run-sql';
import { CHECKED_TABLES, CURATED_TABLES, ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { DuckDbAthena } from '../../lib/local/duckdb-athena';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { parseS3Uri } from '../../lambdas/io/object-store';
import { parameterMarkers, readQuery, readRunQuery, withRunRelations } from '../../lib/queries';
import { orderedParameters } from '../../lambdas/athena/query-parameters';

export const QUERIES_DIR = path.resolve(__dirname, '../../queries');

/** The run id the harness curates under (the workflow uses the execution name). */
export const HARNESS_RUN_ID = 'sql-harness';

/**
 * What the workflow's validation stage runs, in the order the statements depend on each other:
 * the checks into Parquet (student_info first), then the curation into Parquet.
 */
export const ENGAGEMENT_CHECK_FILES = CHECKED_TABLES.map((table) => `check/${table.table}.sql`);

export const ENGAGEMENT_SETUP_FILES = [...ENGAGEMENT_CHECK_FILES, ...CURATED_TABLES.map((table) => `curate/${table.view}.sql`)];

/** A query file's text as the workflow runs it for runId (the template filled in; the default data range unless given). */
export async function runSqlOf(file: string, runId = HARNESS_RUN_ID, range: Pick<RunQueryValues, 'dataStart' | 'dataEnd'> = DEFAULT_ANALYSIS_OPTIONS): Promise<string> {
  return fillRunQuery(readRunQuery(file), { runId, dataStart: range.dataStart, dataEnd: range.dataEnd });
}

type EngagementTableName = (typeof ENGAGEMENT_TABLES)[number]['fileName'] extends `${infer Name}.csv` ? Name : never;

/** Data rows per raw table (every value a string, as in the files); a table left out gets only its header. */
export type EngagementRows = Partial<Record<EngagementTableName, string[][]>>;

export interface SqlHarness {
  athena: DuckDbAthena;
  store: LocalObjectStore;
  dir: string;
  /** Runs one SQL file of queries/ (a template filled for HARNESS_RUN_ID) and returns its result table. */
  /** Named parameters go in the order of the file's :name markers, as the workflow's States.Array puts them. */
  runFile(file: string, parameters?: string[] | Readonly<Record<string, string>>): Promise<CsvTable>;
  /**
   * Runs SQL text and returns its result table plus the exact result file text; the queries/cte/
   * relations it reads (student_video_watched, purchases_info, ...) are this harness run's, as in the workflow.
   */
  runSql(sql: string, parameters?: string[]): Promise<CsvTable & { text: string }>;
  close(): Promise<void>;
}


/**
 * When a test leaves student_info out, every student its other tables name is registered on
 * 1970-01-01, so the validation (purchases, views and certificates need a known student registered
 * before them) keeps the rows the test is about.
 */
function withRegisteredStudents(rows: EngagementRows): EngagementRows {
  if (rows.student_info) return rows;
  const ids = new Set<string>();
  for (const row of rows.student_purchases ?? []) ids.add(row[1]!);
  for (const row of rows.student_video_watched ?? []) ids.add(row[0]!);
  for (const row of rows.student_certificates ?? []) ids.add(row[1]!);
  return { ...rows, student_info: [...ids].map((id) => [id, '1970-01-01']) };
}

export async function writeEngagementInput(inputDir: string, givenRows: EngagementRows): Promise<void> {
  const rows = withRegisteredStudents(givenRows);
  await mkdir(path.join(inputDir, 'engagement'), { recursive: true });
  for (const table of ENGAGEMENT_TABLES) {
    const name = table.fileName.replace(/\.csv$/, '') as EngagementTableName;
    await writeFile(path.join(inputDir, 'engagement', table.fileName), formatCsv(table.columns, rows[name] ?? []));
  }
}

/** Writes the input files, opens the emulator and creates the engagement views. */
export async function openEngagementSql(rows: EngagementRows): Promise<SqlHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'engagement-sql-'));
  const inputDir = path.join(dir, 'input');
  await writeEngagementInput(inputDir, rows);
  const curatedDir = path.join(dir, 'curated');
  const checkedDir = path.join(dir, 'checked');
  const store = new LocalObjectStore({
    inputDir,
    mounts: [
      { prefix: 'athena-results/', dir: path.join(dir, 'athena-results') },
      { prefix: 'checked/', dir: checkedDir },
      { prefix: 'curated/', dir: curatedDir },
    ],
  });
  const athena = await DuckDbAthena.open({ store, inputDir, curatedDir, checkedDir });
  const runSql = async (sql: string, parameters?: string[]) => {
    const filled = fillRunQuery(withRunRelations(sql), { runId: HARNESS_RUN_ID, dataStart: DEFAULT_ANALYSIS_OPTIONS.dataStart, dataEnd: DEFAULT_ANALYSIS_OPTIONS.dataEnd });
    const result = await athena.startQueryExecutionSync({ QueryString: filled, ...(parameters ? { ExecutionParameters: parameters } : {}) });
    const text = await store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key);
    return { ...(await readCsvTable([text], 'athena result')), text };
  };
  const harness: SqlHarness = {
    athena,
    store,
    dir,
    runSql,
    runFile: async (file, parameters) => {
      const sql = readQuery(file);
      return runSql(sql, parameters === undefined || Array.isArray(parameters) ? parameters : orderedParameters(parameterMarkers(sql), parameters));
    },
    close: async () => {
      await athena.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  for (const file of ENGAGEMENT_SETUP_FILES) {
    await athena.startQueryExecutionSync({ QueryString: await runSqlOf(file) });
  }
  return harness;
}
