// The validation's run options and the validation_settings view they become.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_OPTIONS, resolveAnalysisOptions } from '../../lambdas/core/run-options';
import { fileOverShare, type FileQuality } from '../../lambdas/core/validation/data-quality';
import { withRunId } from '../../lambdas/core/run-sql';
import { validationSettingsSql } from '../../lambdas/core/validation/settings';
import { readQuery } from '../../lib/queries';

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
  });
  it.each([
    [{ dataStart: '2021-02-30' }, 'option dataStart must be a real date YYYY-MM-DD, got "2021-02-30"'],
    [{ dataEnd: 20220630 }, 'option dataEnd must be a real date YYYY-MM-DD, got 20220630'],
    [{ dataStart: '2022-01-01', dataEnd: '2021-12-31' }, 'option dataStart (2022-01-01) must not be after dataEnd (2021-12-31)'],
    [{ maxBadRowShare: 1.5 }, 'option maxBadRowShare must be a number in [0, 1], got 1.5'],
    [{ dataStart: '1969-12-31' }, 'option dataStart must be within 1970-01-01..2100-12-31, got 1969-12-31'],
  ])('reject %j', (options, message) => {
    expect(() => resolveAnalysisOptions(options)).toThrow(message);
  });
});

describe('validation_settings view', () => {
  it('is the statement of queries/ddl/validation_settings.sql for the default range', () => {
    const file = readQuery('ddl/validation_settings.sql');
    expect(validationSettingsSql(DEFAULT_ANALYSIS_OPTIONS, 'run-1')).toBe(withRunId(file, 'run-1'));
    expect(validationSettingsSql(DEFAULT_ANALYSIS_OPTIONS, 'run-1')).toContain("'run-1' AS run_id");
    expect(readFileSync(path.join(__dirname, '../../queries/ddl/validation_settings.sql'), 'utf8')).toContain("DATE '2100-12-31'");
  });
  it('writes a declared range and refuses anything but real dates', () => {
    expect(validationSettingsSql({ dataStart: '2020-01-01', dataEnd: '2022-06-30' }, 'r')).toContain("DATE '2020-01-01' AS data_start, DATE '2022-06-30' AS data_end");
    expect(() => validationSettingsSql({ dataStart: "2020-01-01' OR 1=1 --", dataEnd: '2022-06-30' }, 'r')).toThrow('real YYYY-MM-DD');
  });
  it('refuses a run id that could end the SQL string literal', () => {
    expect(() => validationSettingsSql(DEFAULT_ANALYSIS_OPTIONS, "x' OR '1'='1")).toThrow(/run id must be/);
    expect(() => withRunId("SELECT '{{run_id}}'", 'a'.repeat(81))).toThrow(/run id must be/);
    expect(() => withRunId('SELECT 1', 'ok')).toThrow(/placeholder/);
    expect(withRunId("WHERE a = '{{run_id}}' OR b = '{{run_id}}'", 'r-1_2')).toBe("WHERE a = 'r-1_2' OR b = 'r-1_2'");
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
    quarantineKey: null,
    firstBadRow: null,
  });
  it('allows exactly the share and fails above it', () => {
    expect(fileOverShare([file(100, 1)], 0.01)).toBeUndefined();
    expect(fileOverShare([file(100, 2)], 0.01)?.file).toBe('f.csv');
    expect(fileOverShare([file(100, 1)], 0)?.file).toBe('f.csv');
    expect(fileOverShare([file(100, 100)], 1)).toBeUndefined();
  });
});
