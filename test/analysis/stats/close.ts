import { expect } from 'vitest';

/** Asserts |actual - expected| <= rel * |expected| (exact match for expected 0), naming the figure. */
export function expectClose(actual: unknown, expected: number, rel: number, what: string): void {
  expect(typeof actual, `${what} should be a number, got ${String(actual)}`).toBe('number');
  const a = actual as number;
  const error = Math.abs(a - expected);
  const allowed = rel * Math.abs(expected);
  expect(error <= allowed, `${what}: got ${a}, expected ${expected} (relative error ${error / Math.abs(expected)} > ${rel})`).toBe(true);
}
