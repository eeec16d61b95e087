// Run listing and manifest checks on the local store (the S3 side is in test/io/s3-object-store.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunNotFoundError, dateFromRunId, formatRunTable, listRuns, readManifest, resolveRunId } from '../../lib/cli/runs';
import { LocalObjectStore } from '../../lib/local/local-object-store';

function emptyStore(): LocalObjectStore {
  return new LocalObjectStore({ mounts: [{ prefix: 'results/', dir: mkdtempSync(path.join(os.tmpdir(), 'runs-')) }] });
}

function manifestOf(runId: string) {
  return { run_id: runId, status: 'succeeded', started_at: '2024-01-01T00:00:00Z', finished_at: '2024-01-01T00:01:00Z', periods: { baseline: '2021Q2', comparison: '2022Q2' }, outputs: [] };
}

describe('runs', () => {
  it('reads the start time out of a default run id', () => {
    expect(dateFromRunId('20261123T184500Z')).toBe('2026-11-23T18:45:00.000Z');
    expect(dateFromRunId('my-run')).toBeNull();
  });

  it('leaves out a folder with neither manifest nor marker, and has no latest without a succeeded run', async () => {
    const store = emptyStore();
    expect(formatRunTable(await listRuns(store))).toBe('no runs found\n');
    await store.put('results/my-run/engagement/x.csv', 'a\n1\n');
    // The run locks beside the run folders are not runs.
    await store.put('results/.locks/my-run.json', '{}');
    expect(await listRuns(store)).toEqual([]);
    await expect(resolveRunId(store, 'latest')).rejects.toBeInstanceOf(RunNotFoundError);
    await expect(readManifest(store, 'my-run')).rejects.toThrow(/has no manifest.json/);
    // A manifest with a rerun's marker beside it is not a result to download.
    await store.put('results/my-run/manifest.json', JSON.stringify(manifestOf('my-run')));
    await store.put('results/my-run/_FAILED.json', JSON.stringify({ status: 'failed', error: 'AttemptNotFinished' }));
    await expect(readManifest(store, 'my-run')).rejects.toThrow(/is marked failed \(_FAILED.json beside its manifest.json\): an attempt of it stopped before it finished; rerun the id/);
  });

  it('says a run changed while it was read when its manifest goes between the look and the read', async () => {
    const store = emptyStore();
    await store.put('results/p/manifest.json', JSON.stringify(manifestOf('p')));
    // A rerun's PlanRun removes the manifest just after this reader saw it.
    const racing = new Proxy(store, {
      get(target, property) {
        if (property === 'getBytes') return async (key: string) => (await target.delete(key), target.getBytes(key));
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(readManifest(racing, 'p')).rejects.toThrow(new RunNotFoundError('run p changed while it was being read (a rerun of it started): pull it once that has finished'));
  });

  it('names a run whose manifest or marker cannot be read, and the other runs stay readable', async () => {
    const store = emptyStore();
    await store.put('results/good/manifest.json', JSON.stringify(manifestOf('good')));
    const bad: Record<string, string> = {
      truncated: JSON.stringify(manifestOf('truncated')).slice(0, 60),
      empty: '',
      nothing: 'null',
      list: '[]',
      shapeless: JSON.stringify({ status: 'succeeded' }),
      badOutput: JSON.stringify({ ...manifestOf('badOutput'), outputs: [{ key: 'x.csv' }] }),
    };
    for (const [id, text] of Object.entries(bad)) await store.put(`results/${id}/manifest.json`, text);
    await store.put('results/badMarker/_FAILED.json', '{"status": "fa');
    const runs = await listRuns(store);
    expect(runs.find((run) => run.id === 'good')?.status).toBe('succeeded');
    expect(await resolveRunId(store, 'latest')).toBe('good');
    const reasons = Object.fromEntries(runs.filter((run) => run.id !== 'good').map((run) => [run.id, `${run.status} ${run.error}`]));
    expect(reasons).toEqual({
      truncated: expect.stringMatching(/^unreadable manifest.json: not valid JSON \(/),
      empty: 'unreadable manifest.json: the file is empty',
      nothing: 'unreadable manifest.json: not a JSON object',
      list: 'unreadable manifest.json: not a JSON object',
      shapeless: 'unreadable manifest.json: no outputs list',
      badOutput: 'unreadable manifest.json: outputs[0] lacks its key, bytes or sha256',
      badMarker: expect.stringMatching(/^failed _FAILED.json: not valid JSON/),
    });
    for (const id of Object.keys(bad)) await expect(readManifest(store, id)).rejects.toThrow(`run ${id}: its manifest.json is not a run manifest: `);
  });

  it('lists a run whose attempt holds the lock from a live process as running, and one whose process is gone as failed', async () => {
    const store = emptyStore();
    await store.put('results/busy/_FAILED.json', JSON.stringify({ status: 'failed', state: 'PlanRun', error: 'AttemptNotFinished' }));
    const lock = (pid: number) => JSON.stringify({ run_id: 'busy', execution: 'local:x', acquired_at: '2026-01-01T00:00:00.000Z', expires_at: '2099-01-01T00:00:00.000Z', process: { host: os.hostname(), pid } });
    await store.put('results/.locks/busy.json', lock(process.pid));
    expect(await listRuns(store)).toEqual([{ id: 'busy', date: null, status: 'running' }]);
    await expect(readManifest(store, 'busy')).rejects.toThrow('run busy is running: pull it once it has finished');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    await store.put('results/.locks/busy.json', lock(gone));
    expect(await listRuns(store)).toEqual([{ id: 'busy', date: null, status: 'failed', error: 'AttemptNotFinished: stopped before it finished (rerun the id)' }]);
    await expect(readManifest(store, 'busy')).rejects.toThrow('run busy failed and has no manifest; see _FAILED.json in its folder');
  });

  it('refuses a manifest whose output keys climb out of the run folder', async () => {
    const store = emptyStore();
    const manifest = { run_id: 'r1', status: 'succeeded', started_at: '2024-01-01T00:00:00Z', finished_at: '2024-01-01T00:01:00Z', outputs: [{ key: '../other/x.csv', rows: 1, bytes: 2, sha256: 'x' }] };
    await store.put('results/r1/manifest.json', JSON.stringify(manifest));
    await expect(readManifest(store, 'r1')).rejects.toThrow(/unsafe key/);
    await expect(resolveRunId(store, '../r1')).rejects.toThrow(/run id/);
  });
});
