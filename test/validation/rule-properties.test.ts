// Property tests of the row rules: the engagement rules in SQL (queries/check/ on DuckDB, as the
// local runner runs them) and the MOOC loader's. A valid row is never quarantined; the same row with
// one field corrupted always is.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SPAN_DAYS, MAX_TIMESTAMP_SECONDS, loadMoocActions } from '../../lambdas/tabular/mooc-load';
import { DuckDbAthena } from '../../lib/local/duckdb-athena';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { parseS3Uri } from '../../lambdas/io/object-store';
import { readCsvTable } from '../../lambdas/tabular/csv';
import { ENGAGEMENT_CHECK_FILES, runSqlOf, writeEngagementInput } from '../sql/engagement-sql-harness';

const DAY_MS = 86_400_000;
const FIRST = Date.UTC(1970, 0, 1);
const LAST = Date.UTC(2100, 11, 31);
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayIn = (from: number, to: number) => fc.integer({ min: Math.floor(from / DAY_MS), max: Math.floor(to / DAY_MS) }).map((d) => d * DAY_MS);
/** Ids over the range the id rule allows, its edges included (2^53 - 1 is every Lambda's largest exact integer). */
const id = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.maxSafeNat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER)).map(String);

/** One student with a purchase, a view and a certificate, all valid. */
const validStudent = fc
  .record({ student: id, purchase: id, certificate: id, course: id, plan: fc.constantFrom('0', '1', '2', '3'), registered: dayIn(FIRST, LAST) })
  .chain((s) =>
    fc.record({
      s: fc.constant(s),
      purchased: dayIn(FIRST, LAST),
      // A refund may fall after the data range's end (2100-12-31 here): the range bounds purchases, not refunds.
      refundAfter: fc.option(fc.integer({ min: 0, max: 400 })),
      watched: dayIn(s.registered, LAST),
      issued: dayIn(s.registered, LAST),
      seconds: fc.oneof(fc.integer({ min: 0, max: 10 ** 9 }).map(String), fc.tuple(fc.nat(99999), fc.nat(999)).map(([a, b]) => `${a}.${b}`)),
    }),
  )
  .map(({ s, purchased, refundAfter, watched, issued, seconds }) => ({
    student_info: [[s.student, dayText(s.registered)]],
    student_purchases: [[s.purchase, s.student, s.plan, dayText(purchased), refundAfter === null ? '' : dayText(purchased + refundAfter * DAY_MS)]],
    student_video_watched: [[s.student, s.course, seconds, dayText(watched)]],
    student_certificates: [[s.certificate, s.student, dayText(issued)]],
  }));

type Rows = { [table: string]: string[][] };
const BAD_ID = fc.constantFrom('', 'x', '-1', '+1', '1.0', ' 1', '1 ', '1e3', '0x1F', '9007199254740992', '12345678901234567', '00000000000000001', '12345678901234567890');
const BAD_DATE = fc.constantFrom('', '2021-02-30', '2021-2-3', '20210101', '2101-01-01', '1969-12-31', '2021-13-01', 'yesterday');
/** table, column, bad values: each corrupts exactly that field of the valid row. */
const CORRUPTIONS: [string, number, fc.Arbitrary<string>][] = [
  ['student_info', 0, BAD_ID],
  ['student_info', 1, BAD_DATE],
  ['student_purchases', 0, BAD_ID],
  ['student_purchases', 1, BAD_ID],
  ['student_purchases', 2, fc.constantFrom('', '4', '-1', '0.0', 'x')],
  ['student_purchases', 3, BAD_DATE],
  ['student_purchases', 4, fc.constantFrom('2021-02-30', 'x', '1969-12-31')],
  ['student_video_watched', 0, BAD_ID],
  ['student_video_watched', 1, BAD_ID],
  ['student_video_watched', 2, fc.constantFrom('', '-1', '-0.5', 'abc', '1e3', 'NaN', 'Infinity')],
  ['student_video_watched', 3, BAD_DATE],
  ['student_certificates', 0, BAD_ID],
  ['student_certificates', 1, BAD_ID],
  ['student_certificates', 2, BAD_DATE],
];

