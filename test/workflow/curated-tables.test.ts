// The checked and curated stages, run locally end to end: the validation writes every raw row once,
// with its reject reason, under checked/<table>/run_id=<runId>/, then this run's accepted rows as ZSTD
// Parquet under curated/<table>/run_id=<runId>/year=<y>/quarter=<q>/, exactly the accepted rows,
// each in the partition of its date; a re-run of the run id replaces both rather than adding.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKED_TABLES, CURATED_TABLES, ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type LocalRunResult } from '../../lib/local/local-runner';
import { describeResult } from '../../lib/cli/run-command';

const root = mkdtempSync(path.join(os.tmpdir(), 'curated-run-'));
const inputDir = path.join(root, 'input');
const curatedDir = path.join(root, 'curated');
const checkedDir = path.join(root, 'checked');
const RUN_ID = 'curated-run';
// The appended bad rows are more than 1% of the small certificates file.
const request = { options: { maxBadRowShare: 0.2 } };
let first: LocalRunResult;

interface FileCounts {
  file: string;
  input_rows: number;
  accepted_rows: number;
  quarantined_rows: number;
}

function files(dir: string, base = ''): string[] {
  return readdirSync(path.join(dir, base)).flatMap((name) => {
    const relative = base ? `${base}/${name}` : name;
    return statSync(path.join(dir, relative)).isDirectory() ? files(dir, relative) : [relative];
  });
}

async function query<T>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    instance.closeSync();
  }
}

/** Rows of one table's Parquet files, with the partition values of the folders they sit in. */
function parquetOf(table: string): string {
  return `read_parquet('${path.join(curatedDir, table)}/**/*.parquet', hive_partitioning = true, hive_types = {'run_id': 'VARCHAR', 'year': 'INTEGER', 'quarter': 'INTEGER'})`;
}

/** Rows of one checked table's files (partitioned by run only). */
function checkedOf(table: string): string {
  return `read_parquet('${path.join(checkedDir, table)}/**/*.parquet', hive_partitioning = true, hive_types = {'run_id': 'VARCHAR'})`;
}

/** Per checked table: its rows, the accepted ones, and how many runs they belong to. */
async function checkedCounts(): Promise<Record<string, { input: number; accepted: number; runs: number }>> {
  const out: Record<string, { input: number; accepted: number; runs: number }> = {};
  for (const table of CHECKED_TABLES) {
    const [counts] = await query<{ rows: string; accepted: string; runs: string }>(
      `SELECT count(*) AS rows, count(*) FILTER (WHERE reject_reason IS NULL) AS accepted, count(DISTINCT run_id) AS runs FROM ${checkedOf(table.name)}`,
    );
    out[table.fileName] = { input: Number(counts!.rows), accepted: Number(counts!.accepted), runs: Number(counts!.runs) };
  }
  return out;
}

function expectedCheckedCounts(result: LocalRunResult) {
  return Object.fromEntries(qualityOf(result).filter((file) => file.file.endsWith('.csv')).map((file) => [file.file, { input: file.input_rows, accepted: file.accepted_rows, runs: 1 }]));
}

function qualityOf(result: LocalRunResult): FileCounts[] {
  return (JSON.parse(readFileSync(path.join(result.runDir, 'data_quality.json'), 'utf8')) as { files: FileCounts[] }).files;
}

