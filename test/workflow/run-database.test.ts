// A local run keeps its checked and curated tables in a DuckDB database file of its own, under its
// scratch folder: no Parquet is written, the file goes with the run, a killed attempt's file is
// removed (never opened) by the next, and two runs at once each have their own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  it('are in its own database file while it runs: no Parquet file is written, and the scratch folder is gone after', async () => {
    const seen: { state: string; files: string[] }[] = [];
    const result = await runLocalWorkflow({
      inputDir: inputs[0]!,
      outDir: path.join(root, 'out-one'),
      runId: 'db-one',
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
