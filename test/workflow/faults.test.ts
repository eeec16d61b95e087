// Fault injection into the real synthesized definition: Retry and Catch paths, failure markers,
// re-runs of a run id, one execution per run id at a time, and retried INSERT INTO states.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type InjectedFault, type ProgressEvent } from '../../lib/local/local-runner';

let inputDir: string;

beforeAll(async () => {
  inputDir = mkdtempSync(path.join(os.tmpdir(), 'faults-input-'));
  await generateEngagementData({ students: 400, seed: 11, outDir: inputDir });
});

async function run(runId: string, faults: InjectedFault[], outDir = mkdtempSync(path.join(os.tmpdir(), 'faults-out-'))) {
  const events: ProgressEvent[] = [];
  const result = await runLocalWorkflow({ inputDir, outDir, runId, faults, retryWaitMs: 1, onProgress: (event) => events.push(event) });
  const retries = (state: string) => events.filter((event) => event.kind === 'state-retried' && event.state === state).length;
  return { result, events, retries, outDir };
}

describe('fault injection', () => {
  it('retries a transient Lambda fault and then succeeds', async () => {
    const { result, retries, events } = await run('transient-lambda', [{ state: 'ExportEngagementResults', times: 2, error: 'Lambda.ServiceException' }]);
    expect(result.status).toBe('succeeded');
    expect(retries('ExportEngagementResults')).toBe(2);
    // Reported as it went: failed twice, then succeeded (a retry runs the state again without entering it anew).
    const outcomes = events.filter((event) => event.state === 'ExportEngagementResults' && event.kind !== 'state-started').map((event) => event.kind);
    expect(outcomes).toEqual(['state-failed', 'state-retried', 'state-failed', 'state-retried', 'state-succeeded']);
    expect(result.manifest?.status).toBe('succeeded');
    expect(existsSync(path.join(result.runDir, '_FAILED.json'))).toBe(false);
  });

  it('retries a throttled Athena query inside the cohort Map and then succeeds', async () => {
    const { result, retries } = await run('transient-athena', [{ state: 'RunMinutesAndCertificatesQuery', times: 1, error: 'Athena.TooManyRequestsException' }]);
    expect(result.status).toBe('succeeded');
    expect(retries('RunMinutesAndCertificatesQuery')).toBe(1);
  });

  it('gives up after the retry budget on a permanent fault: _FAILED.json names the state, no manifest', async () => {
    const { result, retries } = await run('permanent', [{ state: 'ComputeEngagementStatistics', times: 'always', error: 'Lambda.ServiceException', message: 'disk on fire' }]);
    expect(result.status).toBe('failed');
    expect(retries('ComputeEngagementStatistics')).toBe(5); // ASL MaxAttempts counts retries: 5 in lib/workflow.ts
    expect(result.manifest).toBeUndefined();
    expect(existsSync(path.join(result.runDir, 'manifest.json'))).toBe(false);
    const failure = JSON.parse(readFileSync(path.join(result.runDir, '_FAILED.json'), 'utf8'));
    expect(failure).toMatchObject({ run_id: 'permanent', status: 'failed', state: 'ComputeEngagementStatistics', error: 'Lambda.ServiceException', cause: 'disk on fire' });
  });

  it('does not retry an error that retrying cannot fix', async () => {
    const { result, retries } = await run('not-transient', [{ state: 'ExportEngagementResults', times: 1, error: 'WorkflowInputError', message: 'bad input' }]);
    expect(result.status).toBe('failed');
    expect(retries('ExportEngagementResults')).toBe(0);
    expect(result.failure).toMatchObject({ error: 'WorkflowInputError', cause: 'bad input', state: 'ExportEngagementResults' });
  });

  it('a re-run of a failed run id that succeeds removes the failure marker; a failing re-run removes the old manifest', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'faults-rerun-'));
    const failed = await run('rerun', [{ state: 'PublishManifest', times: 'always', error: 'WorkflowInputError' }], outDir);
    expect(failed.result.status).toBe('failed');
    expect(existsSync(path.join(failed.result.runDir, '_FAILED.json'))).toBe(true);

    const succeeded = await run('rerun', [], outDir);
    expect(succeeded.result.status).toBe('succeeded');
    expect(existsSync(path.join(succeeded.result.runDir, '_FAILED.json'))).toBe(false);
    expect(succeeded.result.manifest?.outputs.some((output) => output.key === '_FAILED.json')).toBe(false);

    const failedAgain = await run('rerun', [{ state: 'BuildReport', times: 'always', error: 'WorkflowInputError' }], outDir);
    expect(failedAgain.result.status).toBe('failed');
    expect(existsSync(path.join(failedAgain.result.runDir, 'manifest.json'))).toBe(false);
    expect(failedAgain.result.failure?.state).toBe('BuildReport');
  });

  it('refuses a second execution of a run id that is still running', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'faults-lock-'));
    const first = run('locked', [], outDir);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(run('locked', [], outDir)).rejects.toThrow(/run locked is already running/);
    expect((await first).result.status).toBe('succeeded');
    // Once the first has finished, the id can run again.
    expect((await run('locked', [], outDir)).result.status).toBe('succeeded');
  });
});

describe('a retried INSERT INTO', () => {
  /** Rows per run of one Parquet table's files, read straight from the folder. */
  async function rowsIn(dir: string, table: string): Promise<number> {
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const connection = await instance.connect();
      const [row] = (await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${path.join(dir, table)}/**/*.parquet')`)).getRowObjectsJson() as { n: string }[];
      return Number(row!.n);
    } finally {
      instance.closeSync();
    }
  }

  it('whose query ran but whose answer was lost inserts once: the retry gets the same query back', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'faults-insert-'));
    const [checkedDir, curatedDir] = [path.join(root, 'checked'), path.join(root, 'curated')];
    const events: ProgressEvent[] = [];
    const lost = (state: string): InjectedFault => ({ state, times: 1, error: 'Athena.InternalServerException', afterWork: true });
    const result = await runLocalWorkflow({
      inputDir,
      outDir: path.join(root, 'out'),
      runId: 'insert-retried',
      faults: [lost('Check_student_info'), lost('Curate_student_info')],
      retryWaitMs: 1,
      checkedDir,
      curatedDir,
      onProgress: (event) => events.push(event),
    });
    expect(result.status).toBe('succeeded');
    for (const state of ['Check_student_info', 'Curate_student_info']) {
      expect(events.filter((event) => event.kind === 'state-retried' && event.state === state), state).toHaveLength(1);
    }
    // Each row once: the checked table holds every input row, the curated one the accepted rows.
    const quality = JSON.parse(readFileSync(path.join(result.runDir, 'data_quality.json'), 'utf8')) as { files: { file: string; input_rows: number; accepted_rows: number }[] };
    const students = quality.files.find((file) => file.file === 'student_info.csv')!;
    expect(students.input_rows).toBe(400);
    expect(await rowsIn(checkedDir, 'checked_student_info')).toBe(students.input_rows);
    expect(await rowsIn(curatedDir, 'curated_student_info')).toBe(students.accepted_rows);
  });
});
