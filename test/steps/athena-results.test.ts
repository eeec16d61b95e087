// Republishing an Athena result under its study name: plain CSV, renamed header, counted rows, and a
// clear error for a result file without even a header.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { republishAthenaCsv } from '../../lambdas/steps/athena-results';

let dir: string;
let store: LocalObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'athena-results-'));
  store = new LocalObjectStore({
    mounts: [
      { prefix: 'athena-results/', dir: path.join(dir, 'athena') },
      { prefix: 'results/', dir: path.join(dir, 'results') },
    ],
  });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const output = (key: string) => ({ outputLocation: `s3://${store.bucket}/${key}` });

describe('republishAthenaCsv', () => {
  it('writes plain CSV with the renamed header and counts the rows', async () => {
    await store.put('athena-results/q1.csv', '"student_id","paid_baseline"\n"7","1"\n"8",""\n');
    const file = await republishAthenaCsv(store, output('athena-results/q1.csv'), 'results/r/engagement/p.csv', { paid_baseline: 'paid_q2_2021' });
    expect(file).toEqual({ key: 'results/r/engagement/p.csv', rows: 2, header: ['student_id', 'paid_q2_2021'] });
    expect(await store.getText('results/r/engagement/p.csv')).toBe('student_id,paid_q2_2021\n7,1\n8,\n');
  });

  it('names an empty result file', async () => {
    await store.put('athena-results/q2.csv', '');
    await expect(republishAthenaCsv(store, output('athena-results/q2.csv'), 'results/r/engagement/p.csv')).rejects.toThrow(
      'Athena result athena-results/q2.csv is empty (no header row)',
    );
  });

  it('names the record of a malformed result', async () => {
    await store.put('athena-results/q3.csv', '"a","b"\n"1",2"3\n');
    await expect(republishAthenaCsv(store, output('athena-results/q3.csv'), 'results/r/engagement/p.csv')).rejects.toThrow(
      'athena-results/q3.csv: row 2: unexpected quote inside an unquoted field',
    );
  });
});
