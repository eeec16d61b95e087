// The `engagement` command line as a user runs it: a child process, its exit code and its output.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '../..');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
const CLI = path.join(REPO, 'bin', 'engagement.ts');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function engagement(...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const root = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('engagement CLI usage', () => {
  it('prints the help with exit 0, and with exit 2 when no command is given', async () => {
    const [help, bare] = await Promise.all([engagement('--help'), engagement()]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^engagement-workflow:/);
    for (const command of ['engagement run --input DIR --out DIR', 'engagement stats --periods DIR --out DIR', 'engagement generate --out DIR']) {
      expect(help.stdout).toContain(command);
    }
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage:');
  });

  it('refuses an unknown command, a missing --input and an unknown flag with exit 2', async () => {
    const [unknown, missingInput, unknownFlag, missingFolder] = await Promise.all([
      engagement('frobnicate'),
      engagement('run', '--out', path.join(root, 'unused')),
      engagement('run', '--input', root, '--out', path.join(root, 'unused'), '--colour', 'red'),
      engagement('run', '--input', path.join(root, 'does-not-exist'), '--out', path.join(root, 'unused')),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('engagement: unknown command "frobnicate"; see engagement --help');
    expect(missingInput.code).toBe(2);
    expect(missingInput.stderr).toContain('engagement: --input is required');
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/--colour/);
    expect(missingFolder.code).toBe(2);
    expect(missingFolder.stderr).toMatch(/input folder .*does-not-exist does not exist/);
  });

  it('fails a run with a bad --baseline: exit 1, the period message, and _FAILED.json', async () => {
    const input = path.join(root, 'empty-input');
    mkdirSync(input);
    const out = path.join(root, 'out-bad-baseline');
    const result = await engagement('run', '--input', input, '--out', out, '--baseline', '2021Q5', '--run-id', 'bad-baseline');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Run bad-baseline failed in PlanRun: WorkflowInputError: baseline must be a quarter such as 2021Q2, got "2021Q5"');
    const failed = JSON.parse(readFileSync(path.join(out, 'bad-baseline', '_FAILED.json'), 'utf8'));
    expect(failed).toMatchObject({ run_id: 'bad-baseline', status: 'failed', error: 'WorkflowInputError', state: 'PlanRun' });
    expect(failed.cause).toBe('baseline must be a quarter such as 2021Q2, got "2021Q5"');
    expect(existsSync(path.join(out, 'bad-baseline', 'manifest.json'))).toBe(false);
  });
});

describe('engagement generate, run, stats', () => {
  const input = path.join(root, 'generated');
  const out = path.join(root, 'results');

  it('generates input, runs the workflow on it (--json prints the manifest), then the statistics on its period files', async () => {
    const generated = await engagement('generate', '--out', input, '--students', '1000', '--mooc-users', '200', '--seed', '5');
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout.trim()).toBe(input);
    expect(generated.stderr).toMatch(/engagement\/: \{"student_info.csv":1000,/);
    for (const file of ['engagement/student_info.csv', 'engagement/student_video_watched.csv', 'mooc/mooc_actions.tsv']) expect(existsSync(path.join(input, file)), file).toBe(true);

    const run = await engagement('run', '--input', input, '--out', out, '--run-id', 'cli-run', '--json');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const runDir = path.join(out, 'cli-run');
    const printed = JSON.parse(run.stdout);
    expect(printed).toEqual(JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')));
    expect(printed).toMatchObject({ run_id: 'cli-run', status: 'succeeded', studies: { engagement: { status: 'succeeded' }, mooc: { status: 'succeeded' } } });
    expect(printed.inputs.find((entry: { table: string }) => entry.table === 'student_info.csv').rows).toBe(1000);
    // --json keeps the output to the manifest alone: no progress lines.
    expect(run.stderr).not.toContain('RemoveCohortOutliers');

    const stats = await engagement('stats', '--periods', path.join(runDir, 'engagement'), '--out', out, '--run-id', 'cli-stats');
    expect(stats.code, stats.stderr + stats.stdout).toBe(0);
    const statsDir = path.join(out, 'cli-stats');
    expect(stats.stdout).toMatch(/^Run cli-stats succeeded: \d+ result files\./);
    expect(stats.stdout).toContain('engagement: succeeded; mooc: skipped');
    expect(stats.stdout).toMatch(new RegExp(`results:\\s+${escapeRegExp(statsDir)}`));
    expect(stats.stdout).toMatch(new RegExp(`manifest:\\s+${escapeRegExp(path.join(statsDir, 'manifest.json'))}`));
    // Progress goes to stderr, so stdout stays readable.
    expect(stats.stderr).toContain('RemoveCohortOutliers');
    // Same period files, same options: the same statistics as the full run.
    expect(readFileSync(path.join(statsDir, 'engagement', 'statistics.json'), 'utf8')).toBe(readFileSync(path.join(runDir, 'engagement', 'statistics.json'), 'utf8'));
    expect(existsSync(path.join(statsDir, 'mooc'))).toBe(false);
  });
});
