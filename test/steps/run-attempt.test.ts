// The run lock and the start of an attempt, step by step on the local store: who may write a run
// folder, what PlanRun clears, and what RecordFailure and PublishManifest do when they do not hold it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { planRun } from '../../lambdas/steps/plan-run';
import { publishManifest } from '../../lambdas/steps/publish-manifest';
import { recordFailure } from '../../lambdas/steps/record-failure';
import { RunInProgressError, acquireRunLock, releaseRunLock } from '../../lambdas/steps/run-attempt';
import { silentLogger, WorkflowInputError, type StepContext } from '../../lambdas/steps/step-context';

const ENGAGEMENT_FILES = ['student_info.csv', 'student_purchases.csv', 'student_video_watched.csv', 'student_certificates.csv'];
const NOW = new Date('2026-11-23T10:00:00Z');
let root: string;
let out: string;
let input: string;
let context: StepContext;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'run-attempt-'));
  out = path.join(root, 'out');
  input = path.join(root, 'input');
  mkdirSync(path.join(input, 'engagement'), { recursive: true });
  for (const file of ENGAGEMENT_FILES) writeFileSync(path.join(input, 'engagement', file), 'header\n');
  context = { store: new LocalObjectStore({ inputDir: input, mounts: [{ prefix: 'results/', dir: out }] }), logger: silentLogger, now: () => NOW };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** An earlier, succeeded attempt's folder: a manifest and result files of both studies. */
function earlierAttempt(runId: string): void {
  const dir = path.join(out, runId);
  for (const file of ['manifest.json', 'mooc/summary.json', 'engagement/statistics.json', 'quarantine/student_info.csv', 'report/index.html']) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), file === 'manifest.json' ? '{"status":"succeeded"}' : 'old');
  }
}
const lockOf = (runId: string) => JSON.parse(readFileSync(path.join(out, '.locks', `${runId}.json`), 'utf8'));
const failedOf = (runId: string) => JSON.parse(readFileSync(path.join(out, runId, '_FAILED.json'), 'utf8'));
const error = async (promise: Promise<unknown>): Promise<Error> => promise.then(() => { throw new Error('expected a rejection'); }, (caught: Error) => caught);

