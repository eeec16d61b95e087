// The whole workflow, run locally end to end on generated data: the synthesized state machine,
// SQL on DuckDB, the Lambda steps in-process. Period outputs are checked against the independent
// pandas reference (test/fixtures/engagement/reference_periods.py) run on the same input.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEngagementData, generateMoocData, type GeneratedTables } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type LocalRunResult, type ProgressEvent } from '../../lib/local/local-runner';
import type { RunManifest } from '../../lambdas/contracts/manifest';
import { itRequiring, PYTHON, pythonModules } from '../support/requirements';
import { fileTree } from '../support/file-tree';
import { RESULT_FILES, resultFileIdOf, type ResultFileEntry } from '../../lambdas/contracts/result-files';

const REFERENCE_SCRIPT = path.resolve(__dirname, '../fixtures/engagement/reference_periods.py');

const PERIOD_FILES = [
  'minutes_and_certificates.csv',
  'minutes_watched_2021Q2_paid_0.csv',
  'minutes_watched_2021Q2_paid_1.csv',
  'minutes_watched_2022Q2_paid_0.csv',
  'minutes_watched_2022Q2_paid_1.csv',
];

const root = mkdtempSync(path.join(os.tmpdir(), 'local-run-'));
const inputDir = path.join(root, 'input');
let engagementRows: GeneratedTables;
let moocRows: GeneratedTables;
let first: LocalRunResult;
let progress: ProgressEvent[];


