// Numeric columns of a large result CSV read from its bytes: the report needs a few numbers per row
// of files holding millions, and the generic parser's strings per field cost most of its time. Only
// plain files are read here (Athena's all-quoted format or bare values, one record per line); for
// anything else it answers undefined and the caller uses the generic parser, with its messages.
import { BlankLineError, forEachByteLine, parseNumberField, splitFields, type TextSource } from './byte-fields';

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
  let values: Float64Array<ArrayBuffer>[] = [];
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
        values = wanted.map(() => new Float64Array(1024));
        if (indexes.some((index) => index < 0)) throw new NotPlain();
        starts = new Int32Array(header.length);
        ends = new Int32Array(header.length);
        return;
      }
      if (splitFields(bytes, start, end, starts, ends, COMMA) !== header.length) throw new NotPlain();
      if (values.length > 0 && rows === values[0]!.length) values = values.map((column) => grow(column));
      for (let c = 0; c < indexes.length; c++) {
        let from = starts[indexes[c]!]!;
        let to = ends[indexes[c]!]!;
        if (bytes[from] === QUOTE) {
          if (to - from < 2 || bytes[to - 1] !== QUOTE) throw new NotPlain();
          from += 1;
          to -= 1;
        }
        // A quote left inside means an escaped quote or a record broken over lines: not plain.
        if (bytes.subarray(from, to).includes(QUOTE)) throw new NotPlain();
        const value = parseNumberField(bytes, from, to);
        if (!Number.isFinite(value)) throw new NotPlain();
        values[c]![rows] = value;
      }
      rows += 1;
    });
  } catch (error) {
    if (error instanceof NotPlain || error instanceof BlankLineError) return undefined;
    throw error;
  }
  if (!header) return undefined;
  return { header, values: values.map((column) => column.slice(0, rows)), rows };
}

function plainHeader(line: string): string[] {
  return line.split(',').map((field, index) => {
    let name = (index === 0 ? field.replace(/^\uFEFF/, '') : field).trim();
    if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
    if (name.includes('"')) throw new NotPlain();
    return name;
  });
}

function grow(column: Float64Array): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(column.length * 2);
  bigger.set(column);
  return bigger;
}
