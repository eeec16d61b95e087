// The result tables over a local results folder, as DuckDB views with the Glue tables' names and
// columns (run_id first), so queries/history/*.sql run unchanged on a laptop. Each view reads
// <resultsRoot>/*/tables/<table>/*.json; like Athena, it holds the rows of every run that wrote
// them, and a query names the runs it wants.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { RESULT_TABLES, RESULT_TABLES_FOLDER, type ResultColumnType, type ResultTable } from '../../lambdas/contracts/result-tables';
import { sqlIdentifier, sqlString } from './duckdb-raw-tables';

const DUCKDB_TYPES: Record<ResultColumnType, string> = { string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN' };

export async function createResultTableViews(connection: DuckDBConnection, resultsRoot: string): Promise<void> {
  for (const table of RESULT_TABLES) await connection.run(resultTableViewSql(table, resultsRoot));
}

export function resultTableViewSql(table: ResultTable, resultsRoot: string): string {
  const columns = [{ name: 'run_id', type: 'string' as const }, ...table.columns];
  const names = columns.map((column) => sqlIdentifier(column.name)).join(', ');
  // read_json fails on a pattern that matches nothing: a table no run has written yet is an empty view.
  if (!anyRunWrote(resultsRoot, table.name)) {
    return `CREATE OR REPLACE VIEW ${sqlIdentifier(table.name)} AS SELECT ${columns.map((column) => `CAST(NULL AS ${DUCKDB_TYPES[column.type]}) AS ${sqlIdentifier(column.name)}`).join(', ')} WHERE false`;
  }
  const pattern = path.join(resultsRoot, '*', RESULT_TABLES_FOLDER, table.name, '*.json');
  const declared = `{${columns.map((column) => `${sqlString(column.name)}: ${sqlString(DUCKDB_TYPES[column.type])}`).join(', ')}}`;
  return `CREATE OR REPLACE VIEW ${sqlIdentifier(table.name)} AS SELECT ${names} FROM read_json(${sqlString(pattern)}, format = 'newline_delimited', columns = ${declared})`;
}

function anyRunWrote(resultsRoot: string, table: string): boolean {
  if (!existsSync(resultsRoot)) return false;
  return readdirSync(resultsRoot, { withFileTypes: true }).some(
    (entry) => entry.isDirectory() && !entry.name.startsWith('.') && existsSync(path.join(resultsRoot, entry.name, RESULT_TABLES_FOLDER, table)),
  );
}
