// One rule for every id, from the SQL checks to the last Lambda: 1 to 16 decimal digits (no sign,
// space, exponent or hex) with a value of at most 2^53 - 1. The Lambdas hold ids as doubles, which
// represent every integer exactly only up to there, so an id the checks accept is an id every later
// step reads back unchanged (queries/check/*.sql spell the same rule; test/validation checks they do).

/** The largest id: Number.MAX_SAFE_INTEGER, 9007199254740991 (16 digits). */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** At most this many digits (MAX_ID has 16). */
export const MAX_ID_DIGITS = 16;

const ZERO = 0x30;
const NINE = 0x39;

/** Why a rejected id field is rejected, e.g. 'student_id is not an integer in 0..9007199254740991'. */
export function idRuleReason(column: string): string {
  return `${column} is not an integer in 0..${MAX_ID}`;
}

export function isIdText(text: string): boolean {
  return /^[0-9]+$/.test(text) && text.length <= MAX_ID_DIGITS && Number(text) <= MAX_ID;
}

/** isIdText for a field of bytes[start, end), without decoding it; value is the field as a number. */
export function isIdField(bytes: Uint8Array, start: number, end: number, value: number): boolean {
  if (end <= start || end - start > MAX_ID_DIGITS) return false;
  for (let i = start; i < end; i++) if (bytes[i]! < ZERO || bytes[i]! > NINE) return false;
  return value <= MAX_ID;
}
