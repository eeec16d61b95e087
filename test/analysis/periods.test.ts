// Quarters: the only text about periods that reaches SQL or a file name.
import { describe, expect, it } from 'vitest';
import { PeriodError, parsePeriod, periodOf, quarterIndex, resolveStudyPeriods, rollingPeriods } from '../../lambdas/analysis/periods';

describe('parsePeriod', () => {
  it.each([
    ['2021Q1', '2021-01-01', '2021-03-31', 'paid_q1_2021'],
    ['2021Q2', '2021-04-01', '2021-06-30', 'paid_q2_2021'],
    ['2021Q3', '2021-07-01', '2021-09-30', 'paid_q3_2021'],
    ['2024Q4', '2024-10-01', '2024-12-31', 'paid_q4_2024'],
  ])('%s spans %s..%s with flag column %s', (text, firstDay, lastDay, flagColumn) => {
    expect(parsePeriod(text)).toMatchObject({ label: text, firstDay, lastDay, flagColumn });
  });

  it('accepts lower case, a dash and surrounding spaces, and returns the canonical label', () => {
    for (const text of ['2022q3', '2022-Q3', ' 2022 Q3 ', '2022 - q3']) expect(parsePeriod(text).label).toBe('2022Q3');
    expect(parsePeriod('2022q3')).toEqual(periodOf(2022, 3));
  });

  it.each([['2021Q0'], ['2021Q5'], ['21Q2'], ['2021'], ['Q2 2021'], [''], ['2021Q2x'], ["2021Q2' OR 1=1"]])('refuses %j', (text) => {
    expect(() => parsePeriod(text, 'baseline')).toThrow(PeriodError);
    expect(() => parsePeriod(text, 'baseline')).toThrow(`baseline must be a quarter such as 2021Q2, got ${JSON.stringify(text)}`);
  });

  it('refuses non-strings and out-of-range years', () => {
    expect(() => parsePeriod(2021)).toThrow(/must be a quarter such as 2021Q2, got 2021/);
    expect(() => parsePeriod(null)).toThrow(PeriodError);
    expect(() => parsePeriod('1969Q4')).toThrow(/year 1969 is out of range/);
    expect(() => parsePeriod('3000Q1')).toThrow(/year 3000 is out of range/);
  });
});

describe('rollingPeriods', () => {
  it.each([
    ['2026-11-23T12:00:00Z', '2025Q3', '2026Q3'],
    ['2027-01-05T12:00:00Z', '2025Q4', '2026Q4'],
    ['2026-07-01T00:00:00Z', '2025Q2', '2026Q2'],
    ['2026-06-30T23:59:59Z', '2025Q1', '2026Q1'],
    // UTC decides: 23:30 on Dec 31 in New York is already January in UTC.
    ['2027-01-01T04:30:00Z', '2025Q4', '2026Q4'],
  ])('on %s: latest complete quarter %s -> %s', (now, baseline, comparison) => {
    const periods = rollingPeriods(new Date(now));
    expect([periods.baseline.label, periods.comparison.label]).toEqual([baseline, comparison]);
  });
});

describe('resolveStudyPeriods', () => {
  const now = new Date('2026-11-23T00:00:00Z');

  it('defaults to 2021Q2 vs 2022Q2, fills a missing side with its default', () => {
    const labels = (request: Parameters<typeof resolveStudyPeriods>[0]): string[] => {
      const periods = resolveStudyPeriods(request, now);
      return [periods.baseline.label, periods.comparison.label];
    };
    expect(labels({})).toEqual(['2021Q2', '2022Q2']);
    expect(labels({ baseline: '2020Q1' })).toEqual(['2020Q1', '2022Q2']);
    expect(labels({ comparison: '2023Q1' })).toEqual(['2021Q2', '2023Q1']);
    expect(labels({ rolling: true })).toEqual(['2025Q3', '2026Q3']);
    expect(labels({ rolling: 'true' })).toEqual(['2025Q3', '2026Q3']);
    expect(labels({ rolling: false, baseline: '2021Q1', comparison: '2021Q2' })).toEqual(['2021Q1', '2021Q2']);
  });

  it('refuses a baseline not before the comparison, rolling with quarters, and a bad rolling value', () => {
    expect(() => resolveStudyPeriods({ baseline: '2022Q2', comparison: '2022Q2' }, now)).toThrow('baseline 2022Q2 must be earlier than comparison 2022Q2');
    expect(() => resolveStudyPeriods({ baseline: '2022Q3', comparison: '2022Q2' }, now)).toThrow(PeriodError);
    expect(() => resolveStudyPeriods({ rolling: true, comparison: '2022Q2' }, now)).toThrow(/not both/);
    expect(() => resolveStudyPeriods({ rolling: 1 }, now)).toThrow(/rolling must be true or false, got 1/);
  });

  it('orders quarters across years', () => {
    expect(quarterIndex(parsePeriod('2021Q4'))).toBe(quarterIndex(parsePeriod('2022Q1')) - 1);
  });
});
