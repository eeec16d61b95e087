// The project's one tokenizer for delimited text: RFC 4180 CSV and the act-mooc TSVs. It works on
// bytes and hands each complete record to a consumer as field boundaries, so consumers that need
// numbers, a count or a rewritten copy never build a string per field (measured in
// bench/tabular-readers.ts: byte consumers are several times faster than decoding every field).
// A record cut by a chunk's end is carried into the next chunk and read again from its start.
import { isAscii } from 'node:buffer';
import { CsvFormatError } from './csv-error';

export type TextChunks = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export interface TokenizerOptions {
  /** One character; ',' by default. */
  delimiter?: string;
  /**
   * true (CSV, default): a field may be quoted and CR, LF or CRLF end a record.
   * false (the act-mooc TSVs, which never quote): a quote is an ordinary byte and only LF or CRLF
   * end a line, so a stray quote or lone CR stays inside its field for the value checks to reject.
   */
  quoting?: boolean;
}

/** How a field was written: its bytes exclude the surrounding quotes of a quoted field. */
export const PLAIN = 0;
export const QUOTED = 1;
/** Quoted and holding escaped quotes ("" for each "), still escaped in the bytes. */
export const QUOTED_ESCAPED = 2;

/** How a record's line ended: the end of the text ends the last record without one. */
export const NO_LINE_END = 0;
export const LF_END = 1;
export const CRLF_END = 2;
export const CR_END = 3;

/** The fields of one record; valid only during the consumer's call. */
export class RecordFields {
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  kinds = new Uint8Array(16);
  count = 0;
  /** NO_LINE_END, LF_END, CRLF_END or CR_END. */
  lineEnd = NO_LINE_END;
  /** Changes whenever the records' bytes are another array or the same array refilled (one per scan of a chunk). */
  bytesVersion = 0;

  add(start: number, end: number, kind: number): void {
    if (this.count === this.starts.length) {
      const size = this.count * 2;
      this.starts = grow(this.starts, new Int32Array(size));
      this.ends = grow(this.ends, new Int32Array(size));
      this.kinds = grow(this.kinds, new Uint8Array(size));
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.kinds[this.count] = kind;
    this.count += 1;
  }

  /** A record of one empty unquoted field: what an empty line reads as. */
  isBlank(): boolean {
    return this.count === 1 && this.starts[0] === this.ends[0] && this.kinds[0] === PLAIN;
  }
}

function grow<T extends Int32Array | Uint8Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}

/** Called once per record, header included; `record` is 1 for the first. */
export type OnRecord = (bytes: Uint8Array, fields: RecordFields, record: number) => void;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const NEEDS_MORE = -1;

/** The first chunk's UTF-8 byte-order mark is no part of the text (as a decoder reads it). */
const hasByteOrderMark = (bytes: Uint8Array): boolean => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
const encoder = new TextEncoder();

/** Tokenizes a stream chunk by chunk: push each chunk, then end(). */
export class Tokenizer {
  private readonly delimiter: number;
  private readonly quoting: boolean;
  private readonly fields = new RecordFields();
  private record = 1;
  private atStart = true;
  /** Bytes of an unfinished record. */
  private pending: Uint8Array = new Uint8Array(0);
  /** Read the pending bytes again only once they are this long (a long record is not re-read per chunk). */
  private retryAt = 0;
  private highSurrogate = '';

  constructor(
    private readonly source: string,
    options: TokenizerOptions = {},
  ) {
    const delimiter = options.delimiter ?? ',';
    // A delimiter of other than one character never matches.
    this.delimiter = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
    this.quoting = options.quoting ?? true;
  }

  /** Records read so far (the header included). */
  get records(): number {
    return this.record - 1;
  }

  push(chunk: string | Uint8Array, onRecord: OnRecord): void {
    let bytes = typeof chunk === 'string' ? this.encode(chunk) : chunk;
    if (bytes.length === 0) return;
    if (this.pending.length > 0) {
      const joined = new Uint8Array(this.pending.length + bytes.length);
      joined.set(this.pending);
      joined.set(bytes, this.pending.length);
      bytes = joined;
      if (!this.atStart && bytes.length < this.retryAt) {
        this.pending = bytes;
        return;
      }
    }
    if (this.atStart) {
      if (bytes.length < 3) {
        this.pending = bytes.slice(); // too short to tell a byte-order mark yet
        return;
      }
      this.atStart = false;
      if (hasByteOrderMark(bytes)) bytes = bytes.subarray(3);
    }
    const end = this.scan(bytes, false, onRecord);
    // A copy: a stream may reuse its chunk's memory.
    this.pending = end < bytes.length ? bytes.slice(end) : new Uint8Array(0);
    this.retryAt = this.pending.length * 2;
  }

