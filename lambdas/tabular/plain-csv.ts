// Athena's result CSV (every value quoted) rewritten as plain CSV (quotes only where a value needs
// them, as formatCsvField writes) straight from bytes: the same output as parsing every record and
// formatting it again, without a string per field (that took 4 s for the cohort files at 10M rows).
// Whole records are rewritten by a plain loop over each chunk; a record cut by the chunk's end is
// carried into the next chunk and read again from its start.
import { CsvFormatError, formatCsvRow, parseCsvRecords } from './csv';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const OUTPUT_CHUNK = 1 << 16;

/** The text held no record at all, not even a header. */
export class EmptyCsvError extends CsvFormatError {
  constructor(source: string) {
    super(source, 1, 'the file is empty (no header row)');
  }
}

export interface PlainCsvCount {
  /** The header as written (after renaming); empty until the header is read. */
  header: string[];
  /** Data records written (a blank line is a record of one empty field, as the parser reads it). */
  rows: number;
}

/** A growing byte buffer the rewritten records go into. */
class Output {
  bytes = new Uint8Array(OUTPUT_CHUNK * 2);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }

  take(): Uint8Array {
    const taken = this.bytes.slice(0, this.length);
    this.length = 0;
    return taken;
  }
}

/** Where the rewrite stands between calls. */
interface RewriteState {
  /** Number of the next record (the header is 1). */
  record: number;
  /** The last record ended with a CR at the end of the bytes: a following LF belongs to it. */
  pendingCR: boolean;
}

/**
 * Yields the plain CSV of `chunks`, the header passed through `renameHeader`. `count` is filled as
 * the output is consumed. Throws CsvFormatError, naming the record, for text that is not CSV.
 */
export async function* plainCsvChunks(
  chunks: AsyncIterable<string | Uint8Array>,
  source: string,
  renameHeader: (header: string[]) => string[],
  count: PlainCsvCount,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const out = new Output();
  const state: RewriteState = { record: 1, pendingCR: false };
  let headerRead = false;
  /** Bytes of an unfinished record, not yet rewritten. */
  let pending: Uint8Array = new Uint8Array(0);
  /** Read the pending bytes again only once they are this long (a long record is not re-read per chunk). */
  let retryAt = 0;

  /** Rewrites what it can of `bytes`; keeps the rest pending. Returns the header's text when it ends. */
  const consume = (bytes: Uint8Array, final: boolean): string | undefined => {
    let from = 0;
    let headerText: string | undefined;
    if (!headerRead) {
      const scratch = new Output();
      const end = rewriteRecords(bytes, 0, final, state, scratch, source, 1);
      if (end === 0) {
        pending = bytes.slice();
        retryAt = pending.length * 2;
        return undefined;
      }
      headerRead = true;
      headerText = new TextDecoder('utf-8').decode(bytes.subarray(0, end));
      from = end;
    }
    const end = rewriteRecords(bytes, from, final, state, out, source, Infinity);
    count.rows = state.record - 2;
    pending = bytes.slice(end); // a copy: a stream may reuse its chunk's memory
    retryAt = pending.length * 2;
    return headerText;
  };

  async function* emit(headerText: string | undefined, final: boolean): AsyncGenerator<Uint8Array> {
    if (headerText !== undefined) {
      let names: string[] = [];
      for await (const record of parseCsvRecords([headerText], source)) {
        names = record;
        break;
      }
      count.header = renameHeader(names);
      yield encoder.encode(formatCsvRow(count.header));
    }
    if (out.length >= OUTPUT_CHUNK || (final && out.length > 0)) yield out.take();
  }

  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    if (bytes.length === 0) continue;
    if (pending.length === 0) {
      yield* emit(consume(bytes, false), false);
      continue;
    }
    const joined = new Uint8Array(pending.length + bytes.length);
    joined.set(pending);
    joined.set(bytes, pending.length);
    if (joined.length < retryAt) {
      pending = joined;
      continue;
    }
    yield* emit(consume(joined, false), false);
  }
  const headerText = pending.length > 0 ? consume(pending, true) : undefined;
  if (!headerRead) throw new EmptyCsvError(source);
  yield* emit(headerText, true);
}

/**
 * Rewrites whole records of bytes[from..] into `out` (at most maxRecords) and returns the offset
 * after the last one rewritten. Unless `final`, a record that runs to the end of the bytes is left
 * for the next call (nothing of it is written); when `final`, the end of the bytes ends it.
 */
function rewriteRecords(
  bytes: Uint8Array,
  from: number,
  final: boolean,
  state: RewriteState,
  out: Output,
  source: string,
  maxRecords: number,
): number {
  const n = bytes.length;
  let pos = from;
  let records = 0;
  // A record's rewrite is never longer than the record itself, plus its LF.
  out.reserve(n - from + 1);
  const target = out.bytes;
  let length = out.length;
  records: while (pos < n && records < maxRecords) {
    if (state.pendingCR) {
      state.pendingCR = false;
      if (bytes[pos] === LF) {
        pos++;
        continue;
      }
    }
    const recordStart = pos;
    const recordOut = length;
    for (;;) {
      if (pos < n && bytes[pos] === QUOTE) {
        // A quoted field: unquoted when it holds no delimiter, quote or line break.
        let close = pos + 1;
        let special = false;
        for (;;) {
          while (close < n) {
            const byte = bytes[close]!;
            if (byte === QUOTE) break;
            if (byte === COMMA || byte === LF || byte === CR) special = true;
            close++;
          }
          if (close >= n) {
            if (final) throw new CsvFormatError(source, state.record, 'a quoted field is not closed before the end of the file');
            out.length = recordOut;
            return recordStart;
          }
          if (close + 1 < n && bytes[close + 1] === QUOTE) {
            special = true; // an escaped quote
            close += 2;
            continue;
          }
          if (close + 1 >= n && !final) {
            out.length = recordOut;
            return recordStart; // the next chunk may begin with the quote that escapes this one
          }
          break;
        }
        const start = special ? pos : pos + 1;
        const end = special ? close + 1 : close;
        for (let i = start; i < end; i++) target[length++] = bytes[i]!;
        pos = close + 1;
        if (pos < n) {
          const next = bytes[pos]!;
          if (next !== COMMA && next !== LF && next !== CR) throw new CsvFormatError(source, state.record, 'text after a closing quote');
        }
      } else {
        let end = pos;
        while (end < n) {
          const byte = bytes[end]!;
          if (byte === COMMA || byte === LF || byte === CR) break;
          if (byte === QUOTE) throw new CsvFormatError(source, state.record, 'unexpected quote inside an unquoted field');
          end++;
        }
        if (end >= n && !final) {
          out.length = recordOut;
          return recordStart;
        }
        for (let i = pos; i < end; i++) target[length++] = bytes[i]!;
        pos = end;
      }
      if (pos >= n) break; // the end of the bytes ends the last record
      const delimiter = bytes[pos++]!;
      if (delimiter === COMMA) {
        target[length++] = COMMA;
        continue;
      }
      if (delimiter === CR) {
        if (pos < n) {
          if (bytes[pos] === LF) pos++;
        } else {
          state.pendingCR = true;
        }
      }
      break;
    }
    target[length++] = LF;
    state.record++;
    records++;
    out.length = length;
    continue records;
  }
  out.length = length;
  return pos;
}
