// A local run keeps its checked and curated tables in a DuckDB database of its own (in memory for a
// small input, else a file under its scratch folder): no Parquet is written, the file goes with the run, a killed attempt's file is
// removed (never opened) by the next, the results are those of Parquet tables byte for byte, and
// two runs at once each have their own.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type LocalRunResult } from '../../lib/local/local-runner';

const root = mkdtempSync(path.join(os.tmpdir(), 'run-database-'));
const inputs = [path.join(root, 'input-a'), path.join(root, 'input-b')];
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await generateEngagementData({ students: 300, seed: 41, outDir: inputs[0]! });
  await generateEngagementData({ students: 500, seed: 42, outDir: inputs[1]! });
}, 120_000);

/** This process's scratch folders of a run id (engagement-athena-<runId>-<pid>-...). */
function scratchFolders(runId: string, pid = process.pid): string[] {
  return readdirSync(os.tmpdir())
    .filter((name) => name.startsWith(`engagement-athena-${runId}-${pid}-`))
    .map((name) => path.join(os.tmpdir(), name));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The data rows of each input file, counted from the file itself (the generator writes no quoted newline). */
function inputRows(inputDir: string): Record<string, number> {
  const dir = path.join(inputDir, 'engagement');
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name), 'utf8').trimEnd().split('\n').length - 1]));
}

function quality(result: LocalRunResult): Record<string, number> {
  const report = JSON.parse(readFileSync(path.join(result.runDir, 'data_quality.json'), 'utf8')) as { files: { file: string; input_rows: number }[] };
  return Object.fromEntries(report.files.map((file) => [file.file, file.input_rows]));
}