  /** UTF-8 of a text chunk; a surrogate pair cut by the chunk's end waits for its second half. */
  private encode(text: string): Uint8Array {
    if (this.highSurrogate !== '') {
      text = this.highSurrogate + text;
      this.highSurrogate = '';
    }
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.highSurrogate = text.slice(-1);
      text = text.slice(0, -1);
    }
    return encoder.encode(text);
  }

  end(onRecord: OnRecord): void {
    if (this.highSurrogate !== '') {
      const text = this.highSurrogate;
      this.highSurrogate = '';
      this.push(encoder.encode(text), onRecord);
    }
    this.atStart = false; // fewer than three bytes in all: no byte-order mark
    if (this.pending.length > 0) this.scan(this.pending, true, onRecord);
    this.pending = new Uint8Array(0);
  }

  /** Reads whole records of bytes; returns the offset after the last one (a cut record is left). */
  private scan(bytes: Uint8Array, final: boolean, onRecord: OnRecord): number {
    lastBytes = undefined; // a stream may hand the same array again with new bytes
    this.fields.bytesVersion += 1;
    const n = bytes.length;
    let pos = 0;
    while (pos < n) {
      const next = this.readRecord(bytes, pos, final);
      if (next === NEEDS_MORE) return pos;
      onRecord(bytes, this.fields, this.record);
      this.record += 1;
      pos = next;
    }
    return pos;
  }

  /** Fills this.fields with the record at `start`; returns the offset after its line end, or NEEDS_MORE. */
  private readRecord(bytes: Uint8Array, start: number, final: boolean): number {
    const n = bytes.length;
    const delimiter = this.delimiter;
    const quoting = this.quoting;
    const fields = this.fields;
    fields.count = 0;
    let pos = start;
    for (;;) {
      if (quoting && pos < n && bytes[pos] === QUOTE) {
        let close = pos + 1;
        let kind = QUOTED;
        for (;;) {
          while (close < n && bytes[close] !== QUOTE) close++;
          if (close >= n) {
            if (final) throw new CsvFormatError(this.source, this.record, 'a quoted field is not closed before the end of the file');
            return NEEDS_MORE;
          }
          if (close + 1 >= n && !final) return NEEDS_MORE; // the next chunk may begin with the quote that escapes this one
          if (close + 1 < n && bytes[close + 1] === QUOTE) {
            kind = QUOTED_ESCAPED;
            close += 2;
            continue;
          }
          break;
        }
        fields.add(pos + 1, close, kind);
        pos = close + 1;
        if (pos < n) {
          const after = bytes[pos]!;
          if (after !== delimiter && after !== LF && after !== CR) throw new CsvFormatError(this.source, this.record, 'text after a closing quote');
        }
      } else {
        let end = pos;
        for (; end < n; end++) {
          const byte = bytes[end]!;
          // Most bytes are digits and letters, above every special byte but the delimiter.
          if (byte > QUOTE) {
            if (byte === delimiter) break;
            continue;
          }
          if (byte === delimiter || byte === LF) break;
          if (byte === CR) {
            if (quoting) break;
            // Without quoting only CRLF ends a line: a lone CR is part of the field.
            if (end + 1 >= n && !final) return NEEDS_MORE;
            if (end + 1 >= n || bytes[end + 1] === LF) break;
          } else if (byte === QUOTE && quoting) {
            throw new CsvFormatError(this.source, this.record, 'unexpected quote inside an unquoted field');
          }
        }
        if (end >= n && !final) return NEEDS_MORE;
        fields.add(pos, end, PLAIN);
        pos = end;
      }
      if (pos >= n) {
        fields.lineEnd = NO_LINE_END; // the end of the text ends the last record
        return n;
      }
      const byte = bytes[pos++]!;
      if (byte === delimiter) {
        if (pos >= n && !final) return NEEDS_MORE;
        continue;
      }
      if (byte === CR) {
        // A CR at a chunk's end: the next chunk tells whether an LF follows (CRLF), so read the record again with it.
        if (pos >= n && !final) return NEEDS_MORE;
        if (pos < n && bytes[pos] === LF) {
          pos++;
          fields.lineEnd = CRLF_END;
        } else {
          fields.lineEnd = CR_END;
        }
      } else {
        fields.lineEnd = LF_END;
      }
      return pos;
    }
  }
}

/** Runs a whole stream through a tokenizer. */
export async function forEachRecord(chunks: TextChunks, source: string, options: TokenizerOptions, onRecord: OnRecord): Promise<number> {
  const tokenizer = new Tokenizer(source, options);
  for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) tokenizer.push(chunk, onRecord);
  tokenizer.end(onRecord);
  return tokenizer.records;
}

/** A field's text: quotes removed and escaped quotes unescaped. */
export function fieldText(bytes: Uint8Array, fields: RecordFields, index: number): string {
  return textOf(bytes, fields, index);
}

/** Every field's text. */
export function recordTexts(bytes: Uint8Array, fields: RecordFields): string[] {
  const texts = new Array<string>(fields.count);
  for (let i = 0; i < fields.count; i++) texts[i] = textOf(bytes, fields, i);
  return texts;
}

// Text of one chunk's bytes, decoded once: when they are all ASCII a field is a slice of it (byte
// offsets are character offsets); else each field is decoded by Buffer's native UTF-8 slice. A
// TextDecoder call per field cost more than the tokenizing.
let lastBytes: Uint8Array | undefined;
let lastBuffer: Buffer | undefined;
let lastAscii: string | undefined;
function chunkText(bytes: Uint8Array): void {
  if (bytes === lastBytes) return;
  lastBytes = bytes;
  lastBuffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  lastAscii = isAscii(lastBuffer) ? lastBuffer.toString('latin1') : undefined;
}

function textOf(bytes: Uint8Array, fields: RecordFields, index: number): string {
  chunkText(bytes);
  const start = fields.starts[index]!;
  const end = fields.ends[index]!;
  const text = lastAscii !== undefined ? lastAscii.slice(start, end) : lastBuffer!.toString('utf8', start, end);
  return fields.kinds[index] === QUOTED_ESCAPED ? text.replace(/""/g, '"') : text;
}
