// Step 7's viewers: distinctSorted merges id lists that are already ascending (cohort files are in id
// order) instead of sorting them. Either way it must give what sorting all ids and dropping repeats
// gives, bit for bit, for any lists: ascending or not, with repeats, -0 or NaN.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinctSorted } from '../../../lambdas/analysis/stats/probabilities';

/** The plain definition: every id, sorted as Float64Array sorts, repeats dropped (NaN never equals). */
function sortedDistinct(lists: readonly number[][]): number[] {
  const all = Float64Array.from(lists.flat()).sort();
  return Array.from(all).filter((id, i) => i === 0 || id !== all[i - 1]);
}

const id = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 2 ** 53, noNaN: true }), fc.constantFrom(-0, NaN, -1));
const ascending = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 80 }).map((ids) => ids.sort((a, b) => a - b));
const anyList = fc.oneof(ascending, fc.array(id, { maxLength: 80 }));
const sameBits = (actual: Float64Array, expected: number[]): boolean => actual.length === expected.length && expected.every((value, i) => Object.is(actual[i], value));

describe('distinctSorted', () => {
  it('is the sorted distinct ids for ascending lists (the merge)', () => {
    fc.assert(
      fc.property(fc.array(ascending, { maxLength: 4 }), (lists) => {
        expect(sameBits(distinctSorted(lists.map((ids) => Float64Array.from(ids))), sortedDistinct(lists))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is the sorted distinct ids for any lists', () => {
    fc.assert(
      fc.property(fc.array(anyList, { maxLength: 4 }), (lists) => {
        expect(sameBits(distinctSorted(lists.map((ids) => Float64Array.from(ids))), sortedDistinct(lists))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('merges two interleaved cohorts and keeps -0 where a sort puts it', () => {
    expect(Array.from(distinctSorted([Float64Array.of(1, 3, 3, 7), Float64Array.of(2, 3, 8)]))).toEqual([1, 2, 3, 7, 8]);
    expect(Object.is(distinctSorted([Float64Array.of(0), Float64Array.of(-0)])[0], -0)).toBe(true);
    expect(Array.from(distinctSorted([]))).toEqual([]);
  });
});
