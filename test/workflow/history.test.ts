// Several runs with different seeds and periods in one results folder: the result tables they
// write, the example queries over them (queries/history/, on DuckDB), `engagement results history`
// (local folder and a bucket on s3rver) and the dashboard's History section, all checked against
// test/fixtures/history/expected_history.py, which recomputes the figures from each run's CSVs and
// input files with pandas, scipy and scikit-learn. A failed run must not appear; a run with the
// previous run's periods and input must say it repeats it; a rerun must give the same bytes.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocalWorkflow, type LocalRunResult } from '../../lib/local/local-runner';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { createResultTableViews } from '../../lib/local/duckdb-result-tables';
import { generateEngagementData, generateMoocData } from '../../lib/synthetic/synthetic-files';
import { S3ObjectStore } from '../../lambdas/io/s3-object-store';
import { RESULTS_PREFIX } from '../../lambdas/contracts/layout';
import { RESULT_TABLES } from '../../lambdas/contracts/result-tables';
import { readRunHistory } from '../../lambdas/steps/run-history';
import { startLocalS3, type LocalS3 } from '../io/s3rver-process';
import { engagement } from '../cli/run-cli';
import { describeRequiring, PYTHON, pythonModules } from '../support/requirements';

const ORACLE = path.resolve(__dirname, '../fixtures/history/expected_history.py');
const QUERIES = path.resolve(__dirname, '../../queries/history');

interface ExpectedPlan {
  n_baseline: number;
  n_comparison: number;
  mean_baseline: number;
  mean_comparison: number;
  mean_difference: number;
  p_two_sided: number;
  significant: boolean;
  direction: string;
}
interface ExpectedRun {
  run_id: string;
  baseline: string;
  comparison: string;
  plans: Record<'free' | 'paid', ExpectedPlan>;
  pearson: number;
  dropout_rate: number;
  auc_test: number;
  quarantine: Record<string, number>;
  repeat_of: string | null;
}

const root = mkdtempSync(path.join(os.tmpdir(), 'history-'));
const inputA = path.join(root, 'input-a');
const inputB = path.join(root, 'input-b');
const out = path.join(root, 'results');
const INPUT_OF: Record<string, string> = { '2026-01': inputA, '2026-02': inputB, '2026-03': inputB, '2026-04': inputA };
const runs: Record<string, LocalRunResult> = {};
let expected: ExpectedRun[];
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every file of a run folder but the manifest: relative path -> bytes as latin1. */
function runFiles(dir: string, base = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, base)).sort()) {
    const relative = base ? `${base}/${name}` : name;
    if (statSync(path.join(dir, relative)).isDirectory()) Object.assign(files, runFiles(dir, relative));
    else if (relative !== 'manifest.json') files[relative] = readFileSync(path.join(dir, relative), 'latin1');
  }
  return files;
}

const close = (actual: unknown, wanted: number, tolerance: number, what: string): void => {
  expect(typeof actual, what).toBe('number');
  expect(Math.abs((actual as number) - wanted), `${what}: ${actual} vs ${wanted}`).toBeLessThanOrEqual(tolerance);
};

