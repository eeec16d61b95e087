import { afterEach, expect, it } from 'vitest';
import { openEngagementSql, type SqlHarness } from './engagement-sql-harness';

let harness: SqlHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

it('counts the data rows of each raw engagement table (header excluded), sorted by table name', async () => {
  harness = await openEngagementSql({
    student_info: [['1', '2021-01-01'], ['2', '2021-01-02'], ['3', '2021-01-03']],
    student_purchases: [['1', '1', '0', '2021-01-01', '']],
    student_video_watched: [],
    student_certificates: [['1', '1', '2021-05-01'], ['2', '2', '2021-05-02']],
  });
  const table = await harness.runFile('engagement_input_counts.sql');
  expect(table.header).toEqual(['table_name', 'row_count']);
  expect(table.rows).toEqual([
    ['raw_student_certificates', '2'],
    ['raw_student_info', '3'],
    ['raw_student_purchases', '1'],
    ['raw_student_video_watched', '0'],
  ]);
});