/** Data rows of each CSV, counted by Python's csv module (quoted line breaks count once). */
function pythonCsvRows(files: string[]): Record<string, number> {
  const script = 'import csv,json,sys\nprint(json.dumps({f: max(0, sum(1 for _ in csv.reader(open(f, newline=""))) - 1) for f in sys.argv[1:]}))';
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' }));
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  engagementRows = await generateEngagementData({ students: 3000, seed: 20260, outDir: inputDir });
  moocRows = await generateMoocData({ users: 800, seed: 20260, outDir: inputDir });
  progress = [];
  first = await runLocalWorkflow({ inputDir, outDir: path.join(root, 'out-1'), runId: 'e2e-run', onProgress: (event) => progress.push(event) });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a full local run (engagement + mooc)', () => {
  it('succeeds and publishes manifest.json', () => {
    expect(first.failure).toBeUndefined();
    expect(first.status).toBe('succeeded');
    expect(first.runDir).toBe(path.join(root, 'out-1', 'e2e-run') + path.sep);
    expect(first.manifest).toMatchObject({ run_id: 'e2e-run', status: 'succeeded', periods: { baseline: '2021Q2', comparison: '2022Q2' } });
    expect(first.manifest!.studies).toEqual({ engagement: { status: 'succeeded' }, mooc: { status: 'succeeded' } });
    expect(existsSync(path.join(first.runDir, '_FAILED.json'))).toBe(false);
  });

  it('lists every result file in the manifest with the bytes, sha256 and rows recomputed here', () => {
    const files = fileTree(first.runDir);
    files.delete('manifest.json');
    const outputs = first.manifest!.outputs;
    expect(outputs.map((output) => output.key).sort()).toEqual([...files.keys()].sort());
    const csvRows = pythonCsvRows(outputs.filter((output) => output.key.endsWith('.csv')).map((output) => path.join(first.runDir, output.key)));
    for (const output of outputs) {
      const bytes = files.get(output.key)!;
      expect(output.bytes, output.key).toBe(bytes.length);
      expect(output.sha256, output.key).toBe(sha256(bytes));
      expect(output.rows, output.key).toBe(output.key.endsWith('.csv') ? csvRows[path.join(first.runDir, output.key)] : null);
    }
  });

  it('writes only catalogued files (lambdas/contracts/result-files.ts), CSVs with the catalogued header', () => {
    for (const key of fileTree(first.runDir).keys()) {
      const id = resultFileIdOf(key);
      expect(id, key).toBeDefined();
      const columns = (RESULT_FILES[id!] as ResultFileEntry).columns;
      if (columns && !columns.some((column) => column.includes('<'))) {
        expect(readFileSync(path.join(first.runDir, key), 'utf8').split('\n', 1)[0], key).toBe(columns.join(','));
      }
    }
  });

  it('counts the inputs as generated', () => {
    const generated = { ...engagementRows.rows, ...moocRows.rows };
    const counted = Object.fromEntries(first.manifest!.inputs.map((input) => [input.table, input.rows]));
    expect(counted).toEqual(generated);
    expect(Object.keys(counted)).toHaveLength(7);
    expect(first.manifest!.inputs.find((input) => input.table === 'student_info.csv')).toMatchObject({
      study: 'engagement',
      key: 'raw/engagement/student_info/student_info.csv',
      rows: 3000,
    });
  });

  itRequiring([pythonModules('pandas')], 'writes the period files byte for byte as the pandas reference does', () => {
    const referenceDir = path.join(root, 'reference');
    execFileSync(PYTHON, [REFERENCE_SCRIPT, inputDir, referenceDir, '--baseline', '2021Q2', '--comparison', '2022Q2']);
    expect(readdirSync(referenceDir).sort()).toEqual(PERIOD_FILES);
    for (const name of PERIOD_FILES) {
      const expected = readFileSync(path.join(referenceDir, name), 'utf8');
      const actual = readFileSync(path.join(first.runDir, 'engagement', name), 'utf8');
      // Every output must hold students, or the comparison proves little.
      expect(expected.split('\n').length, `${name} rows`).toBeGreaterThan(20);
      expect(actual, name).toBe(expected);
    }
  });

  it('writes statistics.json with the study keys and the cohort sizes of the period files', () => {
    const statistics = JSON.parse(readFileSync(path.join(first.runDir, 'engagement', 'statistics.json'), 'utf8'));
    expect(Object.keys(statistics).sort()).toEqual(['alpha', 'cohorts', 'correlation', 'outlier_quantile', 'periods', 'probabilities', 'regression', 'tests'].sort());
    expect(statistics.periods).toEqual({ baseline: '2021Q2', comparison: '2022Q2' });
    expect(statistics.alpha).toBe(0.05);
    expect(statistics.outlier_quantile).toBe(0.99);
    expect(Object.keys(statistics.cohorts).sort()).toEqual(['2021Q2_free', '2021Q2_paid', '2022Q2_free', '2022Q2_paid']);
    expect(Object.keys(statistics.tests).sort()).toEqual(['free', 'paid']);
    for (const [name, cohort] of Object.entries<any>(statistics.cohorts)) {
      const [period, group] = name.split('_') as [string, string];
      const file = path.join(first.runDir, 'engagement', `minutes_watched_${period}_paid_${group === 'paid' ? 1 : 0}.csv`);
      const dataRows = readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
      expect(cohort.n_before, name).toBe(dataRows);
      expect(cohort.n_after, name).toBeLessThanOrEqual(cohort.n_before);
      expect(cohort.n_after, name).toBeGreaterThan(0);
    }
    expect(existsSync(path.join(first.runDir, 'engagement', 'regression_predictions.csv'))).toBe(true);
    expect(existsSync(path.join(first.runDir, 'engagement', 'purchases_info.csv'))).toBe(true);
  });

  it('writes the MOOC results', () => {
    const mooc = readdirSync(path.join(first.runDir, 'mooc'));
    expect(mooc).toEqual(expect.arrayContaining(['summary.json', 'dropout_model.json', 'dropout_predictions.csv', 'user_features.csv']));
    for (const name of mooc) expect(statSync(path.join(first.runDir, 'mooc', name)).size, name).toBeGreaterThan(2);
    expect(() => JSON.parse(readFileSync(path.join(first.runDir, 'mooc', 'summary.json'), 'utf8'))).not.toThrow();
  });

  it('ran the outlier Map over the four cohorts and the cohort queries four times', () => {
    const succeeded = (state: string): number => progress.filter((event) => event.kind === 'state-succeeded' && event.state === state).length;
    expect(succeeded('RemoveCohortOutliers')).toBe(4);
    expect(succeeded('RunCohortQuery')).toBe(4);
    expect(succeeded('RemoveOutliers')).toBe(1);
    expect(succeeded('PublishManifest')).toBe(1);
    expect(progress.filter((event) => event.kind === 'state-failed')).toEqual([]);
  });

  it('gives identical bytes for the same input under another run id and another clock (manifest aside)', async () => {
    // A year later by the clock, another run id, another folder: nothing in a result file may tell.
    const later = () => new Date(Date.now() + 366 * 24 * 3600 * 1000);
    const twin = await runLocalWorkflow({ inputDir, outDir: path.join(root, 'out-2'), runId: 'same-input-twin', now: later });
    expect(twin.status).toBe('succeeded');
    // The run id appears where it legitimately belongs (findings.json, data_quality.json, the page title).
    const normalised = (bytes: Buffer, runId: string): string => bytes.toString('latin1').split(runId).join('<run>');
    const before = fileTree(first.runDir);
    const after = fileTree(twin.runDir);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [key, bytes] of before) {
      if (key === 'manifest.json') continue;
      expect(normalised(after.get(key)!, 'same-input-twin') === normalised(bytes, 'e2e-run'), key).toBe(true);
    }
    // The model's training time went to the manifest, out of dropout_model.json.
    expect(before.get('mooc/dropout_model.json')!.toString('utf8')).not.toMatch(/training_seconds/);
    expect(first.manifest!.timings?.dropout_model_training_seconds).toBeGreaterThan(0);
    const withoutTimes = ({ started_at: _s, finished_at: _f, timings: _t, run_id: _r, outputs, ...rest }: RunManifest): unknown => ({
      ...rest,
      outputs: outputs.map(({ key, rows }) => ({ key, rows })),
    });
    expect(withoutTimes(twin.manifest!)).toEqual(withoutTimes(first.manifest!));
  });

  it('has every key of mooc/summary.json described in docs/mooc-summary.md', () => {
    const summary = JSON.parse(readFileSync(path.join(first.runDir, 'mooc', 'summary.json'), 'utf8')) as Record<string, unknown>;
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'mooc-summary.md'), 'utf8');
    const DISTRIBUTION = ['count', 'max', 'mean', 'min', 'quantiles', 'sd'];
    // Keys named by the data (FEATURE0, q0.5, hour and category numbers, user feature columns) are described by their pattern.
    const NAMED_BY_DATA = /^(FEATURE\d|q0\.\d+|\d+|feature\d_mean)$/;
    const undocumented: string[] = [];
    const walk = (value: unknown, at: string): void => {
      if (Array.isArray(value)) {
        if (value.length > 0) walk(value[0], `${at}[]`);
        return;
      }
      if (value === null || typeof value !== 'object') return;
      if (Object.keys(value).sort().join() === DISTRIBUTION.join()) return;
      for (const [key, inner] of Object.entries(value)) {
        if (NAMED_BY_DATA.test(key)) continue;
        // Named in code style, alone or in a dotted path (`dropOff.notes`, `profiles[]`: `segment`).
        const named = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (!new RegExp(`[\`.]${named}[\`.\\[]`).test(doc)) undocumented.push(at ? `${at}.${key}` : key);
        walk(inner, at ? `${at}.${key}` : key);
      }
    };
    walk(summary, '');
    expect(undocumented.join(" "), "undocumented").toBe("");
  });
});

