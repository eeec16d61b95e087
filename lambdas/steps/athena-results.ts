// Reading what an Athena query wrote (its result CSV quotes every value) and re-publishing it as a
// plain CSV under a result name, streaming, with optional header renames.
import { Readable } from 'node:stream';
import { parseCsvRecords } from '../tabular/csv';
import { EmptyCsvError, plainCsvChunks, type PlainCsvCount } from '../tabular/plain-csv';
import { parseS3Uri, type ObjectStore } from '../io/object-store';
import type { AthenaOutput } from '../contracts/state-payloads';

export function athenaOutputKey(store: ObjectStore, output: AthenaOutput): string {
  const { bucket, key } = parseS3Uri(output.outputLocation);
  if (bucket !== store.bucket) throw new Error(`Athena output ${output.outputLocation} is not in the data bucket ${store.bucket}`);
  return key;
}

export interface RepublishedFile {
  key: string;
  rows: number;
  header: string[];
}

/** Copies an Athena result to `targetKey` as plain CSV; `renameColumns` maps SQL names to published names. */
export async function republishAthenaCsv(
  store: ObjectStore,
  output: AthenaOutput,
  targetKey: string,
  renameColumns: Record<string, string> = {},
): Promise<RepublishedFile> {
  const sourceKey = athenaOutputKey(store, output);
  const count: PlainCsvCount = { header: [], rows: 0 };
  const rename = (header: string[]): string[] => header.map((name) => renameColumns[name] ?? name);
  try {
    await store.putStream(targetKey, Readable.from(plainCsvChunks(await store.getStream(sourceKey), sourceKey, rename, count)), 'text/csv');
  } catch (error) {
    if (error instanceof EmptyCsvError) throw new Error(`Athena result ${sourceKey} is empty (no header row)`);
    throw error;
  }
  return { key: targetKey, rows: count.rows, header: count.header };
}

/** Reads a small Athena result into objects keyed by column name. */
export async function readAthenaRows(store: ObjectStore, output: AthenaOutput): Promise<Record<string, string>[]> {
  const key = athenaOutputKey(store, output);
  const rows: Record<string, string>[] = [];
  let header: string[] | undefined;
  for await (const record of parseCsvRecords(await store.getStream(key), key)) {
    if (!header) header = record;
    else rows.push(Object.fromEntries(header.map((name, index) => [name, record[index] ?? ''])));
  }
  return rows;
}
