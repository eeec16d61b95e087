// Step 5: did a cohort watch more in the comparison period than in the baseline period?
// H0: comparison mean <= baseline mean; H1: comparison mean higher. t is baseline minus comparison,
// so a rise gives a negative t and the one-sided p is the lower tail P(T <= t).
import { fisherF, studentT } from './distributions';
import { mean, sumOfSquares } from './descriptive';

export interface PeriodComparison {
  F: number | null;
  p_F: number | null;
  t_pooled: number | null;
  df_pooled: number | null;
  p_pooled_one_sided: number | null;
  p_pooled_two_sided: number | null;
  t_welch: number | null;
  df_welch: number | null;
  p_welch_one_sided: number | null;
  p_welch_two_sided: number | null;
  chosen: 'pooled' | 'welch' | null;
  /** (comparison mean - baseline mean) / pooled SD: positive when engagement rose. */
  cohens_d: number | null;
  reject_h0: boolean | null;
  conclusion: string;
  notes: string[];
}

export interface ComparisonLabels {
  /** "Free students" / "Paid students" */
  group: string;
  baseline: string;
  comparison: string;
}

interface Sample {
  n: number;
  mean: number;
  variance: number;
}

function sampleOf(values: ArrayLike<number>): Sample {
  const m = mean(values);
  return { n: values.length, mean: m, variance: values.length > 1 ? sumOfSquares(values, m) / (values.length - 1) : NaN };
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Lower-tail and two-sided p of a t statistic; null when t is not a number. */
function tPValues(t: number, df: number): { oneSided: number | null; twoSided: number | null } {
  if (Number.isNaN(t) || !(df > 0)) return { oneSided: null, twoSided: null };
  const tails = studentT(t, df);
  return { oneSided: tails.lower, twoSided: Math.min(1, 2 * Math.min(tails.lower, tails.upper)) };
}

export function compareCohortPeriods(
  baselineMinutes: ArrayLike<number>,
  comparisonMinutes: ArrayLike<number>,
  labels: ComparisonLabels,
  alpha = 0.05,
): PeriodComparison {
  const notes: string[] = [];
  const result: PeriodComparison = {
    F: null,
    p_F: null,
    t_pooled: null,
    df_pooled: null,
    p_pooled_one_sided: null,
    p_pooled_two_sided: null,
    t_welch: null,
    df_welch: null,
    p_welch_one_sided: null,
    p_welch_two_sided: null,
    chosen: null,
    cohens_d: null,
    reject_h0: null,
    conclusion: '',
    notes,
  };
  const small = [
    [labels.baseline, baselineMinutes.length],
    [labels.comparison, comparisonMinutes.length],
  ].filter(([, n]) => (n as number) < 2);
  if (small.length > 0) {
    const which = small.map(([period, n]) => `${period} has ${n} student${n === 1 ? '' : 's'}`).join(' and ');
    notes.push(`${labels.group} cannot be compared: ${which}; each period needs at least 2`);
    result.conclusion = `${labels.group} could not be compared between ${labels.baseline} and ${labels.comparison}: ${which} after outlier removal.`;
    return result;
  }
  const base = sampleOf(baselineMinutes);
  const comp = sampleOf(comparisonMinutes);
  const difference = base.mean - comp.mean;

  // F-test of equal variances, two-sided.
  const F = base.variance / comp.variance;
  if (Number.isNaN(F)) {
    notes.push(`${labels.group}: both periods have zero variance, so the F-test is undefined`);
  } else {
    result.F = finiteOrNull(F);
    const tails = fisherF(F, base.n - 1, comp.n - 1);
    result.p_F = Math.min(1, 2 * Math.min(tails.lower, tails.upper));
    if (F === Infinity) notes.push(`${labels.group}: ${labels.comparison} has zero variance, so F is infinite (p_F = 0)`);
  }

  // Pooled-variance t.
  const dfPooled = base.n + comp.n - 2;
  const pooledVariance = ((base.n - 1) * base.variance + (comp.n - 1) * comp.variance) / dfPooled;
  const tPooled = difference / Math.sqrt(pooledVariance * (1 / base.n + 1 / comp.n));
  result.df_pooled = dfPooled;
  result.t_pooled = finiteOrNull(tPooled);
  const pooledP = tPValues(tPooled, dfPooled);
  result.p_pooled_one_sided = pooledP.oneSided;
  result.p_pooled_two_sided = pooledP.twoSided;

  // Welch t with Welch-Satterthwaite degrees of freedom.
  const vb = base.variance / base.n;
  const vc = comp.variance / comp.n;
  const tWelch = difference / Math.sqrt(vb + vc);
  const dfWelch = ((vb + vc) * (vb + vc)) / ((vb * vb) / (base.n - 1) + (vc * vc) / (comp.n - 1));
  result.t_welch = finiteOrNull(tWelch);
  result.df_welch = finiteOrNull(dfWelch);
  const welchP = tPValues(tWelch, dfWelch);
  result.p_welch_one_sided = welchP.oneSided;
  result.p_welch_two_sided = welchP.twoSided;

  if (pooledVariance === 0) {
    notes.push(
      difference === 0
        ? `${labels.group}: every student in both periods watched the same minutes; no t-test is possible`
        : `${labels.group}: zero variance in both periods with different means, so t is infinite and not reported`,
    );
  } else {
    result.cohens_d = -difference / Math.sqrt(pooledVariance);
  }

  if (result.p_F !== null) result.chosen = result.p_F >= alpha ? 'pooled' : 'welch';
  const chosenP = result.chosen === 'pooled' ? result.p_pooled_one_sided : result.chosen === 'welch' ? result.p_welch_one_sided : null;
  if (chosenP !== null) result.reject_h0 = chosenP < alpha;
  result.conclusion = conclusionOf(labels, base.mean, comp.mean, result.chosen, chosenP, result.reject_h0);
  return result;
}

const meanFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatPValue(p: number): string {
  if (p < 0.0001) return 'p < 0.0001';
  return `p = ${Number(p.toPrecision(2))}`;
}

function conclusionOf(
  labels: ComparisonLabels,
  baselineMean: number,
  comparisonMean: number,
  chosen: 'pooled' | 'welch' | null,
  p: number | null,
  reject: boolean | null,
): string {
  const means = `mean ${meanFormat.format(comparisonMean)} vs ${meanFormat.format(baselineMean)} minutes`;
  if (chosen === null || p === null || reject === null) {
    return `${labels.group} could not be tested for a rise from ${labels.baseline} to ${labels.comparison} (${means}): the t-test is undefined.`;
  }
  const test = chosen === 'pooled' ? 'pooled t-test' : 'Welch t-test';
  const evidence = `(${means}, ${test}, one-sided ${formatPValue(p)})`;
  return reject
    ? `${labels.group} watched more in ${labels.comparison} than in ${labels.baseline} ${evidence}: engagement rose.`
    : `${labels.group} did not watch significantly more in ${labels.comparison} than in ${labels.baseline} ${evidence}: no evidence that engagement rose.`;
}
