// One way to write each kind of figure in the findings, the closing summary of `engagement run`,
// the statistics' conclusions and the dashboard, so a p-value never reads 1.79e-4 in one place
// and 0.00018 in another.
import type { EffectSize } from '../contracts/engagement-statistics';

export type MaybeNumber = number | null | undefined;

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Below this a double's p-value is rounding noise (it may even underflow to 0): it is written as a bound. */
export const SMALLEST_REPORTED_P = 1e-16;

/** A p-value without its name: "0.034", "1.8e-4", "< 1e-16"; "n/a" when missing. */
export function pValueText(p: MaybeNumber): string {
  if (!isNumber(p)) return 'n/a';
  if (p < SMALLEST_REPORTED_P) return '< 1e-16';
  if (p < 0.001) return p.toExponential(1);
  return p.toFixed(3);
}

/** "p = 0.034", "p = 1.8e-4", "p < 1e-16" (the label may be e.g. "one-sided p"). */
export function formatPValue(p: MaybeNumber, label = 'p'): string {
  const text = pValueText(p);
  return text.startsWith('<') || text === 'n/a' ? `${label} ${text === 'n/a' ? '= n/a' : text}` : `${label} = ${text}`;
}

/** A figure with fixed decimals, "n/a" when missing. */
export function formatFigure(value: MaybeNumber, digits = 2): string {
  return isNumber(value) ? value.toFixed(digits) : 'n/a';
}

/** A signed difference: "+12.40", "-3.10". */
export function formatSigned(value: MaybeNumber, digits = 2): string {
  if (!isNumber(value)) return 'n/a';
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** A share as a percentage: 0.1234 -> "12.3%". */
export function formatPercent(share: MaybeNumber, digits = 1): string {
  return isNumber(share) ? `${(share * 100).toFixed(digits)}%` : 'n/a';
}

/** A 95% interval: "12.40 to 18.10" (a dash would read as a minus sign next to negative bounds). */
export function formatInterval(interval: readonly [MaybeNumber, MaybeNumber] | null | undefined, digits = 2, signed = false): string {
  if (!interval || !isNumber(interval[0]) || !isNumber(interval[1])) return 'n/a';
  const one = signed ? formatSigned : formatFigure;
  return `${one(interval[0], digits)} to ${one(interval[1], digits)}`;
}

/**
 * A count with thousands separators: 20 -> "20", 411749 -> "411,749". The same text as
 * toLocaleString('en-US') for whole numbers, without it: its first call loads ICU's number formats,
 * about 20 ms of a small run.
 */
export function formatCount(value: MaybeNumber): string {
  if (!isNumber(value)) return 'n/a';
  const whole = Math.round(value);
  const digits = String(Math.abs(whole));
  // 1e21 and beyond print in exponent form; no count here gets there, but the text stays ICU's.
  if (!/^\d+$/.test(digits)) return whole.toLocaleString('en-US');
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return whole < 0 || Object.is(whole, -0) ? `-${grouped}` : grouped;
}

export type { EffectSize };

/** Cohen's conventional bands of |d|: negligible < 0.2 <= small < 0.5 <= medium < 0.8 <= large. */
export function effectSizeOfCohensD(d: number): EffectSize {
  const size = Math.abs(d);
  return size < 0.2 ? 'negligible' : size < 0.5 ? 'small' : size < 0.8 ? 'medium' : 'large';
}
