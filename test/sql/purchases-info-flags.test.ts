// purchases_info_flags: each purchase's access days and whether they overlap 2021Q2 and 2022Q2.
import { afterEach, expect, it } from 'vitest';
import { resolveStudyPeriods } from '../../lambdas/analysis/periods';
import { purchasesInfoFlagsParameters } from '../../lambdas/athena/query-parameters';
import { openEngagementSql, type SqlHarness } from './engagement-sql-harness';

let harness: SqlHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

it('flags each purchase by overlap with the baseline and comparison periods', async () => {
  harness = await openEngagementSql({
    student_purchases: [
      ['1', '10', '2', '2021-06-15', ''], // ends 2022-06-15: overlaps 2021Q2 and 2022Q2
      ['2', '10', '0', '2021-01-31', ''], // ends 2021-02-28: neither
      ['3', '11', '3', '2019-12-01', ''], // lifetime: both
      ['4', '12', '1', '2022-03-15', ''], // ends 2022-06-15: comparison only
      ['5', '12', '0', '2021-06-30', '2021-06-30'], // refunded the same day, the baseline's last day: baseline only
      ['6', '13', '0', '2022-07-01', ''], // starts after 2022Q2: neither
    ],
  });
  const periods = resolveStudyPeriods({ baseline: '2021Q2', comparison: '2022Q2' });
  const table = await harness.runFile('purchases_info_flags.sql', purchasesInfoFlagsParameters(periods));
  expect(table.header).toEqual(['purchase_id', 'student_id', 'plan_id', 'date_start', 'date_end', 'paid_baseline', 'paid_comparison']);
  expect(table.rows).toEqual([
    ['1', '10', '2', '2021-06-15', '2022-06-15', '1', '1'],
    ['2', '10', '0', '2021-01-31', '2021-02-28', '0', '0'],
    ['3', '11', '3', '2019-12-01', '', '1', '1'],
    ['4', '12', '1', '2022-03-15', '2022-06-15', '0', '1'],
    ['5', '12', '0', '2021-06-30', '2021-06-30', '1', '0'],
    ['6', '13', '0', '2022-07-01', '2022-08-01', '0', '0'],
  ]);
});

it('counts both boundary days: an access ending on a period\'s first day or starting on its last day overlaps it', async () => {
  harness = await openEngagementSql({
    student_purchases: [
      ['1', '20', '1', '2022-01-01', ''], // quarterly, ends 2022-04-01: the comparison's first day
      ['2', '21', '0', '2021-02-15', '2021-04-01'], // refunded on the baseline's first day
      ['3', '22', '0', '2022-06-30', ''], // starts on the comparison's last day
      ['4', '23', '0', '2021-03-01', '2021-03-31'], // refunded the day before the baseline: neither
      ['5', '24', '0', '2022-07-01', ''], // starts the day after the comparison: neither
    ],
  });
  const periods = resolveStudyPeriods({ baseline: '2021Q2', comparison: '2022Q2' });
  const table = await harness.runFile('purchases_info_flags.sql', purchasesInfoFlagsParameters(periods));
  expect(table.rows.map(([id, , , start, end, baseline, comparison]) => [id, start, end, baseline, comparison])).toEqual([
    ['1', '2022-01-01', '2022-04-01', '0', '1'],
    ['2', '2021-02-15', '2021-04-01', '1', '0'],
    ['3', '2022-06-30', '2022-07-30', '0', '1'],
    ['4', '2021-03-01', '2021-03-31', '0', '0'],
    ['5', '2022-07-01', '2022-08-01', '0', '0'],
  ]);
});
