import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvTable } from '../../lambdas/tabular/csv';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { generateEngagementData, type GeneratedTables } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow } from '../../lib/local/local-runner';
import { folderBytes, folderSize, mean, median, readTable, scratchFolder } from './helpers';

const STUDENTS = 4000;
const scratch = scratchFolder('engagement');
let result: GeneratedTables;
let info: CsvTable;
let purchases: CsvTable;
let watched: CsvTable;
let certificates: CsvTable;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const inQ2 = (date: string, year: number): boolean => date >= `${year}-04-01` && date <= `${year}-06-30`;

beforeAll(async () => {
  result = await generateEngagementData({ students: STUDENTS, seed: 42, outDir: path.join(scratch.dir, 'a') });
  const folder = path.join(scratch.dir, 'a', 'engagement');
  [info, purchases, watched, certificates] = await Promise.all(ENGAGEMENT_TABLES.map((table) => readTable(path.join(folder, table.fileName))));
}, 30_000);
afterAll(() => scratch.remove());

describe('generateEngagementData', () => {
  it('is deterministic: the same seed gives byte-identical files, another seed other files', async () => {
    await generateEngagementData({ students: STUDENTS, seed: 42, outDir: path.join(scratch.dir, 'b') });
    await generateEngagementData({ students: STUDENTS, seed: 43, outDir: path.join(scratch.dir, 'c') });
    const a = folderBytes(path.join(scratch.dir, 'a', 'engagement'));
    const b = folderBytes(path.join(scratch.dir, 'b', 'engagement'));
    const c = folderBytes(path.join(scratch.dir, 'c', 'engagement'));
    expect([...a.keys()]).toEqual(ENGAGEMENT_TABLES.map((table) => table.fileName).sort());
    for (const [name, bytes] of a) {
      expect(bytes.equals(b.get(name)!), name).toBe(true);
      expect(bytes.equals(c.get(name)!), name).toBe(false);
    }
  });

  it('writes exactly the schema of ENGAGEMENT_TABLES with LF line ends, and reports what it wrote', () => {
    const folder = path.join(scratch.dir, 'a', 'engagement');
    for (const table of ENGAGEMENT_TABLES) {
      const text = readFileSync(path.join(folder, table.fileName), 'utf8');
      expect(text.split('\n')[0]).toBe(table.columns.join(','));
      expect(text).not.toContain('\r');
      expect(text.endsWith('\n')).toBe(true);
      expect(result.rows[table.fileName]).toBe(text.split('\n').length - 2); // header and final newline
    }
    expect(result.bytes).toBe(folderSize(folder));
    expect(info.rows.length).toBe(STUDENTS);
  });

  it('registers every student once, from 2020-01-01 to 2022-06-30', () => {
    expect(new Set(info.rows.map(([id]) => id)).size).toBe(STUDENTS);
    for (const [, date] of info.rows) {
      expect(date).toMatch(DATE);
      expect(date! >= '2020-01-01' && date! <= '2022-06-30').toBe(true);
    }
    // The platform grows: more sign-ups in the last year than in the first.
    const first = info.rows.filter(([, date]) => date! < '2021-01-01').length;
    const last = info.rows.filter(([, date]) => date! >= '2021-07-01').length;
    expect(last).toBeGreaterThan(first);
  });

  it('makes purchases like the platform: a fifth to a quarter buy, monthly most common, refunds after buying', () => {
    const registered = new Map(info.rows.map(([id, date]) => [id!, date!]));
    const buyers = new Set(purchases.rows.map((row) => row[1]));
    expect(buyers.size / STUDENTS).toBeGreaterThan(0.18);
    expect(buyers.size / STUDENTS).toBeLessThan(0.3);
    const plans = [0, 0, 0, 0];
    let refunds = 0;
    let sameDayRefunds = 0;
    for (const [purchaseId, studentId, plan, purchased, refunded] of purchases.rows) {
      expect(purchaseId).toMatch(/^\d+$/);
      expect(['0', '1', '2', '3']).toContain(plan);
      plans[Number(plan)]! += 1;
      expect(purchased).toMatch(DATE);
      expect(purchased! >= registered.get(studentId!)!).toBe(true);
      expect(purchased! <= '2022-06-30').toBe(true);
      if (refunded === '') continue;
      refunds += 1;
      expect(refunded).toMatch(DATE);
      expect(refunded! >= purchased!).toBe(true);
      if (refunded === purchased) sameDayRefunds += 1;
    }
    expect(plans[0]).toBe(Math.max(...plans));
    expect(plans[3]).toBe(Math.min(...plans));
    expect(plans[3]).toBeGreaterThan(0);
    expect(refunds / purchases.rows.length).toBeGreaterThan(0.04);
    expect(refunds / purchases.rows.length).toBeLessThan(0.11);
    expect(sameDayRefunds).toBeGreaterThan(0);
    expect(new Set(purchases.rows.map(([id]) => id)).size).toBe(purchases.rows.length);
  });

  it('has viewing only in Q2 2021 and Q2 2022, after registration, one row per student, course and day', () => {
    const registered = new Map(info.rows.map(([id, date]) => [id!, date!]));
    const keys = new Set<string>();
    const badRows = watched.rows.filter(
      ([studentId, courseId, seconds, date]) =>
        !(inQ2(date!, 2021) || inQ2(date!, 2022)) || date! < registered.get(studentId!)! || !/^[1-9]\d*$/.test(seconds!) || !/^[1-9]\d*$/.test(courseId!),
    );
    expect(badRows).toEqual([]);
    for (const [studentId, courseId, , date] of watched.rows) keys.add(`${studentId}/${courseId}/${date}`);
    expect(keys.size).toBe(watched.rows.length);
  });

  it('has realistic viewing: heavy tail, several courses and days, paid students and 2022 watch more', () => {
    const minutes = new Map<string, number>();
    const courses = new Map<string, Set<string>>();
    const days = new Map<string, Set<string>>();
    for (const [studentId, courseId, seconds, date] of watched.rows) {
      const key = `${studentId}/${date!.slice(0, 4)}`;
      minutes.set(key, (minutes.get(key) ?? 0) + Number(seconds) / 60);
      if (!courses.has(key)) courses.set(key, new Set());
      if (!days.has(key)) days.set(key, new Set());
      courses.get(key)!.add(courseId!);
      days.get(key)!.add(date!);
    }
    const all = [...minutes.values()];
    expect(Math.max(...all)).toBeGreaterThan(20 * median(all));
    expect([...courses.values()].filter((set) => set.size > 1).length).toBeGreaterThan(50);
    expect([...days.values()].filter((set) => set.size > 1).length).toBeGreaterThan(50);

    const buyers = new Set(purchases.rows.map((row) => row[1]));
    const paid = [...minutes].filter(([key]) => buyers.has(key.split('/')[0])).map(([, value]) => value);
    const free = [...minutes].filter(([key]) => !buyers.has(key.split('/')[0])).map(([, value]) => value);
    expect(median(paid)).toBeGreaterThan(1.5 * median(free));
    const total = (year: string): number => [...minutes].filter(([key]) => key.endsWith(year)).reduce((sum, [, value]) => sum + value, 0);
    expect(total('/2022')).toBeGreaterThan(total('/2021'));
  });

  it('issues certificates only in Q2 2022, after registration, more often to students who watched more', () => {
    const registered = new Map(info.rows.map(([id, date]) => [id!, date!]));
    const certified = new Set<string>();
    for (const [certificateId, studentId, date] of certificates.rows) {
      expect(certificateId).toMatch(/^\d+$/);
      expect(inQ2(date!, 2022), date).toBe(true);
      expect(date! >= registered.get(studentId!)!).toBe(true);
      certified.add(studentId!);
    }
    expect(certified.size).toBeGreaterThan(20);
    const minutes2022 = new Map<string, number>();
    for (const [studentId, , seconds, date] of watched.rows) {
      if (inQ2(date!, 2022)) minutes2022.set(studentId!, (minutes2022.get(studentId!) ?? 0) + Number(seconds) / 60);
    }
    const withCertificate = [...minutes2022].filter(([id]) => certified.has(id)).map(([, value]) => value);
    const without = [...minutes2022].filter(([id]) => !certified.has(id)).map(([, value]) => value);
    expect(mean(withCertificate)).toBeGreaterThan(3 * mean(without));
  });

  it('gives every table at least one row however few the students, which a run accepts', async () => {
    for (const students of [1, 2, 5, 9]) {
      const out = path.join(scratch.dir, `few-${students}`);
      await generateEngagementData({ students, seed: 4, outDir: out });
      const tables = await Promise.all(ENGAGEMENT_TABLES.map((table) => readTable(path.join(out, 'engagement', table.fileName))));
      for (const [i, table] of tables.entries()) expect(table.rows.length, `${students} students: ${ENGAGEMENT_TABLES[i]!.fileName}`).toBeGreaterThan(0);
    }
    const run = await runLocalWorkflow({ inputDir: path.join(scratch.dir, 'few-5'), outDir: path.join(scratch.dir, 'few-5-results'), runId: 'few' });
    expect(run.status, JSON.stringify(run.failure)).toBe('succeeded');
  }, 60_000);

  it('rejects invalid options', async () => {
    await expect(generateEngagementData({ students: 0, seed: 1, outDir: scratch.dir })).rejects.toThrow(RangeError);
    await expect(generateEngagementData({ students: 10, seed: 1, outDir: scratch.dir, startDate: '2022-01-01', endDate: '2021-01-01' })).rejects.toThrow(RangeError);
  });
});
