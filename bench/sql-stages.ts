// What the SQL stage cannot go below, measured on the benchmark's own files: the DuckDB floor, a bare
// conversion of the four CSVs to partitioned Parquet (typed reads, no rule at all), and each check
// INSERT of the workflow run alone through the Athena emulator (one at a time, so none waits for
// another). Set against "the whole workflow under 2x the floor", it shows how much of that budget
// the conversion and the checks take before any study query, statistic or report runs.
//   npm run bench:sql-stages -- [--watch-rows 10000000] [--seed 42] [--duckdb-memory 1GB]
// or in the main benchmark's report: npm run bench -- --watch-rows N --sql-stages
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_BASELINE, DEFAULT_COMPARISON, parsePeriod } from '../lambdas/analysis/periods';
import { fillRunQuery } from '../lambdas/athena/run-sql';
import { DEFAULT_ANALYSIS_OPTIONS } from '../lambdas/contracts/run-options';
import { CHECKED_TABLES, CURATED_TABLES } from '../lambdas/contracts/tables';
import { DuckDbAthena } from '../lib/local/duckdb-athena';
import { DUCKDB_TYPES } from '../lib/local/duckdb-parquet-tables';
import { sqlString } from '../lib/local/duckdb-raw-tables';
import { LocalObjectStore } from '../lib/local/local-object-store';
import { DEFAULT_DUCKDB_MEMORY_LIMIT } from '../lib/local/local-runner';
import { readRunQuery } from '../lib/queries';
import { engagementData, engagementFiles, inputFolder } from './data';
import { floorQuery, typedCsv } from './duckdb-floor';
import { parquetCopySql } from './parquet-size';
import { markdownTable, ratio, seconds, thousands } from './report-table';

const RUN_ID = 'sqlstages';

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await action();
  return Date.now() - started;
}

export interface SqlStagesOptions {
  watchRows: number;
  seed: number;
  /** DuckDB's memory_limit; the local runner's default when absent. */
  memoryLimit?: string;
}

export interface SqlStagesFigures {
  floorMs: number;
  conversionMs: Record<string, number>;
  checkMs: Record<string, number>;
}

/** Runs the stages one after another in this process; returns the Markdown section and the figures. */
export async function measureSqlStages(options: SqlStagesOptions): Promise<{ markdown: string; figures: SqlStagesFigures }> {
  const memoryLimit = options.memoryLimit ?? DEFAULT_DUCKDB_MEMORY_LIMIT;
  const data = await engagementData(options.watchRows, options.seed);
  const files = engagementFiles(data);
  const inputDir = await inputFolder(`engagement-w${options.watchRows}-s${options.seed}`, { engagement: data });
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'sql-stages-'));
  const rows: (string | number)[][] = [];
  const figures: SqlStagesFigures = { floorMs: 0, conversionMs: {}, checkMs: {} };
  try {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`SET memory_limit = ${sqlString(memoryLimit)}`);
    const floorMs = await timed(() =>
      connection.run(floorQuery(files, path.join(scratch, 'floor.csv'), parsePeriod(DEFAULT_BASELINE), parsePeriod(DEFAULT_COMPARISON))),
    );
    figures.floorMs = floorMs;
    rows.push(['DuckDB floor (one scan-and-aggregate)', seconds(floorMs), '1.00×']);

    let conversionMs = 0;
    for (const table of CURATED_TABLES) {
      const source = typedCsv(files[table.fileName]!, Object.fromEntries(table.columns.map((column) => [column.name, DUCKDB_TYPES[column.type]])));
      const dir = path.join(scratch, 'converted', table.view);
      await mkdir(dir, { recursive: true });
      const ms = await timed(() => connection.run(parquetCopySql(source, dir, table.dateColumn)));
      conversionMs += ms;
      figures.conversionMs[table.fileName] = ms;
      rows.push([`bare conversion: ${table.fileName}`, seconds(ms), '']);
    }
    rows.push(['bare conversion, all four', seconds(conversionMs), ratio(conversionMs, floorMs)]);
    connection.closeSync();
    instance.closeSync();

    const store = new LocalObjectStore({ mounts: [{ prefix: '', dir: path.join(scratch, 'store') }] });
    // As a local run keeps them: the checked and curated tables in the emulator's database file.
    const athena = await DuckDbAthena.open({ store, inputDir, tablesInDatabase: true, databasePath: path.join(scratch, 'catalog.duckdb'), memoryLimit });
    const run = async (file: string): Promise<number> => {
      const sql = fillRunQuery(readRunQuery(file), { runId: RUN_ID, dataStart: DEFAULT_ANALYSIS_OPTIONS.dataStart, dataEnd: DEFAULT_ANALYSIS_OPTIONS.dataEnd });
      return timed(() => athena.startQueryExecutionSync({ QueryString: sql }));
    };
    try {
      let checksMs = 0;
      // CHECKED_TABLES has student_info first: the other checks join its accepted students.
      for (const { table } of CHECKED_TABLES) {
        const ms = await run(`check/${table}.sql`);
        checksMs += ms;
        figures.checkMs[table] = ms;
        rows.push([`check INSERT alone: ${table}`, seconds(ms), '']);
      }
      rows.push(['check INSERTs, one after another', seconds(checksMs), ratio(checksMs, floorMs)]);
    } finally {
      await athena.close();
    }
    const rowCount = Object.values(data.rows).reduce((sum, count) => sum + count, 0);
    const markdown =
      `## SQL stages alone: ${thousands(data.rows['student_video_watched.csv'] ?? 0)} watch rows (${thousands(rowCount)} rows in 4 CSVs), DuckDB memory_limit ${memoryLimit}\n\n` +
      markdownTable(['stage', 's', '× floor'], rows) +
      `\nBudget for the whole workflow at 2× this floor: ${seconds(2 * floorMs)} s.\n`;
    return { markdown, figures };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'watch-rows': { type: 'string' }, seed: { type: 'string' }, 'duckdb-memory': { type: 'string' } } });
  const { markdown } = await measureSqlStages({
    watchRows: Number(values['watch-rows'] ?? 10_000_000),
    seed: Number(values.seed ?? 42),
    ...(values['duckdb-memory'] !== undefined ? { memoryLimit: values['duckdb-memory'] } : {}),
  });
  process.stdout.write(markdown);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  });
}
