// The cohort loaders against a reference written here from the rules (split on commas, unquote,
// Number(), the column checks): the same columns for every good file, the same error (file, row,
// reason) for the first bad value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCohortFile, parseMinutesAndCertificates, readCohortColumn } from '../../lambdas/tabular/cohort-file';

const bytes = (text: string) => [new TextEncoder().encode(text)];

async function outcome<T>(read: () => Promise<T>): Promise<T | string> {
  try {
    return await read();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

type Rule = 'integer' | 'non-negative' | 'flag';

/** The loaders' rules spelled with the built-in parser, on the rows the generator writes (no quoted commas). */
function reference(source: string, columns: readonly string[], rules: readonly Rule[], rows: string[][]): Float64Array[] | string {
  const values: number[][] = columns.map(() => []);
  for (const [r, row] of rows.entries()) {
    for (const [c, raw] of row.entries()) {
      const text = /^".*"$/.test(raw) ? raw.slice(1, -1) : raw;
      const value = Number(text);
      const fail = (reason: string) => `error: ${source}: row ${r + 2}: ${columns[c]} ${reason}`;
      if (text.trim() === '') return fail('is empty');
      if (!Number.isFinite(value)) return fail(`is not a number: ${JSON.stringify(text)}`);
      if (rules[c] === 'integer' && !Number.isSafeInteger(value)) return fail(`must be a whole number, got ${JSON.stringify(text)}`);
      if (rules[c] === 'non-negative' && value < 0) return fail(`must not be negative, got ${JSON.stringify(text)}`);
      if (rules[c] === 'flag' && value !== 0 && value !== 1) return fail(`must be 0 or 1, got ${JSON.stringify(text)}`);
      values[c]!.push(value);
    }
  }
  return values.map((column) => Float64Array.from(column));
}

const value = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }).map(String),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => x.toFixed(2)),
  fc.constantFrom('', '-1', '1.5', 'abc', ' 7', '"3"', '"4.25"', '1e3', '9007199254740993', '0', '1', '"0"'),
);
const row = fc.tuple(value, value, value);

describe('cohort loaders follow the rules', () => {
  it('parseCohortFile and readCohortColumn: columns, or the first bad value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 6 }), fc.constantFrom('paid_in_period', 'paid_in_q2'), fc.boolean(), async (rows, paidName, quoteHeader) => {
        const header = ['student_id', 'minutes_watched', paidName].map((name) => (quoteHeader ? `"${name}"` : name)).join(',');
        const text = [header, ...rows.map((fields) => fields.join(','))].join('\n') + '\n';
        const want = reference('c.csv', ['student_id', 'minutes_watched', paidName], ['integer', 'non-negative', 'flag'], rows);
        const got = await outcome(() => parseCohortFile(bytes(text), 'c.csv'));
        if (typeof want === 'string') expect(got).toBe(want);
        else expect(got).toEqual({ source: 'c.csv', studentIds: want[0], minutes: want[1], paid: Uint8Array.from(want[2]!), paidColumnName: paidName });
        for (const [index, column] of (['student_id', 'minutes_watched'] as const).entries()) {
          const alone = reference('c.csv', [column], [index === 0 ? 'integer' : 'non-negative'], rows.map((fields) => [fields[index]!]));
          expect(await outcome(() => readCohortColumn(bytes(text), 'c.csv', column))).toEqual(typeof alone === 'string' ? alone : alone[0]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('parseMinutesAndCertificates: columns, or the first bad value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 6 }), async (rows) => {
        const text = ['student_id,certificates_issued,minutes_watched', ...rows.map((fields) => fields.join(','))].join('\n');
        const want = reference('m.csv', ['student_id', 'certificates_issued', 'minutes_watched'], ['integer', 'non-negative', 'non-negative'], rows);
        const got = await outcome(() => parseMinutesAndCertificates(bytes(text), 'm.csv'));
        if (typeof want === 'string') expect(got).toBe(want);
        else expect(got).toEqual({ source: 'm.csv', studentIds: want[0], certificates: want[1], minutes: want[2] });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a header with no paid column or several', async () => {
    await expect(parseCohortFile(bytes('student_id,minutes_watched,paid\n1,2,0\n'), 'c.csv')).rejects.toThrow('c.csv: row 1: missing column paid_in_period');
    await expect(parseCohortFile(bytes('student_id,minutes_watched,paid_in_a,paid_in_b\n1,2,0,1\n'), 'c.csv')).rejects.toThrow('several paid columns');
  });
});
