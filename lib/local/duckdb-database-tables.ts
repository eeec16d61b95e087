// The checked_* and curated_* tables as tables of the emulator's own DuckDB database, for a local
// run that owns its database: the Glue tables' names and columns (partition keys as ordinary
// columns at the end, as Athena shows them), and Athena's `INSERT INTO <table> SELECT ...` run as
// the very same statement. Nothing but this database reads these tables again, so writing them as
// partitioned Parquet and scanning the files back would only cost time; the cloud keeps its Parquet.
// An INSERT is one DuckDB transaction: a failed or interrupted one leaves no row, and the database
// goes with the run, so no later run can meet a table another run half wrote.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParquetTable } from '../../lambdas/contracts/tables';
import { DUCKDB_TYPES, parseParquetInsert } from './duckdb-parquet-tables';
import { sqlIdentifier } from './duckdb-raw-tables';

/** The table with its columns and partition keys, typed as Glue declares them. */
export function databaseTableSql(table: ParquetTable): string {
  const columns = [...table.columns, ...table.partitionKeys].map((column) => `${sqlIdentifier(column.name)} ${DUCKDB_TYPES[column.type]}`);
  return `CREATE TABLE IF NOT EXISTS ${sqlIdentifier(table.name)} (${columns.join(', ')})`;
}

export async function createDatabaseTables(connection: DuckDBConnection, tables: readonly ParquetTable[]): Promise<void> {
  for (const table of tables) await connection.run(databaseTableSql(table));
}

/** Whether the SQL is an INSERT INTO one of the given tables (the statement then runs as it is). */
export function isDatabaseTableInsert(sql: string, tables: readonly ParquetTable[]): boolean {
  return parseParquetInsert(sql, tables) !== undefined;
}
