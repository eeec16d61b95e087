// Numeric columns of a large result CSV read from its bytes: the report needs a few numbers per row
// of files holding millions, and the generic parser's strings per field cost most of its time. Only
// plain files are read here (Athena's all-quoted format or bare values, one record per line); for
// anything else it answers undefined and the caller uses the generic parser, with its messages.
import { parseNumberField, wholeLinePieces, type TextSource } from './byte-fields';
import { normalizedHeader } from './csv';
import { NumberColumn } from './typed-column';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export interface NumberColumns {
  header: string[];
  /** One array per requested column, in the order asked. */
  values: Float64Array[];
  rows: number;
}

class NotPlain extends Error {}

/**
 * The named columns as numbers, or undefined when a column is missing or the file is not plain.
 * `columns` may be chosen from the header (undefined: not a file this reader handles).
 */
export async function readNumberColumns(
  source: TextSource,
  columns: readonly string[] | ((header: readonly string[]) => readonly string[] | undefined),
): Promise<NumberColumns | undefined> {
  const reader = new NumberColumnsReader(columns);
  try {
    for await (const piece of wholeLinePieces(source)) reader.readLines(piece);
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
  return reader.result();
}

/**
 * The reader's state between chunks. readLines is a plain loop over a chunk's lines and fields (no
 * callback per line): at millions of rows the calls and closures were most of the time.
 */
class NumberColumnsReader {
  private header: string[] | undefined;
  /** For each field of a row, the requested column it fills, or -1. */
  private slotOfField = new Int32Array(0);
  private values: NumberColumn[] = [];
  private rows = 0;
  /** Empty lines seen since the last non-empty one: fine at the end of the file, not before a row. */
  private pendingBlank = 0;

  constructor(private readonly columns: readonly string[] | ((header: readonly string[]) => readonly string[] | undefined)) {}

  /** Reads the lines of a piece of whole lines (the last may lack its '\n'). */
  readLines(bytes: Uint8Array): void {
    const n = bytes.length;
    let start = 0;
    while (start < n) {
      let end = bytes.indexOf(LF, start);
      if (end < 0) end = n;
      let lineEnd = end;
      if (lineEnd > start && bytes[lineEnd - 1] === CR) lineEnd -= 1;
      if (lineEnd === start) {
        this.pendingBlank += 1;
      } else {
        if (this.pendingBlank > 0) throw new NotPlain(); // an empty line inside the file
        if (this.header === undefined) this.readHeader(bytes, start, lineEnd);
        else this.readRow(bytes, start, lineEnd);
      }
      start = end + 1;
    }
  }

  private readHeader(bytes: Uint8Array, start: number, end: number): void {
    const header = plainHeader(new TextDecoder('utf-8').decode(bytes.subarray(start, end)));
    const wanted = typeof this.columns === 'function' ? this.columns(header) : this.columns;
    if (!wanted) throw new NotPlain();
    if (new Set(wanted).size !== wanted.length) throw new Error(`readNumberColumns: a column is asked for twice (${wanted.join(', ')})`);
    const indexes = wanted.map((name) => header.indexOf(name));
    if (indexes.some((index) => index < 0)) throw new NotPlain();
    this.slotOfField = new Int32Array(header.length).fill(-1);
    indexes.forEach((field, slot) => (this.slotOfField[field] = slot));
    this.values = wanted.map(() => new NumberColumn());
    this.header = header;
  }

  private readRow(bytes: Uint8Array, start: number, end: number): void {
    const slotOfField = this.slotOfField;
    const fields = slotOfField.length;
    let field = 0;
    let fieldStart = start;
    for (let i = start; i <= end; i++) {
      if (i < end && bytes[i] !== COMMA) continue;
      if (field >= fields) throw new NotPlain();
      const slot = slotOfField[field]!;
      if (slot >= 0) {
        let from = fieldStart;
        let to = i;
        if (bytes[from] === QUOTE) {
          if (to - from < 2 || bytes[to - 1] !== QUOTE) throw new NotPlain();
          from += 1;
          to -= 1;
        }
        // A quote left inside means an escaped quote or a record broken over lines: not plain.
        for (let j = from; j < to; j++) if (bytes[j] === QUOTE) throw new NotPlain();
        const value = parseNumberField(bytes, from, to);
        if (!Number.isFinite(value)) throw new NotPlain();
        this.values[slot]!.push(value);
      }
      field += 1;
      fieldStart = i + 1;
    }
    if (field !== fields) throw new NotPlain();
    this.rows += 1;
  }

  result(): NumberColumns | undefined {
    if (this.header === undefined) return undefined;
    return { header: this.header, values: this.values.map((column) => column.toArray()), rows: this.rows };
  }
}

function plainHeader(line: string): string[] {
  return normalizedHeader(line.split(',')).map((name) => {
    const unquoted = name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
    if (unquoted.includes('"')) throw new NotPlain();
    return unquoted;
  });
}
