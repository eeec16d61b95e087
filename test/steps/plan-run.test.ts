// PlanRun, the first state: what it accepts, what it refuses, and the plan it hands the workflow.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { planRun } from '../../lambdas/steps/plan-run';
import { silentLogger, WorkflowInputError, type StepContext } from '../../lambdas/steps/step-context';
import type { RunPlan, RunRequest } from '../../lambdas/contracts/state-payloads';

const ENGAGEMENT_FILES = ['student_info.csv', 'student_purchases.csv', 'student_video_watched.csv', 'student_certificates.csv'];
const MOOC_FILES = ['mooc_actions.tsv', 'mooc_action_features.tsv', 'mooc_action_labels.tsv'];
const RUN_ID = 'plan-test';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Folders {
  engagement?: string[];
  mooc?: string[];
  /** Files placed in results/<runId>/engagement/ (period files mode). */
  periodFiles?: string[];
}

function contextWith(folders: Folders, now = new Date('2026-11-23T10:00:00Z')): StepContext {
  const root = mkdtempSync(path.join(os.tmpdir(), 'plan-run-'));
  scratch.push(root);
  const input = path.join(root, 'input');
  const out = path.join(root, 'out');
  mkdirSync(input);
  for (const study of ['engagement', 'mooc'] as const) {
    if (!folders[study]) continue;
    mkdirSync(path.join(input, study));
    for (const file of folders[study]) writeFileSync(path.join(input, study, file), 'header\n');
  }
  if (folders.periodFiles) {
    const dir = path.join(out, RUN_ID, 'engagement');
    mkdirSync(dir, { recursive: true });
    for (const file of folders.periodFiles) writeFileSync(path.join(dir, file), 'student_id,minutes_watched\n');
  }
  const store = new LocalObjectStore({ inputDir: input, mounts: [{ prefix: 'results/', dir: out }] });
  return { store, logger: silentLogger, now: () => now };
}

const bothStudies: Folders = { engagement: ENGAGEMENT_FILES, mooc: MOOC_FILES };

async function plan(request: RunRequest | null | undefined, folders: Folders = bothStudies, now?: Date): Promise<RunPlan> {
  return planRun({ runId: RUN_ID, execution: 'plan-test-execution', request }, contextWith(folders, now));
}

async function planError(request: RunRequest | null | undefined, folders: Folders = bothStudies): Promise<WorkflowInputError> {
  const error = await plan(request, folders).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'planRun should have failed').toBeInstanceOf(WorkflowInputError);
  expect((error as Error).name).toBe('WorkflowInputError');
  return error as WorkflowInputError;
}

