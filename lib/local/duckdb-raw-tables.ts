// The raw input tables SQL reads as DuckDB views, standing in for the Glue tables (OpenCSVSerDe:
// every column a string, header row skipped). A view reads its file on each query, strictly: a row
// with the wrong number of fields or an unclosed quote fails the query, naming the file. A file whose
// header is not the declared columns gets a view that fails the same way, so only queries over it break.
// A view lets DuckDB's sniffer sample its file (every dialect option pinned, so the sniffer changes
// nothing of how rows are read) for one reason: a row estimate. Without it DuckDB assumes a few dozen
// rows and builds the check queries' join hash tables on the whole CSV rather than on the students.
// The sniffer reads a whole first buffer, so buffers are 4 MiB rather than DuckDB's 32: still room
// for its longest line (2 MB). A file the sniffer refuses (a malformed row in its sample) gets the
// strict view without estimate, whose queries fail naming the line.
// A run on a shared catalog gets its views as TEMP views of each of its connections (temporary
// objects are per connection in DuckDB and come before the database's own), so runs over different
// input folders can share one database.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isHeaderOf, normalizedHeader, parseCsvRecords } from '../../lambdas/tabular/csv';
import { SQL_RAW_TABLES, type RawTable } from '../../lambdas/contracts/tables';
import { printable, unreadableHeaderReason } from '../../lambdas/validation/encoding';

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
  const views = await rawTableViews(inputDir, 'database');
  await runViewStatements(connection, views.statements);
  return views.registered;
}

/** A statement making or dropping one raw view; `strict` replaces it when DuckDB's sniffer refuses the file. */
export interface RawViewStatement {
  sql: string;
  strict?: string;
}

export async function runViewStatements(connection: DuckDBConnection, statements: readonly RawViewStatement[]): Promise<void> {
  for (const statement of statements) {
    try {
      await connection.run(statement.sql);
    } catch (error) {
      if (statement.strict === undefined) throw error;
      await connection.run(statement.strict);
    }
  }
}

/**
 * The statements that make the raw views of an input folder: in the database (a file's absence drops
 * a view an earlier run left in a database file) or as a connection's TEMP views (an absent file
 * gets a view that fails naming it, so the database's view of another input is never read instead).
 */
export async function rawTableViews(inputDir: string, scope: 'database' | 'connection'): Promise<{ registered: RegisteredRawTable[]; statements: RawViewStatement[] }> {
  const registered: RegisteredRawTable[] = [];
  const statements: RawViewStatement[] = [];
  for (const table of SQL_RAW_TABLES) {
    const file = rawTableFile(inputDir, table);
    const found = await fileState(file);
    if (found === 'absent') {
      // A database may hold the view from an earlier run whose input had this file; a connection
      // gets a view that fails naming the file, so the database's view of another input is never read.
      statements.push({ sql: scope === 'database' ? `DROP VIEW IF EXISTS ${sqlIdentifier(table.rawTableName)}` : failingViewSql(table, `${file}: no such input file`, scope) });
      continue;
    }
    // An unreadable file (a symlink loop, no permission) fails only the queries over it, as in Athena.
    const problem = found === 'file' ? await headerProblem(table, file) : `${file}: cannot be read: ${found.unreadable}`;
    statements.push(problem ? { sql: failingViewSql(table, problem, scope) } : { sql: rawTableViewSql(table, file, scope, 'estimated'), strict: rawTableViewSql(table, file, scope, 'strict') });
    registered.push(problem ? { table, file, problem } : { table, file });
  }
  return { registered, statements };
}

function createView(scope: 'database' | 'connection'): string {
  return scope === 'database' ? 'CREATE OR REPLACE VIEW' : 'CREATE OR REPLACE TEMP VIEW';
}

/** `estimated` lets the sniffer sample the file for a row estimate; `strict` reads nothing until a query runs. */
export function rawTableViewSql(table: RawTable, file: string, scope: 'database' | 'connection' = 'database', sniff: 'estimated' | 'strict' = 'estimated'): string {
  const columns = table.columns.map((column) => `${sqlString(column)}: 'VARCHAR'`).join(', ');
  const columnList = table.columns.map(sqlString).join(', ');
  // force_not_null: an empty field is '' as under OpenCSVSerDe, not NULL.
  const options = [
    'header = true',
    ...(sniff === 'strict' ? ['auto_detect = false'] : ["comment = ''", 'skip = 0', 'buffer_size = 4194304']),
    `columns = {${columns}}`,
    `delim = ${sqlString(table.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    `force_not_null = [${columnList}]`,
  ];
  return `${createView(scope)} ${sqlIdentifier(table.rawTableName)} AS SELECT * FROM read_csv(${sqlString(file)}, ${options.join(', ')})`;
}

function failingViewSql(table: RawTable, problem: string, scope: 'database' | 'connection'): string {
  const columns = table.columns.map((column) => `CAST(error(${sqlString(printable(problem))}) AS VARCHAR) AS ${sqlIdentifier(column)}`);
  return `${createView(scope)} ${sqlIdentifier(table.rawTableName)} AS SELECT ${columns.join(', ')}`;
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
