import { describe, expect, it } from 'vitest';
import { parsePeriod, resolveStudyPeriods } from '../../lambdas/analysis/periods';
import { cohortMinutesParameters, minutesAndCertificatesParameters, purchasesInfoFlagsParameters, quotedParameter } from '../../lambdas/athena/query-parameters';

const periods = resolveStudyPeriods({ baseline: '2021Q2', comparison: '2022Q2' });

describe('query parameters', () => {
  it('quotes strings as SQL literals', () => {
    expect(quotedParameter("it's")).toBe("'it''s'");
  });

  it('cohort_minutes: bare partition year/quarter, viewing first/last, overlap last/first, bare paid flag', () => {
    expect(cohortMinutesParameters(parsePeriod('2021Q2'), 1)).toEqual(['2021', '2', "'2021-04-01'", "'2021-06-30'", "'2021-06-30'", "'2021-04-01'", '1']);
    expect(cohortMinutesParameters(parsePeriod('2022Q4'), 0)).toEqual(['2022', '4', "'2022-10-01'", "'2022-12-31'", "'2022-12-31'", "'2022-10-01'", '0']);
    expect(() => cohortMinutesParameters(parsePeriod('2022Q4'), 2 as 0)).toThrow(/paid must be 0 or 1/);
  });

  it('minutes_and_certificates: both partitions, baseline days, comparison days; comparison partition and days', () => {
    expect(minutesAndCertificatesParameters(periods)).toEqual([
      '2021', '2', '2022', '2', "'2021-04-01'", "'2021-06-30'", "'2022-04-01'", "'2022-06-30'", '2022', '2', "'2022-04-01'", "'2022-06-30'",
    ]);
  });

  it('purchases_info_flags: baseline last/first, comparison last/first', () => {
    expect(purchasesInfoFlagsParameters(periods)).toEqual(["'2021-06-30'", "'2021-04-01'", "'2022-06-30'", "'2022-04-01'"]);
  });
});