describe('runs that skip or fail', () => {
  it('marks mooc skipped when only engagement/ is given', async () => {
    const engagementOnly = path.join(root, 'engagement-only');
    cpSync(path.join(inputDir, 'engagement'), path.join(engagementOnly, 'engagement'), { recursive: true });
    const result = await runLocalWorkflow({ inputDir: engagementOnly, outDir: path.join(root, 'out-engagement'), runId: 'engagement-only' });
    expect(result.status).toBe('succeeded');
    expect(result.manifest!.studies.engagement).toEqual({ status: 'succeeded' });
    expect(result.manifest!.studies.mooc).toMatchObject({ status: 'skipped', note: expect.stringMatching(/^skipped: no mooc input/) });
    expect(result.manifest!.inputs.map((input) => input.study)).toEqual(['engagement', 'engagement', 'engagement', 'engagement']);
    expect(existsSync(path.join(result.runDir, 'mooc'))).toBe(false);
    expect(result.manifest!.outputs.filter((output) => output.key.startsWith('mooc/'))).toEqual([]);
    expect(result.manifest!.outputs.map((output) => output.key)).toContain('engagement/statistics.json');
  });

  it('fails an empty input folder with a clear message, before it changes anything', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    const result = await runLocalWorkflow({ inputDir: empty, outDir: path.join(root, 'out-empty'), runId: 'empty-input' });
    expect(result.status).toBe('failed');
    expect(result.manifest).toBeUndefined();
    expect(result.failure).toMatchObject({ run_id: 'empty-input', status: 'failed', error: 'WorkflowInputError', state: 'PlanRun', recorded: false });
    expect(result.failure!.cause).toMatch(/^no input to analyse: skipped: no engagement input .*student_info\.csv.*; skipped: no mooc input/);
    // Nothing was written: no run folder, and the lock is released.
    expect(existsSync(result.runDir)).toBe(false);
    expect(readdirSync(path.join(root, 'out-empty', '.locks'))).toEqual([]);
  });

  it('a rerun over an incomplete upload fails without erasing the run id\'s earlier result', async () => {
    const partial = path.join(root, 'partial-input');
    cpSync(inputDir, partial, { recursive: true });
    rmSync(path.join(partial, 'mooc', 'mooc_action_labels.tsv'));
    const before = fileTree(first.runDir);
    const result = await runLocalWorkflow({ inputDir: partial, outDir: path.join(root, 'out-1'), runId: 'e2e-run' });
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ state: 'PlanRun', recorded: false, cause: expect.stringMatching(/mooc input is incomplete: missing mooc_action_labels\.tsv/) });
    // The earlier run's manifest stays on disk but is not this attempt's result (--json prints the failure).
    expect(result.manifest).toBeUndefined();
    expect(result.earlierResultKept).toBe(true);
    expect(fileTree(first.runDir)).toEqual(before);
  });

  it('names the broken cohort in _FAILED.json (statistics on period files)', async () => {
    const outDir = path.join(root, 'out-broken');
    const engagementDir = path.join(outDir, 'broken-cohort', 'engagement');
    mkdirSync(engagementDir, { recursive: true });
    for (const name of PERIOD_FILES) cpSync(path.join(first.runDir, 'engagement', name), path.join(engagementDir, name));
    const brokenFile = path.join(engagementDir, 'minutes_watched_2021Q2_paid_1.csv');
    const lines = readFileSync(brokenFile, 'utf8').split('\n');
    lines[3] = `${lines[3]!.split(',')[0]},lots,1`;
    writeFileSync(brokenFile, lines.join('\n'));
    const empty = path.join(root, 'no-raw');
    mkdirSync(empty);

    const events: ProgressEvent[] = [];
    const result = await runLocalWorkflow({ inputDir: empty, outDir, runId: 'broken-cohort', request: { periodFiles: true }, onProgress: (event) => events.push(event) });
    expect(result.status).toBe('failed');
    expect(existsSync(path.join(outDir, 'broken-cohort', 'manifest.json'))).toBe(false);
    const failed = JSON.parse(readFileSync(path.join(outDir, 'broken-cohort', '_FAILED.json'), 'utf8'));
    expect(failed.cause).toMatch(/^cohort 2021Q2_paid: minutes_watched_2021Q2_paid_1\.csv: row 4: minutes_watched is not a number: "lots"/);
    expect(failed.state).toBe('RemoveCohortOutliers');
    expect(events.some((event) => event.kind === 'state-failed' && event.state === 'RemoveCohortOutliers')).toBe(true);
    // The period files are the analyst's: the failed run leaves them as they were.
    expect(readFileSync(brokenFile, 'utf8')).toBe(lines.join('\n'));
  });
});
