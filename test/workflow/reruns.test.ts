// Reruns of a run id over what an earlier attempt left: the run folder ends up exactly this
// attempt's files (checked by ../shared/tools/check-run-folder, an independent script), or marked
// failed; never a mix. Also the run lock, a full disk and bad usage over a finished run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuns } from '../../lib/cli/runs';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { generateEngagementData, generateMoocData } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type LocalRunResult } from '../../lib/local/local-runner';
import { processStartMark } from '../../lib/local/process-alive';
import { itRequiring } from '../support/requirements';
import { checkRunFolder, runFolderChecker } from './check-run-folder';

/** Every file under a folder, relative path -> content (for before/after comparisons). */
function snapshot(dir: string, base = ''): Record<string, string> {
  const files: Record<string, string> = {};
  if (!existsSync(path.join(dir, base))) return files;
  for (const name of readdirSync(path.join(dir, base)).sort()) {
    const relative = base ? `${base}/${name}` : name;
    if (statSync(path.join(dir, relative)).isDirectory()) Object.assign(files, snapshot(dir, relative));
    else files[relative] = readFileSync(path.join(dir, relative), 'latin1');
  }
  return files;
}

const root = mkdtempSync(path.join(os.tmpdir(), 'reruns-'));
const bothStudies = path.join(root, 'both');
const engagementOnly = path.join(root, 'engagement-only');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await generateEngagementData({ students: 400, seed: 31, outDir: bothStudies });
  await generateMoocData({ users: 60, seed: 31, outDir: bothStudies });
  cpSync(path.join(bothStudies, 'engagement'), path.join(engagementOnly, 'engagement'), { recursive: true });
});

function run(inputDir: string, outDir: string, runId: string, extra: Partial<Parameters<typeof runLocalWorkflow>[0]> = {}): Promise<LocalRunResult> {
  return runLocalWorkflow({ inputDir, outDir, runId, retryWaitMs: 1, ...extra });
}

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));

describe('a rerun publishes exactly its own files', () => {
  itRequiring([runFolderChecker()], 'with fewer studies: the earlier attempt\'s MOOC files are gone and not in the manifest', async () => {
    const out = path.join(root, 'out-fewer');
    const first = await run(bothStudies, out, 'fewer');
    expect(first.status).toBe('succeeded');
    expect(first.manifest!.outputs.some((output) => output.key.startsWith('mooc/'))).toBe(true);

    const rerun = await run(engagementOnly, out, 'fewer');
    expect(rerun.status).toBe('succeeded');
    expect(rerun.manifest!.studies.mooc!.status).toBe('skipped');
    expect(rerun.manifest!.outputs.filter((output) => output.key.startsWith('mooc/'))).toEqual([]);
    expect(existsSync(path.join(rerun.runDir, 'mooc'))).toBe(false);
    const verdict = checkRunFolder(rerun.runDir);
    expect(verdict.ok, verdict.output).toBe(true);
  });

  itRequiring([runFolderChecker()], 'after the input is fixed: no quarantine file of the earlier attempt is left or listed', async () => {
    const input = path.join(root, 'fixable');
    cpSync(engagementOnly, input, { recursive: true });
    const studentInfo = path.join(input, 'engagement', 'student_info.csv');
    const good = readFileSync(studentInfo, 'utf8');
    writeFileSync(studentInfo, `${good}999999,2021-02-30\n`); // one impossible date: quarantined, under maxBadRowShare
    const out = path.join(root, 'out-fixed');
    const first = await run(input, out, 'fixed');
    expect(first.status, JSON.stringify(first.failure)).toBe('succeeded');
    expect(first.manifest!.outputs.map((output) => output.key)).toContain('quarantine/student_info.csv');

    writeFileSync(studentInfo, good);
    const rerun = await run(input, out, 'fixed');
    expect(rerun.status).toBe('succeeded');
    expect(existsSync(path.join(rerun.runDir, 'quarantine', 'student_info.csv'))).toBe(false);
    expect(rerun.manifest!.outputs.filter((output) => output.key.startsWith('quarantine/'))).toEqual([]);
    const quality = readJson(path.join(rerun.runDir, 'data_quality.json'));
    expect(quality.files.every((file: { quarantined_rows: number }) => file.quarantined_rows === 0)).toBe(true);
    const verdict = checkRunFolder(rerun.runDir);
    expect(verdict.ok, verdict.output).toBe(true);
  });

  itRequiring([runFolderChecker()], 'after a failed attempt: the dashboard shows nothing of the failure, and the rerun is consistent', async () => {
    const out = path.join(root, 'out-after-failure');
    const failed = await run(engagementOnly, out, 'after-failure', { faults: [{ state: 'ComputeEngagementStatistics', times: 'always', error: 'WorkflowInputError', message: 'statistics broke' }] });
    expect(failed.status).toBe('failed');
    expect(failed.failure).toMatchObject({ state: 'ComputeEngagementStatistics', cause: 'statistics broke', recorded: true });
    expect(checkRunFolder(failed.runDir).ok).toBe(true);

    const rerun = await run(engagementOnly, out, 'after-failure');
    expect(rerun.status).toBe('succeeded');
    const page = readFileSync(path.join(rerun.runDir, 'report', 'index.html'), 'utf8');
    expect(page).not.toMatch(/The run failed|statistics broke|Status <span/);
    expect(page).not.toContain(failed.failure!.failed_at);
    expect(existsSync(path.join(rerun.runDir, '_FAILED.json'))).toBe(false);
    const verdict = checkRunFolder(rerun.runDir);
    expect(verdict.ok, verdict.output).toBe(true);
  });

  itRequiring([runFolderChecker()], 'a failing rerun over a succeeded run leaves it marked failed, with no manifest of the earlier attempt', async () => {
    const out = path.join(root, 'out-failing-rerun');
    const first = await run(engagementOnly, out, 'failing-rerun');
    expect(first.status).toBe('succeeded');
    const rerun = await run(engagementOnly, out, 'failing-rerun', { faults: [{ state: 'BuildReport', times: 'always', error: 'WorkflowInputError', message: 'no fonts' }] });
    expect(rerun.status).toBe('failed');
    expect(existsSync(path.join(rerun.runDir, 'manifest.json'))).toBe(false);
    expect(readJson(path.join(rerun.runDir, '_FAILED.json'))).toMatchObject({ state: 'BuildReport', cause: 'no fonts' });
    expect(checkRunFolder(rerun.runDir).ok).toBe(true);
    const [listed] = await listRuns(new LocalObjectStore({ mounts: [{ prefix: 'results/', dir: out }] }));
    expect(listed).toMatchObject({ id: 'failing-rerun', status: 'failed' });
  });
});

