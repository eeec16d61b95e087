// The emulator's Parquet tables: empty typed views before any file, INSERT INTO a registered curated
// or checked table as partitioned Parquet (columns taken by position, as Athena does), and other INSERTs left alone.
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../lambdas/tabular/csv';
import { DuckDbAthena } from '../../lib/local/duckdb-athena';
import { CURATED_TABLES } from '../../lambdas/contracts/tables';
import { parseParquetInsert } from '../../lib/local/duckdb-parquet-tables';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { parseS3Uri } from '../../lambdas/io/object-store';

let dir: string;
let curatedDir: string;
let checkedDir: string;
let store: LocalObjectStore;
let athena: DuckDbAthena;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duckdb-curated-'));
  curatedDir = path.join(dir, 'curated');
  checkedDir = path.join(dir, 'checked');
  await mkdir(path.join(dir, 'input'), { recursive: true });
  store = new LocalObjectStore({ inputDir: path.join(dir, 'input'), mounts: [{ prefix: 'athena-results/', dir: path.join(dir, 'athena-results') }] });
  athena = await DuckDbAthena.open({ store, inputDir: path.join(dir, 'input'), curatedDir, checkedDir });
});
afterEach(async () => {
  await athena.close();
  await rm(dir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<{ header: string[]; rows: string[][] }> {
  const result = await athena.startQueryExecutionSync({ QueryString: sql });
  return readCsvTable([await store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key)], 'result');
}

function files(root: string, base = ''): string[] {
  return readdirSync(path.join(root, base), { withFileTypes: true }).flatMap((entry) => {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    return entry.isDirectory() ? files(root, relative) : [relative];
  });
}

const parseCuratedInsert = (sql: string) => parseParquetInsert(sql, CURATED_TABLES);

describe('curated tables in the DuckDB emulator', () => {
  it('are empty views with the typed columns and partition keys before any file exists', async () => {
    const table = await rows('SELECT * FROM curated_student_purchases');
    expect(table).toEqual({ header: ['purchase_id', 'student_id', 'plan_id', 'date_purchased', 'date_refunded', 'run_id', 'year', 'quarter'], rows: [] });
  });

  it('write INSERT INTO as Parquet per run_id/year/quarter, columns by position, and answer like Athena', async () => {
    const result = await athena.startQueryExecutionSync({
      QueryString: `-- curate test
INSERT INTO curated_student_info
SELECT id AS any_name, day AS other_name, 'r1', CAST(year(day) AS INTEGER), CAST(quarter(day) AS INTEGER)
FROM (VALUES (1, DATE '2021-02-03'), (2, DATE '2021-05-06'), (3, DATE '2021-05-07')) AS t(id, day)`,
    });
    expect(result.QueryExecution.StatementType).toBe('DML');
    expect(await store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key)).toBe('');
    const written = files(path.join(curatedDir, 'curated_student_info'));
    expect(written.map((file) => file.replace(/[^/]+$/, ''))).toEqual(['run_id=r1/year=2021/quarter=1/', 'run_id=r1/year=2021/quarter=2/']);
    for (const file of written) expect(file).toMatch(new RegExp(`/${result.QueryExecution.QueryExecutionId}_\\d+\\.parquet$`));
    expect((await rows("SELECT student_id, date_registered, run_id, year, quarter FROM curated_student_info ORDER BY student_id")).rows).toEqual([
      ['1', '2021-02-03', 'r1', '2021', '1'],
      ['2', '2021-05-06', 'r1', '2021', '2'],
      ['3', '2021-05-07', 'r1', '2021', '2'],
    ]);
    // A second insert adds files (Athena names them after the query), it does not replace them.
    await athena.startQueryExecutionSync({ QueryString: "INSERT INTO curated_student_info SELECT 4, DATE '2021-05-08', 'r1', 2021, 2" });
    expect((await rows("SELECT count(*) AS n FROM curated_student_info WHERE run_id = 'r1'")).rows).toEqual([['4']]);
  });

  it('refuses ExecutionParameters in an INSERT INTO (the emulator writes the query as a COPY)', async () => {
    await expect(
      athena.startQueryExecutionSync({ QueryString: "INSERT INTO curated_student_info SELECT 4, DATE '2021-05-08', 'r1', 2021, 2 WHERE 1 = ?", ExecutionParameters: ['1'] }),
    ).rejects.toThrow('the emulator takes no ExecutionParameters in INSERT INTO');
    expect(files(dir).some((file) => file.startsWith('curated/'))).toBe(false);
  });

  it('recognise INSERT INTO a registered curated table only', () => {
    expect(parseCuratedInsert('-- name\nINSERT INTO curated_student_certificates\nSELECT 1')?.table.name).toBe('curated_student_certificates');
    expect(parseCuratedInsert('insert into "curated_student_info" select 1')?.query).toBe('select 1');
    expect(parseCuratedInsert('INSERT INTO raw_student_info SELECT 1')).toBeUndefined();
    expect(parseCuratedInsert('SELECT * FROM curated_student_info')).toBeUndefined();
  });
});

describe('checked tables in the DuckDB emulator', () => {
  it('write INSERT INTO as Parquet per run_id only, under their own folder, typed as declared', async () => {
    expect((await rows('SELECT * FROM checked_student_info')).header).toEqual(['student_id', 'date_registered', 'student_key', 'registered', 'reject_reason', 'run_id']);
    await athena.startQueryExecutionSync({
      QueryString: `INSERT INTO checked_student_info
SELECT * FROM (VALUES ('1', '2021-02-03', 1, DATE '2021-02-03', NULL, 'r1'), ('x', '2021-05-06', NULL, DATE '2021-05-06', 'student_id is not an integer', 'r1')) AS t(a, b, c, d, e, f)`,
    });
    const written = files(path.join(checkedDir, 'checked_student_info'));
    expect(written.map((file) => file.replace(/[^/]+$/, ''))).toEqual(['run_id=r1/']);
    expect(files(dir).some((file) => file.startsWith('curated/'))).toBe(false);
    const typed = await rows("SELECT typeof(student_key) AS k, typeof(registered) AS r, count(*) AS n FROM checked_student_info WHERE run_id = 'r1' GROUP BY ALL");
    expect(typed.rows).toEqual([['BIGINT', 'DATE', '2']]);
  });
});

describe('ClientRequestToken in the DuckDB emulator, as Athena honours it', () => {
  const insert = "INSERT INTO curated_student_info SELECT 4, DATE '2021-05-08', 'r1', 2021, 2";
  const token = 'a'.repeat(64);
  const count = async (): Promise<string> => (await rows("SELECT count(*) AS n FROM curated_student_info WHERE run_id = 'r1'")).rows[0]![0]!;

  it('answers a repeated INSERT INTO with the query it already ran, and inserts once', async () => {
    const first = await athena.startQueryExecutionSync({ QueryString: insert, ClientRequestToken: token });
    const retried = await athena.startQueryExecutionSync({ QueryString: insert, ClientRequestToken: token });
    expect(retried.QueryExecution.QueryExecutionId).toBe(first.QueryExecution.QueryExecutionId);
    expect(await count()).toBe('1');
    expect(files(curatedDir).filter((file) => file.endsWith('.parquet'))).toHaveLength(1);
    // Another token (another execution or state) is another query: it inserts again.
    await athena.startQueryExecutionSync({ QueryString: insert, ClientRequestToken: 'b'.repeat(64) });
    expect(await count()).toBe('2');
  });

  it('without a token, every request runs', async () => {
    await athena.startQueryExecutionSync({ QueryString: insert });
    await athena.startQueryExecutionSync({ QueryString: insert });
    expect(await count()).toBe('2');
  });

  it('answers a repeated token of a failed query with the same failure, running nothing', async () => {
    const failing = "INSERT INTO curated_student_info SELECT 4, DATE '2021-05-08', 'r1', 2021, 2 FROM no_such_table";
    const firstError = await athena.startQueryExecutionSync({ QueryString: failing, ClientRequestToken: token }).catch((error: unknown) => error);
    expect(firstError).toMatchObject({ name: 'States.TaskFailed' });
    await expect(athena.startQueryExecutionSync({ QueryString: failing, ClientRequestToken: token })).rejects.toBe(firstError);
  });

  it('refuses a token reused with other parameters, and one outside 32 to 128 characters', async () => {
    await athena.startQueryExecutionSync({ QueryString: insert, ClientRequestToken: token });
    await expect(athena.startQueryExecutionSync({ QueryString: `${insert} UNION ALL ${insert.replace(/^INSERT INTO curated_student_info /, '')}`, ClientRequestToken: token })).rejects.toMatchObject({
      name: 'Athena.InvalidRequestException',
    });
    await expect(athena.startQueryExecutionSync({ QueryString: insert, ClientRequestToken: 'x'.repeat(31) })).rejects.toMatchObject({ name: 'Athena.InvalidRequestException' });
    await expect(athena.startQueryExecutionSync({ QueryString: insert, ClientRequestToken: 'x'.repeat(129) })).rejects.toMatchObject({ name: 'Athena.InvalidRequestException' });
    expect(await count()).toBe('1');
  });
});