/** sha256 of every study and quarantine output (the report also shows the results folder's other runs). */
function studyHashes(result: LocalRunResult): Record<string, string> {
  return Object.fromEntries(result.manifest!.outputs.filter((output) => /^(engagement|quarantine)\//.test(output.key)).map((output) => [output.key, output.sha256]));
}

describe('a local run\'s checked and curated tables', () => {
  it('are in its own database file while it runs when the input is above the in-memory size: no Parquet file is written, and the scratch folder is gone after', async () => {
    const seen: { state: string; files: string[] }[] = [];
    const result = await runLocalWorkflow({
      inputDir: inputs[0]!,
      outDir: path.join(root, 'out-one'),
      runId: 'db-one',
      inMemoryTablesUpToBytes: 0,
      onProgress: (event) => {
        if (event.kind === 'state-succeeded' && /^(Curate_student_video_watched|RunCohortQuery)$/.test(event.state)) {
          seen.push({ state: event.state, files: scratchFolders('db-one').flatMap(filesUnder) });
        }
      },
    });
    expect(result.status, JSON.stringify(result.failure)).toBe('succeeded');
    expect(quality(result)).toEqual(inputRows(inputs[0]!));
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const { state, files } of seen) {
      expect(files.filter((file) => path.basename(file) === 'catalog.duckdb'), state).toHaveLength(1);
      expect(files.filter((file) => file.endsWith('.parquet')), state).toEqual([]);
    }
    expect(scratchFolders('db-one')).toEqual([]);
  }, 120_000);

  it('are in memory for a small input: no database or Parquet file while it runs, and the bytes of a run with the file', async () => {
    const seen: string[][] = [];
    const onProgress = (event: { kind: string; state?: string }) => {
      if (event.kind === 'state-succeeded' && event.state === 'RunCohortQuery') seen.push(scratchFolders('db-memory').flatMap(filesUnder));
    };
    const inMemory = await runLocalWorkflow({ inputDir: inputs[1]!, outDir: path.join(root, 'out-memory'), runId: 'db-memory', onProgress });
    expect(inMemory.status, JSON.stringify(inMemory.failure)).toBe('succeeded');
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const files of seen) expect(files.filter((file) => file.endsWith('.duckdb') || file.endsWith('.parquet'))).toEqual([]);
    const inFile = await runLocalWorkflow({ inputDir: inputs[1]!, outDir: path.join(root, 'out-file'), runId: 'db-memory', inMemoryTablesUpToBytes: 0 });
    expect(inFile.status, JSON.stringify(inFile.failure)).toBe('succeeded');
    expect(Object.keys(studyHashes(inMemory)).length).toBeGreaterThan(5);
    expect(studyHashes(inMemory)).toEqual(studyHashes(inFile));
  }, 120_000);

  it('of a killed attempt are never read: the next attempt removes its database with its scratch folder', async () => {
    // A pid that has exited, as a process killed mid-run leaves it.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = path.join(os.tmpdir(), `engagement-athena-db-killed-${deadPid}-left`);
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, 'catalog.duckdb'), 'half a database');
    const result = await runLocalWorkflow({ inputDir: inputs[0]!, outDir: path.join(root, 'out-killed'), runId: 'db-killed' });
    expect(result.status, JSON.stringify(result.failure)).toBe('succeeded');
    expect(existsSync(stale)).toBe(false);
    expect(quality(result)).toEqual(inputRows(inputs[0]!));
  }, 120_000);

  it('give the same bytes as Parquet tables, on an input with rows each check rejects', async () => {
    const input = path.join(root, 'input-bad-rows');
    cpSync(inputs[0]!, input, { recursive: true });
    const append = (file: string, lines: string[]) => appendFileSync(path.join(input, 'engagement', file), `${lines.join('\n')}\n`);
    append('student_info.csv', ['abc,2021-01-01', '12,2021-02-30', '1,2021-03-01', '77777777,']);
    append('student_purchases.csv', ['1,1,0,2021-05-01,', '1,1,0,2021-05-01,', '5555555,1,7,2021-05-01,', '5555556,88888888,1,2021-05-01,', '5555557,1,1,2021-05-01,2021-04-01']);
    append('student_video_watched.csv', ['1,2,-3,2021-05-01', '1,2,abc,2021-05-01', '88888888,2,3,2021-05-01', '1,2,3,2019-05-01']);
    append('student_certificates.csv', ['1,1,2021-05-01', '1,1,2021-05-02', 'q,1,2021-05-01', '9,88888888,2021-05-01']);
    const request = { options: { dataStart: '2020-03-01', dataEnd: '2022-06-30', maxBadRowShare: 1 } };
    const inDatabase = await runLocalWorkflow({ inputDir: input, outDir: path.join(root, 'out-bad-db'), runId: 'bad-rows', request });
    const parquet = await runLocalWorkflow({
      inputDir: input,
      outDir: path.join(root, 'out-bad-parquet'),
      runId: 'bad-rows',
      request,
      checkedDir: path.join(root, 'bad-checked'),
      curatedDir: path.join(root, 'bad-curated'),
    });
    expect(inDatabase.status, JSON.stringify(inDatabase.failure)).toBe('succeeded');
    expect(parquet.status, JSON.stringify(parquet.failure)).toBe('succeeded');
    expect(filesUnder(path.join(root, 'bad-curated')).some((file) => file.endsWith('.parquet'))).toBe(true);
    const hashes = studyHashes(inDatabase);
    expect(Object.keys(hashes).filter((key) => key.startsWith('quarantine/')).sort()).toEqual(
      ['student_certificates.csv', 'student_info.csv', 'student_purchases.csv', 'student_video_watched.csv'].map((file) => `quarantine/${file}`),
    );
    expect(hashes).toEqual(studyHashes(parquet));
  }, 120_000);

  it('of two runs at once (same results folder) are their own: each run gives what it gives alone', async () => {
    const out = path.join(root, 'out-together');
    const together = await Promise.all(inputs.map((inputDir, index) => runLocalWorkflow({ inputDir, outDir: out, runId: `db-together-${index}` })));
    const alone: LocalRunResult[] = [];
    for (const [index, inputDir] of inputs.entries()) alone.push(await runLocalWorkflow({ inputDir, outDir: path.join(root, `out-alone-${index}`), runId: `db-together-${index}` }));
    for (const [index, result] of together.entries()) {
      expect(result.status, JSON.stringify(result.failure)).toBe('succeeded');
      expect(quality(result)).toEqual(inputRows(inputs[index]!));
      expect(studyHashes(result)).toEqual(studyHashes(alone[index]!));
    }
    expect(studyHashes(together[0]!)).not.toEqual(studyHashes(together[1]!));
  }, 240_000);
});
