// Numeric columns of a CSV read into typed arrays from the tokenizer's field bytes: cohorts and
// result files hold millions of rows and their readers need a few numbers per row, never strings.
import { CsvFormatError } from './csv-error';
import { columnIndexes, normalizedHeader } from './csv';
import { parseNumberField } from './number-field';
import { QUOTED_ESCAPED, Tokenizer, fieldText, recordTexts, type RecordFields, type TextChunks } from './tokenizer';
import { NumberColumn } from './typed-column';

export interface NumberColumns {
  header: string[];
  /** One array per requested column, in the order asked. */
  values: Float64Array[];
  rows: number;
}

export type ValueCheck = (value: number) => string | undefined;

export interface NumberColumnsOptions {
  /**
   * The check of a column's values, asked once per column: it says why a value does not fit (e.g.
   * "must not be negative"), or undefined when it does.
   */
  checkOf?: (column: string) => ValueCheck | undefined;
  /**
   * 'throw' (default): a row with a wrong field count, an empty or non-numeric value or a value the
   * check refuses fails the read with the row and the reason. 'skip': such a row is left out.
   */
  badRows?: 'throw' | 'skip';
}

/**
 * The named columns as numbers; `columns` may be chosen from the header (which it may also reject by
 * throwing). Blank lines are skipped; rows are numbered with the header as row 1.
 */
export async function readNumberColumns(
  chunks: TextChunks,
  source: string,
  columns: readonly string[] | ((header: readonly string[]) => readonly string[]),
  options: NumberColumnsOptions = {},
): Promise<NumberColumns> {
  const skip = options.badRows === 'skip';
  let checks: (ValueCheck | undefined)[] = [];
  let header: string[] | undefined;
  let wanted: readonly string[] = [];
  let indexes: number[] = [];
  let values: NumberColumn[] = [];
  let row = new Float64Array(0);
  let rows = 0;

  const onRecord = (bytes: Uint8Array, fields: RecordFields, record: number): void => {
    if (header === undefined) {
      header = normalizedHeader(recordTexts(bytes, fields));
      wanted = typeof columns === 'function' ? columns(header) : columns;
      if (new Set(wanted).size !== wanted.length) throw new Error(`readNumberColumns: a column is asked for twice (${wanted.join(', ')})`);
      const found = columnIndexes(header, wanted, source);
      indexes = wanted.map((name) => found[name]!);
      values = wanted.map(() => new NumberColumn());
      row = new Float64Array(wanted.length);
      checks = wanted.map((name) => options.checkOf?.(name));
      return;
    }
    if (fields.isBlank()) return;
    if (fields.count !== header.length) {
      if (skip) return;
      throw new CsvFormatError(source, record, `expected ${header.length} fields, found ${fields.count}`);
    }
    for (let c = 0; c < indexes.length; c++) {
      const field = indexes[c]!;
      const problem = fieldProblem(bytes, fields, field, wanted[c]!, checks[c], row, c);
      if (problem === undefined) continue;
      if (skip) return;
      throw new CsvFormatError(source, record, problem);
    }
    for (let c = 0; c < indexes.length; c++) values[c]!.push(row[c]!);
    rows += 1;
  };

  const tokenizer = new Tokenizer(source);
  for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) tokenizer.push(chunk, onRecord);
  tokenizer.end(onRecord);
  if (header === undefined) throw new CsvFormatError(source, 1, 'the file is empty (no header row)');
  return { header, values: values.map((column) => column.toArray()), rows };
}

/** Parses field `field` into row[slot]; returns why it is not a fitting number, or undefined. */
function fieldProblem(
  bytes: Uint8Array,
  fields: RecordFields,
  field: number,
  column: string,
  check: ValueCheck | undefined,
  row: Float64Array,
  slot: number,
): string | undefined {
  const value = fields.kinds[field] === QUOTED_ESCAPED ? Number.NaN : parseNumberField(bytes, fields.starts[field]!, fields.ends[field]!);
  row[slot] = value;
  if (Number.isFinite(value)) {
    const problem = check?.(value);
    return problem === undefined ? undefined : `${column} ${problem}, got ${JSON.stringify(fieldText(bytes, fields, field))}`;
  }
  const text = fieldText(bytes, fields, field);
  if (text.trim() === '') return `${column} is empty`;
  // Escaped quotes are never part of a number, so Number() of the unescaped text is NaN as well.
  return `${column} is not a number: ${JSON.stringify(text)}`;
}
