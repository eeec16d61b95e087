// The bad-input corpus: a valid generated input set with one thing corrupted per case, run through
// the whole local workflow. Each case states its exact outcome by hand: the quarantine counts per
// file and reason (and input = accepted + quarantined), or the error; failing runs leave no manifest;
// the input files' bytes never change.
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../lambdas/tabular/csv';
import { ENGAGEMENT_FILES, InputCase, MOOC_FILES, makeBaseInput, type DataQualityFile, type InputFile } from './corpus-helpers';

let base: string;
beforeAll(async () => {
  base = await makeBaseInput();
}, 60_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const ALL_FILES: InputFile[] = [...ENGAGEMENT_FILES, ...MOOC_FILES];
/** Lenient share so single bad rows are quarantined rather than failing the run. */
const LENIENT = { maxBadRowShare: 0.5 };

function dayBefore(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** Registration day of each student, from student_info.csv as written. */
function registrations(c: InputCase): Map<string, string> {
  return new Map(c.fields('student_info.csv').slice(1).map(([id, day]) => [id!, day!]));
}

/** A student with no purchase, view or certificate (so a fault in its row cascades nowhere). */
function idleStudent(c: InputCase): string {
  const used = new Set<string>([
    ...c.fields('student_purchases.csv').slice(1).map((row) => row[1]!),
    ...c.fields('student_video_watched.csv').slice(1).map((row) => row[0]!),
    ...c.fields('student_certificates.csv').slice(1).map((row) => row[1]!),
  ]);
  return c.fields('student_info.csv').slice(1).find(([id]) => !used.has(id!))![0]!;
}

function setField(c: InputCase, file: InputFile, dataRow: number, column: number, value: string): void {
  const rows = c.fields(file);
  rows[dataRow]![column] = value;
  c.writeFields(file, rows);
}

type Expected = Partial<Record<InputFile, Record<string, number>>>;

interface QuarantineCase {
  name: string;
  options?: Record<string, unknown>;
  /** Corrupts the copy and returns the expected reasons per file (files left out: none). */
  corrupt: (c: InputCase) => Expected;
}

const QUARANTINE_CASES: QuarantineCase[] = [
  { name: 'plan_id out of range', corrupt: (c) => (setField(c, 'student_purchases.csv', 3, 2, '7'), { 'student_purchases.csv': { 'plan_id not in 0..3': 1 } }) },
  { name: 'plan_id not a number', corrupt: (c) => (setField(c, 'student_purchases.csv', 5, 2, 'gold'), { 'student_purchases.csv': { 'plan_id not in 0..3': 1 } }) },
  { name: 'purchase_id not an integer', corrupt: (c) => (setField(c, 'student_purchases.csv', 2, 0, '12a'), { 'student_purchases.csv': { 'purchase_id is not an integer in 0..9007199254740991': 1 } }) },
  {
    name: 'exact duplicate purchase row',
    corrupt: (c) => {
      const lines = c.lines('student_purchases.csv');
      c.write('student_purchases.csv', [...lines, lines[4]!]);
      return { 'student_purchases.csv': { 'duplicate purchase_id': 1 } };
    },
  },
  {
    name: 'certificate_id reused for another row',
    corrupt: (c) => {
      const rows = c.fields('student_certificates.csv');
      rows[2]![0] = rows[1]![0]!;
      c.writeFields('student_certificates.csv', rows);
      return { 'student_certificates.csv': { 'duplicate certificate_id': 1 } };
    },
  },
  {
    name: 'refund before purchase',
    corrupt: (c) => {
      const rows = c.fields('student_purchases.csv');
      const row = rows.findIndex((r, i) => i > 0 && r[4] === '');
      rows[row]![4] = dayBefore(rows[row]![3]!);
      c.writeFields('student_purchases.csv', rows);
      return { 'student_purchases.csv': { 'refund before purchase': 1 } };
    },
  },
  { name: 'impossible date 2021-02-30', corrupt: (c) => (setField(c, 'student_purchases.csv', 1, 3, '2021-02-30'), { 'student_purchases.csv': { 'date_purchased is not a real YYYY-MM-DD date': 1 } }) },
  { name: 'date in another format', corrupt: (c) => (setField(c, 'student_video_watched.csv', 2, 3, '2021/05/03'), { 'student_video_watched.csv': { 'date_watched is not a real YYYY-MM-DD date': 1 } }) },
  { name: 'negative seconds', corrupt: (c) => (setField(c, 'student_video_watched.csv', 4, 2, '-30'), { 'student_video_watched.csv': { 'seconds_watched is negative': 1 } }) },
  { name: 'seconds not a number', corrupt: (c) => (setField(c, 'student_video_watched.csv', 6, 2, 'NaN'), { 'student_video_watched.csv': { 'seconds_watched is not a number': 1 } }) },
  { name: 'course_id not an integer', corrupt: (c) => (setField(c, 'student_video_watched.csv', 7, 1, '1.5'), { 'student_video_watched.csv': { 'course_id is not an integer in 0..9007199254740991': 1 } }) },
  { name: 'purchase of an unknown student', corrupt: (c) => (setField(c, 'student_purchases.csv', 8, 1, '99999999'), { 'student_purchases.csv': { 'unknown student_id': 1 } }) },
  { name: 'certificate without student_id', corrupt: (c) => (setField(c, 'student_certificates.csv', 1, 1, ''), { 'student_certificates.csv': { 'student_id is missing': 1 } }) },
  {
    name: 'view before registration',
    corrupt: (c) => {
      const rows = c.fields('student_video_watched.csv');
      rows[3]![3] = dayBefore(registrations(c).get(rows[3]![0]!)!);
      c.writeFields('student_video_watched.csv', rows);
      return { 'student_video_watched.csv': { 'view before registration': 1 } };
    },
  },
  {
    name: 'certificate before registration',
    corrupt: (c) => {
      const rows = c.fields('student_certificates.csv');
      rows[2]![2] = dayBefore(registrations(c).get(rows[2]![1]!)!);
      c.writeFields('student_certificates.csv', rows);
      return { 'student_certificates.csv': { 'certificate before registration': 1 } };
    },
  },
  {
    name: "a bad student row takes the student's other rows with it",
    corrupt: (c) => {
      const student = c.fields('student_certificates.csv')[1]![1]!;
      const count = (file: InputFile, column: number) => c.fields(file).slice(1).filter((row) => row[column] === student).length;
      const expected: Expected = { 'student_info.csv': { 'date_registered is not a real YYYY-MM-DD date': 1 } };
      for (const [file, column] of [['student_purchases.csv', 1], ['student_video_watched.csv', 0], ['student_certificates.csv', 1]] as const) {
        if (count(file, column) > 0) expected[file] = { 'unknown student_id': count(file, column) };
      }
      const rows = c.fields('student_info.csv');
      rows.find((row) => row[0] === student)![1] = '2021-13-01';
      c.writeFields('student_info.csv', rows);
      return expected;
    },
  },
  {
    name: 'student registered twice',
    corrupt: (c) => {
      const idle = idleStudent(c);
      const lines = c.lines('student_info.csv');
      c.write('student_info.csv', [...lines, `${idle},2021-01-01`]);
      return { 'student_info.csv': { 'duplicate student_id': 1 } };
    },
  },
  {
    name: 'date beyond the default plausible range',
    corrupt: (c) => (setField(c, 'student_video_watched.csv', 9, 3, '2101-01-01'), { 'student_video_watched.csv': { 'date_watched outside the data range': 1 } }),
  },
  {
    name: 'purchase after the declared dataEnd',
    options: { dataStart: '2020-01-01', dataEnd: '2022-06-30' },
    corrupt: (c) => (setField(c, 'student_purchases.csv', 10, 3, '2022-07-01'), { 'student_purchases.csv': { 'date_purchased outside the data range': 1 } }),
  },
  {
    name: 'registration before the declared dataStart',
    options: { dataStart: '2020-01-01', dataEnd: '2022-06-30' },
    corrupt: (c) => {
      const rows = c.fields('student_info.csv');
      const idle = idleStudent(c);
      rows.find((row) => row[0] === idle)![1] = '2019-12-31';
      c.writeFields('student_info.csv', rows);
      return { 'student_info.csv': { 'date_registered outside the data range': 1 } };
    },
  },
  {
    name: 'MOOC label not 0/1',
    corrupt: (c) => (
      setField(c, 'mooc_action_labels.tsv', 5, 1, '2'),
      {
        'mooc_action_labels.tsv': { 'LABEL not in {0,1}': 1 },
        'mooc_actions.tsv': { 'row quarantined in mooc_action_labels.tsv': 1 },
        'mooc_action_features.tsv': { 'row quarantined in mooc_action_labels.tsv': 1 },
      }
    ),
  },
  {
    name: 'MOOC feature not numeric',
    corrupt: (c) => (
      setField(c, 'mooc_action_features.tsv', 7, 3, 'abc'),
      {
        'mooc_action_features.tsv': { 'FEATURE2 is not a number': 1 },
        'mooc_actions.tsv': { 'row quarantined in mooc_action_features.tsv': 1 },
        'mooc_action_labels.tsv': { 'row quarantined in mooc_action_features.tsv': 1 },
      }
    ),
  },
  {
    // Text no SQL reader takes (an open quote, a lone CR): the MOOC files are read by Lambdas only,
    // so the run quarantines the two rows and no later step reads the files otherwise.
    name: 'MOOC open quote and lone CR',
    corrupt: (c) => {
      setField(c, 'mooc_actions.tsv', 4, 2, '"7');
      setField(c, 'mooc_action_features.tsv', 6, 2, '1\r5');
      return {
        'mooc_actions.tsv': { 'TARGETID is not an integer in 0..9007199254740991': 1, 'row quarantined in mooc_action_features.tsv': 1 },
        'mooc_action_features.tsv': { 'FEATURE1 is not a number': 1, 'row quarantined in mooc_actions.tsv': 1 },
        'mooc_action_labels.tsv': { 'row quarantined in mooc_actions.tsv': 1, 'row quarantined in mooc_action_features.tsv': 1 },
      };
    },
  },
  {
    // A finite number no date holds: quarantined here, so the analysis never turns it into a date.
    name: 'MOOC TIMESTAMP 1e300',
    corrupt: (c) => {
      setField(c, 'mooc_actions.tsv', 5, 3, '1e300');
      return {
        'mooc_actions.tsv': { 'TIMESTAMP is after 8640000000000 seconds (the last a date can hold)': 1 },
        'mooc_action_features.tsv': { 'row quarantined in mooc_actions.tsv': 1 },
        'mooc_action_labels.tsv': { 'row quarantined in mooc_actions.tsv': 1 },
      };
    },
  },
  {
    name: 'MOOC negative timestamp and a bad USERID on two rows',
    corrupt: (c) => {
      setField(c, 'mooc_actions.tsv', 3, 3, '-1');
      setField(c, 'mooc_actions.tsv', 9, 1, 'u9');
      return {
        'mooc_actions.tsv': { 'TIMESTAMP is negative': 1, 'USERID is not an integer in 0..9007199254740991': 1 },
        'mooc_action_features.tsv': { 'row quarantined in mooc_actions.tsv': 2 },
        'mooc_action_labels.tsv': { 'row quarantined in mooc_actions.tsv': 2 },
      };
    },
  },
  {
    name: 'one bad row in 100+ purchases passes the default 1% share',
    options: {},
    corrupt: (c) => {
      expect(c.dataRows('student_purchases.csv')).toBeGreaterThan(100);
      setField(c, 'student_purchases.csv', 3, 2, '9');
      return { 'student_purchases.csv': { 'plan_id not in 0..3': 1 } };
    },
  },
];

describe('bad input that is quarantined', () => {
  it.each(QUARANTINE_CASES)('$name', async ({ corrupt, options }) => {
    const c = new InputCase(base);
    try {
      const expected = corrupt(c);
      const before = c.hashes();
      const result = await c.run(options ?? LENIENT);
      expect(result.failure?.cause).toBeUndefined();
      expect(result.status).toBe('succeeded');
      expect(c.hashes()).toEqual(before);

      const report = JSON.parse(c.readRunFile(result, 'data_quality.json')) as { status: string; files: DataQualityFile[] };
      expect(report.status).toBe('passed');
      for (const file of ALL_FILES) {
        const entry = report.files.find((candidate) => candidate.file === file)!;
        const reasons = expected[file] ?? {};
        const quarantined = Object.values(reasons).reduce((sum, n) => sum + n, 0);
        expect({ file, reasons: entry.reasons }).toEqual({ file, reasons });
        expect(entry.input_rows).toBe(c.dataRows(file));
        expect(entry.quarantined_rows).toBe(quarantined);
        expect(entry.accepted_rows + entry.quarantined_rows).toBe(entry.input_rows);
        if (quarantined === 0) {
          expect(entry.quarantine_file).toBeNull();
          continue;
        }
        // Named in the run's folder, as the manifest names every file.
        expect(entry.quarantine_file).toBe(`quarantine/${file.replace(/\.tsv$/, '.csv')}`);
        const table = await readCsvTable([c.readRunFile(result, entry.quarantine_file!)], file);
        expect(table.rows).toHaveLength(quarantined);
        expect(table.header.at(-1)).toBe('reason');
        if (file.endsWith('.tsv')) {
          // A MOOC quarantine row holds its line number and that line's raw fields, as in the input.
          expect(table.header[0]).toBe('line');
          const lines = c.fields(file);
          for (const row of table.rows) expect(row.slice(1, -1)).toEqual(lines[Number(row[0]) - 1]);
        }
      }
      // The manifest lists the quarantine files and data_quality.json with the other outputs.
      const keys = result.manifest!.outputs.map((output) => output.key);
      expect(keys).toContain('data_quality.json');
      for (const file of Object.keys(expected)) expect(keys).toContain(`quarantine/${file.replace(/\.(csv|tsv)$/, '')}.csv`);
    } finally {
      c.remove();
    }
  });

  it('a quarantined purchase never reaches purchases_info.csv', async () => {
    const c = new InputCase(base);
    try {
      const rows = c.fields('student_purchases.csv');
      const purchaseId = rows[8]![0]!;
      rows[8]![1] = '99999999';
      c.writeFields('student_purchases.csv', rows);
      const result = await c.run(LENIENT);
      expect(result.status).toBe('succeeded');
      const published = await readCsvTable([c.readRunFile(result, 'engagement/purchases_info.csv')], 'purchases_info.csv');
      const ids = published.rows.map((row) => row[published.header.indexOf('purchase_id')]);
      expect(ids).not.toContain(purchaseId);
      expect(ids).toHaveLength(rows.length - 2);
      const quarantine = await readCsvTable([c.readRunFile(result, 'quarantine/student_purchases.csv')], 'quarantine');
      expect(quarantine.header).toEqual(['purchase_id', 'student_id', 'plan_id', 'date_purchased', 'date_refunded', 'reason']);
      expect(quarantine.rows).toEqual([[...rows[8]!, 'unknown student_id']]);
    } finally {
      c.remove();
    }
  });
});

interface FailureCase {
  name: string;
  options?: Record<string, unknown>;
  /** Corrupts the copy and returns text the failure's cause must contain, and the error name. */
  corrupt: (c: InputCase) => { cause: string; error: string };
}

const FAILURE_CASES: FailureCase[] = [
  {
    name: 'wrong engagement header',
    corrupt: (c) => {
      const lines = c.lines('student_purchases.csv');
      c.write('student_purchases.csv', ['purchase_id,student_id,plan,date_purchased,date_refunded', ...lines.slice(1)]);
      return {
        error: 'InputStructureError',
        cause: 'student_purchases.csv: row 1: expected header purchase_id,student_id,plan_id,date_purchased,date_refunded, found purchase_id,student_id,plan,date_purchased,date_refunded',
      };
    },
  },
  {
    name: 'missing engagement file',
    corrupt: (c) => (rmSync(c.file('student_certificates.csv')), { error: 'WorkflowInputError', cause: 'missing student_certificates.csv' }),
  },
  { name: 'empty file', corrupt: (c) => (c.write('student_info.csv', []), { error: 'InputStructureError', cause: 'student_info.csv: row 1: the file is empty' }) },
  {
    name: 'header without data rows',
    corrupt: (c) => (c.write('student_certificates.csv', c.lines('student_certificates.csv').slice(0, 1)), { error: 'InputStructureError', cause: 'student_certificates.csv: row 2: the file has a header but no data rows' }),
  },
  {
    name: 'a row with an extra field',
    corrupt: (c) => {
      const lines = c.lines('student_video_watched.csv');
      lines[4] += ',extra';
      c.write('student_video_watched.csv', lines);
      return { error: 'InputStructureError', cause: 'student_video_watched.csv: row 5: expected 4 fields (student_id,course_id,seconds_watched,date_watched), found 5' };
    },
  },
  {
    name: 'an empty line inside the file',
    corrupt: (c) => {
      const lines = c.lines('student_info.csv');
      lines.splice(6, 0, '');
      c.write('student_info.csv', lines);
      return { error: 'InputStructureError', cause: 'student_info.csv: row 7: empty line' };
    },
  },
  {
    name: 'CRLF line endings up to a row, LF after it',
    corrupt: (c) => {
      const lines = c.lines('student_purchases.csv');
      writeFileSync(c.file('student_purchases.csv'), lines.map((line, index) => `${line}${index < 5 ? '\r\n' : '\n'}`).join(''));
      return { error: 'InputStructureError', cause: 'student_purchases.csv: row 6: the line ends with LF but the header line with CRLF' };
    },
  },
  {
    name: 'a Latin-1 byte in a row',
    corrupt: (c) => {
      const lines = c.lines('student_video_watched.csv');
      const bytes = Buffer.concat(lines.map((line, index) => Buffer.concat([Buffer.from(line), index === 8 ? Buffer.from([0xe9]) : Buffer.alloc(0), Buffer.from('\n')])));
      writeFileSync(c.file('student_video_watched.csv'), bytes);
      return { error: 'InputStructureError', cause: 'student_video_watched.csv: row 9: the line is not UTF-8 text' };
    },
  },
  {
    name: 'two bad purchases exceed the default 1% share',
    options: {},
    corrupt: (c) => {
      const rows = c.fields('student_purchases.csv');
      const total = rows.length - 1;
      expect(2 / total).toBeGreaterThan(0.01);
      rows[3]![2] = '8';
      rows[40]![2] = '9';
      c.writeFields('student_purchases.csv', rows);
      // Athena gives no line numbers; the error names the first row in purchase_id text order, looked up in the file.
      const [line, row] = [4, 41].map((l) => [l, rows[l - 1]!] as const).sort((a, b) => (a[1][0]! < b[1][0]! ? -1 : 1))[0]!;
      return {
        error: 'DataQualityError',
        cause: `student_purchases.csv: row ${line}: plan_id not in 0..3 (purchase_id=${row[0]}, student_id=${row[1]}, plan_id=${row[2]}, date_purchased=${row[3]}, date_refunded=${row[4]}): 2 of ${total} rows (${((200 / total)).toFixed(1)}%) failed validation, more than the allowed 1% (option maxBadRowShare); see quarantine/student_purchases.csv in the run's folder`,
      };
    },
  },
  {
    name: 'a MOOC file out of line with the others',
    corrupt: (c) => {
      const rows = c.fields('mooc_action_labels.tsv');
      const line = rows.findIndex((row, i) => i > 0 && row[0] !== rows[1]![0]) + 1;
      rows[line - 1]![0] = '999999';
      c.writeFields('mooc_action_labels.tsv', rows);
      return { error: 'CsvFormatError', cause: `mooc_action_labels.tsv: row ${line}: ACTIONID 999999 does not match` };
    },
  },
  {
    name: 'a MOOC file with a row less',
    corrupt: (c) => {
      const lines = c.lines('mooc_action_features.tsv');
      c.write('mooc_action_features.tsv', lines.slice(0, -1));
      return {
        error: 'CsvFormatError',
        cause: `mooc_action_features.tsv: row ${lines.length}: has ${lines.length - 2} data rows but mooc_actions.tsv and mooc_action_labels.tsv have ${lines.length - 1}`,
      };
    },
  },
  {
    name: 'wrong MOOC header',
    corrupt: (c) => {
      const lines = c.lines('mooc_action_labels.tsv');
      c.write('mooc_action_labels.tsv', ['ACTIONID\tTARGET', ...lines.slice(1)]);
      return { error: 'CsvFormatError', cause: 'mooc_action_labels.tsv: row 1: expected header ACTIONID\\tLABEL, found ACTIONID\\tTARGET' };
    },
  },
  {
    name: 'a bad MOOC label over a strict share',
    options: { maxBadRowShare: 0 },
    corrupt: (c) => {
      const rows = c.fields('mooc_action_labels.tsv');
      rows[12]![1] = '5';
      c.writeFields('mooc_action_labels.tsv', rows);
      return { error: 'DataQualityError', cause: `mooc_action_labels.tsv: row 13: LABEL not in {0,1} (ACTIONID=${rows[12]![0]}, LABEL=5): 1 of ${rows.length - 1} rows` };
    },
  },
];

describe('bad input that fails the run', () => {
  it.each(FAILURE_CASES)('$name', async ({ corrupt, options }) => {
    const c = new InputCase(base);
    try {
      const expected = corrupt(c);
      const before = c.hashes();
      const result = await c.run(options ?? LENIENT);
      expect(result.status).toBe('failed');
      expect(result.manifest).toBeUndefined();
      expect(c.runFileExists(result, 'manifest.json')).toBe(false);
      expect(result.failure?.error).toBe(expected.error);
      expect(result.failure?.cause).toContain(expected.cause);
      expect(c.hashes()).toEqual(before);
      if (expected.error === 'DataQualityError') {
        const report = JSON.parse(c.readRunFile(result, 'data_quality.json')) as { status: string; failure: string };
        expect(report.status).toBe('failed');
        expect(report.failure).toContain(expected.cause);
      }
    } finally {
      c.remove();
    }
  });
});
