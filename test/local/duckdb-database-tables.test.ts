// The emulator with its checked and curated tables kept in its own DuckDB database (a local run's
// default): typed empty tables at open, INSERT INTO run as written with columns taken by position
// as Athena takes them, a failed INSERT leaving no row, and no table shared between two databases.
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../lambdas/tabular/csv';
import { AthenaQueryFailedError } from '../../lambdas/athena/athena-task';
import { PARQUET_TABLES } from '../../lambdas/contracts/tables';
import { DuckDbAthena } from '../../lib/local/duckdb-athena';
import { databaseTableSql, isDatabaseTableInsert } from '../../lib/local/duckdb-database-tables';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { parseS3Uri } from '../../lambdas/io/object-store';

let dir: string;
let store: LocalObjectStore;
const opened: DuckDbAthena[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duckdb-database-tables-'));
  await mkdir(path.join(dir, 'input'), { recursive: true });
  store = new LocalObjectStore({ inputDir: path.join(dir, 'input'), mounts: [{ prefix: 'athena-results/', dir: path.join(dir, 'athena-results') }] });
});
afterEach(async () => {
  for (const athena of opened.splice(0)) await athena.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(databaseFile: string): Promise<DuckDbAthena> {
  const athena = await DuckDbAthena.open({ store, inputDir: path.join(dir, 'input'), tablesInDatabase: true, databasePath: path.join(dir, databaseFile) });
  opened.push(athena);
  return athena;
}

async function rows(athena: DuckDbAthena, sql: string): Promise<{ header: string[]; rows: string[][] }> {
  const result = await athena.startQueryExecutionSync({ QueryString: sql });
  return readCsvTable([await store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key)], 'result');
}

const INSERT_TWO_STUDENTS = `-- curate test
INSERT INTO curated_student_info
SELECT id AS any_name, day AS other_name, 'r1', year(day), quarter(day)
FROM (VALUES (1, DATE '2021-02-03'), (2, DATE '2021-05-06')) AS t(id, day)`;

describe('checked and curated tables in the emulator\'s database', () => {
  it('are empty tables with the Glue columns and partition keys, in the declared types, from the start', async () => {
    const athena = await open('a.duckdb');
    expect(await rows(athena, 'SELECT * FROM curated_student_purchases')).toEqual({
      header: ['purchase_id', 'student_id', 'plan_id', 'date_purchased', 'date_refunded', 'run_id', 'year', 'quarter'],
      rows: [],
    });
    const types = await rows(athena, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'checked_student_video_watched' ORDER BY ordinal_position");
    expect(types.rows).toEqual([
      ['student_id', 'VARCHAR'],
      ['course_id', 'VARCHAR'],
      ['seconds_watched', 'VARCHAR'],
      ['date_watched', 'VARCHAR'],
      ['student_key', 'BIGINT'],
      ['course_key', 'BIGINT'],
      ['seconds', 'DOUBLE'],
      ['watched', 'DATE'],
      ['reject_reason', 'VARCHAR'],
      ['run_id', 'VARCHAR'],
    ]);
    const tables = await rows(athena, "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name");
    expect(tables.rows.map(([name]) => name)).toEqual(PARQUET_TABLES.map((table) => table.name).sort());
  });

  it('take INSERT INTO as written: columns by position, cast to the table\'s types; an empty result, and no file but the result', async () => {
    const athena = await open('a.duckdb');
    const result = await athena.startQueryExecutionSync({ QueryString: INSERT_TWO_STUDENTS });
    expect(result.QueryExecution).toMatchObject({ StatementType: 'DML', Status: { State: 'SUCCEEDED' }, Query: INSERT_TWO_STUDENTS });
    expect(await store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key)).toBe('');
    // year() and quarter() are BIGINT in DuckDB: the table's INTEGER columns hold them.
    expect(await rows(athena, 'SELECT student_id, date_registered, run_id, year, quarter, typeof(year) AS t FROM curated_student_info ORDER BY student_id')).toEqual({
      header: ['student_id', 'date_registered', 'run_id', 'year', 'quarter', 't'],
      rows: [
        ['1', '2021-02-03', 'r1', '2021', '1', 'INTEGER'],
        ['2', '2021-05-06', 'r1', '2021', '2', 'INTEGER'],
      ],
    });
    // The database file (and its write-ahead log) and the result: nothing under checked/ or curated/.
    expect(readdirSync(dir).filter((name) => !/^a\.duckdb(\.wal)?$/.test(name)).sort()).toEqual(['athena-results', 'input']);
  });

  it('keep nothing of an INSERT that fails part way: the statement is one transaction', async () => {
    const athena = await open('a.duckdb');
    const failing = `-- fails on its third row
INSERT INTO curated_student_info
SELECT CASE WHEN id = 3 THEN CAST(error('row 3 is bad') AS BIGINT) ELSE id END, DATE '2021-02-03', 'r1', 2021, 1
FROM range(1, 5000) AS t(id)`;
    await expect(athena.startQueryExecutionSync({ QueryString: failing })).rejects.toThrow(/row 3 is bad/);
    expect((await rows(athena, 'SELECT count(*) AS n FROM curated_student_info')).rows).toEqual([['0']]);
  });

  it('refuse ExecutionParameters in an INSERT INTO, and more than one statement', async () => {
    const athena = await open('a.duckdb');
    await expect(athena.startQueryExecutionSync({ QueryString: INSERT_TWO_STUDENTS, ExecutionParameters: ['1'] })).rejects.toThrow(AthenaQueryFailedError);
    await expect(athena.startQueryExecutionSync({ QueryString: `${INSERT_TWO_STUDENTS};\n${INSERT_TWO_STUDENTS}` })).rejects.toThrow(/exactly one SQL statement, found 2/);
    expect((await rows(athena, 'SELECT count(*) AS n FROM curated_student_info')).rows).toEqual([['0']]);
  });

  it('belong to one database: a second emulator (another run) sees none of the first one\'s rows', async () => {
    const first = await open('first.duckdb');
    const second = await open('second.duckdb');
    await first.startQueryExecutionSync({ QueryString: INSERT_TWO_STUDENTS });
    expect((await rows(second, 'SELECT count(*) AS n FROM curated_student_info')).rows).toEqual([['0']]);
    expect((await rows(first, 'SELECT count(*) AS n FROM curated_student_info')).rows).toEqual([['2']]);
  });

  it('are not mixed with Parquet folders', async () => {
    await expect(DuckDbAthena.open({ store, inputDir: path.join(dir, 'input'), tablesInDatabase: true, checkedDir: path.join(dir, 'checked') })).rejects.toThrow(/give no checkedDir or curatedDir/);
  });
});

describe('which statements are inserts into these tables', () => {
  it('an INSERT INTO a checked or curated table, after comments and with a WITH; not other tables or statements', () => {
    expect(isDatabaseTableInsert('-- a\n-- b\nINSERT INTO checked_student_info WITH x AS (SELECT 1) SELECT * FROM x', PARQUET_TABLES)).toBe(true);
    expect(isDatabaseTableInsert('insert into "curated_student_purchases" select 1', PARQUET_TABLES)).toBe(true);
    expect(isDatabaseTableInsert('INSERT INTO some_other_table SELECT 1', PARQUET_TABLES)).toBe(false);
    expect(isDatabaseTableInsert('SELECT * FROM checked_student_info', PARQUET_TABLES)).toBe(false);
  });

  it('create statements name every column with its type', () => {
    expect(databaseTableSql(PARQUET_TABLES.find((table) => table.name === 'curated_student_certificates')!)).toBe(
      'CREATE TABLE IF NOT EXISTS "curated_student_certificates" ("certificate_id" BIGINT, "student_id" BIGINT, "date_issued" DATE, "run_id" VARCHAR, "year" INTEGER, "quarter" INTEGER)',
    );
  });
});
