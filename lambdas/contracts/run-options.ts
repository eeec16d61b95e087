// Analysis options a run may set (statistics and models); validated once when the run is planned.

export interface AnalysisOptions {
  /** Students at or above this quantile of their cohort are outliers (default 0.99). */
  outlierQuantile: number;
  /** Significance level of the hypothesis tests (default 0.05). */
  alpha: number;
  /**
   * Seed of the regression's train/test split, the bootstrap, k-means and the silhouette sample. The
   * drop-out model's negative sample keeps its own seed (DEFAULT_DROPOUT_MODEL_OPTIONS): the sklearn
   * oracle fixture replays that sample to train on the same rows.
   */
  seed: number;
  /** Share of students in the regression's test part (default 0.2). */
  testFraction: number;
  /** Minutes watched for which certificates are predicted (default 1200). */
  predictMinutes: number;
  /** A file with a larger share of quarantined rows fails the run (default 0.01). */
  maxBadRowShare: number;
  /**
   * First and last day (YYYY-MM-DD) the extract covers: registrations, purchases, views and
   * certificates outside are quarantined (a refund is recorded later and may fall after the end);
   * default: plausible dates only, 1970-01-01..2100-12-31.
   */
  dataStart: string;
  dataEnd: string;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  outlierQuantile: 0.99,
  alpha: 0.05,
  seed: 42,
  testFraction: 0.2,
  predictMinutes: 1200,
  maxBadRowShare: 0.01,
  dataStart: '1970-01-01',
  dataEnd: '2100-12-31',
};

/** What each option means, for `engagement <command> --help` (its default is shown beside it). */
export const ANALYSIS_OPTION_DESCRIPTIONS: Record<keyof AnalysisOptions, string> = {
  outlierQuantile: 'students at or above this quantile of their cohort are outliers',
  alpha: 'significance level of the hypothesis tests',
  seed: "seed of the regression's train/test split, the bootstrap and k-means (the drop-out model keeps its own)",
  testFraction: "share of students in the regression's test part",
  predictMinutes: 'minutes watched for which certificates are predicted',
  maxBadRowShare: 'a file with a larger share of quarantined rows fails the run',
  dataStart: 'first day (YYYY-MM-DD) the extract covers; rows dated before it are quarantined',
  dataEnd: 'last day (YYYY-MM-DD) the extract covers; rows dated after it are quarantined (a refund may fall after it)',
};

export class AnalysisOptionsError extends Error {
  override name = 'AnalysisOptionsError';
}

type Rule = { check: (value: number) => boolean; expected: string };
type NumericOption = Exclude<keyof AnalysisOptions, DateOption>;
type DateOption = 'dataStart' | 'dataEnd';

const DATE_OPTIONS: readonly DateOption[] = ['dataStart', 'dataEnd'];

const RULES: Record<NumericOption, Rule> = {
  outlierQuantile: { check: (v) => v > 0 && v <= 1, expected: 'a number in (0, 1]' },
  alpha: { check: (v) => v > 0 && v < 1, expected: 'a number in (0, 1)' },
  seed: { check: (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, expected: 'a whole number from 0 to 4294967295' },
  testFraction: { check: (v) => v > 0 && v < 1, expected: 'a number in (0, 1)' },
  predictMinutes: { check: (v) => v >= 0, expected: 'a number >= 0' },
  maxBadRowShare: { check: (v) => v >= 0 && v <= 1, expected: 'a number in [0, 1]' },
};

/** YYYY-MM-DD naming a day that exists (2021-02-30 does not). */
export function isRealIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === text;
}

const PLAIN_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function resolveAnalysisOptions(given: unknown): AnalysisOptions {
  if (given === undefined || given === null) return { ...DEFAULT_ANALYSIS_OPTIONS };
  if (typeof given !== 'object' || Array.isArray(given)) throw new AnalysisOptionsError(`options must be an object, got ${JSON.stringify(given)}`);
  const options = { ...DEFAULT_ANALYSIS_OPTIONS };
  for (const [key, raw] of Object.entries(given)) {
    if (DATE_OPTIONS.includes(key as DateOption)) {
      if (typeof raw !== 'string' || !isRealIsoDate(raw)) throw new AnalysisOptionsError(`option ${key} must be a real date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
      options[key as DateOption] = raw;
      continue;
    }
    if (!(key in RULES)) throw new AnalysisOptionsError(`unknown option ${key}; expected one of ${[...Object.keys(RULES), ...DATE_OPTIONS].join(', ')}`);
    // Text must be a plain decimal (0.05, 1e-3, 42): Number() would also take " 0.5", "0x1" (hex) and
    // "0b1", quietly turning maxBadRowShare=0x1 into 1.
    const value = typeof raw === 'string' ? (PLAIN_DECIMAL.test(raw) ? Number(raw) : NaN) : raw;
    const rule = RULES[key as NumericOption];
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule.check(value)) {
      throw new AnalysisOptionsError(`option ${key} must be ${rule.expected}, got ${JSON.stringify(raw)}`);
    }
    options[key as NumericOption] = value;
  }
  // The curated tables' partition projection covers these years only; rows outside would be invisible.
  for (const key of DATE_OPTIONS) {
    if (options[key] < DEFAULT_ANALYSIS_OPTIONS.dataStart || options[key] > DEFAULT_ANALYSIS_OPTIONS.dataEnd) {
      throw new AnalysisOptionsError(`option ${key} must be within ${DEFAULT_ANALYSIS_OPTIONS.dataStart}..${DEFAULT_ANALYSIS_OPTIONS.dataEnd}, got ${options[key]}`);
    }
  }
  if (options.dataStart > options.dataEnd) throw new AnalysisOptionsError(`option dataStart (${options.dataStart}) must not be after dataEnd (${options.dataEnd})`);
  return options;
}

/** The options as one line of JSON, keys in alphabetical order: equal text means equal options (result_runs.options). */
export function optionsText(options: AnalysisOptions): string {
  return JSON.stringify(Object.fromEntries(Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
