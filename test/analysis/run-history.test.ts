// The pure parts of the history: what counts as a change since the previous run, what counts as a
// repeat of it, and the JSON-lines rows of the result tables.
import { describe, expect, it } from 'vitest';
import { changesSince, historyTable, repeatsRun, runHeadline, type PlanHeadline, type RunFingerprint, type RunHeadline } from '../../lambdas/analysis/run-history';
import { historySection } from '../../lambdas/analysis/report/history-section';
import { parseResultTableText, resultTableText } from '../../lambdas/contracts/result-tables';

const plan = (direction: string | null, significant: boolean | null): PlanHeadline => ({
  nBaseline: 10,
  nComparison: 12,
  meanBaseline: 5,
  meanComparison: 6,
  meanDifference: 1,
  pTwoSided: 0.2,
  direction,
  significant,
});
const run = (runId: string, free: PlanHeadline, paid: PlanHeadline, repeatOf: string | null = null): RunHeadline => ({
  runId,
  baseline: '2021Q2',
  comparison: '2022Q2',
  repeatOf,
  plans: { free, paid },
  pearson: 0.5,
  dropoutRate: 0.4,
  aucTest: 0.8,
});

describe('changes since the previous run', () => {
  it('names a plan whose direction or significance differs, and nothing else', () => {
    const before = run('a', plan('rose', false), plan('rose', true));
    expect(changesSince([before], run('b', plan('rose', false), plan('rose', true)))).toEqual([]);
    expect(changesSince([before], run('b', plan('fell', true), plan('rose', false)))).toEqual([
      'free: direction rose -> fell',
      'free: now significant',
      'paid: no longer significant',
    ]);
    // A figure the run could not compute is no change.
    expect(changesSince([before], run('b', plan(null, null), plan('rose', true)))).toEqual([]);
    expect(changesSince([], before)).toEqual([]);
  });

  it('names other periods, options and input files, and compares a plan with the last run that has its figures', () => {
    const first = { ...run('a', plan('rose', true), plan('rose', true)), options: '{"alpha":0.05,"outlierQuantile":0.99}', inputs: 'engagement/student_info.csv 10 aa' };
    const noData = { ...run('b', plan(null, null), plan(null, null)), baseline: '2019Q1', comparison: '2019Q2', plans: {}, options: first.options, inputs: first.inputs };
    const third = { ...run('c', plan('rose', false), plan('rose', true)), options: '{"alpha":0.05,"outlierQuantile":0.9}', inputs: 'engagement/student_info.csv 12 bb' };
    expect(changesSince([first], noData)).toEqual(['periods 2021Q2 vs 2022Q2 -> 2019Q1 vs 2019Q2']);
    expect(changesSince([first, noData], third)).toEqual([
      'periods 2019Q1 vs 2019Q2 -> 2021Q2 vs 2022Q2',
      'options: outlierQuantile 0.99 -> 0.9',
      'other input files',
      'free: no longer significant',
    ]);
    // Unknown options or inputs (a run from before they were kept) are no change.
    expect(changesSince([{ ...first, options: null, inputs: null }], { ...first, runId: 'd' })).toEqual([]);
  });

  it('the table flags the repeat instead of comparing a run with the one it repeats', () => {
    const table = historyTable([run('a', plan('rose', false), plan('rose', true)), run('b', plan('fell', false), plan('rose', true), 'a')]);
    expect(table.rows.map((row) => row.at(-1))).toEqual(['', 'repeat of a: same periods, options and input']);
    expect(table.header).toHaveLength(table.rows[0]!.length);
  });
});

