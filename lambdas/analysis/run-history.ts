// Headline figures of runs side by side, read from their result-table rows: what changed since the
// previous run, and whether a run merely repeats the previous one (same periods, same input).
import type { ResultRow, ResultRows } from '../contracts/result-tables';
import { formatFigure, formatSigned, pValueText } from './figure-format';

export type Plan = 'free' | 'paid';

export interface PlanHeadline {
  nBaseline: number | null;
  nComparison: number | null;
  meanBaseline: number | null;
  meanComparison: number | null;
  meanDifference: number | null;
  pTwoSided: number | null;
  direction: string | null;
  significant: boolean | null;
}

export interface RunHeadline {
  runId: string;
  baseline: string;
  comparison: string;
  repeatOf: string | null;
  plans: Partial<Record<Plan, PlanHeadline>>;
  pearson: number | null;
  dropoutRate: number | null;
  aucTest: number | null;
  /** The analysis options as optionsText writes them; null when unknown. */
  options?: string | null;
  /** The input files as "study/file rows sha256", sorted; null when the run has no result_inputs rows. */
  inputs?: string | null;
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Undefined when the rows hold no result_runs row (a run from before the result tables). */
export function runHeadline(runId: string, tables: ResultRows): RunHeadline | undefined {
  const run = tables.result_runs?.[0];
  if (!run) return undefined;
  const plans: Partial<Record<Plan, PlanHeadline>> = {};
  for (const plan of ['free', 'paid'] as const) {
    const cohort = (role: string): ResultRow | undefined => tables.result_cohorts?.find((row) => row.plan === plan && row.role === role);
    const test = tables.result_tests?.find((row) => row.plan === plan);
    const baseline = cohort('baseline');
    const comparison = cohort('comparison');
    if (!baseline && !comparison && !test) continue;
    plans[plan] = {
      nBaseline: numberOrNull(baseline?.n_after),
      nComparison: numberOrNull(comparison?.n_after),
      meanBaseline: numberOrNull(baseline?.mean),
      meanComparison: numberOrNull(comparison?.mean),
      meanDifference: numberOrNull(test?.mean_difference),
      pTwoSided: numberOrNull(test?.p_two_sided),
      direction: stringOrNull(test?.direction),
      significant: typeof test?.significant_change === 'boolean' ? test.significant_change : null,
    };
  }
  // A run without the engagement study compared no periods, whatever its request resolved them to.
  const comparedPeriods = run.engagement_ran !== false;
  return {
    runId,
    baseline: comparedPeriods ? String(run.baseline) : '',
    comparison: comparedPeriods ? String(run.comparison) : '',
    repeatOf: stringOrNull(run.repeat_of),
    plans,
    pearson: numberOrNull(tables.result_correlation?.[0]?.pearson),
    dropoutRate: numberOrNull(tables.result_mooc?.[0]?.dropout_rate),
    aucTest: numberOrNull(tables.result_mooc?.[0]?.auc_test),
    options: stringOrNull(run.options),
    inputs: tables.result_inputs?.length ? tables.result_inputs.map((row) => `${row.study}/${row.file} ${row.input_rows} ${row.sha256}`).sort().join('\n') : null,
  };
}

/**
 * Plain-words flags, against the runs before this one (oldest first): other periods, other analysis
 * options or other input files than the run just before, and a plan whose direction or two-sided
 * significance differs from the last earlier run that has them (a run in between without the plan's
 * figures, a period without data say, must not hide a change).
 */
export function changesSince(earlier: readonly RunHeadline[], current: RunHeadline): string[] {
  const previous = earlier.at(-1);
  if (!previous) return [];
  const flags: string[] = [];
  if (previous.baseline && current.baseline && (previous.baseline !== current.baseline || previous.comparison !== current.comparison)) {
    flags.push(`periods ${previous.baseline} vs ${previous.comparison} -> ${current.baseline} vs ${current.comparison}`);
  }
  const options = optionChanges(previous.options, current.options);
  if (options.length > 0) flags.push(`options: ${options.join(', ')}`);
  if (previous.inputs && current.inputs && previous.inputs !== current.inputs) flags.push('other input files');
  for (const plan of ['free', 'paid'] as const) {
    const before = [...earlier].reverse().find((candidate) => candidate.plans[plan]?.direction != null)?.plans[plan];
    const now = current.plans[plan];
    if (!before || !now) continue;
    if (before.direction !== null && now.direction !== null && before.direction !== now.direction) {
      flags.push(`${plan}: direction ${before.direction} -> ${now.direction}`);
    }
    if (before.significant !== null && now.significant !== null && before.significant !== now.significant) {
      flags.push(`${plan}: ${now.significant ? 'now significant' : 'no longer significant'}`);
    }
  }
  return flags;
}

/** "alpha 0.05 -> 0.01" for each option whose value differs; nothing when either run's options are unknown. */
function optionChanges(before: string | null | undefined, after: string | null | undefined): string[] {
  if (!before || !after || before === after) return [];
  let old: Record<string, unknown>;
  let now: Record<string, unknown>;
  try {
    old = JSON.parse(before) as Record<string, unknown>;
    now = JSON.parse(after) as Record<string, unknown>;
  } catch {
    return ['changed'];
  }
  const names = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
  return names.filter((name) => JSON.stringify(old[name]) !== JSON.stringify(now[name])).map((name) => `${name} ${old[name] ?? 'unset'} -> ${now[name] ?? 'unset'}`);
}

export interface InputFingerprint {
  study: string;
  file: string;
  input_rows: number;
  sha256: string | null;
}

export interface RunFingerprint {
  periods: { baseline: string; comparison: string };
  /** The analysis options as optionsText writes them; null when unknown (a run from before they were kept). */
  options: string | null;
  inputs: readonly InputFingerprint[];
}

/**
 * Same periods, the same analysis options and the same input files (names, row counts and sha256):
 * the run would only repeat the earlier one's figures. Unknown options, empty inputs, or a file that
 * could not be hashed never count as the same.
 */
export function repeatsRun(earlier: RunFingerprint, current: RunFingerprint): boolean {
  if (earlier.periods.baseline !== current.periods.baseline || earlier.periods.comparison !== current.periods.comparison) return false;
  if (earlier.options === null || current.options === null || earlier.options !== current.options) return false;
  if (current.inputs.length === 0 || earlier.inputs.length !== current.inputs.length) return false;
  if ([...earlier.inputs, ...current.inputs].some((input) => input.sha256 === null)) return false;
  const key = (input: InputFingerprint) => `${input.study}/${input.file}/${input.input_rows}/${input.sha256}`;
  const earlierKeys = new Set(earlier.inputs.map(key));
  return current.inputs.every((input) => earlierKeys.has(key(input)));
}

export interface HistoryTable {
  header: string[];
  rows: string[][];
}

const figure = (value: number | null, digits: number): string => (value === null ? '' : formatFigure(value, digits));
const pText = (value: number | null): string => (value === null ? '' : pValueText(value));

/**
 * Runs side by side, oldest first, one row each: periods, per plan the kept students, the means,
 * the change, the two-sided p and whether it is significant, then the correlation, the MOOC drop-out
 * rate and AUC, and what changed since the row above (or which run it repeats). Empty cells are
 * figures the run does not have. The CLI prints it as text or CSV; the dashboard as a table.
 * 'display' rounds for reading (means to 2 places, p to 3, "< 1e-16"); 'data' writes every figure in
 * full, as the shortest text that reads back as the same number, for a CSV that spreadsheets and
 * pandas read as numbers.
 */
export function historyTable(runs: readonly RunHeadline[], format: 'display' | 'data' = 'display'): HistoryTable {
  const data = format === 'data';
  const full = (value: number | null | undefined): string => (value == null ? '' : String(value));
  const header = ['run', 'baseline', 'comparison'];
  for (const plan of ['free', 'paid'] as const) {
    header.push(`${plan}_n_baseline`, `${plan}_n_comparison`, `${plan}_mean_baseline`, `${plan}_mean_comparison`, `${plan}_change`, `${plan}_p`, `${plan}_significant`);
  }
  header.push('pearson', 'dropout_rate', 'auc_test', 'flags');
  const rows = runs.map((run, index) => {
    const row = [run.runId, run.baseline, run.comparison];
    for (const plan of ['free', 'paid'] as const) {
      const figures = run.plans[plan];
      row.push(
        figures?.nBaseline != null ? String(figures.nBaseline) : '',
        figures?.nComparison != null ? String(figures.nComparison) : '',
        data ? full(figures?.meanBaseline) : figure(figures?.meanBaseline ?? null, 2),
        data ? full(figures?.meanComparison) : figure(figures?.meanComparison ?? null, 2),
        data ? full(figures?.meanDifference) : figures?.meanDifference != null ? formatSigned(figures.meanDifference) : '',
        data ? full(figures?.pTwoSided) : pText(figures?.pTwoSided ?? null),
        figures?.significant == null ? '' : figures.significant ? 'yes' : 'no',
      );
    }
    const flags = run.repeatOf ? [`repeat of ${run.repeatOf}: same periods, options and input`] : changesSince(runs.slice(0, index), run);
    row.push(...(data ? [full(run.pearson), full(run.dropoutRate), full(run.aucTest)] : [figure(run.pearson, 3), figure(run.dropoutRate, 3), figure(run.aucTest, 3)]), flags.join('; '));
    return row;
  });
  return { header, rows };
}
