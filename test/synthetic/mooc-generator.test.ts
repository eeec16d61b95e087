import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOOC_DURATION_SECONDS } from '../../lib/synthetic/mooc-generator';
import { MOOC_TABLES } from '../../lambdas/contracts/tables';
import { generateMoocData, type GeneratedTables } from '../../lib/synthetic/synthetic-files';
import { folderBytes, folderSize, mean, median, readTable, scratchFolder } from './helpers';

const USERS = 1500;
const scratch = scratchFolder('mooc');
let result: GeneratedTables;
let actions: string[][];
let features: string[][];
let labels: string[][];

beforeAll(async () => {
  result = await generateMoocData({ users: USERS, seed: 42, outDir: path.join(scratch.dir, 'a') });
  const folder = path.join(scratch.dir, 'a', 'mooc');
  [actions, features, labels] = (await Promise.all(MOOC_TABLES.map((table) => readTable(path.join(folder, table.fileName), '\t')))).map((table) => table.rows);
}, 30_000);
afterAll(() => scratch.remove());

interface UserSummary {
  actions: number;
  lastRow: number;
  labelRows: number[];
}

function summarizeUsers(): Map<string, UserSummary> {
  const users = new Map<string, UserSummary>();
  actions.forEach(([, user], row) => {
    const summary = users.get(user!) ?? { actions: 0, lastRow: -1, labelRows: [] };
    summary.actions += 1;
    summary.lastRow = row;
    if (labels[row]![1] === '1') summary.labelRows.push(row);
    users.set(user!, summary);
  });
  return users;
}

describe('generateMoocData', () => {
  it('is deterministic: the same seed gives byte-identical files, another seed other files', async () => {
    await generateMoocData({ users: USERS, seed: 42, outDir: path.join(scratch.dir, 'b') });
    await generateMoocData({ users: USERS, seed: 7, outDir: path.join(scratch.dir, 'c') });
    const a = folderBytes(path.join(scratch.dir, 'a', 'mooc'));
    const b = folderBytes(path.join(scratch.dir, 'b', 'mooc'));
    const c = folderBytes(path.join(scratch.dir, 'c', 'mooc'));
    expect([...a.keys()]).toEqual(MOOC_TABLES.map((table) => table.fileName).sort());
    for (const [name, bytes] of a) {
      expect(bytes.equals(b.get(name)!), name).toBe(true);
      expect(bytes.equals(c.get(name)!), name).toBe(false);
    }
  });

  it('writes the SNAP layout of MOOC_TABLES and reports what it wrote', () => {
    const folder = path.join(scratch.dir, 'a', 'mooc');
    for (const table of MOOC_TABLES) {
      const text = readFileSync(path.join(folder, table.fileName), 'utf8');
      expect(text.split('\n')[0]).toBe(table.columns.join('\t'));
      expect(text).not.toContain('\r');
      expect(result.rows[table.fileName]).toBe(text.split('\n').length - 2);
    }
    expect(result.bytes).toBe(folderSize(folder));
    expect(features.length).toBe(actions.length);
    expect(labels.length).toBe(actions.length);
    const mismatched = actions.filter(([id], row) => features[row]![0] !== id || labels[row]![0] !== id);
    expect(mismatched).toEqual([]);
  });

  it('is in time order, over about 30 days, with TIMESTAMP written like 6.0', () => {
    let previous = -1;
    const badRows: number[] = [];
    actions.forEach(([, , , timestamp], row) => {
      const seconds = Number(timestamp);
      if (!/^\d+\.0$/.test(timestamp!) || seconds < previous) badRows.push(row);
      previous = seconds;
    });
    expect(badRows).toEqual([]);
    expect(previous).toBeLessThan(MOOC_DURATION_SECONDS);
    expect(previous).toBeGreaterThan(0.9 * MOOC_DURATION_SECONDS);
  });

  it('repeats an ACTIONID exactly when the same user acts again in the same second', () => {
    let repeats = 0;
    const badRows: number[] = [];
    for (let row = 1; row < actions.length; row++) {
      const [id, user, , time] = actions[row]!;
      const [previousId, previousUser, , previousTime] = actions[row - 1]!;
      const sameSecond = user === previousUser && time === previousTime;
      if ((id === previousId) !== sameSecond || Number(id) < Number(previousId)) badRows.push(row);
      if (sameSecond) repeats += 1;
    }
    expect(badRows).toEqual([]);
    // As in the real data, a run's id is the row number of its last row, so ids skip after a run.
    const misnumbered: number[] = [];
    let runEnd = actions.length - 1;
    for (let row = actions.length - 1; row >= 0; row--) {
      if (row < actions.length - 1 && actions[row + 1]![0] !== actions[row]![0]) runEnd = row;
      if (Number(actions[row]![0]) !== runEnd) misnumbered.push(row);
    }
    expect(misnumbered).toEqual([]);
    expect(repeats).toBeGreaterThan(0);
    expect(repeats / actions.length).toBeLessThan(0.1);
  });

  it('labels 1 exactly the last action of each dropped-out user; about half drop out, and they act less', () => {
    const users = summarizeUsers();
    expect([...users.keys()].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: USERS }, (_, id) => id));
    const badUsers = [...users].filter(([, summary]) => summary.labelRows.length > 1 || (summary.labelRows.length === 1 && summary.labelRows[0] !== summary.lastRow));
    expect(badUsers).toEqual([]);
    expect(labels.filter(([, label]) => label !== '0' && label !== '1')).toEqual([]);
    const dropped = [...users.values()].filter((summary) => summary.labelRows.length === 1);
    const stayed = [...users.values()].filter((summary) => summary.labelRows.length === 0);
    expect(dropped.length / USERS).toBeGreaterThan(0.4);
    expect(dropped.length / USERS).toBeLessThan(0.7);
    expect(mean(dropped.map((summary) => summary.actions))).toBeLessThan(0.6 * mean(stayed.map((summary) => summary.actions)));
    // Heavy tail of actions per user.
    const counts = [...users.values()].map((summary) => summary.actions);
    expect(Math.max(...counts)).toBeGreaterThan(5 * median(counts));
  });

  it('has skewed target popularity over 97 targets', () => {
    const hits = new Array<number>(97).fill(0);
    for (const [, , target] of actions) hits[Number(target)]! += 1;
    expect(actions.filter(([, , target]) => !/^\d+$/.test(target!) || Number(target) >= 97)).toEqual([]);
    expect(Math.max(...hits)).toBeGreaterThan(4 * median(hits));
    expect(hits.filter((count) => count > 0).length).toBeGreaterThan(80);
  });

  it('has real-valued, roughly standardized features with some signal about drop-out', () => {
    const columns = [0, 1, 2, 3].map((feature) => features.map((row) => Number(row[feature + 1])));
    for (const values of columns) {
      expect(values.every(Number.isFinite)).toBe(true);
      expect(Math.abs(mean(values))).toBeLessThan(0.15);
      expect(new Set(values).size).toBeGreaterThan(2);
    }
    const lastOfDropout = columns[1]!.filter((_, row) => labels[row]![1] === '1');
    const others = columns[1]!.filter((_, row) => labels[row]![1] === '0');
    expect(mean(lastOfDropout)).toBeGreaterThan(mean(others) + 0.3);
  });

  it('rejects invalid options', async () => {
    await expect(generateMoocData({ users: 0, seed: 1, outDir: scratch.dir })).rejects.toThrow(RangeError);
    await expect(generateMoocData({ users: 5, seed: 1, targets: 1, outDir: scratch.dir })).rejects.toThrow(RangeError);
  });
});
