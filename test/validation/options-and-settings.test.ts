// The validation's run options and the run values they put in each query's text.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_OPTIONS, resolveAnalysisOptions } from '../../lambdas/contracts/run-options';
import { fileOverShare, shareFailureMessage, type FileQuality } from '../../lambdas/validation/data-quality';
import { fillRunQuery } from '../../lambdas/athena/run-sql';
import { readRunQuery } from '../../lib/queries';

describe('validation options', () => {
  it('default to a 1% share and plausible dates 1970-01-01..2100-12-31', () => {
    expect(resolveAnalysisOptions(undefined)).toMatchObject({ maxBadRowShare: 0.01, dataStart: '1970-01-01', dataEnd: '2100-12-31' });
  });
  it('accept a declared range and a share, as the CLI passes them (strings)', () => {
    expect(resolveAnalysisOptions({ dataStart: '2020-01-01', dataEnd: '2022-06-30', maxBadRowShare: '0.05' })).toMatchObject({
      dataStart: '2020-01-01',
      dataEnd: '2022-06-30',
      maxBadRowShare: 0.05,
    });
    expect(resolveAnalysisOptions({ alpha: '.05', predictMinutes: '1.2e3', seed: '+7' })).toMatchObject({ alpha: 0.05, predictMinutes: 1200, seed: 7 });
  });
  it.each([
    [{ dataStart: '2021-02-30' }, 'option dataStart must be a real date YYYY-MM-DD, got "2021-02-30"'],
    [{ dataEnd: 20220630 }, 'option dataEnd must be a real date YYYY-MM-DD, got 20220630'],
    [{ dataStart: '2022-01-01', dataEnd: '2021-12-31' }, 'option dataStart (2022-01-01) must not be after dataEnd (2021-12-31)'],
    [{ maxBadRowShare: 1.5 }, 'option maxBadRowShare must be a number in [0, 1], got 1.5'],
    [{ dataStart: '1969-12-31' }, 'option dataStart must be within 1970-01-01..2100-12-31, got 1969-12-31'],
    // Only plain decimals: hex, binary, octal and padded text are typos, not numbers.
    [{ maxBadRowShare: '0x1' }, 'option maxBadRowShare must be a number in [0, 1], got "0x1"'],
    [{ seed: '0b101' }, 'option seed must be'],
    [{ outlierQuantile: '0o1' }, 'option outlierQuantile must be'],
    [{ maxBadRowShare: ' 0.5' }, 'option maxBadRowShare must be a number in [0, 1], got " 0.5"'],
    [{ alpha: 'Infinity' }, 'option alpha must be'],
  ])('reject %j', (options, message) => {
    expect(() => resolveAnalysisOptions(options)).toThrow(message);
  });
});

describe('run query values', () => {
  const values = { runId: 'run-1', dataStart: '2020-01-01', dataEnd: '2022-06-30' };
  it("put the run's id and declared range in the checks' run_settings CTE", () => {
    const sql = fillRunQuery(readRunQuery('check/student_info.sql'), values);
    expect(sql).toContain("run_settings AS (\nSELECT DATE '2020-01-01' AS data_start, DATE '2022-06-30' AS data_end, 'run-1' AS run_id\n)");
    expect(sql).not.toContain('{{');
  });
  it('refuse anything but real dates', () => {
    expect(() => fillRunQuery("SELECT DATE '{{data_start}}'", { ...values, dataStart: "2020-01-01' OR 1=1 --" })).toThrow('real YYYY-MM-DD');
    expect(() => fillRunQuery("SELECT DATE '{{data_end}}'", { ...values, dataEnd: '2021-02-30' })).toThrow('real YYYY-MM-DD');
  });
  it('refuse a run id that could end the SQL string literal', () => {
    expect(() => fillRunQuery("SELECT '{{run_id}}'", { ...values, runId: "x' OR '1'='1" })).toThrow(/run id must be/);
    expect(() => fillRunQuery("SELECT '{{run_id}}'", { ...values, runId: 'a'.repeat(81) })).toThrow(/run id must be/);
  });
  it('fill every occurrence and refuse an unknown placeholder', () => {
    expect(fillRunQuery("WHERE a = '{{run_id}}' OR b = '{{run_id}}'", { ...values, runId: 'r-1_2' })).toBe("WHERE a = 'r-1_2' OR b = 'r-1_2'");
    expect(() => fillRunQuery("SELECT '{{period}}'", values)).toThrow(/unknown placeholder \{\{period\}\}/);
  });
  it('default to the plausible range', () => {
    expect(fillRunQuery("SELECT DATE '{{data_start}}', DATE '{{data_end}}'", { ...DEFAULT_ANALYSIS_OPTIONS, runId: 'r' })).toBe("SELECT DATE '1970-01-01', DATE '2100-12-31'");
  });
});

describe('the bad-row share', () => {
  const file = (input: number, bad: number): FileQuality => ({
    study: 'engagement',
    file: 'f.csv',
    inputRows: input,
    acceptedRows: input - bad,
    quarantinedRows: bad,
    reasons: bad ? { r: bad } : {},
    quarantineFile: null,
    firstBadRow: null,
  });
  it('allows exactly the share and fails above it', () => {
    expect(fileOverShare([file(100, 1)], 0.01)).toBeUndefined();
    expect(fileOverShare([file(100, 2)], 0.01)?.file).toBe('f.csv');
    expect(fileOverShare([file(100, 1)], 0)?.file).toBe('f.csv');
    expect(fileOverShare([file(100, 100)], 1)).toBeUndefined();
  });

  it('points at student_info.csv when the failing file lost rows of students quarantined there', () => {
    const students: FileQuality = { ...file(300, 1), file: 'student_info.csv', reasons: { 'date_registered is not a real YYYY-MM-DD date': 1 }, quarantineFile: 'quarantine/student_info.csv' };
    const views: FileQuality = { ...file(460, 5), file: 'student_video_watched.csv', reasons: { 'unknown student_id': 5 }, quarantineFile: 'quarantine/student_video_watched.csv' };
    expect(shareFailureMessage(views, 0.01, [students, views])).toBe(
      "student_video_watched.csv: row ?: 5 of 460 rows (1.1%) failed validation, more than the allowed 1% (option maxBadRowShare); see quarantine/student_video_watched.csv in the run's folder; " +
        "5 of them are 'unknown student_id', which includes the rows of the 1 student quarantined in student_info.csv (quarantine/student_info.csv): fix that file first",
    );
    // Nothing quarantined in student_info.csv: no pointer.
    expect(shareFailureMessage(views, 0.01, [{ ...students, quarantinedRows: 0, acceptedRows: 300, reasons: {} }, views])).not.toContain('fix that file first');
  });

  it('spells out characters a terminal shows as nothing or as a space in the row it quotes', () => {
    const students: FileQuality = {
      ...file(100, 2),
      file: 'student_info.csv',
      reasons: { 'student_id is not an integer in 0..9007199254740991': 2 },
      firstBadRow: { line: 7, reason: 'student_id is not an integer in 0..9007199254740991', values: { student_id: '\uFEFF1000', date_registered: '2021-01-01\u00A0' } },
    };
    expect(shareFailureMessage(students, 0.01)).toContain('row 7: student_id is not an integer in 0..9007199254740991 (student_id=\\ufeff1000, date_registered=2021-01-01\\u00a0)');
  });
});
