// The byte rewrite of Athena's CSV must write exactly what parsing each record and formatting it
// again writes (the way the export worked before), however the bytes are cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvRow, parseCsvRecords } from '../../lambdas/tabular/csv';
import { plainCsvChunks, type PlainCsvCount } from '../../lambdas/tabular/plain-csv';
import { cutIntoChunks } from '../validation/chunk-cuts';

const rename = (header: string[]) => header.map((name) => (name === 'paid_baseline' ? 'paid_q2_2021' : name));

async function byParsing(text: string): Promise<{ text: string; rows: number; header: string[] }> {
  let out = '';
  let rows = 0;
  let header: string[] | undefined;
  for await (const record of parseCsvRecords([text], 'x')) {
    if (!header) {
      header = rename(record);
      out += formatCsvRow(header);
      continue;
    }
    rows++;
    out += formatCsvRow(record);
  }
  return { text: out, rows, header: header ?? [] };
}

async function byBytes(chunks: Uint8Array[]): Promise<{ text: string; rows: number; header: string[] }> {
  const count: PlainCsvCount = { header: [], rows: 0 };
  const parts: Uint8Array[] = [];
  for await (const part of plainCsvChunks((async function* () { yield* chunks; })(), 'x', rename, count)) parts.push(part);
  return { text: Buffer.concat(parts).toString('utf8'), rows: count.rows, header: count.header };
}

const athenaField = fc.oneof(
  fc.constant(''), // NULL: Athena leaves it empty and unquoted
  fc.string({ unit: fc.constantFrom('1', 'a', ',', '"', '\n', '\r', ' ', 'é', '.', '-'), maxLength: 6 }).map((text) => `"${text.replace(/"/g, '""')}"`),
  fc.constantFrom('12', '3.50', 'abc'), // bare values, as other writers leave them
);

describe('plainCsvChunks', () => {
  it('writes what parsing and formatting each record writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) => fc.array(fc.array(athenaField, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 })),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (records, eol, finalEol, cuts) => {
          const header = ['"student_id"', '"paid_baseline"', '"x"', '"y"'].slice(0, records[0]!.length).join(',');
          const text = [header, ...records.map((fields) => fields.join(','))].join(eol) + (finalEol ? eol : '');
          expect(await byBytes(cutIntoChunks(new TextEncoder().encode(text), cuts))).toEqual(await byParsing(text));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('unquotes plain values and renames the header', async () => {
    const result = await byBytes([new TextEncoder().encode('"student_id","paid_baseline"\n"7","1"\n"8",""\n"a,b","say ""hi"""\n')]);
    expect(result.text).toBe('student_id,paid_q2_2021\n7,1\n8,\n"a,b","say ""hi"""\n');
    expect(result.rows).toBe(3);
  });

  it('gives the same output when every byte comes alone or a record spans many chunks', async () => {
    const long = `"${'x,'.repeat(5000)}""q"""`;
    const text = `"a","b"\r\n"1",${long}\r\n"2",""\r\n"3","4"`;
    const bytes = new TextEncoder().encode(text);
    const oneByOne = Array.from(bytes, (byte) => Uint8Array.of(byte));
    const expected = await byParsing(text);
    expect(await byBytes(oneByOne)).toEqual(expected);
    expect(await byBytes(cutIntoChunks(bytes, [3, 9, 700, 701, 9000]))).toEqual(expected);
    expect(expected.rows).toBe(3);
  });

  it('names the record of a stray quote and refuses an empty file', async () => {
    await expect(byBytes([new TextEncoder().encode('"a"\n"1"\n1"2\n')])).rejects.toThrow('x: row 3: unexpected quote inside an unquoted field');
    await expect(byBytes([])).rejects.toThrow('the file is empty');
  });
});
