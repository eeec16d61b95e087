import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../lambdas/analysis/figure-format';

describe('formatCount', () => {
  it('writes what toLocaleString("en-US") writes for the rounded number', () => {
    const cases = [0, -0, 7, 20, 999, 1000, -1000, 411_749, 1_234_567, -9_876_543_210, 2.5, -2.5, 999.5, 2 ** 53, 1e21, -3e22];
    for (const value of cases) expect(formatCount(value), String(value)).toBe(Math.round(value).toLocaleString('en-US'));
    fc.assert(
      fc.property(fc.double({ min: -1e25, max: 1e25, noNaN: true }), (value) => formatCount(value) === Math.round(value).toLocaleString('en-US')),
      { numRuns: 5000 },
    );
  });

  it('writes n/a for what is not a finite number', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined]) expect(formatCount(value)).toBe('n/a');
  });
});
