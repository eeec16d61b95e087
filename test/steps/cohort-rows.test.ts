// A cohort file lists each student once, all of its plan: an analyst's own period files are held to
// what the SQL stage writes before any figure is taken from them.
import { describe, expect, it } from 'vitest';
import { assertCohortRows } from '../../lambdas/steps/remove-cohort-outliers';
import type { Cohort } from '../../lambdas/tabular/cohort-file';

const cohort = (ids: number[], paid: number[] = ids.map(() => 0)): Cohort => ({
  source: 'minutes_watched_2021Q2_paid_0.csv',
  studentIds: Float64Array.from(ids),
  minutes: Float64Array.from(ids, () => 1),
  paid: Uint8Array.from(paid),
  paidColumnName: 'paid_in_period',
});

describe('cohort rows', () => {
  it('accept each student once, in any order', () => {
    expect(() => assertCohortRows(cohort([1, 2, 5]), 0)).not.toThrow();
    expect(() => assertCohortRows(cohort([5, 1, 2]), 0)).not.toThrow();
    expect(() => assertCohortRows(cohort([]), 0)).not.toThrow();
  });

  it('refuse a student listed twice, naming both rows', () => {
    expect(() => assertCohortRows(cohort([1, 2, 2, 3]), 0)).toThrow('minutes_watched_2021Q2_paid_0.csv: row 4: student_id 2 appears again (first on row 3): a cohort file lists each student once');
    expect(() => assertCohortRows(cohort([9, 4, 7, 4, 9]), 0)).toThrow('row 5: student_id 4 appears again (first on row 3)');
  });

  it('refuse a row of the other plan', () => {
    expect(() => assertCohortRows(cohort([1, 2, 3], [0, 1, 0]), 0)).toThrow('row 3: paid_in_period is 1, but this is the paid_0 cohort file');
    expect(() => assertCohortRows(cohort([1, 2], [1, 1]), 1)).not.toThrow();
  });
});
