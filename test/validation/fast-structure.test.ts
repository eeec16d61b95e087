// The byte scan of well-formed files must never disagree with the full structural check: when it
// answers, the full check passes with the same row count; when the full check fails, it declines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutIntoChunks } from './chunk-cuts';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { countWellFormedRows } from '../../lambdas/validation/fast-structure';
import { checkFileStructure } from '../../lambdas/validation/file-structure';

const table = ENGAGEMENT_TABLES.find((t) => t.fileName === 'student_info.csv')!; // student_id, date_registered
const bytes = (text: string) => [new TextEncoder().encode(text)];

async function fullCheck(text: string): Promise<number | Error> {
  try {
    return (await checkFileStructure(bytes(text), table)).dataRows;
  } catch (error) {
    return error as Error;
  }
}


describe('countWellFormedRows', () => {
  it('counts the data rows of plain, quoted, CRLF and unterminated files', async () => {
    expect(await countWellFormedRows(bytes('student_id,date_registered\n1,2021-01-01\n2,2021-01-02\n'), table)).toBe(2);
    expect(await countWellFormedRows(bytes('\uFEFFstudent_id, date_registered\r\n1,2021-01-01\r\n"2","20""21"'), table)).toBe(2);
    expect(await countWellFormedRows(bytes('student_id,date_registered\n"",""\n'), table)).toBe(1);
  });

  it.each([
    ['a wrong header', 'student,date_registered\n1,2021-01-01\n'],
    ['a header only', 'student_id,date_registered\n'],
    ['an empty file', ''],
    ['a missing field', 'student_id,date_registered\n1\n'],
    ['an empty line', 'student_id,date_registered\n1,2021-01-01\n\n2,2021-01-02\n'],
    ['a line break in a quoted field', 'student_id,date_registered\n"1\n",2021-01-01\n'],
    ['a stray quote', 'student_id,date_registered\n1"2,2021-01-01\n'],
    ['text after a closing quote', 'student_id,date_registered\n"1"2,2021-01-01\n'],
    ['an unclosed quote', 'student_id,date_registered\n"1,2021-01-01\n'],
    ['a lone CR', 'student_id,date_registered\r1,2021-01-01\n'],
  ])('declines %s, leaving it to the full check', async (_, text) => {
    expect(await countWellFormedRows(bytes(text), table)).toBeUndefined();
  });

  it('never disagrees with the full check, however the bytes are cut', async () => {
    const unit = fc.constantFrom('1', 'a', ',', '"', '\n', '\r', ' ', 'é', '2021-01-01');
    const line = fc.oneof(fc.constant('7,2021-01-01'), fc.constant('"8","2""0"'), fc.string({ unit, maxLength: 8 }));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.nat(), { maxLength: 5 }), async (lines, eol, finalEol, cuts) => {
        const text = ['student_id,date_registered', ...lines].join(eol) + (finalEol ? eol : '');
        const fast = await countWellFormedRows(cutIntoChunks(new TextEncoder().encode(text), cuts), table);
        const full = await fullCheck(text);
        if (fast !== undefined) expect(full).toBe(fast);
        if (full instanceof Error) expect(fast).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});
