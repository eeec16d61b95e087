// Step 7: among distinct students who watched in either period, how likely is watching in each
// period, in both, and does watching in one go with watching in the other?
import { chiSquare1Sf } from './distributions';
import type { ProbabilityStatistics, WithNotes } from '../../contracts/engagement-statistics';

/** Step 7 as statistics.json holds it (contracts ProbabilityStatistics), its notes not yet joined. */
export type WatchProbabilities = WithNotes<ProbabilityStatistics>;

export const INDEPENDENCE_METHOD =
  'Pearson chi-square test without continuity correction (scipy.stats.chi2_contingency, correction=False) on the ' +
  '2x2 table watched-in-baseline x watched-in-comparison over the students who watched in either period. ' +
  'The cell "watched in neither" is 0 by construction, so the test asks whether P(both) = P(baseline) P(comparison) ' +
  'within this viewer population, the same comparison p_both vs p_product makes. Among viewers that equality is ' +
  'impossible unless one period holds every viewer (P(both) - P(A)P(B) = -(1 - P(A))(1 - P(B))), so a rejection ' +
  'reflects how the population was chosen, not a link between the periods among all registered students.';

/**
 * Distinct ids, ascending. Cohort files list their students in id order, so lists that are already
 * ascending are merged in one pass; any other input (an analyst's own period files) is sorted.
 */
export function distinctSorted(idLists: readonly ArrayLike<number>[]): Float64Array {
  if (idLists.every(isAscendingIds)) return idLists.reduce<Float64Array>((merged, ids) => mergeDistinct(merged, ids), new Float64Array(0));
  const total = idLists.reduce((sum, ids) => sum + ids.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const ids of idLists) {
    all.set(ids as ArrayLike<number>, offset);
    offset += ids.length;
  }
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i]!;
  return all.slice(0, distinct);
}

/** Ascending (repeats allowed), with no NaN and no -0, whose places a sort would decide otherwise. */
function isAscendingIds(ids: ArrayLike<number>): boolean {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (Number.isNaN(id) || Object.is(id, -0) || (i > 0 && id < ids[i - 1]!)) return false;
  }
  return true;
}

/** The distinct values of two ascending lists, ascending. */
function mergeDistinct(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const merged = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (n === 0 || next !== merged[n - 1]) merged[n++] = next;
  }
  return merged.slice(0, n);
}

function countCommon(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i += 1;
    else if (a[i]! > b[j]!) j += 1;
    else {
      common += 1;
      i += 1;
      j += 1;
    }
  }
  return common;
}

/** Pearson's chi-square of a 2x2 table [[a, b], [c, d]]; NaN when a margin is empty. */
export function chiSquare2x2(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  const rows = [a + b, c + d];
  const cols = [a + c, b + d];
  if (rows.includes(0) || cols.includes(0)) return NaN;
  const observed = [
    [a, b],
    [c, d],
  ];
  let chi2 = 0;
  for (let r = 0; r < 2; r++) {
    for (let k = 0; k < 2; k++) {
      const expected = (rows[r]! * cols[k]!) / n;
      chi2 += (observed[r]![k]! - expected) ** 2 / expected;
    }
  }
  return chi2;
}

/** `baselineIds` / `comparisonIds`: student ids of the period's cohort files before outlier removal. */
export function watchProbabilities(
  baselineIds: readonly ArrayLike<number>[],
  comparisonIds: readonly ArrayLike<number>[],
  alpha = 0.05,
): WatchProbabilities {
  return watchProbabilitiesOfDistinct(distinctSorted(baselineIds), distinctSorted(comparisonIds), alpha);
}

/** The same from each period's distinct ids, ascending (as distinctSorted makes them). */
export function watchProbabilitiesOfDistinct(baseline: Float64Array, comparison: Float64Array, alpha = 0.05): WatchProbabilities {
  const nBaseline = baseline.length;
  const nComparison = comparison.length;
  const nBoth = countCommon(baseline, comparison);
  const nAny = nBaseline + nComparison - nBoth;
  const notes: string[] = [];
  const share = (count: number, of: number): number | null => (of > 0 ? count / of : null);
  const result: WatchProbabilities = {
    n_baseline: nBaseline,
    n_comparison: nComparison,
    n_both: nBoth,
    n_any: nAny,
    p_baseline: share(nBaseline, nAny),
    p_comparison: share(nComparison, nAny),
    p_both: share(nBoth, nAny),
    p_product: nAny > 0 ? (nBaseline / nAny) * (nComparison / nAny) : null,
    independent: null,
    chi2: null,
    chi2_p: null,
    p_baseline_given_comparison: share(nBoth, nComparison),
    p_comparison_given_baseline: share(nBoth, nBaseline),
    method: INDEPENDENCE_METHOD,
    notes,
  };
  if (nAny === 0) notes.push('no student watched in either period: no probabilities');
  else {
    if (nBaseline === 0) notes.push('no student watched in the baseline period: P(comparison | baseline) is undefined');
    if (nComparison === 0) notes.push('no student watched in the comparison period: P(baseline | comparison) is undefined');
  }
  const chi2 = chiSquare2x2(nBoth, nBaseline - nBoth, nComparison - nBoth, 0);
  if (Number.isNaN(chi2)) {
    if (nAny > 0) notes.push('the independence test needs viewers missing from each period; a margin of the 2x2 table is empty, so chi-square is undefined');
  } else {
    result.chi2 = chi2;
    result.chi2_p = chiSquare1Sf(chi2);
    result.independent = result.chi2_p >= alpha;
  }
  return result;
}