let dir: string;
let athena: DuckDbAthena;
let store: LocalObjectStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rule-properties-'));
  await writeEngagementInput(path.join(dir, 'input'), {});
  store = new LocalObjectStore({ inputDir: path.join(dir, 'input'), mounts: [{ prefix: 'athena-results/', dir: path.join(dir, 'athena-results') }] });
  athena = await DuckDbAthena.open({ store, inputDir: path.join(dir, 'input'), checkedDir: path.join(dir, 'checked') });
});
afterAll(async () => {
  await athena.close();
  rmSync(dir, { recursive: true, force: true });
});

let runs = 0;

/** reject_reason of every row of each checked table, 'accepted' for NULL; each call checks as a run of its own. */
async function reasons(rows: Rows): Promise<Record<string, string[]>> {
  await writeEngagementInput(path.join(dir, 'input'), rows);
  const runId = `property-${++runs}`;
  for (const file of ENGAGEMENT_CHECK_FILES) await athena.startQueryExecutionSync({ QueryString: await runSqlOf(file, runId) });
  const out: Record<string, string[]> = {};
  for (const table of Object.keys(rows)) {
    const result = await athena.startQueryExecutionSync({
      QueryString: `SELECT COALESCE(reject_reason, 'accepted') AS reason FROM checked_${table} WHERE run_id = '${runId}'`,
    });
    const text = await store.getText(parseS3Uri(result.QueryExecution.ResultConfiguration.OutputLocation).key);
    out[table] = (await readCsvTable([text], table)).rows.map((row) => row[0]!);
  }
  return out;
}

describe('engagement rules (queries/check/ into checked_* tables)', () => {
  it('never quarantine a valid row', async () => {
    await fc.assert(
      fc.asyncProperty(validStudent, async (rows) => {
        const result = await reasons(rows);
        for (const table of Object.keys(rows)) expect({ table, reasons: result[table] }).toEqual({ table, reasons: ['accepted'] });
      }),
      { numRuns: 40 },
    );
  });

  it('always quarantine a row with one corrupted field', async () => {
    const corruption = fc.constantFrom(...CORRUPTIONS).chain(([table, column, bad]) => fc.tuple(fc.constant(table), fc.constant(column), bad));
    await fc.assert(
      fc.asyncProperty(validStudent, corruption, async (rows, [table, column, bad]) => {
        const corrupted: Rows = structuredClone(rows);
        corrupted[table]![0]![column] = bad;
        const result = await reasons(corrupted);
        expect(result[table], `${table} column ${column} = ${JSON.stringify(bad)}`).toHaveLength(1);
        expect(result[table]![0], `${table} column ${column} = ${JSON.stringify(bad)}`).not.toBe('accepted');
      }),
      { numRuns: 100 },
    );
  });

  it('quarantine a refund dated before its purchase and a view or certificate before registration', async () => {
    await fc.assert(
      fc.asyncProperty(validStudent, fc.integer({ min: 1, max: 300 }), async (rows, daysEarly) => {
        const registered = Date.parse(rows.student_info[0]![1]!);
        const purchased = Date.parse(rows.student_purchases[0]![3]!);
        fc.pre(registered - daysEarly * DAY_MS >= FIRST && purchased - daysEarly * DAY_MS >= FIRST);
        const corrupted: Rows = structuredClone(rows);
        corrupted.student_purchases![0]![4] = dayText(purchased - daysEarly * DAY_MS);
        corrupted.student_video_watched![0]![3] = dayText(registered - daysEarly * DAY_MS);
        corrupted.student_certificates![0]![2] = dayText(registered - daysEarly * DAY_MS);
        const result = await reasons(corrupted);
        expect(result.student_purchases).toEqual(['refund before purchase']);
        expect(result.student_video_watched).toEqual(['view before registration']);
        expect(result.student_certificates).toEqual(['certificate before registration']);
      }),
      { numRuns: 30 },
    );
  });
});

