// Numbers written as text straight into byte buffers, for result files of millions of rows (the
// workbook's data sheets, cohort CSVs): a string per value and a write call each cost more than
// the rest of the row together. The text is String()'s, so files read back the same numbers.

/**
 * The longest text String() gives a double: 17 significant digits in fixed notation below 1e-6 and
 * a sign, e.g. -0.0000012345678901234567 (the exponent form, -1.2345678901234567e-308, is 24).
 */
export const MAX_NUMBER_BYTES = 25;

/** Below this, every double within a hundredth has its own two-decimal text (its spacing is under 2^-12). */
const HUNDREDTHS_EXACT_BELOW = 1e12;

/**
 * A number's text as String() gives it, for values String() would write in fixed notation: whole
 * numbers below 2^53 (ids, counts, 0/1 flags) and values in hundredths below 1e12 (minutes, which
 * the SQL rounds to two decimals) are written digit by digit, which saves String()'s string and the
 * write call; any other value goes through String(). String() gives the shortest text that reads
 * back as the same double: for the double nearest a number of hundredths (hundredths / 100 ===
 * value), no text with fewer decimals is near enough, so that text is the hundredths' own, trailing
 * zeros dropped. test/tabular/number-text.test.ts compares the two on random values.
 */
export function putNumber(target: Buffer, at: number, value: number): number {
  if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
    if (Math.floor(value) === value) return putDigits(target, at, value);
    const hundredths = Math.round(value * 100);
    if (value < HUNDREDTHS_EXACT_BELOW && hundredths / 100 === value) return putHundredths(target, at, hundredths);
  }
  return at + target.write(String(value), at, 'latin1');
}

/** A count of hundredths as a decimal with one or two decimals (never a whole number: those take putDigits). */
function putHundredths(target: Buffer, at: number, hundredths: number): number {
  const whole = Math.floor(hundredths / 100);
  const fraction = hundredths - whole * 100;
  at = putDigits(target, at, whole);
  target[at++] = 46; // '.'
  target[at++] = 48 + Math.floor(fraction / 10);
  if (fraction % 10 !== 0) target[at++] = 48 + (fraction % 10);
  return at;
}

/** A whole number's decimal digits. */
function putDigits(target: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let k = at + digits - 1; k >= at; k--) {
    const next = Math.floor(rest / 10);
    target[k] = 48 + (rest - next * 10);
    rest = next;
  }
  return at + digits;
}