beforeAll(async () => {
  await generateEngagementData({ students: 1200, seed: 7, outDir: inputDir });
  // A few rows the validation rejects, so accepted differs from input.
  appendFileSync(path.join(inputDir, 'engagement', 'student_video_watched.csv'), '999999999,1,60,2021-05-01\n1,1,abc,2021-05-02\n');
  appendFileSync(path.join(inputDir, 'engagement', 'student_certificates.csv'), '77777777,999999999,2022-05-01\n');
  first = await runLocalWorkflow({ inputDir, outDir: path.join(root, 'out-1'), runId: RUN_ID, curatedDir, checkedDir, request });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('curated Parquet tables (local run)', () => {
  it('the run succeeds and quarantines the appended rows', () => {
    expect(first.failure).toBeUndefined();
    expect(first.status).toBe('succeeded');
    const quality = qualityOf(first);
    expect(quality.find((file) => file.file === 'student_video_watched.csv')!.quarantined_rows).toBe(2);
    expect(quality.find((file) => file.file === 'student_certificates.csv')!.quarantined_rows).toBe(1);
  });

  it('the closing summary and the first finding say which rows of which file were quarantined, with paths that resolve', () => {
    const summary = describeResult(first);
    expect(summary).toContain('Data quality: 3 input rows were quarantined and left out of the analysis');
    for (const [file, rows] of [['student_video_watched.csv', 2], ['student_certificates.csv', 1]] as const) {
      const line = summary.split('\n').find((candidate) => candidate.includes(`- ${file}: ${rows} of `))!;
      expect(line, file).toMatch(/ quarantined: .+ \(\d+\); see quarantine\/[a-z_]+\.csv$/);
      // Relative to the run folder in the summary, to report/ in the findings.
      const relative = line.slice(line.lastIndexOf('see ') + 4);
      expect(statSync(path.join(first.runDir, relative)).isFile()).toBe(true);
      const findings = JSON.parse(readFileSync(path.join(first.runDir, 'report', 'findings.json'), 'utf8')) as { findings: { study: string; detail: string }[] };
      expect(findings.findings[0]!.study).toBe('data quality');
      expect(findings.findings[0]!.detail).toContain(`see ../${relative}`);
      expect(statSync(path.join(first.runDir, 'report', `../${relative}`)).isFile()).toBe(true);
    }
  });

  it('writes only ZSTD Parquet files under <table>/run_id=<runId>/year=<y>/quarter=<q>/', async () => {
    for (const table of CURATED_TABLES) {
      const written = files(path.join(curatedDir, table.name));
      expect(written.length, table.name).toBeGreaterThan(0);
      for (const file of written) expect(file).toMatch(new RegExp(`^run_id=${RUN_ID}/year=\\d{4}/quarter=[1-4]/[^/]+\\.parquet$`));
      const codecs = await query<{ compression: string }>(
        `SELECT DISTINCT compression FROM parquet_metadata('${path.join(curatedDir, table.name)}/**/*.parquet')`,
      );
      expect(codecs.map((row) => row.compression)).toEqual(['ZSTD']);
    }
  });

  it('checks every raw row once into checked/<table>/run_id=<runId>/ (ZSTD Parquet, data_quality.json\'s counts)', async () => {
    for (const table of CHECKED_TABLES) {
      const written = files(path.join(checkedDir, table.name));
      expect(written.length, table.name).toBeGreaterThan(0);
      for (const file of written) expect(file).toMatch(new RegExp(`^run_id=${RUN_ID}/[^/]+\\.parquet$`));
      const codecs = await query<{ compression: string }>(`SELECT DISTINCT compression FROM parquet_metadata('${path.join(checkedDir, table.name)}/**/*.parquet')`);
      expect(codecs.map((row) => row.compression)).toEqual(['ZSTD']);
    }
    expect(await checkedCounts()).toEqual(expectedCheckedCounts(first));
  });

  it('keeps raw text for rejected rows only (the quarantine needs it; accepted rows are read typed)', async () => {
    for (const table of CHECKED_TABLES) {
      const rawColumns = ENGAGEMENT_TABLES.find((raw) => raw.fileName === table.fileName)!.columns;
      const raw = rawColumns.map((column) => `"${column}"`).join(', ');
      const [counts] = await query<{ accepted_with_text: string; rejected_with_text: string; rejected: string }>(
        `SELECT count(*) FILTER (WHERE reject_reason IS NULL AND coalesce(${raw}) IS NOT NULL) AS accepted_with_text,
                count(*) FILTER (WHERE reject_reason IS NOT NULL AND coalesce(${raw}) IS NOT NULL) AS rejected_with_text,
                count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected
         FROM ${checkedOf(table.name)}`,
      );
      expect(Number(counts!.accepted_with_text), table.name).toBe(0);
      expect(Number(counts!.rejected_with_text), table.name).toBe(Number(counts!.rejected));
    }
    expect(Object.values(expectedCheckedCounts(first)).some((file) => file.input > file.accepted)).toBe(true); // the input has rejected rows
  });

  it('holds exactly the accepted rows of each file (data_quality.json), each in the partition of its date', async () => {
    const quality = qualityOf(first);
    for (const table of CURATED_TABLES) {
      const accepted = quality.find((file) => file.file === table.fileName)!.accepted_rows;
      const [counts] = await query<{ rows: string; misplaced: string; runs: string }>(
        `SELECT count(*) AS rows,
                count(*) FILTER (WHERE year <> year(${table.dateColumn}) OR quarter <> quarter(${table.dateColumn})) AS misplaced,
                count(DISTINCT run_id) AS runs
         FROM ${parquetOf(table.name)}`,
      );
      expect({ table: table.name, rows: Number(counts!.rows), misplaced: Number(counts!.misplaced), runs: Number(counts!.runs) }).toEqual({
        table: table.name,
        rows: accepted,
        misplaced: 0,
        runs: 1,
      });
    }
  });

  it('a re-run of the same run id replaces its partitions: no doubled rows, same results', async () => {
    const again = await runLocalWorkflow({ inputDir, outDir: path.join(root, 'out-2'), runId: RUN_ID, curatedDir, checkedDir, request });
    expect(again.status).toBe('succeeded');
    const quality = qualityOf(again);
    expect(await checkedCounts()).toEqual(expectedCheckedCounts(again));
    for (const table of CURATED_TABLES) {
      const [counts] = await query<{ rows: string }>(`SELECT count(*) AS rows FROM ${parquetOf(table.name)}`);
      expect(Number(counts!.rows), table.name).toBe(quality.find((file) => file.file === table.fileName)!.accepted_rows);
    }
    // Every engagement result has the same bytes as the first run's.
    const results = files(path.join(first.runDir, 'engagement'));
    expect(results.length).toBeGreaterThan(5);
    expect(files(path.join(again.runDir, 'engagement'))).toEqual(results);
    for (const file of results) {
      expect(readFileSync(path.join(again.runDir, 'engagement', file)).equals(readFileSync(path.join(first.runDir, 'engagement', file))), file).toBe(true);
    }
  });

  it('the manifest counts inputs as accepted + quarantined rows', () => {
    const quality = qualityOf(first);
    for (const input of first.manifest!.inputs) {
      const file = quality.find((candidate) => candidate.file === input.table)!;
      expect(input.rows, input.table).toBe(file.accepted_rows + file.quarantined_rows);
    }
  });
});
