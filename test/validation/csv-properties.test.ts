// Property tests of the CSV/TSV reader and writer (tabular/csv.ts): whatever the fields, formatting then parsing
// gives them back, however the text is cut into chunks (also inside a multi-byte character).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutIntoChunks } from './chunk-cuts';
import { formatCsv, parseCsvRecords } from '../../lambdas/tabular/csv';

const field = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', '\t', '"', '\n', '\r', 'é', '€', '😀', ''), maxLength: 12 });
const table = fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));

async function parseAll(chunks: Iterable<string | Uint8Array>, delimiter: string): Promise<string[][]> {
  const records: string[][] = [];
  for await (const record of parseCsvRecords(chunks, 'property', { delimiter })) records.push(record);
  return records;
}


describe('formatCsv / parseCsvRecords', () => {
  for (const delimiter of [',', '\t']) {
    it(`round-trips any fields with ${JSON.stringify(delimiter)} in string chunks cut anywhere`, async () => {
      await fc.assert(
        fc.asyncProperty(table, fc.array(fc.nat(), { maxLength: 6 }), async (rows, cuts) => {
          const [header, ...body] = rows;
          const text = formatCsv(header!, body, delimiter);
          expect(await parseAll(cutIntoChunks(text, cuts), delimiter)).toEqual(rows);
        }),
        { numRuns: 300 },
      );
    });

    it(`round-trips any fields with ${JSON.stringify(delimiter)} in byte chunks cut anywhere, even inside a character`, async () => {
      await fc.assert(
        fc.asyncProperty(table, fc.array(fc.nat(), { maxLength: 6 }), async (rows, cuts) => {
          const [header, ...body] = rows;
          const bytes = new TextEncoder().encode(formatCsv(header!, body, delimiter));
          expect(await parseAll(cutIntoChunks(bytes, cuts), delimiter)).toEqual(rows);
        }),
        { numRuns: 300 },
      );
    });
  }
});
