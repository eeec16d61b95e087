// The workbook's dates come from the comparison period, never the clock, so reruns write the same
// bytes: the planned period's last day, or, in a statistics-only run, the last day its label names.
import { describe, expect, it } from 'vitest';
import { workbookDate } from '../../lambdas/steps/write-engagement-workbook';

describe('workbookDate', () => {
  it.each([
    [{ label: '2022Q2', lastDay: '2022-06-30' }, '2022-06-30'],
    // Statistics-only runs: only the period files' label.
    [{ label: '2022Q2' }, '2022-06-30'],
    [{ label: '2021q4' }, '2021-12-31'],
    [{ label: '2022' }, '2022-12-31'],
    [{ label: 'spring' }, '1980-01-01'],
  ])('%j gives %s', (period, day) => {
    expect(workbookDate(period).toISOString().slice(0, 10)).toBe(day);
  });
});
