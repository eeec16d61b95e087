// The declared data range (run options dataStart/dataEnd) bounds the events the extract covers:
// registrations, purchases, views and certificates. Each range rule on hand-made rows at both
// edges: the day before the start and the day after the end are quarantined, the start and the end
// are kept. A refund is recorded after its purchase and may fall after the end: it is kept; a
// refund before its purchase is not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../lambdas/tabular/csv';
import { DuckDbAthena } from '../../lib/local/duckdb-athena';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { parseS3Uri } from '../../lambdas/io/object-store';
import { ENGAGEMENT_CHECK_FILES, runSqlOf, writeEngagementInput } from '../sql/engagement-sql-harness';

const RANGE = { dataStart: '2021-03-01', dataEnd: '2021-10-31' };
const EDGES = { dayBefore: '2021-02-28', start: '2021-03-01', end: '2021-10-31', dayAfter: '2021-11-01' };
const RUN_ID = 'range-edges';

let dir: string;
let athena: DuckDbAthena;
let store: LocalObjectStore;

/** key -> reject_reason ('accepted' for none) of one checked table, keyed by a typed column. */
async function reasonsBy(table: string, key: string): Promise<Record<string, string>> {
  const result = await athena.startQueryExecutionSync({
    QueryString: `SELECT CAST(${key} AS VARCHAR) AS k, COALESCE(reject_reason, 'accepted') AS reason FROM checked_${table} WHERE run_id = '${RUN_ID}' ORDER BY 1`,
  });
  const text = await store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key);
  return Object.fromEntries((await readCsvTable([text], table)).rows.map(([k, reason]) => [k!, reason!]));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'data-range-'));
  const inputDir = path.join(dir, 'input');
  await writeEngagementInput(inputDir, {
    // Students 1-4 on the edges; student 10, registered on the first day, owns the events.
    student_info: [
      ['1', EDGES.dayBefore],
      ['2', EDGES.start],
      ['3', EDGES.end],
      ['4', EDGES.dayAfter],
      ['10', EDGES.start],
    ],
    student_purchases: [
      ['1', '10', '0', EDGES.dayBefore, ''],
      ['2', '10', '0', EDGES.start, ''],
      ['3', '10', '0', EDGES.end, ''],
      ['4', '10', '0', EDGES.dayAfter, ''],
      // Bought on the last day, refunded two weeks after the extract's end: a valid purchase.
      ['5', '10', '2', EDGES.end, '2021-11-14'],
      // Bought on the first day, refunded the same day: the earliest refund there can be.
      ['6', '10', '1', EDGES.start, EDGES.start],
      ['7', '10', '1', '2021-06-01', '2021-05-31'],
    ],
    student_video_watched: [
      ['10', '1', '60', EDGES.dayBefore],
      ['10', '2', '60', EDGES.start],
      ['10', '3', '60', EDGES.end],
      ['10', '4', '60', EDGES.dayAfter],
    ],
    student_certificates: [
      ['1', '10', EDGES.dayBefore],
      ['2', '10', EDGES.start],
      ['3', '10', EDGES.end],
      ['4', '10', EDGES.dayAfter],
    ],
  });
  store = new LocalObjectStore({ inputDir, mounts: [{ prefix: 'athena-results/', dir: path.join(dir, 'athena-results') }] });
  athena = await DuckDbAthena.open({ store, inputDir, checkedDir: path.join(dir, 'checked') });
  for (const file of ENGAGEMENT_CHECK_FILES) await athena.startQueryExecutionSync({ QueryString: await runSqlOf(file, RUN_ID, RANGE) });
});
afterAll(async () => {
  await athena?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`the declared data range ${RANGE.dataStart}..${RANGE.dataEnd}`, () => {
  it('bounds registrations', async () => {
    expect(await reasonsBy('student_info', 'student_key')).toEqual({
      '1': 'date_registered outside the data range',
      '2': 'accepted',
      '3': 'accepted',
      '4': 'date_registered outside the data range',
      '10': 'accepted',
    });
  });

  it('bounds purchases, not refunds: a refund after the end is kept, one before its purchase is not', async () => {
    expect(await reasonsBy('student_purchases', 'purchase_key')).toEqual({
      '1': 'date_purchased outside the data range',
      '2': 'accepted',
      '3': 'accepted',
      '4': 'date_purchased outside the data range',
      '5': 'accepted',
      '6': 'accepted',
      '7': 'refund before purchase',
    });
  });

  it('bounds views', async () => {
    expect(await reasonsBy('student_video_watched', 'course_key')).toEqual({
      '1': 'date_watched outside the data range',
      '2': 'accepted',
      '3': 'accepted',
      '4': 'date_watched outside the data range',
    });
  });

  it('bounds certificates', async () => {
    expect(await reasonsBy('student_certificates', 'certificate_key')).toEqual({
      '1': 'date_issued outside the data range',
      '2': 'accepted',
      '3': 'accepted',
      '4': 'date_issued outside the data range',
    });
  });
});
