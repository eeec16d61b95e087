// Analysis options a run may set (statistics and models); validated once when the run is planned.

export interface AnalysisOptions {
  /** Students at or above this quantile of their cohort are outliers (default 0.99). */
  outlierQuantile: number;
  /** Significance level of the hypothesis tests (default 0.05). */
  alpha: number;
  /** Seed of every random choice (train/test split, k-means, negative sampling). */
  seed: number;
  /** Share of students in the regression's test part (default 0.2). */
  testFraction: number;
  /** Minutes watched for which certificates are predicted (default 1200). */
  predictMinutes: number;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  outlierQuantile: 0.99,
  alpha: 0.05,
  seed: 42,
  testFraction: 0.2,
  predictMinutes: 1200,
};

export class AnalysisOptionsError extends Error {
  override name = 'AnalysisOptionsError';
}

type Rule = { check: (value: number) => boolean; expected: string };

const RULES: Record<keyof AnalysisOptions, Rule> = {
  outlierQuantile: { check: (v) => v > 0 && v <= 1, expected: 'a number in (0, 1]' },
  alpha: { check: (v) => v > 0 && v < 1, expected: 'a number in (0, 1)' },
  seed: { check: (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff, expected: 'a whole number from 0 to 4294967295' },
  testFraction: { check: (v) => v > 0 && v < 1, expected: 'a number in (0, 1)' },
  predictMinutes: { check: (v) => v >= 0, expected: 'a number >= 0' },
};

export function resolveAnalysisOptions(given: unknown): AnalysisOptions {
  if (given === undefined || given === null) return { ...DEFAULT_ANALYSIS_OPTIONS };
  if (typeof given !== 'object' || Array.isArray(given)) throw new AnalysisOptionsError(`options must be an object, got ${JSON.stringify(given)}`);
  const options = { ...DEFAULT_ANALYSIS_OPTIONS };
  for (const [key, raw] of Object.entries(given)) {
    if (!(key in RULES)) throw new AnalysisOptionsError(`unknown option ${key}; expected one of ${Object.keys(RULES).join(', ')}`);
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    const rule = RULES[key as keyof AnalysisOptions];
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule.check(value)) {
      throw new AnalysisOptionsError(`option ${key} must be ${rule.expected}, got ${JSON.stringify(raw)}`);
    }
    options[key as keyof AnalysisOptions] = value;
  }
  return options;
}