describe('MOOC row rules (loader, rowFaults quarantine)', () => {
  /** Not the id rule: a sign, an exponent, hex, spaces, a fraction, 2^53 and beyond, too many digits. */
  const BAD_MOOC_ID = fc.constantFrom('', 'x', '-1', '+1', '1e1', '0x1F', ' 1', '1 ', '1.5', '9007199254740992', '12345678901234567', '00000000000000001');
  const number = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String);
  // Times within the span the loader takes, from 0 or ending at the last second it takes, in time
  // order (each user's actions must be).
  const SPAN = MAX_SPAN_DAYS * 86400;
  const validRows = fc
    .tuple(
      fc.constantFrom(0, MAX_TIMESTAMP_SECONDS - SPAN),
      fc.array(
        fc.record({
          // Ids over the whole range the id rule allows, its edges included (id-rule.ts).
          actionId: fc.oneof(fc.maxSafeNat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER)),
          user: fc.oneof(fc.maxSafeNat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER)),
          target: fc.oneof(fc.maxSafeNat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER)),
          offset: fc.oneof(fc.double({ min: 0, max: SPAN, noNaN: true }), fc.constant(SPAN)),
          features: fc.array(number, { minLength: 4, maxLength: 4 }),
          label: fc.constantFrom('0', '1'),
        }),
        { minLength: 1, maxLength: 20 },
      ),
    )
    .map(([base, rows]) => rows.map(({ offset, ...row }) => ({ ...row, time: base + offset })).sort((a, b) => a.time - b.time).map(({ time, ...row }) => ({ ...row, timestamp: String(time) })));
  const files = (rows: { actionId: number; user: number; target: number; timestamp: string; features: string[]; label: string }[]) => ({
    actions: ['ACTIONID\tUSERID\tTARGETID\tTIMESTAMP', ...rows.map((r) => `${r.actionId}\t${r.user}\t${r.target}\t${r.timestamp}`)],
    features: ['ACTIONID\tFEATURE0\tFEATURE1\tFEATURE2\tFEATURE3', ...rows.map((r) => [r.actionId, ...r.features].join('\t'))],
    labels: ['ACTIONID\tLABEL', ...rows.map((r) => `${r.actionId}\t${r.label}`)],
  });
  const load = (f: ReturnType<typeof files>) =>
    loadMoocActions({ actions: f.actions.join('\n') + '\n', features: f.features.join('\n') + '\n', labels: f.labels.join('\n') + '\n' }, { rowFaults: 'quarantine' });

  it('keep every valid row', async () => {
    await fc.assert(
      fc.asyncProperty(validRows, async (rows) => {
        const loaded = await load(files(rows));
        expect(loaded.rejected).toEqual([]);
        expect(loaded.n).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });

  it('drop a row with one corrupted field from all three files, naming the column', async () => {
    const corruption = fc.constantFrom(
      ['actions', 0, 'ACTIONID', BAD_MOOC_ID],
      ['actions', 1, 'USERID', BAD_MOOC_ID],
      ['actions', 2, 'TARGETID', BAD_MOOC_ID],
      ['actions', 3, 'TIMESTAMP', fc.constantFrom('', 'x', '-1', 'Infinity', '1e300', String(MAX_TIMESTAMP_SECONDS + 1))],
      ['features', 2, 'FEATURE1', fc.constantFrom('', 'x', 'NaN', 'Infinity')],
      ['labels', 1, 'LABEL', fc.constantFrom('', '2', '-1', '0.5', 'x')],
    ) as fc.Arbitrary<[keyof ReturnType<typeof files>, number, string, fc.Arbitrary<string>]>;
    const withBad = corruption.chain(([file, column, name, bad]) => fc.tuple(fc.constant(file), fc.constant(column), fc.constant(name), bad));
    await fc.assert(
      fc.asyncProperty(validRows, fc.nat(), withBad, async (rows, which, [file, column, name, bad]) => {
        const f = files(rows);
        const line = 2 + (which % rows.length);
        const fields = f[file][line - 1]!.split('\t');
        fields[column] = bad;
        f[file][line - 1] = fields.join('\t');
        const loaded = await load(f);
        expect(loaded.rejected).toHaveLength(1);
        expect(loaded.rejected[0]!.line).toBe(line);
        expect(loaded.rejected[0]!.reason.startsWith(`${name} `)).toBe(true);
        expect(loaded.n).toBe(rows.length - 1);
      }),
      { numRuns: 200 },
    );
  });
});