describe('bad usage over a finished run touches nothing', () => {
  itRequiring([runFolderChecker()], 'a bad period or option leaves the run folder byte for byte, and no lock', async () => {
    const out = path.join(root, 'out-bad-usage');
    const first = await run(engagementOnly, out, 'bad-usage');
    expect(first.status).toBe('succeeded');
    const before = snapshot(out);
    for (const request of [{ baseline: '2021Q5' }, { options: { alpha: '2' } }, { options: { colour: 'red' } }, { rolling: 'sometimes' }]) {
      const refused = await run(engagementOnly, out, 'bad-usage', { request });
      expect(refused.status, JSON.stringify(request)).toBe('failed');
      expect(refused.failure).toMatchObject({ state: 'PlanRun', error: 'WorkflowInputError', recorded: false });
      expect(refused.failure!.not_recorded_because).toMatch(/stopped before it changed the run folder/);
      expect(snapshot(out), JSON.stringify(request)).toEqual(before);
    }
    expect(checkRunFolder(first.runDir).ok).toBe(true);
  });
});

describe('one attempt of a run id at a time', () => {
  const lockFile = (out: string, runId: string) => path.join(out, '.locks', `${runId}.json`);
  const writeLock = (out: string, runId: string, lock: object) => {
    mkdirSync(path.join(out, '.locks'), { recursive: true });
    writeFileSync(lockFile(out, runId), JSON.stringify(lock));
  };

  it('takes over the lock of a killed local process, and of an execution past the state machine timeout', async () => {
    const out = path.join(root, 'out-stale-locks');
    // A pid that has exited: a child that already ran.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeLock(out, 'killed', { run_id: 'killed', execution: 'local:gone', acquired_at: new Date().toISOString(), expires_at: new Date(Date.now() + 3600e3).toISOString(), process: { host: os.hostname(), pid: deadPid } });
    expect((await run(engagementOnly, out, 'killed')).status).toBe('succeeded');

    writeLock(out, 'expired', { run_id: 'expired', execution: 'arn:aws:states:eu-west-1:1:execution:m:aborted', acquired_at: '2020-01-01T00:00:00.000Z', expires_at: '2020-01-01T06:15:00.000Z' });
    expect((await run(engagementOnly, out, 'expired')).status).toBe('succeeded');
    expect(existsSync(lockFile(out, 'killed'))).toBe(false);
    expect(existsSync(lockFile(out, 'expired'))).toBe(false);
  });

  it.runIf(process.platform === 'linux')('takes over the lock of a killed process its parent has not reaped yet (a zombie)', async () => {
    const out = path.join(root, 'out-zombie-lock');
    // The shell starts a child and becomes `sleep`, which never waits on it: killed, the child stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number((await once(parent.stdout!, 'data'))[0].toString().trim());
      process.kill(zombie, 'SIGKILL');
      const state = () => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]![0];
      for (let i = 0; i < 100 && state() !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(state()).toBe('Z');
      writeLock(out, 'zombie', { run_id: 'zombie', execution: 'local:zombie', acquired_at: new Date().toISOString(), expires_at: new Date(Date.now() + 3600e3).toISOString(), process: { host: os.hostname(), pid: zombie } });
      expect((await run(engagementOnly, out, 'zombie')).status).toBe('succeeded');
      expect(existsSync(lockFile(out, 'zombie'))).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it.runIf(process.platform === 'linux')('takes over the lock of a killed process whose id a later process got', async () => {
    const out = path.join(root, 'out-reused-pid');
    // A live process stands for the later one: the lock names its id but the start of another process.
    const later = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const lock = { run_id: 'reused', execution: 'local:killed', acquired_at: new Date().toISOString(), expires_at: new Date(Date.now() + 3600e3).toISOString() };
      writeLock(out, 'reused', { ...lock, process: { host: os.hostname(), pid: later.pid!, started: 'another-boot:12345' } });
      expect((await run(engagementOnly, out, 'reused')).status).toBe('succeeded');
      // The process that holds its lock, named with its own start, still counts as running.
      writeLock(out, 'reused', { ...lock, process: { host: os.hostname(), pid: later.pid!, started: processStartMark(later.pid!) } });
      await expect(run(engagementOnly, out, 'reused')).rejects.toThrow(/run reused is already running/);
    } finally {
      later.kill('SIGKILL');
    }
  });

  it('refuses while another execution holds the lock, and leaves it and the run folder alone', async () => {
    const out = path.join(root, 'out-held-lock');
    const first = await run(engagementOnly, out, 'held');
    expect(first.status).toBe('succeeded');
    const lock = { run_id: 'held', execution: 'arn:aws:states:eu-west-1:1:execution:m:running', acquired_at: new Date().toISOString(), expires_at: new Date(Date.now() + 3600e3).toISOString() };
    writeLock(out, 'held', lock);
    const before = snapshot(out);
    await expect(run(engagementOnly, out, 'held')).rejects.toThrow(/run held is already running \(execution arn:aws:states:eu-west-1:1:execution:m:running/);
    expect(snapshot(out)).toEqual(before);
  });

  // Without --run-id a run is named after its start second; it must not rerun (and so replace) a run
  // of that second, nor be refused because one is running.
  const sameSecond = () => new Date('2026-12-05T05:01:20.000Z');
  const unnamed = (outDir: string) => runLocalWorkflow({ inputDir: engagementOnly, outDir, now: sameSecond, retryWaitMs: 1 });

  itRequiring([runFolderChecker()], 'runs started without a run id in the same second all succeed, each under a new id', async () => {
    const out = path.join(root, 'out-unnamed-overlap');
    const results = await Promise.all([unnamed(out), unnamed(out), unnamed(out)]);
    expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(results.map((result) => result.runId).sort()).toEqual(['20261205T050120Z', '20261205T050120Z-2', '20261205T050120Z-3']);
    for (const result of results) {
      const verdict = checkRunFolder(result.runDir);
      expect(verdict.ok, verdict.output).toBe(true);
    }
    expect(readdirSync(path.join(out, '.locks'))).toEqual([]);
  });

  itRequiring([runFolderChecker()], 'a run without a run id leaves a finished or a killed run of its second alone', async () => {
    const out = path.join(root, 'out-unnamed-after');
    const first = await unnamed(out);
    expect(first.runId).toBe('20261205T050120Z');
    // What a killed attempt leaves: a partial run folder and the lock of a process that is gone.
    mkdirSync(path.join(out, '20261205T050120Z-2', 'engagement'), { recursive: true });
    writeFileSync(path.join(out, '20261205T050120Z-2', 'engagement', 'purchases_info.csv'), 'student_id\n1\n');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeLock(out, '20261205T050120Z-2', { run_id: '20261205T050120Z-2', execution: 'local:gone', acquired_at: sameSecond().toISOString(), expires_at: new Date(sameSecond().getTime() + 3600e3).toISOString(), process: { host: os.hostname(), pid: deadPid } });
    const before = snapshot(out);

    const next = await unnamed(out);
    expect(next.status).toBe('succeeded');
    expect(next.runId).toBe('20261205T050120Z-3');
    const after = snapshot(out);
    for (const [file, content] of Object.entries(before)) {
      if (!file.startsWith('.locks/')) expect(after[file], file).toBe(content);
    }
    expect(checkRunFolder(first.runDir).ok).toBe(true);
    expect(checkRunFolder(next.runDir).ok).toBe(true);
    const listed = await listRuns(new LocalObjectStore({ mounts: [{ prefix: 'results/', dir: out }] }));
    expect(listed.filter((entry) => entry.status === 'succeeded').map((entry) => entry.id)).toEqual(['20261205T050120Z-3', '20261205T050120Z']);
  });

  it('refuses, naming --run-id, when every new id of its second is taken, and touches nothing', async () => {
    const out = path.join(root, 'out-unnamed-full');
    for (let n = 1; n <= 100; n++) mkdirSync(path.join(out, n === 1 ? '20261205T050120Z' : `20261205T050120Z-${n}`), { recursive: true });
    const before = readdirSync(out).sort();
    await expect(unnamed(out)).rejects.toThrow(/100 runs already started at 20261205T050120Z; start this one with --run-id/);
    expect(readdirSync(out).sort()).toEqual(before);
  });
});

describe('a full disk', () => {
  itRequiring([runFolderChecker()], 'ends failed with no succeeded manifest, no lock and no scratch folder; the reason is reported', async () => {
    const out = path.join(root, 'out-full-disk');
    const first = await run(engagementOnly, out, 'full-disk');
    expect(first.status).toBe('succeeded');
    const result = await run(engagementOnly, out, 'full-disk', { resultsDiskBytes: 20_000 });
    expect(result.status).toBe('failed');
    expect(result.manifest).toBeUndefined();
    // The disk is still full when RecordFailure runs: the run says why _FAILED.json holds no record.
    expect(result.failure).toMatchObject({ recorded: false });
    expect(result.failure!.cause).toMatch(/ENOSPC/);
    expect(result.failure!.not_recorded_because).toMatch(/^_FAILED.json could not be written: ENOSPC/);
    // PlanRun's "attempt not finished" marker went in first, so the folder is marked failed.
    expect(readJson(path.join(result.runDir, '_FAILED.json'))).toMatchObject({ error: 'AttemptNotFinished' });
    expect(existsSync(path.join(result.runDir, 'manifest.json'))).toBe(false);
    const verdict = checkRunFolder(result.runDir);
    expect(verdict.ok, verdict.output).toBe(true);
    expect(readdirSync(path.join(out, '.locks'))).toEqual([]);
    expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith('engagement-athena-full-disk-'))).toEqual([]);
    expect(execFileSync('find', [result.runDir, '-name', '*.partial-*'], { encoding: 'utf8' })).toBe('');
  });

  // A real full file system where this machine lets a test mount one (root); the injected fault
  // above runs everywhere.
  const canMount = (() => {
    const probe = mkdtempSync(path.join(os.tmpdir(), 'mount-probe-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    if (mounted) spawnSync('umount', [probe]);
    rmSync(probe, { recursive: true, force: true });
    return mounted;
  })();
  const requireMount = (name: string, test: () => Promise<void>): void => (canMount ? itRequiring([runFolderChecker()], name, test) : it.skip(name, test));
  requireMount('on a real full file system (a small tmpfs as --out): failed, consistent, the file named', async () => {
    const disk = mkdtempSync(path.join(os.tmpdir(), 'full-tmpfs-'));
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=120k', 'tmpfs', disk]).status).toBe(0);
    try {
      const result = await run(engagementOnly, path.join(disk, 'out'), 'tmpfs-full');
      expect(result.status).toBe('failed');
      expect(result.failure!.cause).toMatch(/ENOSPC: no space left on device.*\(writing results\/tmpfs-full\/\S+ to \//);
      const verdict = checkRunFolder(result.runDir);
      expect(verdict.ok, verdict.output).toBe(true);
      expect(existsSync(path.join(result.runDir, 'manifest.json'))).toBe(false);
      expect(readdirSync(path.join(disk, 'out', '.locks'))).toEqual([]);
    } finally {
      spawnSync('umount', [disk]);
      rmSync(disk, { recursive: true, force: true });
    }
  });
});

describe('a scheduled run over an extract that was not refreshed', () => {
  it('fails, naming the empty comparison quarter, where a run asked for by hand succeeds with a finding', async () => {
    // The generated input holds 2021Q2 and 2022Q2 only; the run scheduled on 2 December 2026 compares 2026Q3.
    const out = path.join(root, 'out-scheduled');
    const scheduled = await run(engagementOnly, out, '2026-12', { request: { rolling: true, scheduledAt: '2026-12-02T06:00:00Z' } });
    expect(scheduled.status).toBe('failed');
    expect(scheduled.failure).toMatchObject({
      state: 'ComputeEngagementStatistics',
      error: 'NoComparisonDataError',
      cause: expect.stringContaining('no student watched in 2026Q3, the comparison quarter of the run scheduled at 2026-12-02T06:00:00.000Z'),
    });
    expect(existsSync(path.join(out, '2026-12', 'manifest.json'))).toBe(false);

    const byHand = await run(engagementOnly, out, 'by-hand', { request: { baseline: '2025Q3', comparison: '2026Q3' } });
    expect(byHand.status).toBe('succeeded');
  });
});
