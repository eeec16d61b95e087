// Numeric columns of a large result CSV read from its bytes: the report needs a few numbers per row
// of files holding millions, and the generic parser's strings per field cost most of its time. Only
// plain files are read here (Athena's all-quoted format or bare values, one record per line); for
// anything else it answers undefined and the caller uses the generic parser, with its messages.
import { BlankLineError, forEachByteLine, parseNumberField, type TextSource } from './byte-fields';
import { normalizedHeader } from './csv';
import { NumberColumn } from './typed-column';

const QUOTE = 34;
const COMMA = 44;

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
    await forEachByteLine(source, (bytes, start, end) => reader.readLine(bytes, start, end));
  } catch (error) {
    if (error instanceof NotPlain || error instanceof BlankLineError) return undefined;
    throw error;
  }
  return reader.result();
}

/** The header's requested columns, then each row's values of them, appended to typed columns. */
class NumberColumnsReader {
  private header: string[] | undefined;
  /** For each field of a row, the requested column it fills, or -1. */
  private slotOfField = new Int32Array(0);
  private values: NumberColumn[] = [];
  private rows = 0;

  constructor(private readonly columns: readonly string[] | ((header: readonly string[]) => readonly string[] | undefined)) {}

  /** One non-empty line without its line break: the header first, then the rows. */
  readLine(bytes: Uint8Array, start: number, end: number): void {
    if (this.header === undefined) this.readHeader(bytes, start, end);
    else this.readRow(bytes, start, end);
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
