// The project's one CSV/TSV reader and writer: RFC 4180 quoting, streamed chunks, clear errors.
import { describe, expect, it } from 'vitest';
import { CsvFormatError, columnIndexes, formatCsv, formatCsvRow, parseCsvRecords, readCsvTable } from '../../lambdas/tabular/csv';

async function records(chunks: (string | Uint8Array)[], delimiter?: string): Promise<string[][]> {
  const found: string[][] = [];
  for await (const record of parseCsvRecords(chunks, 'test.csv', { delimiter })) found.push(record);
  return found;
}

/** Every way of cutting a text into two chunks: the parser must not care where a chunk ends. */
function everySplit(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, at) => [text.slice(0, at), text.slice(at)]);
}

async function failure(promise: Promise<unknown>): Promise<CsvFormatError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CsvFormatError);
  return error as CsvFormatError;
}

describe('parseCsvRecords', () => {
  it('reads quoted fields holding delimiters, line breaks and escaped quotes', async () => {
    const text = 'id,text\n1,"a,b"\n2,"say ""hi"""\n3,"two\nlines"\n4,""\n';
    expect(await records([text])).toEqual([
      ['id', 'text'],
      ['1', 'a,b'],
      ['2', 'say "hi"'],
      ['3', 'two\nlines'],
      ['4', ''],
    ]);
  });

  it('gives the same records wherever the chunks are cut, escaped quotes included', async () => {
    const text = 'a,b\r\n"x ""q"" y","1,2"\r\n"""",z\r\nlast,"end"""';
    const expected = [
      ['a', 'b'],
      ['x "q" y', '1,2'],
      ['"', 'z'],
      ['last', 'end"'],
    ];
    for (const chunks of everySplit(text)) expect(await records(chunks), JSON.stringify(chunks)).toEqual(expected);
    // One character per chunk, too.
    expect(await records([...text])).toEqual(expected);
  });

  it('treats CRLF, LF and a lone CR as record ends; a final newline is optional', async () => {
    expect(await records(['a,b\r\n1,2\r\n'])).toEqual([['a', 'b'], ['1', '2']]);
    expect(await records(['a,b\n1,2'])).toEqual([['a', 'b'], ['1', '2']]);
    expect(await records(['a,b\r1,2\r'])).toEqual([['a', 'b'], ['1', '2']]);
    // A CRLF cut between chunks is one line end, not two.
    expect(await records(['a,b\r', '\n1,2\r', '\n'])).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('decodes UTF-8 bytes split inside a character', async () => {
    const bytes = new TextEncoder().encode('name\nZoë,Ω\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of ë
    expect(await records([bytes.slice(0, cut), bytes.slice(cut)])).toEqual([['name'], ['Zoë', 'Ω']]);
  });

  it('reads tab-separated text with the tab delimiter', async () => {
    expect(await records(['A\tB\n1\t"x\ty"\n'], '\t')).toEqual([['A', 'B'], ['1', 'x\ty']]);
  });

  it('reports malformed quoting with the record number', async () => {
    const unclosed = await failure(records(['a,b\n1,2\n3,"open\n']));
    expect(unclosed.message).toBe('test.csv: row 3: a quoted field is not closed before the end of the file');
    const stray = await failure(records(['a,b\n1,x"y\n']));
    expect(stray.row).toBe(2);
    expect(stray.reason).toMatch(/unexpected quote/);
    const after = await failure(records(['a,b\n1,2\n3,"x"y\n']));
    expect(after.message).toBe('test.csv: row 3: text after a closing quote');
  });

  it('yields nothing for an empty text', async () => {
    expect(await records([])).toEqual([]);
    expect(await records(['', ''])).toEqual([]);
  });
});

describe('readCsvTable', () => {
  it('strips a byte-order mark and spaces from the header', async () => {
    const table = await readCsvTable(['\uFEFFstudent_id , minutes\n1,2.5\n'], 'bom.csv');
    expect(table.header).toEqual(['student_id', 'minutes']);
    expect(table.rows).toEqual([['1', '2.5']]);
    // Files arrive as bytes (streams): a BOM before a quoted header must not read as a stray quote.
    const quoted = await readCsvTable([new TextEncoder().encode('\uFEFF"student_id","minutes"\r\n1,2.5\r\n')], 'bom-quoted.csv');
    expect(quoted).toEqual({ header: ['student_id', 'minutes'], rows: [['1', '2.5']] });
  });

  it('names the file and the row whose field count is wrong (header = row 1)', async () => {
    const error = await failure(readCsvTable(['a,b,c\n1,2,3\n4,5\n'], 'short.csv'));
    expect(error.message).toBe('short.csv: row 3: expected 3 fields, found 2');
    const long = await failure(readCsvTable(['a,b\r\n1,2\r\n3,4\r\n5,6,7\r\n'], 'long.csv'));
    expect(long.row).toBe(4);
  });

  it('counts rows of multi-line quoted fields as one row', async () => {
    const error = await failure(readCsvTable(['a,b\n1,"x\ny\nz"\n2\n'], 'multi.csv'));
    expect(error.row).toBe(3);
  });

  it('skips blank lines and refuses an empty file', async () => {
    expect((await readCsvTable(['a,b\n1,2\n\n3,4\n'], 'blank.csv')).rows).toEqual([['1', '2'], ['3', '4']]);
    expect((await failure(readCsvTable([''], 'empty.csv'))).message).toBe('empty.csv: row 1: the file is empty (no header row)');
    expect((await readCsvTable(['a,b\n'], 'header-only.csv')).rows).toEqual([]);
  });
});

describe('writing', () => {
  it('quotes only fields that need it and round-trips through the reader', async () => {
    expect(formatCsvRow(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 3.5])).toBe('plain,"a,b","say ""hi""","two\nlines",,3.5\n');
    const rows = [['1', 'x,"y"'], ['2', 'cr\r\nlf'], ['3', '']];
    const text = formatCsv(['id', 'value'], rows);
    const table = await readCsvTable(everySplit(text)[7]!, 'round-trip.csv');
    expect(table).toEqual({ header: ['id', 'value'], rows });
    expect(formatCsvRow(['a\tb', 'c,d'], '\t')).toBe('"a\tb"\tc,d\n');
  });

  it('columnIndexes names the missing columns', () => {
    expect(columnIndexes(['b', 'a'], ['a', 'b'], 'x.csv')).toEqual({ a: 1, b: 0 });
    expect(() => columnIndexes(['a'], ['a', 'b', 'c'], 'x.csv')).toThrow('x.csv: row 1: missing column(s) b, c; header is a');
    // A header that is no text is described, not written to the terminal; control bytes are escaped, and a long one is cut.
    expect(() => columnIndexes(['\u0000\u0001bin'], ['a'], 'x.csv')).toThrow('x.csv: row 1: missing column(s) a; the header holds NUL bytes: the file looks UTF-16');
    expect(() => columnIndexes(['\u0017\uFFFD\uFFFDb'], ['a'], 'x.csv')).toThrow('x.csv: row 1: missing column(s) a; the header is not UTF-8 text (binary data, or another encoding');
    expect(() => columnIndexes(['\u0017bin'], ['a'], 'x.csv')).toThrow('x.csv: row 1: missing column(s) a; header is \\x17bin');
    expect(() => columnIndexes(['h'.repeat(500)], ['a'], 'x.csv')).toThrow(`header is ${'h'.repeat(160)}… (340 more characters)`);
  });
});
