// Athena cannot tell on which line a rejected row stood; the raw file can. Used only to name a row in
// an error, so it runs only when a file fails the run, and reads that file once.
import { parseCsvRecords } from '../tabular/csv';
import type { RawTable } from '../contracts/tables';
import type { BadRow } from './data-quality';

/** A quarantined row as the quarantine file lists it: its raw fields in file column order, and why. */
export interface ListedRow {
  values: readonly string[];
  reason: string;
}

/**
 * The quarantined row that stands first in the raw file, with its line (1 = header), among `rows`
 * (the quarantine file's, which Athena's order leaves unrelated to the file's). A 'duplicate ...'
 * row identical to another line is the later copy: the first of identical lines is the one kept.
 * Null when no listed row is found (the file changed since the checks read it).
 */
export async function firstQuarantinedRow(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  table: RawTable,
  rows: readonly ListedRow[],
): Promise<BadRow | null> {
  const keyOf = (fields: readonly string[]): string => fields.join('\u0000');
  const listed = new Map<string, { reason: string; lines: number[] }>();
  for (const row of rows) if (!listed.has(keyOf(row.values))) listed.set(keyOf(row.values), { reason: row.reason, lines: [] });
  let line = 0;
  // Duplicates seen once so far: the quarantined copy is this line, or a later identical one.
  let unsettled = 0;
  for await (const record of parseCsvRecords(chunks, table.fileName, { delimiter: table.delimiter })) {
    line += 1;
    if (line === 1 || record.length !== table.columns.length) continue;
    const entry = listed.get(keyOf(record));
    if (!entry || entry.lines.length === 2) continue;
    entry.lines.push(line);
    if (entry.reason.startsWith('duplicate ')) unsettled += entry.lines.length === 1 ? 1 : -1;
    // A row that is no duplicate settles the answer once no earlier duplicate is open: nothing later comes first.
    else if (unsettled === 0) break;
  }
  let best: { line: number; key: string; reason: string } | undefined;
  for (const [key, entry] of listed) {
    if (entry.lines.length === 0) continue;
    const quarantinedLine = entry.reason.startsWith('duplicate ') && entry.lines.length === 2 ? entry.lines[1]! : entry.lines[0]!;
    if (!best || quarantinedLine < best.line) best = { line: quarantinedLine, key, reason: entry.reason };
  }
  if (!best) return null;
  const values = best.key.split('\u0000');
  return { line: best.line, reason: best.reason, values: Object.fromEntries(table.columns.map((column, i) => [column, values[i] ?? ''])) };
}
