// Mann-Whitney U test of two cohorts' minutes watched. Minutes are heavy-tailed, so a rank test
// says whether one period's students tend to watch more without letting a few long watchers
// carry the mean. Method: the normal approximation with the tie correction of the variance and a
// continuity correction, as scipy.stats.mannwhitneyu(method='asymptotic') computes it. scipy's
// default switches to the exact distribution when one sample has at most 8 values and there are
// no ties; cohorts are far larger, so the asymptotic form is used at every size.
import { sortedCopy } from './descriptive';
import { standardNormal } from './distributions';
import type { RankTest } from '../../contracts/engagement-statistics';

export type { RankTest };

export const RANK_TEST_METHOD = 'Mann-Whitney U, two-sided, normal approximation with tie and continuity corrections (scipy method="asymptotic")';

/** Both samples in ascending order, when the caller has sorted them already. */
export interface SortedSamples {
  baseline: ArrayLike<number>;
  comparison: ArrayLike<number>;
}

/**
 * Both samples sorted once, then merged run by run of equal values: each run's values share the
 * average rank, and the run length feeds the tie correction. No index sort over both samples.
 */
export function mannWhitneyU(baseline: ArrayLike<number>, comparison: ArrayLike<number>, sorted?: SortedSamples): RankTest | null {
  const n1 = comparison.length;
  const n2 = baseline.length;
  if (n1 === 0 || n2 === 0) return null;
  const a = sorted?.comparison ?? sortedCopy(comparison);
  const b = sorted?.baseline ?? sortedCopy(baseline);
  let i = 0;
  let j = 0;
  let rank = 0; // ranks used so far
  let rankSumComparison = 0;
  let tieTerm = 0;
  while (i < n1 || j < n2) {
    const value = i < n1 && (j >= n2 || a[i]! <= b[j]!) ? a[i]! : b[j]!;
    let inComparison = 0;
    while (i < n1 && a[i] === value) {
      i += 1;
      inComparison += 1;
    }
    let inBaseline = 0;
    while (j < n2 && b[j] === value) {
      j += 1;
      inBaseline += 1;
    }
    const run = inComparison + inBaseline;
    rankSumComparison += inComparison * (rank + (run + 1) / 2);
    tieTerm += run * run * run - run;
    rank += run;
  }
  const u = rankSumComparison - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const product = n1 * n2;
  const sd = Math.sqrt((product / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // scipy uses the larger of the two U's for the two-sided test; |U - mu| is the same distance.
  const distance = Math.abs(u - product / 2) - 0.5;
  const z = sd > 0 ? distance / sd : null;
  const p = z === null ? null : Math.min(1, 2 * standardNormal(z).upper);
  return { u, z: z === null ? null : Math.sign(u - product / 2) * z, p_two_sided: p, rank_biserial: (2 * u) / product - 1, method: RANK_TEST_METHOD };
}
