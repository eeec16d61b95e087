import { describe, expect, it } from 'vitest';
import { parsePeriod, resolveStudyPeriods } from '../../lambdas/analysis/periods';
import {
  QUERY_PARAMETER_FIELDS,
  cohortMinutesParameters,
  minutesAndCertificatesParameters,
  orderedParameters,
  purchasesInfoFlagsParameters,
  quotedParameter,
} from '../../lambdas/athena/query-parameters';
import { queryParameterOrder } from '../../lib/queries';

const periods = resolveStudyPeriods({ baseline: '2021Q2', comparison: '2022Q2' });

describe('query parameters', () => {
  it('quotes strings as SQL literals', () => {
    expect(quotedParameter("it's")).toBe("'it''s'");
  });

  it('cohort_minutes: bare partition year/quarter, quoted first/last day, bare paid flag', () => {
    expect(cohortMinutesParameters(parsePeriod('2021Q2'), 1)).toEqual({ year: '2021', quarter: '2', firstDay: "'2021-04-01'", lastDay: "'2021-06-30'", paid: '1' });
    expect(cohortMinutesParameters(parsePeriod('2022Q4'), 0)).toEqual({ year: '2022', quarter: '4', firstDay: "'2022-10-01'", lastDay: "'2022-12-31'", paid: '0' });
    expect(() => cohortMinutesParameters(parsePeriod('2022Q4'), 2 as 0)).toThrow(/paid must be 0 or 1/);
  });

  it('minutes_and_certificates and purchases_info_flags: each period\'s partition and days by name', () => {
    expect(minutesAndCertificatesParameters(periods)).toEqual({
      baselineYear: '2021', baselineQuarter: '2', baselineFirstDay: "'2021-04-01'", baselineLastDay: "'2021-06-30'",
      comparisonYear: '2022', comparisonQuarter: '2', comparisonFirstDay: "'2022-04-01'", comparisonLastDay: "'2022-06-30'",
    });
    expect(purchasesInfoFlagsParameters(periods)).toEqual({
      baselineFirstDay: "'2021-04-01'", baselineLastDay: "'2021-06-30'", comparisonFirstDay: "'2022-04-01'", comparisonLastDay: "'2022-06-30'",
    });
  });

  // The positional lists Athena received before the parameters had names, written out by hand from
  // each `?` of the SQL: the marker order must give exactly these.
  it('in the SQL files\' marker order, gives the lists each `?` expects', () => {
    const cohort = cohortMinutesParameters(parsePeriod('2021Q2'), 1);
    expect(orderedParameters(queryParameterOrder('cohort_minutes.sql'), cohort)).toEqual(['2021', '2', "'2021-04-01'", "'2021-06-30'", "'2021-06-30'", "'2021-04-01'", '1']);
    expect(orderedParameters(queryParameterOrder('minutes_and_certificates.sql'), minutesAndCertificatesParameters(periods))).toEqual([
      '2021', '2', '2022', '2', "'2021-04-01'", "'2021-06-30'", "'2022-04-01'", "'2022-06-30'", '2022', '2', "'2022-04-01'", "'2022-06-30'",
    ]);
    expect(orderedParameters(queryParameterOrder('purchases_info_flags.sql'), purchasesInfoFlagsParameters(periods))).toEqual([
      "'2021-06-30'", "'2021-04-01'", "'2022-06-30'", "'2022-04-01'",
    ]);
  });

  it('refuses to order a value set that lacks a marker\'s field', () => {
    expect(() => orderedParameters(['year', 'paid'], { year: '2021' })).toThrow(/no value for the query parameter marker :paid/);
  });

  it('every parameterised query file\'s markers name exactly its fields', () => {
    for (const file of Object.keys(QUERY_PARAMETER_FIELDS) as (keyof typeof QUERY_PARAMETER_FIELDS)[]) {
      expect(new Set(queryParameterOrder(file)), file).toEqual(new Set(QUERY_PARAMETER_FIELDS[file]));
    }
  });
});
