import { describe, expect, it } from 'vitest';
import { readNumberColumns } from '../../lambdas/tabular/number-columns';

const bytes = (text: string) => [new TextEncoder().encode(text)];

describe('readNumberColumns', () => {
  it("reads Athena's all-quoted format and bare values, in the order asked, across chunk cuts", async () => {
    const text = '"student_id","minutes_watched","paid_in_period"\n"7","12.50","1"\r\n"8","0.01","1"\n9,3,0';
    const encoded = new TextEncoder().encode(text);
    const result = await readNumberColumns([encoded.slice(0, 20), encoded.slice(20, 53), encoded.slice(53)], ['minutes_watched', 'student_id']);
    expect(result?.rows).toBe(3);
    expect(result?.header).toEqual(['student_id', 'minutes_watched', 'paid_in_period']);
    expect(Array.from(result!.values[0]!)).toEqual([12.5, 0.01, 3]);
    expect(Array.from(result!.values[1]!)).toEqual([7, 8, 9]);
  });

  it.each([
    ['a missing column', 'student_id,paid_in_period\n1,0\n'],
    ['an empty value', 'student_id,minutes_watched\n1,\n'],
    ['text', 'student_id,minutes_watched\n1,abc\n'],
    ['a quoted comma', 'student_id,minutes_watched,note\n1,2,"a,b"\n'],
    ['a record over two lines', 'student_id,minutes_watched\n"1\n",2\n'],
    ['an escaped quote', 'student_id,minutes_watched\n"1""",2\n'],
    ['a blank line inside', 'student_id,minutes_watched\n1,2\n\n3,4\n'],
    ['no header', ''],
  ])('leaves %s to the generic reader', async (_, text) => {
    expect(await readNumberColumns(bytes(text), ['student_id', 'minutes_watched'])).toBeUndefined();
  });

  it('refuses a column asked for twice (a caller mistake, not a file problem)', async () => {
    await expect(readNumberColumns(bytes('student_id,minutes_watched\n1,2\n'), ['student_id', 'student_id'])).rejects.toThrow('asked for twice');
  });

  it('reads a header with no rows as zero rows', async () => {
    const result = await readNumberColumns(bytes('student_id,minutes_watched\n'), ['minutes_watched']);
    expect(result?.rows).toBe(0);
    expect(result?.values[0]).toHaveLength(0);
  });
});