describeRequiring([pythonModules('pandas', 'scipy', 'sklearn')], 'results across runs', () => {
  beforeAll(async () => {
    await generateEngagementData({ students: 2000, seed: 21, outDir: inputA });
    await generateMoocData({ users: 80, seed: 21, outDir: inputA });
    // One impossible date: quarantined (under maxBadRowShare), so the data-quality table has a reason.
    appendFileSync(path.join(inputA, 'engagement', 'student_info.csv'), '999999,2021-02-30\n');
    await generateEngagementData({ students: 1800, seed: 22, outDir: inputB, baseline: '2021Q1', comparison: '2022Q1' });
    await generateMoocData({ users: 70, seed: 22, outDir: inputB });
    const run = (runId: string, baseline: string, comparison: string, extra = {}) =>
      runLocalWorkflow({ inputDir: INPUT_OF[runId]!, outDir: out, runId, retryWaitMs: 1, request: { baseline, comparison }, ...extra });
    // One after the other, as the monthly schedule runs them.
    runs['2026-01'] = await run('2026-01', '2021Q2', '2022Q2');
    runs['2026-02'] = await run('2026-02', '2021Q1', '2022Q1');
    runs['2026-03'] = await run('2026-03', '2021Q1', '2022Q1');
    runs['2026-04'] = await run('2026-04', '2021Q3', '2022Q1', { faults: [{ state: 'PublishManifest', times: 'always' }] });
    const text = execFileSync(PYTHON, [ORACLE, out, ...Object.entries(INPUT_OF).map(([runId, dir]) => `${runId}=${dir}`)], { encoding: 'utf8' });
    expected = JSON.parse(text) as ExpectedRun[];
  }, 900_000);

  it('runs as planned: three succeeded, the fourth failed after writing its tables', () => {
    for (const id of ['2026-01', '2026-02', '2026-03']) expect(runs[id]!.status, JSON.stringify(runs[id]!.failure)).toBe('succeeded');
    expect(runs['2026-04']!.status).toBe('failed');
    expect(readdirSync(path.join(out, '2026-04', 'tables'))).toContain('result_cohorts');
    expect(expected.map((run) => run.run_id)).toEqual(['2026-01', '2026-02', '2026-03']);
    // The oracle's own view of the repeat: same periods and input files as the run before.
    expect(expected.map((run) => run.repeat_of)).toEqual([null, null, '2026-02']);
  });

  it('lists every result table file in the manifest', () => {
    const keys = runs['2026-01']!.manifest!.outputs.map((output) => output.key);
    for (const table of RESULT_TABLES) expect(keys, table.name).toContain(`tables/${table.name}/${table.name}.json`);
  });

  it('answers the example queries on DuckDB with the recomputed figures', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await createResultTableViews(connection, out);
      const query = async (file: string) => (await connection.runAndReadAll(readFileSync(path.join(QUERIES, file), 'utf8'))).getRowObjectsJson() as Record<string, unknown>[];

      const cohorts = await query('cohort_means_by_run.sql');
      expect(cohorts).toHaveLength(expected.length * 4);
      for (const run of expected) {
        for (const plan of ['free', 'paid'] as const) {
          for (const role of ['baseline', 'comparison'] as const) {
            const row = cohorts.find((candidate) => candidate.run_id === run.run_id && candidate.plan === plan && candidate.role === role)!;
            const what = `${run.run_id} ${plan} ${role}`;
            expect(row.period, what).toBe(role === 'baseline' ? run.baseline : run.comparison);
            expect(Number(row.n_after), what).toBe(run.plans[plan][`n_${role}`]);
            close(row.mean, run.plans[plan][`mean_${role}`], 1e-9, what);
          }
        }
      }

      const tests = await query('tests_by_run.sql');
      expect(tests).toHaveLength(expected.length * 2);
      for (const run of expected) {
        for (const plan of ['free', 'paid'] as const) {
          const row = tests.find((candidate) => candidate.run_id === run.run_id && candidate.plan === plan)!;
          const wanted = run.plans[plan];
          close(row.mean_difference, wanted.mean_difference, 1e-9, `${run.run_id} ${plan} difference`);
          close(row.p_two_sided, wanted.p_two_sided, 1e-9 + 1e-6 * wanted.p_two_sided, `${run.run_id} ${plan} p`);
          expect(row.direction).toBe(wanted.direction);
          expect(row.significant_change).toBe(wanted.significant);
        }
      }

      const quarantine = await query('quarantine_by_run.sql');
      const counted: Record<string, Record<string, number>> = {};
      for (const row of quarantine) (counted[row.run_id as string] ??= {})[`${String(row.file).replace(/\.(csv|tsv)$/, '')}|${row.reason}`] = Number(row.quarantined_rows);
      for (const run of expected) expect(counted[run.run_id] ?? {}, run.run_id).toEqual(run.quarantine);
      expect(Object.keys(expected[0]!.quarantine).length).toBeGreaterThan(0);

      const headlines = await query('headlines_by_run.sql');
      expect(headlines.map((row) => row.run_id)).toEqual(expected.map((run) => run.run_id));
      for (const run of expected) {
        const row = headlines.find((candidate) => candidate.run_id === run.run_id)!;
        expect(row.repeat_of ?? null, run.run_id).toBe(run.repeat_of);
        close(row.pearson, run.pearson, 1e-9, `${run.run_id} pearson`);
        close(row.dropout_rate, run.dropout_rate, 1e-12, `${run.run_id} dropout rate`);
        close(row.auc_test, run.auc_test, 1e-9, `${run.run_id} AUC`);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('engagement results history --csv shows the succeeded runs side by side, figures in full, and flags changes and the repeat', async () => {
    const outcome = await engagement('results', 'history', '--local', out, '--csv');
    expect(outcome.code, outcome.stderr).toBe(0);
    // RFC 4180 cells, read here without the project's reader: a flag holding a comma comes quoted.
    const cells = (line: string) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, cell]) => (cell!.startsWith('"') ? cell!.slice(1, -1).replace(/""/g, '"') : cell!));
    const [header, ...lines] = outcome.stdout.trimEnd().split('\n').map(cells);
    const rows = lines.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index]!])));
    expect(rows.map((row) => row.run)).toEqual(['2026-01', '2026-02', '2026-03']);
    expected.forEach((run, index) => {
      const row = rows[index]!;
      expect([row.baseline, row.comparison]).toEqual([run.baseline, run.comparison]);
      for (const plan of ['free', 'paid'] as const) {
        const wanted = run.plans[plan];
        expect(Number(row[`${plan}_n_baseline`])).toBe(wanted.n_baseline);
        expect(Number(row[`${plan}_n_comparison`])).toBe(wanted.n_comparison);
        close(Number(row[`${plan}_mean_baseline`]), wanted.mean_baseline, 1e-9, `${run.run_id} ${plan} mean`);
        close(Number(row[`${plan}_mean_comparison`]), wanted.mean_comparison, 1e-9, `${run.run_id} ${plan} mean`);
        close(Number(row[`${plan}_change`]), wanted.mean_difference, 1e-9, `${run.run_id} ${plan} change`);
        expect(row[`${plan}_significant`]).toBe(wanted.significant ? 'yes' : 'no');
        // Figures in full, as numbers a spreadsheet reads: no rounding, no "< 1e-16", no sign added.
        expect(row[`${plan}_p`]).toMatch(/^-?\d+(\.\d+)?(e-?\d+)?$/);
      }
      close(Number(row.pearson), run.pearson, 1e-9, `${run.run_id} pearson`);
      close(Number(row.dropout_rate), run.dropout_rate, 1e-9, `${run.run_id} dropout`);
      close(Number(row.auc_test), run.auc_test, 1e-9, `${run.run_id} auc`);
      // What changed since the run above, recomputed from the oracle's directions and significance.
      const before = expected[index - 1];
      const flags: string[] = [];
      if (run.repeat_of) flags.push(`repeat of ${run.repeat_of}: same periods, options and input`);
      else if (before) {
        if (before.baseline !== run.baseline || before.comparison !== run.comparison) flags.push(`periods ${before.baseline} vs ${before.comparison} -> ${run.baseline} vs ${run.comparison}`);
        if (INPUT_OF[before.run_id] !== INPUT_OF[run.run_id]) flags.push('other input files');
        for (const plan of ['free', 'paid'] as const) {
          if (before.plans[plan].direction !== run.plans[plan].direction) flags.push(`${plan}: direction ${before.plans[plan].direction} -> ${run.plans[plan].direction}`);
          if (before.plans[plan].significant !== run.plans[plan].significant) flags.push(`${plan}: ${run.plans[plan].significant ? 'now significant' : 'no longer significant'}`);
        }
      }
      expect(row.flags, run.run_id).toBe(flags.join('; '));
    });

    const lastTwo = await engagement('results', 'history', '--local', out, '--last', '2');
    expect(lastTwo.code, lastTwo.stderr).toBe(0);
    expect(lastTwo.stdout.split('\n').filter((line) => /^2026-/.test(line)).map((line) => line.split(' ')[0])).toEqual(['2026-02', '2026-03']);
  }, 120_000);

  it('reads the same history from a bucket (s3rver) as from the folder', async () => {
    let s3: LocalS3 | undefined;
    try {
      s3 = await startLocalS3(['history-bucket']);
      const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      const bucket = new S3ObjectStore('history-bucket', { client });
      const folder = new LocalObjectStore({ mounts: [{ prefix: RESULTS_PREFIX, dir: out }] });
      for (const { key } of await folder.list(RESULTS_PREFIX)) await bucket.put(key, await folder.getBytes(key));
      const fromBucket = await readRunHistory(bucket, { last: 12 });
      expect(fromBucket).toEqual(await readRunHistory(folder, { last: 12 }));
      expect(fromBucket.runs.map((run) => run.runId)).toEqual(['2026-01', '2026-02', '2026-03']);
      fromBucket.runs.forEach((run, index) => close(run.plans.free!.meanComparison, expected[index]!.plans.free.mean_comparison, 1e-9, run.runId));
    } finally {
      await s3?.stop();
    }
  }, 120_000);

  it('draws the History section: none before the first run, the earlier runs after, and says when a run repeats', () => {
    const page = (runId: string) => readFileSync(path.join(out, runId, 'report', 'index.html'), 'utf8');
    expect(page('2026-01')).toContain('No earlier succeeded run');
    const third = page('2026-03');
    const section = third.slice(third.indexOf('<section id="history">'));
    expect(section).toContain('<svg');
    for (const id of ['2026-01', '2026-02', '2026-03']) expect(section).toContain(`<td>${id}</td>`);
    expect(section).not.toContain('2026-04');
    expect(section).toContain('This run repeats run 2026-02');
    const findings = (runId: string) => JSON.parse(readFileSync(path.join(out, runId, 'report', 'findings.json'), 'utf8')).findings as { headline: string }[];
    expect(findings('2026-03')[0]!.headline).toMatch(/^This run repeats run 2026-02: the same periods \(2021Q1 vs 2022Q1\)/);
    expect(findings('2026-02').some((finding) => finding.headline.includes('repeats'))).toBe(false);
  });

  it('a rerun of a run, with the same other runs, writes the same bytes', async () => {
    const before = runFiles(path.join(out, '2026-03'));
    const rerun = await runLocalWorkflow({ inputDir: inputB, outDir: out, runId: '2026-03', retryWaitMs: 1, request: { baseline: '2021Q1', comparison: '2022Q1' } });
    expect(rerun.status).toBe('succeeded');
    const after = runFiles(path.join(out, '2026-03'));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const file of Object.keys(before)) expect(after[file] === before[file], file).toBe(true);
  }, 300_000);
});
