// The outlier cutoff comes from two selected order statistics instead of a full sort: it must be
// the very number quantileLinear gives on the sorted values (which the pandas fixtures check), for
// any order, ties, sizes and quantiles.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileLinear, quantileLinearOfUnsorted, selectInPlace } from '../../../lambdas/analysis/stats/descriptive';

const sorted = (values: readonly number[]): Float64Array => Float64Array.from(values).sort();
// Few distinct values make ties; doubles make everything else.
const value = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
const quantile = fc.oneof(fc.constantFrom(0, 0.25, 0.5, 0.9, 0.99, 1), fc.double({ min: 0, max: 1, noNaN: true }));

describe('quantileLinearOfUnsorted', () => {
  it('is quantileLinear of the sorted values', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), quantile, (values, q) => {
        // 0 and -0 compare equal, so either may stand at a tie; the cutoff is used only in comparisons.
        expect(quantileLinearOfUnsorted(values, q) === quantileLinear(sorted(values), q)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves its input as it was, and is NaN for no values', () => {
    const values = [5, 1, 4, 1, 3];
    expect(quantileLinearOfUnsorted(values, 0.5)).toBe(3);
    expect(values).toEqual([5, 1, 4, 1, 3]);
    expect(quantileLinearOfUnsorted([], 0.5)).toBeNaN();
    expect(() => quantileLinearOfUnsorted([1], 1.5)).toThrow(/between 0 and 1/);
  });

  it('handles sorted, reversed and constant cohorts of a million students', () => {
    const n = 1_000_000;
    for (const values of [Float64Array.from({ length: n }, (_, i) => i / 100), Float64Array.from({ length: n }, (_, i) => (n - i) / 100), new Float64Array(n).fill(7)]) {
      expect(quantileLinearOfUnsorted(values, 0.99)).toBe(quantileLinear(sorted([...values]), 0.99));
    }
  });
});

describe('selectInPlace', () => {
  it('puts the k-th smallest at k, nothing larger before it and nothing smaller after it', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 200 }).chain((values) => fc.tuple(fc.constant(values), fc.nat(values.length - 1))), ([values, k]) => {
        const work = Float64Array.from(values);
        selectInPlace(work, k);
        expect(work[k]).toBe(sorted(values)[k]);
        for (let i = 0; i < k; i++) expect(work[i]! <= work[k]!).toBe(true);
        for (let i = k + 1; i < work.length; i++) expect(work[i]! >= work[k]!).toBe(true);
        expect([...sorted([...work])]).toEqual([...sorted(values)]);
      }),
      { numRuns: 2000 },
    );
  });
});
