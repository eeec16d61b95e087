// The result tables: each run writes its headline figures as JSON lines under
// results/<runId>/tables/<table>/<table>.json, and the stack declares one Glue table per entry here
// over every run's file (partition run_id, injected projection). One description read by the
// writer (BuildReport), the Glue catalog, the local DuckDB views and the history reader.
import { runPrefix } from './layout';

export type ResultColumnType = 'string' | 'bigint' | 'double' | 'boolean';

export interface ResultColumn {
  name: string;
  type: ResultColumnType;
}

export interface ResultTable {
  /** Glue table name, also the folder name under tables/. */
  name: string;
  /** What one row is, for the Glue description and the README. */
  row: string;
  /** Data columns in row order; run_id is the partition key (and also written in every row for DuckDB). */
  columns: readonly ResultColumn[];
}

const periodColumns: ResultColumn[] = [
  { name: 'baseline', type: 'string' },
  { name: 'comparison', type: 'string' },
];

const doubles = (...names: string[]): ResultColumn[] => names.map((name) => ({ name, type: 'double' }));
const bigints = (...names: string[]): ResultColumn[] => names.map((name) => ({ name, type: 'bigint' }));

export const RESULT_TABLES = [
  {
    name: 'result_runs',
    row: 'one row per run: its periods, which studies ran, its analysis options (JSON), and the earlier run it repeats (same periods, options and input), if any',
    columns: [...periodColumns, { name: 'engagement_ran', type: 'boolean' }, { name: 'mooc_ran', type: 'boolean' }, { name: 'options', type: 'string' }, { name: 'repeat_of', type: 'string' }],
  },
  {
    name: 'result_inputs',
    row: 'one row per input file: rows read and the sha256 of its bytes',
    columns: [{ name: 'study', type: 'string' }, { name: 'file', type: 'string' }, ...bigints('input_rows'), { name: 'sha256', type: 'string' }],
  },
  {
    name: 'result_cohorts',
    row: 'one row per cohort (period x free/paid): size before and after outlier removal, mean, median, SD, 95% t interval',
    columns: [
      ...periodColumns,
      { name: 'period', type: 'string' },
      { name: 'role', type: 'string' },
      { name: 'plan', type: 'string' },
      ...bigints('n_before'),
      ...doubles('cutoff'),
      ...bigints('n_after'),
      ...doubles('mean', 'median', 'sd', 'ci95_low', 'ci95_high'),
    ],
  },
  {
    name: 'result_tests',
    row: 'one row per plan (free, paid): baseline vs comparison F-test, t-tests, chosen test, effect size, direction',
    columns: [
      ...periodColumns,
      { name: 'plan', type: 'string' },
      ...doubles('f', 'p_f', 't_pooled', 'p_pooled_two_sided', 't_welch', 'p_welch_two_sided'),
      { name: 'chosen', type: 'string' },
      ...doubles('p_two_sided', 'mean_difference', 'mean_difference_ci95_low', 'mean_difference_ci95_high', 'cohens_d'),
      { name: 'effect_size', type: 'string' },
      { name: 'direction', type: 'string' },
      { name: 'significant_change', type: 'boolean' },
      { name: 'reject_h0', type: 'boolean' },
    ],
  },
  {
    name: 'result_correlation',
    row: 'one row: minutes watched vs certificates issued',
    columns: [...periodColumns, ...bigints('n'), ...doubles('pearson', 'pearson_ci95_low', 'pearson_ci95_high', 'p', 'spearman')],
  },
  {
    name: 'result_probabilities',
    row: 'one row: probabilities of watching in each period and their independence',
    columns: [
      ...periodColumns,
      ...bigints('n_baseline', 'n_comparison', 'n_both', 'n_any'),
      ...doubles('p_baseline', 'p_comparison', 'p_both', 'p_product', 'chi2_p'),
      { name: 'independent', type: 'boolean' },
    ],
  },
  {
    name: 'result_regression',
    row: 'one row: certificates on minutes, the full fit, the seeded split and the prediction',
    columns: [
      ...periodColumns,
      ...bigints('n'),
      ...doubles('intercept', 'slope', 'r2', 'r2_test', 'mae_test', 'rmse_test', 'prediction_minutes', 'predicted_certificates'),
    ],
  },
  {
    name: 'result_data_quality',
    row: 'one row per input file and reason a row was quarantined for (reason null with 0 rows for a file with none)',
    columns: [
      { name: 'study', type: 'string' },
      { name: 'file', type: 'string' },
      { name: 'reason', type: 'string' },
      ...bigints('quarantined_rows', 'input_rows', 'accepted_rows'),
    ],
  },
  {
    name: 'result_mooc',
    row: 'one row: MOOC users, actions, drop-out rate and the drop-out model AUC',
    columns: [...bigints('users', 'actions', 'dropout_users'), ...doubles('dropout_rate', 'auc_val', 'auc_test'), ...bigints('n_test')],
  },
] as const satisfies readonly ResultTable[];

export type ResultTableName = (typeof RESULT_TABLES)[number]['name'];

export type ResultValue = string | number | boolean | null;
export type ResultRow = Record<string, ResultValue>;
export type ResultRows = Partial<Record<ResultTableName, ResultRow[]>>;

export const RESULT_TABLES_FOLDER = 'tables';

/** tables/<table>/<table>.json, relative to the run folder. */
export function resultTableFile(table: ResultTableName): string {
  return `${RESULT_TABLES_FOLDER}/${table}/${table}.json`;
}

export function resultTableKey(runId: string, table: ResultTableName): string {
  return `${runPrefix(runId)}${resultTableFile(table)}`;
}

export function resultTable(name: ResultTableName): ResultTable {
  return RESULT_TABLES.find((table) => table.name === name)!;
}

/**
 * JSON lines, one object per row: run_id first, then every declared column in order (null when
 * absent), so Athena's JSON SerDe and DuckDB read the same fields and the bytes do not depend on the
 * order a row was built in.
 */
export function resultTableText(runId: string, table: ResultTableName, rows: readonly ResultRow[]): string {
  const columns = resultTable(table).columns;
  return rows
    .map((row) => {
      const ordered: ResultRow = { run_id: runId };
      for (const column of columns) ordered[column.name] = normalise(row[column.name], column.type, `${table}.${column.name}`);
      return JSON.stringify(ordered) + '\n';
    })
    .join('');
}

function normalise(value: ResultValue | undefined, type: ResultColumnType, name: string): ResultValue {
  if (value === undefined || value === null) return null;
  const actual = typeof value === 'number' ? (Number.isInteger(value) ? 'number' : 'double') : typeof value;
  const fits = type === 'string' ? actual === 'string' : type === 'boolean' ? actual === 'boolean' : type === 'bigint' ? actual === 'number' : actual === 'number' || actual === 'double';
  if (!fits) throw new Error(`result table column ${name} is ${type}, got ${JSON.stringify(value)}`);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** Reads JSON lines written by resultTableText. */
export function parseResultTableText(text: string): ResultRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ResultRow);
}
