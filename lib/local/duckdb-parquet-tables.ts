// The Parquet tables the workflow writes (Glue tables over checked/<table>/ and curated/<table>/ in
// the cloud) as DuckDB views over the local folders that hold those prefixes, and Athena's
// `INSERT INTO <table> SELECT ...` as a DuckDB COPY that writes Hive-style partitions (run_id=/...)
// there: the same keys S3 gets. An insert is written aside and its files moved into place, so a query
// of another run never lists a half-written file. read_parquet fails on a pattern that matches no
// file, so a table without files is an empty view with the typed columns, made again after each insert.
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CuratedColumnType, ParquetTable } from '../../lambdas/contracts/tables';
import { sqlIdentifier, sqlString } from './duckdb-raw-tables';

/** DuckDB's name of each column type the Glue tables declare. */
export const DUCKDB_TYPES: Record<CuratedColumnType, string> = { bigint: 'BIGINT', int: 'INTEGER', date: 'DATE', double: 'DOUBLE', string: 'VARCHAR' };

/** Local folders standing in for the checked/ and curated/ prefixes, and the tables under each. */
export interface ParquetTableFolder {
  /** <dir>/<table>/... holds <prefix><table>/... */
  dir: string;
  tables: readonly ParquetTable[];
}

function allColumns(table: ParquetTable) {
  return [...table.columns, ...table.partitionKeys];
}

export function parquetTableDir(dir: string, table: ParquetTable): string {
  return path.join(dir, table.name);
}

/** Creates (or replaces) every table's view, reading whatever Parquet files are there now. */
export async function registerParquetTables(connection: DuckDBConnection, folder: ParquetTableFolder): Promise<void> {
  for (const table of folder.tables) await refreshParquetView(connection, folder.dir, table);
}

export async function refreshParquetView(connection: DuckDBConnection, dir: string, table: ParquetTable): Promise<void> {
  const tableDir = parquetTableDir(dir, table);
  await connection.run(parquetViewSql(table, (await hasParquetFiles(tableDir)) ? tableDir : undefined));
}

/** The view over a table's files, or (dir undefined) an empty one with the same typed columns. */
export function parquetViewSql(table: ParquetTable, dir: string | undefined): string {
  const columns = allColumns(table);
  if (dir === undefined) {
    const empty = columns.map((column) => `CAST(NULL AS ${DUCKDB_TYPES[column.type]}) AS ${sqlIdentifier(column.name)}`);
    return `CREATE OR REPLACE VIEW ${sqlIdentifier(table.name)} AS SELECT ${empty.join(', ')} WHERE false`;
  }
  const hiveTypes = table.partitionKeys.map((key) => `${sqlString(key.name)}: ${sqlString(DUCKDB_TYPES[key.type])}`).join(', ');
  const source = `read_parquet(${sqlString(`${dir}/**/*.parquet`)}, hive_partitioning = true, hive_types = {${hiveTypes}}, hive_types_autocast = false)`;
  return `CREATE OR REPLACE VIEW ${sqlIdentifier(table.name)} AS SELECT ${columns.map((column) => sqlIdentifier(column.name)).join(', ')} FROM ${source}`;
}

/** `INSERT INTO <one of tables> <query>` -> the table and the query; undefined for any other statement. */
export function parseParquetInsert<T extends ParquetTable>(sql: string, tables: readonly T[]): { table: T; query: string } | undefined {
  const text = sql.replace(/^\s*(--[^\n]*\n\s*)*/, '').trim().replace(/;\s*$/, '');
  const match = /^INSERT\s+INTO\s+("?)([A-Za-z_][A-Za-z0-9_]*)\1\s+([\s\S]+)$/i.exec(text);
  if (!match) return undefined;
  const table = tables.find((candidate) => candidate.name === match[2]!.toLowerCase());
  return table ? { table, query: match[3]! } : undefined;
}

/** Where an insert's COPY writes before its files are moved into the table: beside the tables, never under one. */
export function stagedInsertDir(dir: string, queryExecutionId: string): string {
  return path.join(dir, '.inserting', queryExecutionId);
}

/**
 * Moves the files a COPY wrote under staging (<staging>/<table>/<partitions>/<file>) to the same
 * places under the table's folder, each by one rename, then removes the staging folder.
 */
export async function publishStagedInsert(staging: string, dir: string, table: ParquetTable): Promise<void> {
  const written = parquetTableDir(staging, table);
  const entries = await readdir(written, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const relative = path.relative(written, path.join(entry.parentPath, entry.name));
    const target = path.join(parquetTableDir(dir, table), relative);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(path.join(written, relative), target);
  }
  await rm(staging, { recursive: true, force: true });
}

/**
 * The COPY that does what Athena's INSERT INTO does: the query's columns taken by position as the
 * table's (cast to its types), ZSTD Parquet, one folder per partition. Files are named after the
 * query id as Athena names them, so a second insert adds files rather than replacing them.
 */
export function parquetInsertCopySql(table: ParquetTable, query: string, dir: string, queryExecutionId: string): string {
  const columns = allColumns(table);
  const aliases = columns.map((column) => sqlIdentifier(column.name)).join(', ');
  const typed = columns.map((column) => `CAST(${sqlIdentifier(column.name)} AS ${DUCKDB_TYPES[column.type]}) AS ${sqlIdentifier(column.name)}`);
  const partitions = table.partitionKeys.map((key) => sqlIdentifier(key.name)).join(', ');
  return [
    `COPY (SELECT ${typed.join(', ')} FROM (\n${query}\n) AS inserted(${aliases}))`,
    `TO ${sqlString(parquetTableDir(dir, table))}`,
    `(FORMAT PARQUET, COMPRESSION ZSTD, PARTITION_BY (${partitions}), OVERWRITE_OR_IGNORE, FILENAME_PATTERN ${sqlString(`${queryExecutionId}_{i}`)})`,
  ].join(' ');
}

async function hasParquetFiles(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.some((entry) => entry.isFile() && entry.name.endsWith('.parquet'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
