// purchases_info: date_end rules, each worked out by hand from the calendar.
import { afterEach, describe, expect, it } from 'vitest';
import { openEngagementSql, type SqlHarness } from './engagement-sql-harness';

const END_QUERY = 'SELECT purchase_id, plan_id, date_start, date_end FROM purchases_info ORDER BY purchase_id';

let harness: SqlHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** purchase rows: [purchase_id, plan_id, date_purchased, date_refunded]; student 1 owns them all. */
async function endsOf(purchases: [string, string, string, string][]): Promise<Record<string, string>> {
  harness = await openEngagementSql({ student_purchases: purchases.map(([id, plan, bought, refunded]) => [id, '1', plan, bought, refunded]) });
  const { rows } = await harness.runSql(END_QUERY);
  return Object.fromEntries(rows.map(([id, , , end]) => [id!, end!]));
}

describe('purchases_info date_end', () => {
  it('clamps a monthly plan bought on the 31st to the end of February', async () => {
    // Jan 31 + 1 month has no Feb 31: 2021 is not a leap year -> Feb 28; 2020 is -> Feb 29.
    expect(await endsOf([
      ['1', '0', '2021-01-31', ''],
      ['2', '0', '2020-01-31', ''],
    ])).toEqual({ '1': '2021-02-28', '2': '2020-02-29' });
  });

  it('clamps a quarterly plan bought on Nov 30 to the end of February', async () => {
    // Nov 30 + 3 months = Feb 30 -> Feb 28 in 2021, Feb 29 in 2020 (leap year).
    expect(await endsOf([
      ['1', '1', '2020-11-30', ''],
      ['2', '1', '2019-11-30', ''],
    ])).toEqual({ '1': '2021-02-28', '2': '2020-02-29' });
  });

  it('ends an annual plan on the same day a year later, Feb 29 clamped to Feb 28', async () => {
    expect(await endsOf([
      ['1', '2', '2021-06-15', ''],
      ['2', '2', '2020-02-29', ''],
    ])).toEqual({ '1': '2022-06-15', '2': '2021-02-28' });
  });

  it('ends a plan on its refund day when refunded before the natural end', async () => {
    // Annual from 2021-05-01 would end 2022-05-01; the refund on 2021-05-10 ends it then.
    expect(await endsOf([['1', '2', '2021-05-01', '2021-05-10']])).toEqual({ '1': '2021-05-10' });
  });

  it('ends a plan refunded on the purchase day on that same day', async () => {
    expect(await endsOf([['1', '1', '2021-05-20', '2021-05-20']])).toEqual({ '1': '2021-05-20' });
  });

  it('gives a lifetime plan no end (NULL, an empty unquoted field) unless refunded', async () => {
    await endsOf([
      ['1', '3', '2020-01-01', ''],
      ['2', '3', '2021-01-01', '2021-01-05'],
    ]);
    const { text } = await harness!.runSql(END_QUERY);
    // NULL is written as nothing between the commas, a value always quoted.
    expect(text).toBe(
      '"purchase_id","plan_id","date_start","date_end"\n' + '"1","3","2020-01-01",\n' + '"2","3","2021-01-01","2021-01-05"\n',
    );
  });

  it('keeps the purchase columns and starts access on the purchase day', async () => {
    harness = await openEngagementSql({ student_purchases: [['7', '42', '0', '2021-03-15', '']] });
    const { header, rows } = await harness.runSql('SELECT * FROM purchases_info');
    expect(header).toEqual(['purchase_id', 'student_id', 'plan_id', 'date_purchased', 'date_refunded', 'date_start', 'date_end']);
    // Mar 15 + 1 month = Apr 15; an empty date_refunded is NULL.
    expect(rows).toEqual([['7', '42', '0', '2021-03-15', '', '2021-03-15', '2021-04-15']]);
  });
});
