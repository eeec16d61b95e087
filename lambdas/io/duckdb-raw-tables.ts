// The raw input tables as DuckDB views, standing in for the Glue tables (OpenCSVSerDe: every column
// a string, header row skipped). A view reads its file on each query, strictly: a row with the wrong
// number of fields or an unclosed quote fails the query, naming the file. A file whose header is
// not the declared columns gets a view that fails the same way, so only queries over it break.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isHeaderOf, normalizedHeader, parseCsvRecords } from '../core/csv';
import { RAW_TABLES, type RawTable } from '../core/tables';
import { printable, unreadableHeaderReason } from '../core/validation/encoding';

export interface RegisteredRawTable {
  table: RawTable;
  file: string;
  /** Why the file cannot be read (its header), when it cannot; queries over it then fail with this. */
  problem?: string;
}

export function rawTableFile(inputDir: string, table: RawTable): string {
  return path.resolve(inputDir, table.study, table.fileName);
}

/** Registers a view for every raw table whose file exists; absent files are left out. */
export async function registerRawTables(connection: DuckDBConnection, inputDir: string): Promise<RegisteredRawTable[]> {
  const registered: RegisteredRawTable[] = [];
  for (const table of RAW_TABLES) {
    const file = rawTableFile(inputDir, table);
    const found = await fileState(file);
    if (found === 'absent') {
      // A database file may hold the view from an earlier run whose input had this file.
      await connection.run(`DROP VIEW IF EXISTS ${sqlIdentifier(table.rawTableName)}`);
      continue;
    }
    // An unreadable file (a symlink loop, no permission) fails only the queries over it, as in Athena.
    const problem = found === 'file' ? await headerProblem(table, file) : `${file}: cannot be read: ${found.unreadable}`;
    await connection.run(problem ? failingViewSql(table, problem) : rawTableViewSql(table, file));
    registered.push(problem ? { table, file, problem } : { table, file });
  }
  return registered;
}

export function rawTableViewSql(table: RawTable, file: string): string {
  const columns = table.columns.map((column) => `${sqlString(column)}: 'VARCHAR'`).join(', ');
  const columnList = table.columns.map(sqlString).join(', ');
  // force_not_null: an empty field is '' as under OpenCSVSerDe, not NULL.
  const options = [
    'header = true',
    'auto_detect = false',
    `columns = {${columns}}`,
    `delim = ${sqlString(table.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    `force_not_null = [${columnList}]`,
  ];
  return `CREATE OR REPLACE VIEW ${sqlIdentifier(table.rawTableName)} AS SELECT * FROM read_csv(${sqlString(file)}, ${options.join(', ')})`;
}

function failingViewSql(table: RawTable, problem: string): string {
  const columns = table.columns.map((column) => `CAST(error(${sqlString(printable(problem))}) AS VARCHAR) AS ${sqlIdentifier(column)}`);
  return `CREATE OR REPLACE VIEW ${sqlIdentifier(table.rawTableName)} AS SELECT ${columns.join(', ')}`;
}

/** Compares the file's first record with the declared columns (a BOM and spaces around names are allowed). */
async function headerProblem(table: RawTable, file: string): Promise<string | undefined> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  let header: string[] | undefined;
  try {
    for await (const record of parseCsvRecords(stream, file, { delimiter: table.delimiter })) {
      header = normalizedHeader(record);
      break;
    }
  } catch (error) {
    return `${file}: cannot read the header row: ${(error as Error).message}`;
  } finally {
    stream.destroy();
  }
  if (!header) return `${file}: the file is empty (no header row)`;
  const unreadable = unreadableHeaderReason(header.join(table.delimiter));
  if (unreadable) return `${file}: ${unreadable}`;
  if (!isHeaderOf(header, table.columns)) {
    return `${file}: header is ${header.join(', ')}; expected ${table.columns.join(', ')}`;
  }
  return undefined;
}

async function fileState(file: string): Promise<'file' | 'absent' | { unreadable: string }> {
  try {
    const info = await stat(file);
    if (info.isFile()) return 'file';
    return info.isDirectory() ? { unreadable: 'it is a folder, not a file' } : { unreadable: 'it is not a regular file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    return { unreadable: (error as Error).message };
  }
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
