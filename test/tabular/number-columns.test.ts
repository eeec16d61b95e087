import { describe, expect, it } from 'vitest';
import { readNumberColumns } from '../../lambdas/tabular/number-columns';

const bytes = (text: string) => [new TextEncoder().encode(text)];
const COLUMNS = ['student_id', 'minutes_watched'];

async function failure(text: string): Promise<string> {
  try {
    await readNumberColumns(bytes(text), 'f.csv', COLUMNS);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('readNumberColumns', () => {
  it("reads Athena's all-quoted format and bare values, in the order asked, across chunk cuts", async () => {
    const text = '"student_id","minutes_watched","paid_in_period"\n"7","12.50","1"\r\n"8","0.01","1"\n9,3,0';
    const encoded = new TextEncoder().encode(text);
    const result = await readNumberColumns([encoded.slice(0, 20), encoded.slice(20, 53), encoded.slice(53)], 'f.csv', ['minutes_watched', 'student_id']);
    expect(result.rows).toBe(3);
    expect(result.header).toEqual(['student_id', 'minutes_watched', 'paid_in_period']);
    expect(Array.from(result.values[0]!)).toEqual([12.5, 0.01, 3]);
    expect(Array.from(result.values[1]!)).toEqual([7, 8, 9]);
  });

  it('reads quoted text in other columns and skips blank lines', async () => {
    const result = await readNumberColumns(bytes('student_id,minutes_watched,note\n1,2,"a,b ""c"""\n\n3,4,"x\ny"\n'), 'f.csv', COLUMNS);
    expect(result.values.map((column) => Array.from(column))).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it.each([
    ['a missing column', 'student_id,paid_in_period\n1,0\n', 'f.csv: row 1: missing column(s) minutes_watched; header is student_id, paid_in_period'],
    ['an empty value', 'student_id,minutes_watched\n1,2\n1,\n', 'f.csv: row 3: minutes_watched is empty'],
    ['text', 'student_id,minutes_watched\n1,abc\n', 'f.csv: row 2: minutes_watched is not a number: "abc"'],
    ['an escaped quote', 'student_id,minutes_watched\n"1""",2\n', 'f.csv: row 2: student_id is not a number: "1\\""'],
    ['a missing field', 'student_id,minutes_watched\n1\n', 'f.csv: row 2: expected 2 fields, found 1'],
    ['no header', '', 'f.csv: row 1: the file is empty (no header row)'],
  ])('names the row and the reason of %s', async (_, text, message) => {
    expect(await failure(text)).toBe(message);
  });

  it("names the value a column's check refuses, or leaves its row out when asked to skip bad rows", async () => {
    const text = 'student_id,minutes_watched\n1,2\n2,-5\n3,oops\n4,7,9\n5,1\n';
    const checkOf = (column: string) => (column === 'minutes_watched' ? (value: number) => (value < 0 ? 'must not be negative' : undefined) : undefined);
    await expect(readNumberColumns(bytes(text), 'f.csv', COLUMNS, { checkOf })).rejects.toThrow('f.csv: row 3: minutes_watched must not be negative, got "-5"');
    const skipped = await readNumberColumns(bytes(text), 'f.csv', COLUMNS, { checkOf, badRows: 'skip' });
    expect(skipped.rows).toBe(2);
    expect(Array.from(skipped.values[0]!)).toEqual([1, 5]);
  });

  it('refuses a column asked for twice (a caller mistake, not a file problem)', async () => {
    await expect(readNumberColumns(bytes('student_id,minutes_watched\n1,2\n'), 'f.csv', ['student_id', 'student_id'])).rejects.toThrow('asked for twice');
  });

  it('reads a header with no rows as zero rows', async () => {
    const result = await readNumberColumns(bytes('student_id,minutes_watched\n'), 'f.csv', ['minutes_watched']);
    expect(result.rows).toBe(0);
    expect(result.values[0]).toHaveLength(0);
  });
});
