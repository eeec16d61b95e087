// Numbers parsed straight from a field's bytes, for files of millions of rows (the act-mooc TSVs,
// cohort and result CSVs): a string per field and Number() on each cost seconds per file and as
// much in garbage collection.

const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** Below 2^53 any 15-digit integer is exact, and so is 10^k for k <= 22. */
const MAX_FAST_DIGITS = 15;
const POWERS_OF_TEN = Float64Array.from({ length: MAX_FAST_DIGITS + 1 }, (_, k) => 10 ** k);

// ignoreBOM keeps a U+FEFF inside a field as the streaming decoder of the whole file would.
const fieldDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of bytes[start, end) as UTF-8. */
export function decodeField(bytes: Uint8Array, start: number, end: number): string {
  return fieldDecoder.decode(bytes.subarray(start, end));
}

/**
 * Number(text) of a field, with an empty or all-blank field as NaN (the loader's rule).
 * Fast path: an optional '-', then at most 15 digits with at most one '.', which is m / 10^k with m
 * and 10^k exact doubles, so the one correctly rounded division equals the correctly rounded
 * Number(text). Anything else (exponents, blanks, longer mantissas, text) goes through Number().
 */
export function parseNumberField(bytes: Uint8Array, start: number, end: number): number {
  const value = parseShortDecimal(bytes, start, end);
  return Number.isNaN(value) ? slowNumber(bytes, start, end) : value;
}

/** The fast path of parseNumberField, NaN when the field is not a short plain decimal. */
function parseShortDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = i < end && bytes[i] === MINUS;
  if (negative) i += 1;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits += 1;
      if (dot) fractionDigits += 1;
    } else if (c === DOT && !dot) {
      dot = true;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > MAX_FAST_DIGITS) return NaN;
  const value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits]!;
  return negative ? -value : value;
}

function slowNumber(bytes: Uint8Array, start: number, end: number): number {
  const text = decodeField(bytes, start, end);
  return text.trim().length === 0 ? NaN : Number(text);
}

const MEMO_KEY_BYTES = 32;

/**
 * parseNumberField with a memo of the fields that miss the fast path, keyed by their bytes: the
 * act-mooc features are 17-digit decimals (Number() on each was half the load time) but only a few
 * hundred distinct ones. The memo stops growing when half its slots are used (4096 fields by
 * default); later new fields are parsed as usual.
 */
export class NumberFieldParser {
  private readonly mask: number;
  private readonly slots: Int32Array;
  private readonly keys: Uint8Array;
  private readonly lengths: Uint8Array;
  private readonly values: Float64Array;
  private entries = 0;

  /** slotsLog2: log2 of the hash table size (small ones make tests collide). */
  constructor(slotsLog2 = 13) {
    const slots = 2 ** slotsLog2;
    this.mask = slots - 1;
    this.slots = new Int32Array(slots).fill(-1);
    this.keys = new Uint8Array((slots / 2) * MEMO_KEY_BYTES);
    this.lengths = new Uint8Array(slots / 2);
    this.values = new Float64Array(slots / 2);
  }

  parse(bytes: Uint8Array, start: number, end: number): number {
    const fast = parseShortDecimal(bytes, start, end);
    if (!Number.isNaN(fast)) return fast;
    const length = end - start;
    if (length > MEMO_KEY_BYTES) return slowNumber(bytes, start, end);
    let hash = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    let slot = hash & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry < 0) break;
      if (this.sameKey(entry, bytes, start, length)) return this.values[entry]!;
      slot = (slot + 1) & this.mask;
    }
    const value = slowNumber(bytes, start, end);
    if (this.entries < this.values.length) {
      const entry = this.entries++;
      this.keys.set(bytes.subarray(start, end), entry * MEMO_KEY_BYTES);
      this.lengths[entry] = length;
      this.values[entry] = value;
      this.slots[slot] = entry;
    }
    return value;
  }

  private sameKey(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    if (this.lengths[entry] !== length) return false;
    const offset = entry * MEMO_KEY_BYTES;
    for (let i = 0; i < length; i++) if (this.keys[offset + i] !== bytes[start + i]) return false;
    return true;
  }
}
