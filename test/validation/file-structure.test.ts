// The structural check reads a raw engagement file once from its bytes: it counts the data rows of a
// well-formed file and names the row and the reason of the first fault, however the bytes are cut.
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cutIntoChunks } from './chunk-cuts';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { checkFileStructure } from '../../lambdas/validation/file-structure';
import type { TextChunks } from '../../lambdas/tabular/tokenizer';

const table = ENGAGEMENT_TABLES.find((t) => t.fileName === 'student_info.csv')!; // student_id, date_registered
const bytes = (text: string) => [new TextEncoder().encode(text)];

async function outcome(chunks: TextChunks): Promise<number | string> {
  try {
    return (await checkFileStructure(chunks, table)).dataRows;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('checkFileStructure', () => {
  it('counts the data rows of plain, quoted, CRLF, lone-CR and unterminated files', async () => {
    expect(await outcome(bytes('student_id,date_registered\n1,2021-01-01\n2,2021-01-02\n'))).toBe(2);
    expect(await outcome(bytes('\uFEFFstudent_id, date_registered\r\n1,2021-01-01\r\n"2","20""21"'))).toBe(2);
    expect(await outcome(bytes('student_id,date_registered\n"",""\n'))).toBe(1);
    // A lone CR ends a record, as DuckDB's and the quoting parser's readers take it.
    expect(await outcome(bytes('student_id,date_registered\r1,2021-01-01\r2,2021-01-02'))).toBe(2);
    // UTF-8 beyond ASCII is text like any other.
    expect(await outcome(bytes('student_id,date_registered\n"Zoë 1",2021-01-01\n'))).toBe(1);
  });

  it.each([
    ['UTF-16 LE with its byte order mark', Buffer.from('\uFEFFstudent_id,date_registered\n1,2021-01-01\n', 'utf16le'), 'the file is UTF-16 text (it starts with a UTF-16 byte order mark)'],
    ['UTF-16 BE with its byte order mark', Buffer.from('\uFEFFstudent_id,date_registered\n1,2021-01-01\n', 'utf16le').swap16(), 'the file is UTF-16 text'],
    ['a gzip-compressed CSV', gzipSync('student_id,date_registered\n1,2021-01-01\n'), 'the file is gzip-compressed; upload it decompressed (gunzip)'],
    ['a workbook saved as .csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'the file is a ZIP archive (an .xlsx workbook is one)'],
    // Compressed bytes with a quote inside their first "line": the tokenizer stops before any record.
    ['a gzip file with a quote before its first line break', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('a"b,c\n')]), 'the file is gzip-compressed'],
    ['a ZIP archive with a quote before its first line break', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('x"y\n')]), 'the file is a ZIP archive'],
  ])('names %s as what it is, not as garbled text', async (_, data, reason) => {
    expect(await outcome([new Uint8Array(data)])).toContain(`student_info.csv: row 1: ${reason}`);
  });

  it.each([
    ['a CRLF header over LF lines', 'student_id,date_registered\r\n1,2021-01-01\n', 'row 2: the line ends with LF but the header line with CRLF'],
    ['one CRLF line among LF lines', 'student_id,date_registered\n1,2021-01-01\n2,2021-01-02\r\n3,2021-01-03\n', 'row 3: the line ends with CRLF but the header line with LF'],
    ['a CRLF file whose last line ends with LF', 'student_id,date_registered\r\n1,2021-01-01\r\n2,2021-01-02\n', 'row 3: the line ends with LF but the header line with CRLF'],
    ['a lone CR among LF lines', 'student_id,date_registered\n1,2021-01-01\r2,2021-01-02\n', 'row 2: the line ends with CR but the header line with LF'],
  ])('refuses %s, which DuckDB cannot read, naming the row', async (_, text, reason) => {
    expect(await outcome(bytes(text))).toContain(`student_info.csv: ${reason}`);
  });

  it('refuses a line over 1 MiB, naming the row, before DuckDB meets it', async () => {
    const long = `student_id,date_registered\n1,2021-01-01\n2,2021-01-02${'x'.repeat(3_000_000)}\n3,2021-01-03\n`;
    const data = Buffer.from(long);
    // However the stream cuts it.
    for (const cut of [65_536, 1_000_003]) {
      expect(await outcome([data.subarray(0, cut), data.subarray(cut)])).toBe(
        'student_info.csv: row 3: the line is 3,000,012 bytes long, more than the 1,048,576 a row of 2 short fields can need (binary data or a run-on field)',
      );
    }
  });

  it('refuses bytes that are not UTF-8, naming the row, however the bytes are cut', async () => {
    const latin1 = Buffer.concat([Buffer.from('student_id,date_registered\n1,2021-01-01\n2,2021-01-0'), Buffer.from([0xe9]), Buffer.from('\n3,2021-01-03\n')]);
    for (let cut = 1; cut < latin1.length; cut += 7) {
      expect(await outcome([latin1.subarray(0, cut), latin1.subarray(cut)])).toContain('student_info.csv: row 3: the line is not UTF-8 text');
    }
    // A stream may hand the same array again, refilled: an ASCII chunk's verdict must not stick to it.
    const pieces = [Buffer.from('student_id,date_registered\n'), Buffer.concat([Buffer.from('10,2021-01-0'), Buffer.from([0xe9]), Buffer.from('\n2,2021-01-02\n')])];
    expect(pieces[0]!.length).toBe(pieces[1]!.length);
    const shared = new Uint8Array(pieces[0]!.length);
    const refilled = function* () {
      for (const piece of pieces) {
        shared.set(piece);
        yield shared;
      }
    };
    expect(await outcome(refilled())).toBe('student_info.csv: row 2: the line is not UTF-8 text (save the file as UTF-8: Latin-1 or Windows-1252 text needs converting)');
  });

  it.each([
    ['a wrong header', 'student,date_registered\n1,2021-01-01\n', 'row 1: expected header student_id,date_registered, found student,date_registered'],
    ['a header only', 'student_id,date_registered\n', 'row 2: the file has a header but no data rows'],
    ['an empty file', '', 'row 1: the file is empty (expected header student_id,date_registered)'],
    ['a missing field', 'student_id,date_registered\n1\n', 'row 2: expected 2 fields (student_id,date_registered), found 1'],
    ['an empty line', 'student_id,date_registered\n1,2021-01-01\n\n2,2021-01-02\n', 'row 3: empty line'],
    ['a line break in a quoted field', 'student_id,date_registered\n"1\n",2021-01-01\n', 'row 2: a field holds a line break'],
    ['a stray quote', 'student_id,date_registered\n1"2,2021-01-01\n', 'row 2: unexpected quote inside an unquoted field'],
    ['text after a closing quote', 'student_id,date_registered\n"1"2,2021-01-01\n', 'row 2: text after a closing quote'],
    ['an unclosed quote', 'student_id,date_registered\n1,2\n"1,2021-01-01\n', 'row 3: a quoted field is not closed before the end of the file'],
  ])('names the row of %s', async (_, text, reason) => {
    const result = await outcome(bytes(text));
    expect(result).toContain(`student_info.csv: ${reason}`);
  });

  it('gives the same answer however the bytes are cut', async () => {
    const unit = fc.constantFrom('1', 'a', ',', '"', '\n', '\r', ' ', 'é', '2021-01-01');
    const line = fc.oneof(fc.constant('7,2021-01-01'), fc.constant('"8","2""0"'), fc.string({ unit, maxLength: 8 }));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.nat(), { maxLength: 5 }), async (lines, eol, finalEol, cuts) => {
        const text = ['student_id,date_registered', ...lines].join(eol) + (finalEol ? eol : '');
        const whole = new TextEncoder().encode(text);
        expect(await outcome(cutIntoChunks(whole, cuts))).toEqual(await outcome([whole]));
      }),
      { numRuns: 1000 },
    );
  });
});
