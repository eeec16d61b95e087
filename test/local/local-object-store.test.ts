// The folder tree that stands in for the bucket: mounts, the raw/ mapping onto the input folder,
// a read-only input, sorted listings and not-found errors like S3's.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore, removeOwnTemporariesSync } from '../../lib/local/local-object-store';
import { ObjectNotFoundError } from '../../lambdas/io/object-store';

let root: string;
let input: string;
let out: string;
let scratch: string;
let store: LocalObjectStore;
const STUDENT_INFO = 'student_id,date_registered\n1,2021-01-01\n';
const MOOC_ACTIONS = 'ACTIONID\tUSERID\tTARGETID\tTIMESTAMP\n';

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'local-store-'));
  input = path.join(root, 'input');
  out = path.join(root, 'out');
  scratch = path.join(root, 'scratch');
  mkdirSync(path.join(input, 'engagement'), { recursive: true });
  mkdirSync(path.join(input, 'mooc'), { recursive: true });
  writeFileSync(path.join(input, 'engagement', 'student_info.csv'), STUDENT_INFO);
  writeFileSync(path.join(input, 'mooc', 'mooc_actions.tsv'), MOOC_ACTIONS);
  writeFileSync(path.join(input, 'engagement', 'unrelated.csv'), 'x\n');
  store = new LocalObjectStore({
    inputDir: input,
    mounts: [
      { prefix: 'results/', dir: out },
      { prefix: 'athena-results/', dir: scratch },
    ],
  });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'expected a rejection').toBeInstanceOf(Error);
  return error as Error;
}

