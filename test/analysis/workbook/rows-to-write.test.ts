// The rows a data sheet holds: all of them, or, past the row limit, the first maxRows indexes of the
// seeded permutation in data order. Read off from a mark per row rather than sorted: the very rows
// the sort gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowsToWrite } from '../../../lambdas/analysis/workbook/engagement-workbook';
import { seededPermutation } from '../../../lambdas/analysis/stats/seeded-shuffle';

describe('rowsToWrite', () => {
  it('is every row in order up to the limit', () => {
    expect(Array.from(rowsToWrite(5, 5, 1))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(rowsToWrite(0, 5, 1))).toEqual([]);
  });

  it('past the limit, is the permutation’s first maxRows indexes, ascending', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), fc.integer(), (n, maxRows, seed) => {
        fc.pre(n > maxRows);
        const expected = Array.from(seededPermutation(n, seed).slice(0, maxRows)).sort((a, b) => a - b);
        expect(Array.from(rowsToWrite(n, maxRows, seed))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
