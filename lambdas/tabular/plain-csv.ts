// Athena's result CSV (every value quoted) rewritten as plain CSV (quotes only where a value needs
// them, as formatCsvField writes) straight from bytes: the same output as parsing every record and
// formatting it again, without a string per field (that took 4 s for the cohort files at 10M rows).
import { CsvFormatError, formatCsvRow } from './csv';
import { QUOTED, QUOTED_ESCAPED, Tokenizer, recordTexts, type RecordFields } from './tokenizer';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const OUTPUT_CHUNK = 1 << 16;
const encoder = new TextEncoder();

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
  const out = new Output();
  let headerRead = false;
  const onRecord = (bytes: Uint8Array, fields: RecordFields): void => {
    if (!headerRead) {
      headerRead = true;
      count.header = renameHeader(recordTexts(bytes, fields));
      const header = encoder.encode(formatCsvRow(count.header));
      out.reserve(header.length);
      out.bytes.set(header, out.length);
      out.length += header.length;
      return;
    }
    writeRecord(bytes, fields, out);
    count.rows += 1;
  };
  const tokenizer = new Tokenizer(source);
  for await (const chunk of chunks) {
    tokenizer.push(chunk, onRecord);
    if (out.length >= OUTPUT_CHUNK) yield out.take();
  }
  tokenizer.end(onRecord);
  if (!headerRead) throw new EmptyCsvError(source);
  if (out.length > 0) yield out.take();
}

/** A record's fields as formatCsvField writes them: quoted only when they hold a comma, quote or line break. */
function writeRecord(bytes: Uint8Array, fields: RecordFields, out: Output): void {
  const { starts, ends, kinds } = fields;
  let size = fields.count;
  for (let f = 0; f < fields.count; f++) size += ends[f]! - starts[f]! + 2;
  out.reserve(size);
  const target = out.bytes;
  let length = out.length;
  for (let f = 0; f < fields.count; f++) {
    if (f > 0) target[length++] = COMMA;
    const start = starts[f]!;
    const end = ends[f]!;
    let quote = kinds[f] === QUOTED_ESCAPED;
    if (kinds[f] === QUOTED && !quote) {
      for (let i = start; i < end; i++) {
        const byte = bytes[i]!;
        if (byte === COMMA || byte === LF || byte === CR) {
          quote = true;
          break;
        }
      }
    }
    if (quote) target[length++] = QUOTE;
    // A loop: most fields are a few bytes, for which a subarray and set() cost more.
    for (let i = start; i < end; i++) target[length++] = bytes[i]!;
    if (quote) target[length++] = QUOTE;
  }
  target[length++] = LF;
  out.length = length;
}
