// Numeric columns of a large result CSV read from its bytes: the report needs a few numbers per row
// of files holding millions, and the generic parser's strings per field cost most of its time. Only
// plain files are read here (Athena's all-quoted format or bare values, one record per line); for
// anything else it answers undefined and the caller uses the generic parser, with its messages.
import { BlankLineError, forEachByteLine, parseNumberField, splitFields, type TextSource } from './byte-fields';
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
  let header: string[] | undefined;
  let indexes: number[] = [];
  let values: NumberColumn[] = [];
  let rows = 0;
  let starts = new Int32Array(0);
  let ends = new Int32Array(0);
  try {
    await forEachByteLine(source, (bytes, start, end) => {
      if (!header) {
        header = plainHeader(new TextDecoder('utf-8').decode(bytes.subarray(start, end)));
        const wanted = typeof columns === 'function' ? columns(header) : columns;
        if (!wanted) throw new NotPlain();
        indexes = wanted.map((name) => header!.indexOf(name));
        values = wanted.map(() => new NumberColumn());
        if (indexes.some((index) => index < 0)) throw new NotPlain();
        starts = new Int32Array(header.length);
        ends = new Int32Array(header.length);
        return;
      }
      if (splitFields(bytes, start, end, starts, ends, COMMA) !== header.length) throw new NotPlain();
      for (let c = 0; c < indexes.length; c++) {
        let from = starts[indexes[c]!]!;
        let to = ends[indexes[c]!]!;
        if (bytes[from] === QUOTE) {
          if (to - from < 2 || bytes[to - 1] !== QUOTE) throw new NotPlain();
          from += 1;
          to -= 1;
        }
        // A quote left inside means an escaped quote or a record broken over lines: not plain.
        for (let i = from; i < to; i++) if (bytes[i] === QUOTE) throw new NotPlain(); // a loop: a subarray view per field costs more
        const value = parseNumberField(bytes, from, to);
        if (!Number.isFinite(value)) throw new NotPlain();
        values[c]!.push(value);
      }
      rows += 1;
    });
  } catch (error) {
    if (error instanceof NotPlain || error instanceof BlankLineError) return undefined;
    throw error;
  }
  if (!header) return undefined;
  return { header, values: values.map((column) => column.toArray()), rows };
}

function plainHeader(line: string): string[] {
  return normalizedHeader(line.split(',')).map((name) => {
    const unquoted = name.length >= 2 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
    if (unquoted.includes('"')) throw new NotPlain();
    return unquoted;
  });
}
