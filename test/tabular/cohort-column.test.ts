// readCohortColumn: one column of a cohort file, checked as parseCohortFile checks the whole file.
import { describe, expect, it } from 'vitest';
import { parseCohortFile, readCohortColumn } from '../../lambdas/tabular/cohort-file';

const FILE = 'student_id,minutes_watched,paid_in_period\r\n7,12.5,1\r\n\r\n9,0,1\r\n5000000001,3.25,1';

describe('readCohortColumn', () => {
  it('reads the ids or the minutes, in file order, blank lines skipped', async () => {
    expect([...(await readCohortColumn([FILE], 'c.csv', 'student_id'))]).toEqual([7, 9, 5000000001]);
    expect([...(await readCohortColumn([FILE], 'c.csv', 'minutes_watched'))]).toEqual([12.5, 0, 3.25]);
    const whole = await parseCohortFile([FILE], 'c.csv');
    expect(await readCohortColumn([FILE], 'c.csv', 'minutes_watched')).toEqual(whole.minutes);
  });

  it('rejects a bad value of the column read and a header without a paid column', async () => {
    await expect(readCohortColumn(['student_id,minutes_watched,paid_in_period\n1,-2,0\n'], 'c.csv', 'minutes_watched')).rejects.toThrow(
      'c.csv: row 2: minutes_watched must not be negative',
    );
    await expect(readCohortColumn(['student_id,minutes_watched,paid_in_period\n1.5,2,0\n'], 'c.csv', 'student_id')).rejects.toThrow('row 2: student_id must be a whole number');
    await expect(readCohortColumn(['student_id,minutes_watched\n1,2\n'], 'c.csv', 'student_id')).rejects.toThrow('missing column paid_in_period');
  });
});
