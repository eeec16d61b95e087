// The run folders of a results root are found from the folders right under it and the two markers
// each holds: nothing else in them is read, so an unrelated folder (however many files it holds, or
// unreadable to this process) neither slows nor fails a run's report or `results list`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { listRuns } from '../../lib/cli/runs';
import { readRunFolders, readRunHistory, succeededRuns } from '../../lambdas/steps/run-history';
import { resultTableKey } from '../../lambdas/contracts/result-tables';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A results store whose whole-tree listing fails, and whose reads under results/private/ are refused as a folder without permission is. */
class GuardedStore extends LocalObjectStore {
  override async list(prefix: string): Promise<never> {
    throw new Error(`list(${prefix}) walks the whole tree`);
  }
  override async getText(key: string): Promise<string> {
    if (key.startsWith('results/private/') && (await this.exists(key))) throw Object.assign(new Error(`EACCES: permission denied, open '${key}'`), { code: 'EACCES' });
    return super.getText(key);
  }
}

async function storeWithRuns(): Promise<GuardedStore> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'run-folders-'));
  roots.push(root);
  const store = new GuardedStore({ mounts: [{ prefix: 'results/', dir: root }] });
  const manifest = (status: string, finished: string) => JSON.stringify({ status, started_at: finished, finished_at: finished, outputs: [] });
  await store.put('results/old/manifest.json', manifest('succeeded', '2026-01-01T00:00:00.000Z'));
  await store.put('results/new/manifest.json', manifest('succeeded', '2026-02-01T00:00:00.000Z'));
  await store.put('results/broken/_FAILED.json', JSON.stringify({ status: 'failed', state: 'CheckDataQuality', error: 'DataQualityError' }));
  await store.put('results/private/manifest.json', manifest('succeeded', '2026-03-01T00:00:00.000Z'));
  await store.put('results/junk/a/b/c.txt', 'not a run');
  await store.put('results/.locks/new.json', '{}');
  await store.put('results/not a run id/manifest.json', manifest('succeeded', '2026-04-01T00:00:00.000Z'));
  return store;
}

describe('run folders', () => {
  it('reads only the markers of folders named like run ids; an unreadable marker is named, and its run is no succeeded run', async () => {
    const store = await storeWithRuns();
    expect((await readRunFolders(store)).map(({ runId, manifest, failed }) => [runId, manifest?.status ?? null, failed?.error ?? null])).toEqual([
      ['broken', null, 'DataQualityError'],
      ['junk', null, null],
      ['new', 'succeeded', null],
      ['old', 'succeeded', null],
      ['private', null, null],
    ]);
    expect(await succeededRuns(store)).toEqual([
      { runId: 'old', finishedAt: '2026-01-01T00:00:00.000Z' },
      { runId: 'new', finishedAt: '2026-02-01T00:00:00.000Z' },
    ]);
    expect((await succeededRuns(store, 'new')).map((run) => run.runId)).toEqual(['old']);
    expect((await listRuns(store)).map((run) => [run.id, run.status])).toEqual([
      ['new', 'succeeded'],
      ['old', 'succeeded'],
      ['private', 'unreadable'],
      ['broken', 'failed'],
    ]);
  });
});

describe('run history', () => {
  it('leaves out, naming it, a succeeded run whose result table is damaged, and still reads the others', async () => {
    const store = await storeWithRuns();
    await store.put(resultTableKey('old', 'result_runs'), '{"run_id": "old", "baseline": "2021Q2", "compa');
    const history = await readRunHistory(store, { last: 12 });
    expect(history.unreadable).toEqual([expect.stringMatching(/^old: results\/old\/tables\/result_runs\/.* is not JSON lines \(/)]);
    // 'new' has no tables at all: left out as written before them, not as damaged.
    expect(history.withoutTables).toEqual(['new']);
    expect(history.runs).toEqual([]);
  });
});