describe('planRun periods', () => {
  it('defaults to the study quarters 2021Q2 vs 2022Q2 with four cohorts and their query parameters', async () => {
    const result = await plan({});
    expect(result.mode).toBe('sql');
    expect(result.runId).toBe(RUN_ID);
    expect(result.startedAt).toBe('2026-11-23T10:00:00.000Z');
    expect(result.periods.baseline).toMatchObject({ label: '2021Q2', firstDay: '2021-04-01', lastDay: '2021-06-30' });
    expect(result.periods.comparison).toMatchObject({ label: '2022Q2', firstDay: '2022-04-01', lastDay: '2022-06-30' });
    expect(result.engagement.cohorts.map((cohort) => [cohort.name, cohort.role, cohort.paid, cohort.fileName])).toEqual([
      ['2021Q2_free', 'baseline', 0, 'minutes_watched_2021Q2_paid_0.csv'],
      ['2021Q2_paid', 'baseline', 1, 'minutes_watched_2021Q2_paid_1.csv'],
      ['2022Q2_free', 'comparison', 0, 'minutes_watched_2022Q2_paid_0.csv'],
      ['2022Q2_paid', 'comparison', 1, 'minutes_watched_2022Q2_paid_1.csv'],
    ]);
    // The quarter's days reach the SQL as quoted literals; the paid flag as a bare number.
    expect(result.engagement.cohorts[1]!.parameters).toEqual({ year: '2021', quarter: '2', firstDay: "'2021-04-01'", lastDay: "'2021-06-30'", paid: '1' });
    expect(result.engagement.minutesAndCertificatesParameters).toMatchObject({ comparisonFirstDay: "'2022-04-01'", comparisonLastDay: "'2022-06-30'" });
    expect(result.options).toMatchObject({ outlierQuantile: 0.99, alpha: 0.05, seed: 42, testFraction: 0.2, predictMinutes: 1200 });
    expect(result.studies.engagement.run).toBe(true);
    expect(result.studies.mooc.run).toBe(true);
  });

  it('treats a null request like an empty one', async () => {
    expect((await plan(null)).periods.baseline.label).toBe('2021Q2');
  });

  it('takes explicit quarters, in the loose spellings too', async () => {
    const result = await plan({ baseline: '2023q4', comparison: ' 2024-Q3 ' });
    expect(result.periods.baseline).toMatchObject({ label: '2023Q4', firstDay: '2023-10-01', lastDay: '2023-12-31' });
    expect(result.periods.comparison).toMatchObject({ label: '2024Q3', firstDay: '2024-07-01', lastDay: '2024-09-30' });
    expect(result.engagement.cohorts.map((cohort) => cohort.fileName)).toContain('minutes_watched_2024Q3_paid_1.csv');
  });

  it.each([
    ['2026-11-23T08:00:00Z', '2025Q3', '2026Q3'],
    ['2027-01-05T00:00:00Z', '2025Q4', '2026Q4'],
    ['2026-04-01T00:00:00Z', '2025Q1', '2026Q1'],
    ['2026-03-31T23:59:59Z', '2024Q4', '2025Q4'],
  ])('rolling on %s compares %s with %s', async (now, baseline, comparison) => {
    const result = await plan({ rolling: true }, bothStudies, new Date(now));
    expect([result.periods.baseline.label, result.periods.comparison.label]).toEqual([baseline, comparison]);
  });

  it('counts rolling periods from the schedule\'s event time when it is given, not from the clock', async () => {
    // A rerun in April of the run scheduled on 2 March analyses March's quarters.
    const result = await plan({ rolling: true, scheduledAt: '2026-03-02T06:00:00Z' }, bothStudies, new Date('2026-04-20T09:00:00Z'));
    expect([result.periods.baseline.label, result.periods.comparison.label]).toEqual(['2024Q4', '2025Q4']);
  });

  it.each([
    [{ baseline: '2021-Q5' }, /baseline must be a quarter such as 2021Q2, got "2021-Q5"/],
    [{ comparison: 'spring 2022' }, /comparison must be a quarter/],
    [{ baseline: 2021 }, /baseline must be a quarter/],
    [{ baseline: "2021Q2'; DROP TABLE x; --" }, /baseline must be a quarter/],
    [{ baseline: '2022Q2', comparison: '2022Q2' }, /baseline 2022Q2 must be earlier than comparison 2022Q2/],
    [{ baseline: '2023Q1', comparison: '2022Q4' }, /baseline 2023Q1 must be earlier than comparison 2022Q4/],
    [{ rolling: true, baseline: '2021Q2' }, /either rolling or baseline\/comparison/],
    [{ rolling: 'yes' }, /rolling must be true or false/],
    [{ rolling: true, scheduledAt: '2 March 2026' }, /scheduledAt must be an ISO 8601 time such as 2026-12-02T06:00:00Z, got "2 March 2026"/],
    [{ rolling: true, scheduledAt: '2026-02-30T06:00:00Z' }, /scheduledAt must be an ISO 8601 time/],
    [{ baseline: '2021Q2', comparison: '2022Q2', scheduledAt: '2026-03-02T06:00:00Z' }, /scheduledAt is the time rolling periods count from: give it with rolling: true/],
  ])('refuses %j', async (request, message) => {
    expect((await planError(request as RunRequest)).message).toMatch(message);
  });
});

describe('planRun request checks', () => {
  it('refuses unknown request keys, naming them', async () => {
    const error = await planError({ baseline: '2021Q2', quarter: 'Q2', extra: 1 } as RunRequest);
    expect(error.message).toMatch(/unknown run option\(s\) quarter, extra/);
  });

  it('resolves analysis options, numbers given as text included', async () => {
    const result = await plan({ options: { alpha: '0.01', seed: 7 } });
    expect(result.options).toMatchObject({ alpha: 0.01, seed: 7, outlierQuantile: 0.99 });
  });

  it.each([
    [{ alpha: 1.5 }, /option alpha must be a number in \(0, 1\), got 1.5/],
    [{ seed: -1 }, /option seed must be a whole number/],
    [{ outlierQuantile: 'high' }, /option outlierQuantile must be/],
    [{ colour: 'red' }, /unknown option colour/],
    ['alpha=0.1', /options must be an object/],
  ])('refuses options %j', async (options, message) => {
    expect((await planError({ options })).message).toMatch(message);
  });

  it('refuses periodFiles that is not a boolean', async () => {
    expect((await planError({ periodFiles: 'yes' })).message).toMatch(/periodFiles must be true or false/);
  });
});

describe('planRun input discovery', () => {
  it('fails on an incomplete study, naming the missing files and those found', async () => {
    const error = await planError({}, { engagement: ['student_info.csv', 'student_certificates.csv'], mooc: MOOC_FILES });
    expect(error.message).toMatch(/engagement input is incomplete/);
    expect(error.message).toContain('missing student_purchases.csv, student_video_watched.csv');
    expect(error.message).toContain('found student_info.csv, student_certificates.csv');
  });

  it('fails on an incomplete MOOC folder too', async () => {
    const error = await planError({}, { engagement: ENGAGEMENT_FILES, mooc: ['mooc_actions.tsv'] });
    expect(error.message).toMatch(/mooc input is incomplete: missing mooc_action_features.tsv, mooc_action_labels.tsv/);
  });

  it('fails when there is no input at all', async () => {
    const error = await planError({}, {});
    expect(error.message).toMatch(/^no input to analyse: skipped: no engagement input .*; skipped: no mooc input/);
  });

  it('skips a study without input, with a note that says what was expected', async () => {
    const result = await plan({}, { engagement: ENGAGEMENT_FILES });
    expect(result.studies.engagement.run).toBe(true);
    expect(result.studies.mooc).toEqual({
      run: false,
      note: 'skipped: no mooc input (expected mooc_actions.tsv, mooc_action_features.tsv, mooc_action_labels.tsv in mooc/)',
    });
    const moocOnly = await plan({}, { mooc: MOOC_FILES });
    expect(moocOnly.studies.engagement.run).toBe(false);
    expect(moocOnly.studies.engagement.note).toMatch(/^skipped: no engagement input/);
    expect(moocOnly.studies.mooc.run).toBe(true);
  });

  it('ignores unrelated files in a study folder', async () => {
    const result = await plan({}, { engagement: [...ENGAGEMENT_FILES, 'notes.txt'], mooc: ['README.md'] });
    expect(result.studies.engagement.run).toBe(true);
    expect(result.studies.mooc.run).toBe(false);
  });
});