describe('PlanRun starts an attempt under the run lock', () => {
  it('takes the lock, marks the attempt not finished and clears the earlier attempt\'s files', async () => {
    earlierAttempt('r1');
    const plan = await planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context);
    expect(plan.runId).toBe('r1');
    expect(lockOf('r1')).toMatchObject({ run_id: 'r1', execution: 'exec-1', acquired_at: NOW.toISOString() });
    expect(Date.parse(lockOf('r1').expires_at) - NOW.getTime()).toBe((6 * 3600 + 15 * 60) * 1000);
    expect(failedOf('r1')).toMatchObject({ status: 'failed', error: 'AttemptNotFinished', execution: 'exec-1' });
    expect(existsSync(path.join(out, 'r1', 'manifest.json'))).toBe(false);
    for (const folder of ['mooc', 'engagement', 'quarantine', 'report']) expect(existsSync(path.join(out, 'r1', folder)), folder).toBe(false);
  });

  it('removes a symbolic link an earlier attempt left, never what it points to', async () => {
    earlierAttempt('r1');
    const outside = path.join(root, 'outside.txt');
    writeFileSync(outside, 'keep me');
    symlinkSync(outside, path.join(out, 'r1', 'engagement', 'link.csv'));
    await planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context);
    expect(existsSync(path.join(out, 'r1', 'engagement'))).toBe(false);
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
  });

  it('is a no-op on the lock when its own execution retries it', async () => {
    await planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context);
    await expect(planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context)).resolves.toMatchObject({ runId: 'r1' });
  });

  it('refuses while another execution holds the lock, changing nothing', async () => {
    earlierAttempt('r1');
    await acquireRunLock(context.store, 'r1', { execution: 'exec-other', now: NOW });
    const refused = await error(planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context));
    expect(refused).toBeInstanceOf(RunInProgressError);
    expect(refused.message).toMatch(/run r1 is already running \(execution exec-other/);
    expect(readFileSync(path.join(out, 'r1', 'manifest.json'), 'utf8')).toBe('{"status":"succeeded"}');
    expect(existsSync(path.join(out, 'r1', '_FAILED.json'))).toBe(false);
  });

  it('refuses a bad request before it takes the lock or touches the run folder', async () => {
    earlierAttempt('r1');
    const refused = await error(planRun({ runId: 'r1', execution: 'exec-1', request: { baseline: '2021Q9' } }, context));
    expect(refused).toBeInstanceOf(WorkflowInputError);
    expect(existsSync(path.join(out, '.locks', 'r1.json'))).toBe(false);
    expect(existsSync(path.join(out, 'r1', '_FAILED.json'))).toBe(false);
    expect(existsSync(path.join(out, 'r1', 'mooc', 'summary.json'))).toBe(true);
  });

  it('keeps the analyst\'s period files of a statistics-only run, and only them', async () => {
    earlierAttempt('r1');
    const engagement = path.join(out, 'r1', 'engagement');
    const periodFiles = ['minutes_watched_2021Q2_paid_0.csv', 'minutes_watched_2021Q2_paid_1.csv', 'minutes_watched_2022Q2_paid_0.csv', 'minutes_watched_2022Q2_paid_1.csv', 'minutes_and_certificates.csv'];
    for (const file of [...periodFiles, 'minutes_watched_2021Q2_paid_0_no_outliers.csv']) writeFileSync(path.join(engagement, file), 'student_id\n');
    await planRun({ runId: 'r1', execution: 'exec-1', request: { periodFiles: true } }, context);
    for (const file of periodFiles) expect(existsSync(path.join(engagement, file)), file).toBe(true);
    for (const file of ['minutes_watched_2021Q2_paid_0_no_outliers.csv', 'statistics.json']) expect(existsSync(path.join(engagement, file)), file).toBe(false);
  });

  it('names an input that is there but no regular file (a broken link, a folder) for what it may be', async () => {
    rmSync(path.join(input, 'engagement', 'student_info.csv'));
    symlinkSync(path.join(root, 'nowhere.csv'), path.join(input, 'engagement', 'student_info.csv'));
    rmSync(path.join(input, 'engagement', 'student_certificates.csv'));
    mkdirSync(path.join(input, 'engagement', 'student_certificates.csv'));
    const refused = await error(planRun({ runId: 'r3', execution: 'exec-3', request: {} }, context));
    expect(refused.message).toBe(
      'engagement input: student_info.csv is there but is not a regular file (a folder, a broken symbolic link, a pipe or a device); ' +
        'student_certificates.csv is there but is not a regular file (a folder, a broken symbolic link, a pipe or a device)',
    );
  });

  it('reports a near-miss file name as found, not as absent', async () => {
    rmSync(path.join(input, 'engagement', 'student_purchases.csv'));
    writeFileSync(path.join(input, 'engagement', 'Student_Purchases.CSV'), 'header\n');
    const refused = await error(planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context));
    expect(refused.message).toBe('engagement input: student_purchases.csv not found, but "Student_Purchases.CSV" is there (file names must match exactly, lower case)');
    // A whole study under near-miss names is not skipped either.
    for (const file of ENGAGEMENT_FILES) rmSync(path.join(input, 'engagement', file), { force: true });
    writeFileSync(path.join(input, 'engagement', 'student_info.csv.txt'), 'header\n');
    const misnamed = await error(planRun({ runId: 'r2', execution: 'exec-2', request: {} }, context));
    expect(misnamed.message).toBe(
      'engagement input: student_info.csv not found, but "student_info.csv.txt" is there (file names must match exactly, lower case); ' +
        'student_purchases.csv not found, but "Student_Purchases.CSV" is there (file names must match exactly, lower case); ' +
        'missing student_video_watched.csv, student_certificates.csv in engagement/',
    );
  });
});

