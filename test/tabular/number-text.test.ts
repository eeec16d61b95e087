// putNumber's text must be String()'s for every double: the result files are read back as numbers
// and compared byte for byte across runs. Random doubles, whole numbers, hundredths (the minutes'
// shape) and the doubles next to hundredths, which must not take the hundredths' text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { putNumber } from '../../lambdas/tabular/number-text';

describe('putNumber', () => {
  it("writes every number as String() does, digit by digit or not", () => {
    const text = (value: number): string => {
      const target = Buffer.alloc(64);
      return target.toString('latin1', 0, putNumber(target, 0, value));
    };
    const hundredths = fc.integer({ min: 0, max: 2 ** 53 - 1 }).map((count) => count / 100);
    const near = fc.tuple(fc.integer({ min: 0, max: 1e14 }), fc.integer({ min: -3, max: 3 })).map(([count, steps]) => {
      // A few doubles either side of a number of hundredths: their text is not the hundredths'.
      let value = count / 100;
      for (let step = 0; step < Math.abs(steps); step++) value = steps > 0 ? nextUp(value) : nextDown(value);
      return value;
    });
    const values = fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), hundredths, near);
    fc.assert(fc.property(values, (value) => text(value) === String(value)), { numRuns: 20_000 });
    for (const value of [0, -0, 0.01, 0.05, 0.1, 0.5, 9.99, 10.1, 99.95, 999_999_999_999.99, 1e12, 1e12 + 0.25, 2 ** 53, 2 ** 53 + 2, 1e21, 0.1 + 0.2, Infinity, -Infinity, NaN]) {
      expect(text(value), String(value)).toBe(String(value));
    }
  });

});

/** The next double above (or below) a finite non-negative one. */
function nextUp(value: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

function nextDown(value: number): number {
  if (value === 0) return value;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}
