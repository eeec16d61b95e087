import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AthenaQueryFailedError } from '../../lambdas/athena/athena-task';
import { DuckDbAthena, duckDbReason, queryNameOf, resultPrefix } from '../../lib/local/duckdb-athena';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { parseS3Uri } from '../../lambdas/io/object-store';

let dir: string;
let inputDir: string;
let store: LocalObjectStore;
let athena: DuckDbAthena | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duckdb-athena-'));
  inputDir = path.join(dir, 'input');
  await mkdir(path.join(inputDir, 'engagement'), { recursive: true });
  await mkdir(path.join(inputDir, 'mooc'), { recursive: true });
  store = new LocalObjectStore({
    inputDir,
    mounts: [
      { prefix: 'athena-results/', dir: path.join(dir, 'athena-results') },
      { prefix: 'scratch/', dir: path.join(dir, 'scratch') },
    ],
  });
});

afterEach(async () => {
  await athena?.close();
  athena = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<DuckDbAthena> {
  athena = await DuckDbAthena.open({ store, inputDir });
  return athena;
}

async function resultText(sql: string, parameters?: string[]): Promise<string> {
  const result = await athena!.startQueryExecutionSync({ QueryString: sql, ...(parameters ? { ExecutionParameters: parameters } : {}) });
  return store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key);
}

async function resultTextOf(executor: { startQueryExecutionSync: DuckDbAthena['startQueryExecutionSync'] }, sql: string): Promise<string> {
  const result = await executor.startQueryExecutionSync({ QueryString: sql });
  return store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key);
}

async function failure(sql: string, parameters?: string[]): Promise<AthenaQueryFailedError> {
  const error = await athena!.startQueryExecutionSync({ QueryString: sql, ...(parameters ? { ExecutionParameters: parameters } : {}) }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AthenaQueryFailedError);
  return error as AthenaQueryFailedError;
}

describe('result file in Athena CSV format', () => {
  it('quotes the header and every value, leaves NULL empty, prints DATE, DECIMAL scale, integers and doubles', async () => {
    await open();
    const text = await resultText(
      `SELECT 'say "hi", ok' AS "text", NULL AS nothing, DATE '2021-02-28' AS day, CAST(12.5 AS DECIMAL(18, 2)) AS minutes,
              CAST(0 AS DECIMAL(18, 2)) AS zero, CAST(42 AS BIGINT) AS id, 0.1::DOUBLE + 0.2::DOUBLE AS sum, CAST(100 AS DOUBLE) AS whole,
              true AS yes, TIMESTAMP '2021-04-01 10:00:00' AS at, 'line
break' AS multiline`,
    );
    expect(text).toBe(
      '"text","nothing","day","minutes","zero","id","sum","whole","yes","at","multiline"\n' +
        '"say ""hi"", ok",,"2021-02-28","12.50","0.00","42","0.30000000000000004","100","true","2021-04-01 10:00:00.000","line\nbreak"\n',
    );
  });

  it('writes a header alone for an empty result', async () => {
    await open();
    expect(await resultText('SELECT 1 AS x WHERE 1 = 0')).toBe('"x"\n');
  });

  it('streams a large result in several pieces rather than one string', async () => {
    await open();
    const pieces: number[] = [];
    const putStream = store.putStream.bind(store);
    store.putStream = async (key: string, body: Readable) => {
      // Count the pieces as they pass to the store.
      const counter = new Transform({
        transform(piece: Buffer, _encoding, done) {
          pieces.push(piece.length);
          done(null, piece);
        },
      });
      return putStream(key, body.pipe(counter));
    };
    const text = await resultText('SELECT range AS n FROM range(10000) ORDER BY n');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(10001);
    expect(lines[10000]).toBe('"9999"');
    expect(pieces.length).toBeGreaterThan(2); // header + at least two chunks of about 2048 rows
  });
});

