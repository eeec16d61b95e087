// Step 5: did a cohort watch more in the comparison period than in the baseline period?
// The study's test: H0: comparison mean <= baseline mean; H1: comparison mean higher. t is baseline
// minus comparison, so a rise gives a negative t and the one-sided p is the lower tail P(T <= t).
// A one-sided test is silent about a fall, however large, so the conclusion rests on the chosen
// test's two-sided p, states the direction and the effect size, and keeps the one-sided p as a detail.
// Minutes are heavy-tailed: a rank test and a bootstrap interval say whether the mean's story holds.
import type { GroupTest, WithNotes } from '../../contracts/engagement-statistics';
import { effectSizeOfCohensD, formatFigure, formatInterval, formatPValue, formatSigned } from '../figure-format';
import { bootstrapMeanDifference } from './bootstrap';
import { fisherF, studentT, studentTQuantile } from './distributions';
import { mean, sumOfSquares } from './descriptive';
import { mannWhitneyU, type SortedSamples } from './rank-test';

/** A plan's test as statistics.json holds it (contracts GroupTest), its notes not yet joined. */
export type PeriodComparison = WithNotes<GroupTest>;

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

/** Why a comparison has no bootstrap interval (its note is the comparison's last). */
export function noBootstrapNote(groupLabel: string, students: number): string {
  return `${groupLabel}: ${students} students are too many for the bootstrap's draw budget; no bootstrap interval`;
}

export function compareCohortPeriods(
  baselineMinutes: ArrayLike<number>,
  comparisonMinutes: ArrayLike<number>,
  labels: ComparisonLabels,
  alpha = 0.05,
  seed = 42,
  /** Leaves the bootstrap interval null, without a note, for attachBootstraps (engagement-statistics.ts) to fill in. */
  deferBootstrap = false,
  /** Both periods' minutes in ascending order, when the caller has sorted them already. */
  sorted?: SortedSamples,
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
    effect_size: null,
    mean_difference: null,
    mean_difference_ci95: null,
    p_two_sided: null,
    direction: null,
    significant_change: null,
    reject_h0: null,
    mann_whitney: null,
    rank_test_agrees: null,
    bootstrap: null,
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
  result.mean_difference = comp.mean - base.mean;
  result.direction = comp.mean > base.mean ? 'rose' : comp.mean < base.mean ? 'fell' : 'unchanged';

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
    result.effect_size = effectSizeOfCohensD(result.cohens_d);
  }

  if (result.p_F !== null) result.chosen = result.p_F >= alpha ? 'pooled' : 'welch';
  const chosenP = result.chosen === 'pooled' ? result.p_pooled_one_sided : result.chosen === 'welch' ? result.p_welch_one_sided : null;
  if (chosenP !== null) result.reject_h0 = chosenP < alpha;
  if (result.chosen !== null) {
    const welch = result.chosen === 'welch';
    result.p_two_sided = welch ? result.p_welch_two_sided : result.p_pooled_two_sided;
    if (result.p_two_sided !== null) result.significant_change = result.p_two_sided < alpha;
    const standardError = welch ? Math.sqrt(vb + vc) : Math.sqrt(pooledVariance * (1 / base.n + 1 / comp.n));
    const df = welch ? dfWelch : dfPooled;
    if (Number.isFinite(standardError) && df > 0) {
      const half = studentTQuantile(0.975, df) * standardError;
      result.mean_difference_ci95 = [result.mean_difference - half, result.mean_difference + half];
    }
  }

  result.mann_whitney = mannWhitneyU(baselineMinutes, comparisonMinutes, sorted);
  if (result.mann_whitney?.p_two_sided != null && result.significant_change !== null) {
    const rankSignificant = result.mann_whitney.p_two_sided < alpha;
    const rankDirection = result.mann_whitney.rank_biserial > 0 ? 'rose' : result.mann_whitney.rank_biserial < 0 ? 'fell' : 'unchanged';
    result.rank_test_agrees = rankSignificant === result.significant_change && (!rankSignificant || rankDirection === result.direction);
  }
  if (!deferBootstrap) {
    result.bootstrap = bootstrapMeanDifference(baselineMinutes, comparisonMinutes, { seed });
    if (!result.bootstrap) notes.push(noBootstrapNote(labels.group, base.n + comp.n));
  }
  result.conclusion = conclusionOf(labels, base.mean, comp.mean, result, alpha);
  return result;
}

/** "rose significantly", "fell, not significantly", from the chosen test's two-sided p. */
export function changeInWords(direction: PeriodComparison['direction'], significant: boolean | null): string {
  if (direction === null || significant === null) return 'could not be tested';
  if (direction === 'unchanged') return 'did not change';
  return significant ? `${direction} significantly` : `${direction}, not significantly`;
}

function conclusionOf(labels: ComparisonLabels, baselineMean: number, comparisonMean: number, result: PeriodComparison, alpha: number): string {
  const means = `mean ${formatFigure(comparisonMean, 1)} vs ${formatFigure(baselineMean, 1)} minutes`;
  if (result.chosen === null || result.p_two_sided === null || result.significant_change === null) {
    return `${labels.group} could not be tested for a change from ${labels.baseline} to ${labels.comparison} (${means}): the t-test is undefined.`;
  }
  const test = result.chosen === 'pooled' ? 'pooled t-test' : 'Welch t-test';
  const change =
    `change ${formatSigned(result.mean_difference, 1)} minutes, 95% CI ${formatInterval(result.mean_difference_ci95, 1, true)}` +
    (result.effect_size ? `, Cohen's d ${formatFigure(result.cohens_d, 2)} (${result.effect_size})` : '');
  const evidence = `(${means}; ${change}; ${test}, two-sided ${formatPValue(result.p_two_sided)}; study's one-sided test of a rise: ${formatPValue(
    result.chosen === 'pooled' ? result.p_pooled_one_sided : result.p_welch_one_sided,
  )})`;
  const level = `at the ${Number((alpha * 100).toPrecision(6))}% level`;
  return result.significant_change
    ? `${labels.group}: engagement ${changeInWords(result.direction, true)} from ${labels.baseline} to ${labels.comparison} ${level} ${evidence}.`
    : `${labels.group}: no significant change in engagement from ${labels.baseline} to ${labels.comparison} ${level} ${evidence}.`;
}