describe('planRun periodFiles mode', () => {
  const PERIOD_FILES = [
    'minutes_watched_2021Q2_paid_0.csv',
    'minutes_watched_2021Q2_paid_1.csv',
    'minutes_watched_2022Q2_paid_0.csv',
    'minutes_watched_2022Q2_paid_1.csv',
    'minutes_and_certificates.csv',
  ];

  it('plans statistics on the files found in results/<runId>/engagement/, mooc skipped', async () => {
    const result = await plan({ periodFiles: true }, { periodFiles: [...PERIOD_FILES, 'minutes_watched_2021Q2_paid_0_no_outliers.csv'] });
    expect(result.mode).toBe('periodFiles');
    expect(result.periods).toEqual({ baseline: { label: '2021Q2' }, comparison: { label: '2022Q2' } });
    expect(result.engagement.cohorts.map((cohort) => [cohort.name, cohort.fileName, cohort.parameters])).toEqual([
      ['2021Q2_free', 'minutes_watched_2021Q2_paid_0.csv', undefined],
      ['2021Q2_paid', 'minutes_watched_2021Q2_paid_1.csv', undefined],
      ['2022Q2_free', 'minutes_watched_2022Q2_paid_0.csv', undefined],
      ['2022Q2_paid', 'minutes_watched_2022Q2_paid_1.csv', undefined],
    ]);
    expect(result.engagement.minutesAndCertificatesFile).toBe('minutes_and_certificates.csv');
    expect(result.studies.engagement.run).toBe(true);
    expect(result.studies.mooc.run).toBe(false);
  });

  it('accepts year-labelled period files', async () => {
    const files = ['minutes_watched_2021_paid_0.csv', 'minutes_watched_2021_paid_1.csv', 'minutes_watched_2022_paid_0.csv', 'minutes_watched_2022_paid_1.csv', 'minutes_and_certificates.csv'];
    const result = await plan({ periodFiles: true }, { periodFiles: files });
    expect([result.periods.baseline.label, result.periods.comparison.label]).toEqual(['2021', '2022']);
  });

  it('names the missing period files', async () => {
    const error = await planError({ periodFiles: true }, { periodFiles: PERIOD_FILES.filter((name) => !name.includes('2022Q2_paid_1') && !name.startsWith('minutes_and')) });
    expect(error.message).toMatch(/^period files in results\/plan-test\/engagement\//);
    expect(error.message).toContain('minutes_and_certificates.csv is missing');
    expect(error.message).toContain('minutes_watched_2022Q2_paid_1.csv is missing');
  });

  it('fails when the folder holds no period files at all', async () => {
    expect((await planError({ periodFiles: true }, {})).message).toMatch(/found none/);
  });
});

describe("the run's queries", () => {
  const templates = {
    check_student_info: "SELECT DATE '{{data_start}}' AS s, DATE '{{data_end}}' AS e, '{{run_id}}' AS r",
    cohort_minutes: "SELECT * FROM curated_student_video_watched WHERE run_id = '{{run_id}}' AND year = ?",
  };

  it('are the templates filled with this run\'s id and declared data range, by the same keys', async () => {
    const result = await planRun(
      { runId: RUN_ID, execution: 'plan-test-execution', request: { options: { dataStart: '2020-02-01', dataEnd: '2022-06-30' } }, queryTemplates: templates },
      contextWith(bothStudies),
    );
    expect(result.runQueries).toEqual({
      check_student_info: `SELECT DATE '2020-02-01' AS s, DATE '2022-06-30' AS e, '${RUN_ID}' AS r`,
      cohort_minutes: `SELECT * FROM curated_student_video_watched WHERE run_id = '${RUN_ID}' AND year = ?`,
    });
  });

  it('take the default range when none is declared', async () => {
    const result = await planRun({ runId: RUN_ID, execution: 'plan-test-execution', request: {}, queryTemplates: templates }, contextWith(bothStudies));
    expect(result.runQueries.check_student_info).toBe(`SELECT DATE '1970-01-01' AS s, DATE '2100-12-31' AS e, '${RUN_ID}' AS r`);
  });
});