describe('query execution result', () => {
  it('answers like the .sync task: DML for a SELECT, DDL for CREATE and DROP, output under athena-results/', async () => {
    await open();
    const select = await athena!.startQueryExecutionSync({ QueryString: 'SELECT 1 AS one', WorkGroup: 'engagement' });
    const execution = select.QueryExecution;
    expect(execution.StatementType).toBe('DML');
    expect(execution.Status.State).toBe('SUCCEEDED');
    expect(execution.WorkGroup).toBe('engagement');
    expect(execution.Query).toBe('SELECT 1 AS one');
    expect(execution.ResultConfiguration.OutputLocation).toBe(`s3://local-bucket/athena-results/${execution.QueryExecutionId}.csv`);

    const create = await athena!.startQueryExecutionSync({ QueryString: 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one' });
    expect(create.QueryExecution.StatementType).toBe('DDL');
    // Athena writes DDL output as an empty .txt.
    expect(create.QueryExecution.ResultConfiguration.OutputLocation).toMatch(/^s3:\/\/local-bucket\/athena-results\/[0-9a-f-]{36}\.txt$/);
    expect(await resultText('SELECT one FROM v')).toBe('"one"\n"1"\n');
    const drop = await athena!.startQueryExecutionSync({ QueryString: 'DROP VIEW v' });
    expect(drop.QueryExecution.StatementType).toBe('DDL');
    expect(select.QueryExecution.QueryExecutionId).not.toBe(create.QueryExecution.QueryExecutionId);
  });

  it('writes under the prefix of ResultConfiguration.OutputLocation', async () => {
    await open();
    const result = await athena!.startQueryExecutionSync({ QueryString: 'SELECT 2 AS two', ResultConfiguration: { OutputLocation: 's3://any-bucket/scratch/q' } });
    const location = result.QueryExecution.ResultConfiguration.OutputLocation;
    expect(location).toBe(`s3://local-bucket/scratch/q/${result.QueryExecution.QueryExecutionId}.csv`);
    expect(await store.getText(parseS3Uri(location).key)).toBe('"two"\n"2"\n');
    expect(resultPrefix(undefined)).toBe('athena-results/');
    expect(resultPrefix('s3://b/')).toBe('');
    expect(resultPrefix('s3://b/x/y/')).toBe('x/y/');
    expect(() => resultPrefix('/tmp/x')).toThrow(/s3:\/\//);
  });

  it('runs queries in parallel, each on its own connection', async () => {
    await open();
    const texts = await Promise.all([1, 2, 3, 4].map((n) => resultText('SELECT n * 10 AS v FROM range(1, 3001) t(n) WHERE n = ?', [String(n)])));
    expect(texts).toEqual(['"v"\n"10"\n', '"v"\n"20"\n', '"v"\n"30"\n', '"v"\n"40"\n']);
  });
});

describe('execution parameters', () => {
  it('binds a quoted string with doubled quotes unescaped, and bare numbers as numbers', async () => {
    await open();
    expect(await resultText("SELECT v FROM (SELECT 'it''s' AS v) WHERE v = ?", ["'it''s'"])).toBe('"v"\n"it\'s"\n');
    expect(await resultText('SELECT CAST(d AS VARCHAR) AS d FROM (SELECT DATE \'2021-04-01\' AS d) WHERE d = CAST(? AS DATE)', ["'2021-04-01'"])).toBe(
      '"d"\n"2021-04-01"\n',
    );
    // 7 bound as an integer: integer division applies (7 / 2 = 3); 2.5 as a double.
    expect(await resultText('SELECT x FROM (SELECT 3 AS x) WHERE x = ? / 2', ['7'])).toBe('"x"\n"3"\n');
    expect(await resultText('SELECT x FROM (SELECT 2.5::DOUBLE AS x) WHERE x = ?', ['2.5'])).toBe('"x"\n"2.5"\n');
    expect(await resultText('SELECT x FROM (SELECT 5000000000 AS x) WHERE x = ?', ['5000000000'])).toBe('"x"\n"5000000000"\n');
  });

  it('refuses an unquoted date or an unclosed quote, naming the parameter', async () => {
    await open();
    const unquoted = await failure('-- cohort\nSELECT 1 AS x WHERE CAST(? AS DATE) IS NOT NULL', ['2021-04-01']);
    expect(unquoted.queryName).toBe('cohort');
    expect(unquoted.reason).toMatch(/execution parameter 1 .*quoted.*"2021-04-01"/);
    expect((await failure('SELECT 1 AS x WHERE ? = 1', ["'abc"])).reason).toMatch(/execution parameter 1/);
  });

  it('refuses a parameter count that does not match the placeholders', async () => {
    await open();
    expect((await failure('SELECT 1 AS x WHERE ? = ?', ['1'])).reason).toMatch(/2 parameter placeholder\(s\) .* but 1 ExecutionParameters/);
    expect((await failure('SELECT 1 AS x', ['1'])).reason).toMatch(/0 parameter placeholder\(s\) .* but 1/);
    expect((await failure('SELECT 1 AS x WHERE ? = 1')).reason).toMatch(/1 parameter placeholder\(s\) .* but 0/);
  });
});

describe('failures', () => {
  it('surfaces a SQL error with the query name from the first-line comment and DuckDB\'s message', async () => {
    await open();
    const error = await failure('-- cohort_minutes: minutes per student\nSELECT * FROM student_video_watched_missing');
    expect(error.name).toBe('States.TaskFailed');
    expect(error.queryName).toBe('cohort_minutes: minutes per student');
    expect(error.reason).toMatch(/student_video_watched_missing/);
    expect(error.message).toMatch(/^Athena query cohort_minutes: minutes per student failed: /);
    expect((await failure('SELEC 1')).queryName).toBe('');
    expect((await failure('SELEC 1')).message).toMatch(/^Athena query failed: /);
  });

  it('runs exactly one statement per query, as Athena does', async () => {
    await open();
    expect((await failure('SELECT 1; SELECT 2')).reason).toMatch(/exactly one SQL statement, found 2/);
  });

  it('names the query by the first line only', () => {
    expect(queryNameOf('-- purchases_info_flags: flags\n-- more\nSELECT 1')).toBe('purchases_info_flags: flags');
    expect(queryNameOf('\n  --   spaced name  \nSELECT 1')).toBe('spaced name');
    expect(queryNameOf('SELECT 1 -- not a name')).toBe('');
    expect(queryNameOf('--\nSELECT 1')).toBe('');
  });

  it('keeps the problem and the file of a CSV error, without the tuning advice', () => {
    const message = 'Invalid Input Error: CSV Error on Line: 3\nOriginal Line: 2,y,z\nExpected Number of Columns: 2 Found: 3\nPossible fixes:\n* Disable strict mode\n\n  file = /in/x.csv\n  delimiter = ,';
    expect(duckDbReason(new Error(message))).toBe(
      'Invalid Input Error: CSV Error on Line: 3; Original Line: 2,y,z; Expected Number of Columns: 2 Found: 3 (file /in/x.csv)',
    );
    expect(duckDbReason(new Error('Catalog Error: Table with name t does not exist!'))).toBe('Catalog Error: Table with name t does not exist!');
  });

  it('refuses queries after close', async () => {
    await open();
    await athena!.close();
    await expect(athena!.startQueryExecutionSync({ QueryString: 'SELECT 1' })).rejects.toThrow(/closed/);
  });

  it('close() interrupts the queries still running and returns once they have ended', async () => {
    await open();
    // Minutes of work unless interrupted.
    const long = athena!.startQueryExecutionSync({ QueryString: '-- long_query\nSELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3' });
    const outcome = long.then(
      () => 'finished',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await athena!.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    // Settled before close() returned: nothing of it is left to write into a removed folder.
    const settled = await Promise.race([outcome, Promise.resolve('still running')]);
    expect(settled).toMatch(/long_query.*interrupt/i);
  });

  it('closing one run of a shared catalog stops that run\'s queries only', async () => {
    await open();
    const run = await athena!.forRun({ store, inputDir });
    const other = await athena!.forRun({ store, inputDir });
    const long = run.startQueryExecutionSync({ QueryString: '-- long_query\nSELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3' }).catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await run.close();
    expect(await Promise.race([long, Promise.resolve('still running')])).toMatch(/interrupt/i);
    expect(await resultTextOf(other, 'SELECT 1 AS one')).toBe('"one"\n"1"\n');
  });
});

describe('Trino dialect shim', () => {
  it('divides integers as Trino does (truncating) and keeps double division', async () => {
    await open();
    expect(await resultText('SELECT 7 / 2 AS a, -7 / 2 AS b, 7.0E0 / 2 AS c')).toBe('"a","b","c"\n"3","-3","3.5"\n');
  });

  it('sorts NULLs last in both directions, as Trino does', async () => {
    await open();
    const sql = (direction: string) => `SELECT x FROM (VALUES (1), (NULL), (2)) t(x) ORDER BY x ${direction}`;
    expect(await resultText(sql('ASC'))).toBe('"x"\n"1"\n"2"\n\n');
    expect(await resultText(sql('DESC'))).toBe('"x"\n"2"\n"1"\n\n');
  });
});

describe('raw tables', () => {
  const engagementFile = (name: string) => path.join(inputDir, 'engagement', name);

  it('registers a string-typed view per present file and leaves absent files out', async () => {
    await writeFile(engagementFile('student_info.csv'), 'student_id,date_registered\r\n1,2021-01-05\r\n2,\r\n');
    await open();
    expect(athena!.rawTables.map((registered) => registered.table.rawTableName)).toEqual(['raw_student_info']);
    // CRLF ends are fine; an empty field is '' (as OpenCSVSerDe reads it), not NULL; every column VARCHAR.
    expect(await resultText("SELECT student_id, date_registered, date_registered = '' AS empty, typeof(student_id) AS t FROM raw_student_info ORDER BY student_id")).toBe(
      '"student_id","date_registered","empty","t"\n"1","2021-01-05","false","VARCHAR"\n"2","","true","VARCHAR"\n',
    );
    expect((await failure('SELECT * FROM raw_student_purchases')).reason).toMatch(/raw_student_purchases/);
  });

  it('drops the view of a file that is gone when a database file is reopened', async () => {
    const databasePath = path.join(dir, 'local.duckdb');
    await writeFile(engagementFile('student_info.csv'), 'student_id,date_registered\n1,2021-01-05\n');
    athena = await DuckDbAthena.open({ store, inputDir, databasePath });
    expect(await resultText('SELECT count(*) AS n FROM raw_student_info')).toBe('"n"\n"1"\n');
    await athena.close();
    await rm(engagementFile('student_info.csv'));
    athena = await DuckDbAthena.open({ store, inputDir, databasePath });
    expect(athena.rawTables).toEqual([]);
    expect((await failure('SELECT * FROM raw_student_info')).reason).toMatch(/raw_student_info/);
  });

  it('reads quoted fields with commas and doubled quotes', async () => {
    await writeFile(engagementFile('student_info.csv'), 'student_id,date_registered\n"1","a ""b"", c"\n');
    await open();
    expect(await resultText('SELECT date_registered FROM raw_student_info')).toBe('"date_registered"\n"a ""b"", c"\n');
  });

  it('has no table over the MOOC files (only Lambdas read them)', async () => {
    await writeFile(path.join(inputDir, 'mooc', 'mooc_action_labels.tsv'), 'ACTIONID\tLABEL\n0\t0\n1\t1\n');
    await open();
    expect(athena!.rawTables).toEqual([]);
    expect((await failure('SELECT * FROM raw_mooc_action_labels')).reason).toMatch(/raw_mooc_action_labels does not exist/);
  });

  it('gives each run on a shared catalog the raw views of its own input folder', async () => {
    const otherInput = path.join(dir, 'other-input');
    await mkdir(path.join(otherInput, 'engagement'), { recursive: true });
    await writeFile(engagementFile('student_info.csv'), 'student_id,date_registered\n1,2021-01-05\n');
    await writeFile(path.join(otherInput, 'engagement', 'student_info.csv'), 'student_id,date_registered\n2,2022-02-06\n3,2022-02-07\n');
    await open();
    const first = await athena!.forRun({ store, inputDir });
    const second = await athena!.forRun({ store, inputDir: otherInput });
    const ids = async (run: typeof first) => {
      const result = await run.startQueryExecutionSync({ QueryString: 'SELECT string_agg(student_id, \' \' ORDER BY student_id) AS ids FROM raw_student_info' });
      return store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key);
    };
    const [a, b] = await Promise.all([ids(first), ids(second)]);
    expect(a).toBe('"ids"\n"1"\n');
    expect(b).toBe('"ids"\n"2 3"\n');
    // A file absent from a run's folder fails that run's queries, whatever another input holds.
    const missing = await second.startQueryExecutionSync({ QueryString: 'SELECT * FROM raw_student_purchases' }).catch((error: Error) => error);
    expect(String(missing)).toContain(`${path.join(otherInput, 'engagement', 'student_purchases.csv')}: no such input file`);
  });

  it('fails a query over a row with too many fields, naming the file and the line', async () => {
    await writeFile(engagementFile('student_info.csv'), 'student_id,date_registered\n1,2021-01-05\n2,2021-01-06,extra\n');
    await open();
    const error = await failure('-- counts\nSELECT count(*) AS n FROM raw_student_info');
    expect(error.queryName).toBe('counts');
    expect(error.reason).toContain(engagementFile('student_info.csv'));
    expect(error.reason).toMatch(/Line: 3/);
    expect(error.reason).not.toMatch(/Possible fixes/);
  });

  it('gives the planner a row estimate of a raw file, so joins build on the smaller side', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i + 1},2021-01-05`).join('\n');
    await writeFile(engagementFile('student_info.csv'), `student_id,date_registered\n${rows}\n`);
    await open();
    const plan = await resultText('EXPLAIN SELECT * FROM raw_student_info');
    const estimate = Number(/~([\d,]+) rows/.exec(plan)?.[1]?.replace(/,/g, ''));
    // Without the sniffer's sample DuckDB assumes a few dozen rows whatever the file holds.
    expect(estimate).toBeGreaterThan(1000);
    expect(await resultText('SELECT count(*) AS n FROM raw_student_info')).toBe('"n"\n"5000"\n');
  });

  it('fails queries over a file with an unexpected header, and only those', async () => {
    await writeFile(engagementFile('student_info.csv'), 'date_registered,student_id\n2021-01-05,1\n');
    await writeFile(engagementFile('student_certificates.csv'), 'certificate_id,student_id,date_issued\n1,1,2021-05-01\n');
    await open();
    const error = await failure('SELECT * FROM raw_student_info');
    expect(error.reason).toContain(`${engagementFile('student_info.csv')}: header is date_registered, student_id; expected student_id, date_registered`);
    expect(await resultText('SELECT count(*) AS n FROM raw_student_certificates')).toBe('"n"\n"1"\n');
  });

  it('fails queries over an empty file', async () => {
    await writeFile(engagementFile('student_info.csv'), '');
    await open();
    expect((await failure('SELECT * FROM raw_student_info')).reason).toMatch(/student_info\.csv: the file is empty/);
  });

});

describe('memory', () => {
  it('caps DuckDB at memoryLimit and spills to its own scratch folder, removed at close', async () => {
    athena = await DuckDbAthena.open({ store, inputDir, memoryLimit: '300MB' });
    const text = await resultText("SELECT current_setting('memory_limit') AS memory_limit, current_setting('temp_directory') AS temp_directory");
    const [limit, spill] = text.trim().split('\n')[1]!.split(',').map((value) => value.replace(/^"|"$/g, ''));
    // DuckDB reports the limit in its own units (300 MB = 286.1 MiB).
    expect(limit).toMatch(/^286\.\d MiB$/);
    expect(spill).toMatch(/duckdb-athena-results-[^/]+\/spill$/);
    await athena.close();
    expect(existsSync(path.dirname(spill!))).toBe(false);
  });
});
