// `npx tsx bench/tabular-readers.ts [--rows 2000000] [--repeat 3]`
// Times the ways the Lambdas read CSV on a generated cohort file (student_id, minutes_watched,
// paid_in_period) held in memory as 64 KiB chunks, as a file stream gives them: what each reader
// costs per file through the one tokenizer (lambdas/tabular/tokenizer.ts), by consumer: records as
// strings, a row count, number columns, the plain-CSV rewrite. Prints the minimum wall time over the repeats.
import { parseArgs } from 'node:util';
import { parseCsvBatches, formatCsvRow } from '../lambdas/tabular/csv';
import { parseCohortFile } from '../lambdas/tabular/cohort-file';
import { plainCsvChunks } from '../lambdas/tabular/plain-csv';
import { forEachRecord } from '../lambdas/tabular/tokenizer';
import { checkFileStructure } from '../lambdas/validation/file-structure';

const CHUNK = 64 * 1024;

function chunksOf(text: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) chunks.push(bytes.subarray(at, at + CHUNK));
  return chunks;
}

function cohortText(rows: number, quoteAll: boolean): string {
  const q = (value: string | number): string => (quoteAll ? `"${value}"` : String(value));
  const parts = [['student_id', 'minutes_watched', 'paid_in_period'].map(q).join(',') + '\n'];
  for (let i = 0; i < rows; i++) parts.push(`${q(100000 + i)},${q(((i * 7919) % 100000) / 100)},${q(i % 3 === 0 ? 1 : 0)}\n`);
  return parts.join('');
}

async function* asStream(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

async function time(name: string, repeat: number, run: () => Promise<unknown>): Promise<void> {
  let best = Infinity;
  let result: unknown;
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    result = await run();
    best = Math.min(best, performance.now() - start);
  }
  console.log(`${name.padEnd(48)} ${(best / 1000).toFixed(2)} s  (${String(result)})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '2000000' }, repeat: { type: 'string', default: '3' } } });
  const rows = Number(values.rows);
  const repeat = Number(values.repeat);
  const plain = chunksOf(cohortText(rows, false));
  const quoted = chunksOf(cohortText(rows, true));
  const table = { fileName: 'cohort.csv', delimiter: ',', columns: ['student_id', 'minutes_watched', 'paid_in_period'] } as never;
  console.log(`${rows} rows, ${plain.length} chunks of 64 KiB`);
  await time('records: parseCsvBatches (a string per field)', repeat, async () => {
    let n = 0;
    for await (const batch of parseCsvBatches(plain, 'cohort.csv')) n += batch.length;
    return n - 1;
  });
  await time('count: forEachRecord', repeat, async () => (await forEachRecord(plain, 'cohort.csv', {}, () => {})) - 1);
  await time('count: checkFileStructure (header, widths)', repeat, async () => (await checkFileStructure(plain, table)).dataRows);
  await time('numbers: parseCohortFile (checked columns)', repeat, async () => (await parseCohortFile(plain, 'cohort.csv')).minutes.length);
  await time('rewrite: parseCsvBatches + formatCsvRow', repeat, async () => {
    let bytes = 0;
    for await (const batch of parseCsvBatches(quoted, 'q.csv')) for (const record of batch) bytes += formatCsvRow(record).length;
    return bytes;
  });
  await time('rewrite: plainCsvChunks (field bytes)', repeat, async () => {
    let bytes = 0;
    for await (const chunk of plainCsvChunks(asStream(quoted), 'q.csv', (h) => h, { header: [], rows: 0 })) bytes += chunk.length;
    return bytes;
  });
}

void main();