describe('LocalObjectStore', () => {
  it('maps raw/<study>/<table>/<file> keys onto <input>/<study>/<file>', async () => {
    expect(store.pathOf('raw/engagement/student_info/student_info.csv')).toBe(path.join(input, 'engagement', 'student_info.csv'));
    expect(store.pathOf('raw/mooc/mooc_action_labels/mooc_action_labels.tsv')).toBe(path.join(input, 'mooc', 'mooc_action_labels.tsv'));
    expect(await store.getText('raw/engagement/student_info/student_info.csv')).toBe('student_id,date_registered\n1,2021-01-01\n');
    expect(await store.exists('raw/engagement/student_info/student_info.csv')).toBe(true);
    expect(await store.exists('raw/engagement/student_purchases/student_purchases.csv')).toBe(false);
    // A file that is not one of the known tables is not part of the bucket.
    expect(await store.exists('raw/engagement/unrelated/unrelated.csv')).toBe(false);
    expect(await rejection(store.getText('raw/engagement/unrelated/unrelated.csv'))).toBeInstanceOf(ObjectNotFoundError);
  });

  it('lists raw/ as the table keys that exist, sorted', async () => {
    expect(await store.list('raw/')).toEqual([
      { key: 'raw/engagement/student_info/student_info.csv', size: STUDENT_INFO.length },
      { key: 'raw/mooc/mooc_actions/mooc_actions.tsv', size: MOOC_ACTIONS.length },
    ]);
    expect((await store.list('raw/mooc/')).map((object) => object.key)).toEqual(['raw/mooc/mooc_actions/mooc_actions.tsv']);
  });

  it('refuses to write under raw/ and leaves the input folder untouched', async () => {
    const before = readdirSync(path.join(input, 'engagement')).sort();
    const error = await rejection(store.put('raw/engagement/student_info/student_info.csv', 'overwritten'));
    expect(error.message).toBe('refusing to write input object raw/engagement/student_info/student_info.csv');
    expect(await rejection(store.putStream('raw/mooc/mooc_actions/mooc_actions.tsv', Readable.from(['x'])))).toHaveProperty(
      'message',
      'refusing to write input object raw/mooc/mooc_actions/mooc_actions.tsv',
    );
    expect(readFileSync(path.join(input, 'engagement', 'student_info.csv'), 'utf8')).toBe('student_id,date_registered\n1,2021-01-01\n');
    expect(readdirSync(path.join(input, 'engagement')).sort()).toEqual(before);
  });

  it('writes mounted prefixes into their folders, creating subfolders, with no partial files left', async () => {
    await store.put('results/run1/engagement/a.csv', 'a\n1\n');
    await store.putStream('results/run1/mooc/b.json', Readable.from(['{"x":', '1}']));
    await store.put('athena-results/q1.csv', new Uint8Array([104, 105]));
    expect(readFileSync(path.join(out, 'run1', 'engagement', 'a.csv'), 'utf8')).toBe('a\n1\n');
    expect(readFileSync(path.join(out, 'run1', 'mooc', 'b.json'), 'utf8')).toBe('{"x":1}');
    expect(readFileSync(path.join(scratch, 'q1.csv'), 'utf8')).toBe('hi');
    expect(readdirSync(path.join(out, 'run1', 'engagement'))).toEqual(['a.csv']);
    expect((await store.getBytes('athena-results/q1.csv')).toString()).toBe('hi');
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream('results/run1/mooc/b.json')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('{"x":1}');
  });

  it('lists a prefix sorted by key with sizes, across nested folders, hiding partial writes of live writers', async () => {
    for (const key of ['results/r/z.csv', 'results/r/a/b.csv', 'results/r/a.csv', 'results/r2/x.csv', 'results/r/B.csv']) await store.put(key, key);
    writeFileSync(path.join(out, 'r', `c.csv.partial-${process.pid}`), 'half');
    // A writer killed mid-write left this one: listed, so a rerun clears it.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(path.join(out, 'r', `d.csv.partial-${deadPid}`), 'half');
    const listed = await store.list('results/r/');
    expect(listed.map((object) => object.key)).toEqual(['results/r/B.csv', 'results/r/a.csv', 'results/r/a/b.csv', `results/r/d.csv.partial-${deadPid}`, 'results/r/z.csv']);
    expect(listed[0]).toEqual({ key: 'results/r/B.csv', size: 'results/r/B.csv'.length });
    // A prefix that is not a folder boundary matches as S3 does.
    expect((await store.list('results/r')).map((object) => object.key)).toContain('results/r2/x.csv');
    // The empty prefix lists every mount, raw/ included.
    const everything = (await store.list('')).map((object) => object.key);
    expect(everything).toEqual([...everything].sort());
    expect(everything).toContain('raw/engagement/student_info/student_info.csv');
    expect(everything).toContain('results/r2/x.csv');
    expect(await store.list('results/none/')).toEqual([]);
  });

  it('lists the folders right under a prefix, sorted, without reading into them', async () => {
    for (const key of ['results/r2/x.csv', 'results/r1/deep/a/b.csv', 'results/.locks/r1.json', 'results/top.csv']) await store.put(key, key);
    expect(await store.listFolders('results/')).toEqual(['.locks', 'r1', 'r2']);
    expect(await store.listFolders('results/r1/')).toEqual(['deep']);
    expect(await store.listFolders('results/none/')).toEqual([]);
  });

  it('raises ObjectNotFoundError (with the key) for missing objects, and exists() is false', async () => {
    for (const read of [store.getText.bind(store), store.getBytes.bind(store), store.getStream.bind(store)]) {
      const error = await rejection(read('results/run1/missing.csv'));
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect((error as ObjectNotFoundError).key).toBe('results/run1/missing.csv');
      expect(error.message).toBe('object not found: results/run1/missing.csv');
    }
    expect(await store.exists('results/run1/missing.csv')).toBe(false);
  });

  it('refuses keys outside every mount and keys that climb out of a folder', async () => {
    expect(() => store.pathOf('other/x.csv')).toThrow('no local folder is mounted for other/x.csv');
    expect(() => store.pathOf('results/../secrets.txt')).toThrow('invalid object key');
    expect(() => store.pathOf('/etc/passwd')).toThrow('invalid object key');
    await rejection(store.put('results/../../escape.txt', 'x'));
    expect(existsSync(path.join(root, 'escape.txt'))).toBe(false);
    const noInput = new LocalObjectStore({ mounts: [{ prefix: 'results/', dir: out }] });
    expect(() => noInput.pathOf('raw/engagement/student_info/student_info.csv')).toThrow(/no input folder is mounted/);
    expect(await noInput.list('raw/')).toEqual([]);
  });

  it('deletes under results/ and curated/ only: never raw/ or athena-results/', async () => {
    const curated = path.join(root, 'curated');
    const withCurated = new LocalObjectStore({
      inputDir: input,
      mounts: [
        { prefix: 'results/', dir: out },
        { prefix: 'athena-results/', dir: scratch },
        { prefix: 'curated/', dir: curated },
      ],
    });
    const key = 'curated/curated_student_info/run_id=r1/year=2021/quarter=1/a.parquet';
    await withCurated.put(key, 'x');
    expect(existsSync(path.join(curated, 'curated_student_info/run_id=r1/year=2021/quarter=1/a.parquet'))).toBe(true);
    await withCurated.delete(key);
    expect(await withCurated.exists(key)).toBe(false);
    await expect(withCurated.delete('raw/engagement/student_info/student_info.csv')).rejects.toThrow(/refusing to delete/);
    await expect(withCurated.delete('athena-results/x.csv')).rejects.toThrow(/refusing to delete/);
    expect(readFileSync(path.join(input, 'engagement', 'student_info.csv'), 'utf8')).toBe(STUDENT_INFO);
  });

  it('refuses to list through a linked run folder, whose listing a rerun would delete', async () => {
    mkdirSync(out, { recursive: true });
    symlinkSync(path.join(input, 'engagement'), path.join(out, 'r1'));
    await expect(store.list('results/r1/')).rejects.toThrow(/r1 is a symbolic link: results are not listed \(nor deleted\) through a link/);
    await expect(store.list('results/r1/engagement/')).rejects.toThrow(/symbolic link/);
    // The link itself is an object of the folder above it, as any link is.
    expect((await store.list('results/')).map((object) => object.key)).toEqual(['results/r1']);
    expect(readdirSync(path.join(input, 'engagement')).sort()).toEqual(['student_info.csv', 'unrelated.csv']);
  });

  it('a process stopped by a signal removes the guard of a conditional write it is making, so the key is not blocked', async () => {
    const key = 'results/.locks/run.json';
    expect(await store.putIf(key, 'first', { absent: true })).toBe(true);
    const version = (await store.getVersioned(key))!.version;
    // A store whose compare step waits until told: the guard is held meanwhile, as when a signal comes.
    let proceed!: () => void;
    const held = new Promise<void>((resolve) => (proceed = resolve));
    class PausingStore extends LocalObjectStore {
      override async getVersioned(wanted: string) {
        await held;
        return super.getVersioned(wanted);
      }
    }
    const pausing = new PausingStore({ mounts: [{ prefix: 'results/', dir: out }] });
    const deleting = pausing.deleteIf(key, version);
    const guard = path.join(out, '.locks', 'run.json.guard');
    for (let i = 0; i < 200 && !existsSync(guard); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(existsSync(guard)).toBe(true);
    removeOwnTemporariesSync();
    expect(existsSync(guard)).toBe(false);
    // Another process's conditional write goes ahead at once instead of losing until the guard is stale.
    expect(await store.putIf(key, 'second', { version })).toBe(true);
    proceed();
    expect(await deleting).toBe(false);
  });

  it('a process stopped by a signal removes the half-written file of a stream it is writing', async () => {
    const body = new PassThrough();
    const writing = store.putStream('results/r1/engagement/big.csv', body);
    writing.catch(() => undefined);
    body.write('student_id,minutes\n1,2\n');
    const folder = path.join(out, 'r1', 'engagement');
    const partials = () => (existsSync(folder) ? readdirSync(folder).filter((name) => name.includes('.partial-')) : []);
    for (let i = 0; i < 200 && partials().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(partials()).toHaveLength(1);
    removeOwnTemporariesSync();
    expect(partials()).toEqual([]);
    body.destroy(new Error('stopped'));
    await expect(writing).rejects.toThrow();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('creates only when absent, replaces and deletes only the version read (conditional writes)', async () => {
    const key = 'results/.locks/run.json';
    expect(await store.getVersioned(key)).toBeUndefined();
    expect(await store.putIf(key, 'first', { absent: true })).toBe(true);
    expect(await store.putIf(key, 'second', { absent: true })).toBe(false);
    const first = (await store.getVersioned(key))!;
    expect(first.text).toBe('first');
    expect(await store.putIf(key, 'third', { version: first.version })).toBe(true);
    // The version read before the replace no longer matches: neither a replace nor a delete happens.
    expect(await store.putIf(key, 'fourth', { version: first.version })).toBe(false);
    expect(await store.deleteIf(key, first.version)).toBe(false);
    const third = (await store.getVersioned(key))!;
    expect(third.text).toBe('third');
    expect(await store.deleteIf(key, third.version)).toBe(true);
    expect(await store.getVersioned(key)).toBeUndefined();
    expect(readdirSync(path.join(out, '.locks'))).toEqual([]);
  });

  it('of concurrent creates of one key, exactly one wins', async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putIf('results/.locks/race.json', `writer ${i}`, { absent: true })));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it('lists what a study folder holds, near misses included, for PlanRun to report', async () => {
    writeFileSync(path.join(input, 'engagement', 'Student_Purchases.CSV'), 'x');
    expect(await store.listStudyInput('engagement')).toContain('Student_Purchases.CSV');
    expect(await store.listStudyInput('engagement')).toContain('student_info.csv');
  });

  it('with a results write budget, fails writes past it with ENOSPC and leaves no partial file', async () => {
    const small = new LocalObjectStore({ inputDir: input, resultsWriteBudgetBytes: 10, mounts: [{ prefix: 'results/', dir: out }] });
    await small.put('results/f/fits.txt', '12345');
    await expect(small.put('results/f/too-big.txt', '123456')).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(small.putStream('results/f/stream.txt', Readable.from([Buffer.from('1')]))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(path.join(out, 'f'))).toEqual(['fits.txt']);
  });
});