describe('RecordFailure and PublishManifest act only for the lock holder', () => {
  const failure = { Error: 'WorkflowInputError', Cause: JSON.stringify({ errorMessage: 'bad row', state: 'ValidateEngagementFiles' }) };

  it('RecordFailure of the holder replaces the marker by the failure and releases the lock', async () => {
    earlierAttempt('r1');
    await planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context);
    const recorded = await recordFailure({ runId: 'r1', execution: 'exec-1', failure }, context);
    expect(recorded).toMatchObject({ recorded: true, state: 'ValidateEngagementFiles', cause: 'bad row' });
    expect(failedOf('r1')).toMatchObject({ state: 'ValidateEngagementFiles', error: 'WorkflowInputError', cause: 'bad row' });
    expect(existsSync(path.join(out, '.locks', 'r1.json'))).toBe(false);
  });

  it('RecordFailure of an attempt refused at the lock leaves the holder\'s lock and the folder alone', async () => {
    earlierAttempt('r1');
    await acquireRunLock(context.store, 'r1', { execution: 'exec-other', now: NOW });
    const result = await recordFailure({ runId: 'r1', execution: 'exec-1', failure }, context);
    expect(result.recorded).toBe(false);
    expect(lockOf('r1').execution).toBe('exec-other');
    expect(readFileSync(path.join(out, 'r1', 'manifest.json'), 'utf8')).toBe('{"status":"succeeded"}');
  });

  it('RecordFailure of a holder that changed nothing yet (bad usage) writes nothing and releases the lock', async () => {
    earlierAttempt('r1');
    await acquireRunLock(context.store, 'r1', { execution: 'exec-1', now: NOW });
    expect((await recordFailure({ runId: 'r1', execution: 'exec-1', failure }, context)).recorded).toBe(false);
    expect(readFileSync(path.join(out, 'r1', 'manifest.json'), 'utf8')).toBe('{"status":"succeeded"}');
    expect(existsSync(path.join(out, '.locks', 'r1.json'))).toBe(false);
  });

  it('PublishManifest refuses once the lock is another attempt\'s, and when a written file is gone', async () => {
    const plan = await planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context);
    const event = { runId: 'r1', execution: 'exec-1', startedAt: plan.startedAt, periods: plan.periods as never, studies: plan.studies, studyResults: [] };
    await context.store.put('results/r1/engagement/a.csv', 'x\n1\n');
    const lost = { study: 'engagement' as const, status: 'succeeded' as const, inputs: [], outputs: [{ key: 'results/r1/engagement/gone.csv', rows: 1 }] };
    expect((await error(publishManifest({ ...event, studyResults: [lost] }, context))).message).toMatch(/result files written by this run are gone: results\/r1\/engagement\/gone\.csv/);
    // The lock expired and another attempt took it over.
    await releaseRunLock(context.store, 'r1', 'exec-1');
    await acquireRunLock(context.store, 'r1', { execution: 'exec-2', now: NOW });
    expect((await error(publishManifest(event, context))).message).toMatch(/no longer holds the run lock/);
    expect(existsSync(path.join(out, 'r1', 'manifest.json'))).toBe(false);
  });

  it('PublishManifest of the holder lists exactly the folder, removes the marker and releases the lock', async () => {
    earlierAttempt('r1');
    const plan = await planRun({ runId: 'r1', execution: 'exec-1', request: {} }, context);
    await context.store.put('results/r1/engagement/a.csv', 'x\n1\n');
    await publishManifest({ runId: 'r1', execution: 'exec-1', startedAt: plan.startedAt, periods: plan.periods as never, studies: plan.studies, studyResults: [] }, context);
    const manifest = JSON.parse(readFileSync(path.join(out, 'r1', 'manifest.json'), 'utf8'));
    expect(manifest.outputs.map((output: { key: string }) => output.key)).toEqual(['engagement/a.csv']);
    expect(existsSync(path.join(out, 'r1', '_FAILED.json'))).toBe(false);
    expect(existsSync(path.join(out, '.locks', 'r1.json'))).toBe(false);
  });
});
