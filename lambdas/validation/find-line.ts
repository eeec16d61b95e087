// Athena cannot tell on which line a rejected row stood; the raw file can. Used only to name the row
// in an error, so it reads the file once, up to the row.
import { parseCsvRecords } from '../tabular/csv';
import type { RawTable } from '../contracts/tables';

/**
 * The line (1 = header) of the row with exactly these values. For a 'duplicate ...' reason the
 * quarantined copy is a later one, so the second identical line is preferred when there is one.
 */
export async function findRowLine(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  table: RawTable,
  values: Record<string, string>,
  reason: string,
): Promise<number | null> {
  const wanted = table.columns.map((column) => values[column] ?? '');
  const wantSecond = reason.startsWith('duplicate ');
  let line = 0;
  let first: number | null = null;
  for await (const record of parseCsvRecords(chunks, table.fileName, { delimiter: table.delimiter })) {
    line += 1;
    if (line === 1 || record.length !== wanted.length || record.some((field, i) => field !== wanted[i])) continue;
    if (!wantSecond) return line;
    if (first !== null) return line;
    first = line;
  }
  return first;
}