describe('a repeat of the previous run', () => {
  const periods = { baseline: '2021Q4', comparison: '2022Q4' };
  const files = [
    { study: 'engagement', file: 'student_info.csv', input_rows: 10, sha256: 'aa' },
    { study: 'mooc', file: 'mooc_actions.tsv', input_rows: 20, sha256: 'bb' },
  ];

  it('needs the same periods, the same options and the same files, rows and sha256 (in any order)', () => {
    const options = '{"alpha":0.05}';
    const same = (inputs: typeof files | { study: string; file: string; input_rows: number; sha256: string | null }[], overrides: Partial<RunFingerprint> = {}) => ({ periods, options, inputs, ...overrides });
    expect(repeatsRun(same(files), same([...files].reverse()))).toBe(true);
    expect(repeatsRun(same(files), same(files, { periods: { ...periods, comparison: '2023Q1' } }))).toBe(false);
    expect(repeatsRun(same(files), same(files, { options: '{"alpha":0.1}' }))).toBe(false);
    // Options not known (a run from before they were kept) never make a repeat.
    expect(repeatsRun(same(files, { options: null }), same(files))).toBe(false);
    expect(repeatsRun(same(files), same([files[0]!, { ...files[1]!, sha256: 'cc' }]))).toBe(false);
    expect(repeatsRun(same(files), same([files[0]!, { ...files[1]!, input_rows: 21 }]))).toBe(false);
    expect(repeatsRun(same(files), same([files[0]!]))).toBe(false);
    expect(repeatsRun(same([]), same([]))).toBe(false);
    const unhashed = [files[0]!, { ...files[1]!, sha256: null }];
    expect(repeatsRun(same(unhashed), same(unhashed))).toBe(false);
  });
});

describe('result table rows', () => {
  it('are JSON lines with run_id first and every column in declared order, null when absent', () => {
    const text = resultTableText('2026-01', 'result_inputs', [{ sha256: 'ff', study: 'engagement', file: 'student_info.csv' }]);
    expect(text).toBe('{"run_id":"2026-01","study":"engagement","file":"student_info.csv","input_rows":null,"sha256":"ff"}\n');
    expect(parseResultTableText(text)).toEqual([{ run_id: '2026-01', study: 'engagement', file: 'student_info.csv', input_rows: null, sha256: 'ff' }]);
  });

  it('refuse a value of the wrong type instead of writing what Athena could not read', () => {
    expect(() => resultTableText('r', 'result_inputs', [{ input_rows: 1.5 }])).toThrow(/result_inputs.input_rows is bigint/);
    expect(() => resultTableText('r', 'result_inputs', [{ study: 3 }])).toThrow(/result_inputs.study is string/);
    expect(resultTableText('r', 'result_mooc', [{ dropout_rate: Number.NaN }])).toContain('"dropout_rate":null');
  });
});

describe('runs without a study in the history', () => {
  const moocOnly: RunHeadline = { runId: 'm', baseline: '', comparison: '', repeatOf: null, plans: {}, pearson: null, dropoutRate: 0.3, aucTest: 0.81 };

  it('a run without the engagement study shows no periods, though its request resolved some', () => {
    const headline = runHeadline('m', { result_runs: [{ baseline: '2021Q2', comparison: '2022Q2', engagement_ran: false, mooc_ran: true, options: '{}', repeat_of: null }], result_mooc: [{ dropout_rate: 0.3, auc_test: 0.81 }] });
    expect(headline).toMatchObject({ baseline: '', comparison: '', plans: {}, pearson: null, dropoutRate: 0.3 });
    expect(historyTable([headline!]).rows[0]!.slice(0, 3)).toEqual(['m', '', '']);
  });

  it('the history lines break at a run without the figure instead of joining the runs around it', async () => {
    const section = await historySection({ previous: [run('a', plan('rose', false), plan('rose', true)), moocOnly], current: run('c', plan('rose', false), plan('rose', true)), withoutTables: [] });
    // Each line mark's path: with the MOOC-only run between, no cohort mean or Pearson r line joins a to c.
    const paths = [...section.html.matchAll(/<g class="mark-line role-mark[^>]*>(.*?)<\/g>/g)].flatMap((group) => [...group[1]!.matchAll(/ d="([^"]*)"/g)].map((match) => match[1]!));
    expect(paths.length).toBeGreaterThan(0);
    const joined = paths.filter((d) => (d.match(/M/g) ?? []).length === 1 && /L/.test(d) && d.split(/L/).length === 3);
    // The lines with a value in all three runs (drop-out rate and AUC of a and c are present too) join; those missing in m break.
    expect(joined.length).toBe(2);
    // The four cohort means and Pearson r: a point in a and one in c, nothing between.
    expect(paths.filter((d) => /^M[\d.,]+ZM[\d.,]+Z$/.test(d))).toHaveLength(5);
  });
});

