import { describe, expect, it } from 'vitest';
import { readCsvSample } from '../../../lambdas/steps/read-run-results';

async function* chunks(text: string, size = 977): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const csv = (n: number): string => 'id,value\n' + Array.from({ length: n }, (_, i) => `${i},${i * 2}`).join('\n') + '\n';

describe('readCsvSample', () => {
  it('keeps every row of a small file, in order', async () => {
    const sample = await readCsvSample(chunks(csv(10)), 'small.csv', 100);
    expect(sample.totalRows).toBe(10);
    expect(sample.rows.map((row) => Number(row[0]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps at most maxRows rows of a large file, the same ones every time, in file order', async () => {
    const first = await readCsvSample(chunks(csv(20_000)), 'large.csv', 500);
    const second = await readCsvSample(chunks(csv(20_000), 4096), 'large.csv', 500);
    expect(first.totalRows).toBe(20_000);
    expect(first.rows).toHaveLength(500);
    expect(second.rows).toEqual(first.rows);
    const ids = first.rows.map((row) => Number(row[0]));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // A uniform sample spreads over the file rather than keeping its start.
    expect(ids.filter((id) => id >= 10_000).length).toBeGreaterThan(150);
  });

  it('names the file and row of a malformed record', async () => {
    await expect(readCsvSample(chunks('a,b\n1,2\n3\n'), 'bad.csv', 10)).rejects.toThrow('bad.csv: row 3: expected 2 fields, found 1');
  });
});
