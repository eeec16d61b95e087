// S3ObjectStore against s3rver (a local S3 implementation, see s3rver-process.ts) on 127.0.0.1: reads, writes, streams,
// paged listings, not-found errors, presigned links, and results list/pull end to end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listRuns } from '../../lib/cli/runs';
import { ObjectNotFoundError } from '../../lambdas/io/object-store';
import { S3ObjectStore } from '../../lambdas/io/s3-object-store';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { planRun } from '../../lambdas/steps/plan-run';
import { silentLogger, WorkflowInputError, type StepContext } from '../../lambdas/steps/step-context';
import { IntegrityError, pullRun, runResultsCommand } from '../../lib/cli/run-download';
import { PresigningS3ObjectStore } from '../../lib/cli/presigning-s3-store';
import { FIXTURE } from '../analysis/report/fixture-run';
import { startLocalS3, type LocalS3 } from './s3rver-process';

const BUCKET = 'test-bucket';
let server: LocalS3;
let client: S3Client;
// The command line's store: S3ObjectStore with presigned links.
let store: PresigningS3ObjectStore;

beforeAll(async () => {
  server = await startLocalS3([BUCKET]);
  client = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  store = new PresigningS3ObjectStore(BUCKET, { client, pageSize: 2 });
});

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

describe('S3ObjectStore', () => {
  it('sends the run lock\'s writes with S3\'s preconditions, and reads an object with its ETag as version', async () => {
    // s3rver evaluates no write preconditions; AWS S3 does (If-None-Match: * and If-Match: <ETag>,
    // 412 when they fail). Checked here: the headers on the wire and the version they carry.
    const sent: Record<string, string>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method?: string; headers?: Record<string, string> };
        if (request.method === 'PUT' || request.method === 'DELETE') sent.push({ method: request.method, ...request.headers });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordPreconditions' },
    );
    try {
      const key = 'results/.locks/s3-run.json';
      expect(await store.getVersioned(key)).toBeUndefined();
      expect(await store.putIf(key, '{"execution":"a"}', { absent: true })).toBe(true);
      const current = (await store.getVersioned(key))!;
      expect(current.text).toBe('{"execution":"a"}');
      expect(current.version).toBe(`"${createHash('md5').update('{"execution":"a"}').digest('hex')}"`);
      await store.putIf(key, '{"execution":"b"}', { version: current.version });
      await store.deleteIf(key, (await store.getVersioned(key))!.version);
      expect(sent.map((headers) => [headers.method, headers['if-none-match'], headers['if-match']])).toEqual([
        ['PUT', '*', undefined],
        ['PUT', undefined, current.version],
        ['DELETE', undefined, `"${createHash('md5').update('{"execution":"b"}').digest('hex')}"`],
      ]);
    } finally {
      client.middlewareStack.remove('recordPreconditions');
    }
  });

  it('puts and gets text and bytes', async () => {
    await store.put('a/hello.txt', 'héllo, world\n', 'text/plain');
    expect(await store.getText('a/hello.txt')).toBe('héllo, world\n');
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    await store.put('a/bytes.bin', bytes);
    expect([...(await store.getBytes('a/bytes.bin'))]).toEqual([...bytes]);
    expect(await store.exists('a/hello.txt')).toBe(true);
  });

  it('streams in both directions, multipart for a body over one part', async () => {
    const line = 'student_id,minutes_watched\n';
    const big = line.repeat(Math.ceil((6 * 1024 * 1024) / line.length)); // > 5 MiB: more than one part
    await store.putStream('b/big.csv', Readable.from([Buffer.from(big)]), 'text/csv');
    const back = await text(await store.getStream('b/big.csv'));
    expect(back.length).toBe(big.length);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('lists every key under a prefix across pages, sorted, with sizes', async () => {
    const keys = ['p/3', 'p/1', 'p/5', 'p/2', 'p/4', 'p/sub/6', 'p/sub/7'];
    for (const key of keys) await store.put(key, key.repeat(3));
    await store.put('q/outside', 'x');
    const send = vi.spyOn(client, 'send');
    const listed = await store.list('p/');
    const listCalls = send.mock.calls.filter(([command]) => command instanceof ListObjectsV2Command).length;
    send.mockRestore();
    expect(listed).toEqual([...keys].sort().map((key) => ({ key, size: key.length * 3 })));
    expect(listCalls).toBe(Math.ceil(keys.length / 2));
    expect(await store.list('nothing-here/')).toEqual([]);
  });

  it('lists the folders right under a prefix (common prefixes) across pages, sorted', async () => {
    for (const key of ['f/r3/a', 'f/r1/a', 'f/r1/deep/b', 'f/r2/a', 'f/.locks/r1.json', 'f/top']) await store.put(key, 'x');
    expect(await store.listFolders('f/')).toEqual(['.locks', 'r1', 'r2', 'r3']);
    expect(await store.listFolders('f/r1/')).toEqual(['deep']);
    expect(await store.listFolders('nothing-here/')).toEqual([]);
  });

  it('raises ObjectNotFoundError for a missing key, and exists says false', async () => {
    await expect(store.getText('missing/key.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.getStream('missing/key.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.exists('missing/key.txt')).toBe(false);
  });

  it('gives an object a version that another upload under its key changes, and none when it is absent', async () => {
    expect(await store.objectVersion('raw/engagement/student_info/student_info.csv')).toBeUndefined();
    await store.put('raw/engagement/student_info/student_info.csv', 'student_id,date_registered\n1,2021-01-01\n');
    const first = await store.objectVersion('raw/engagement/student_info/student_info.csv');
    expect(first).toBeTruthy();
    expect(await store.objectVersion('raw/engagement/student_info/student_info.csv')).toBe(first);
    await store.put('raw/engagement/student_info/student_info.csv', 'student_id,date_registered\n2,2021-01-01\n');
    expect(await store.objectVersion('raw/engagement/student_info/student_info.csv')).not.toBe(first);
  });

  it('presigns a GET link that works without credentials', async () => {
    await store.put('c/linked.txt', 'open me');
    const url = await store.presign('c/linked.txt', 60);
    expect(url).toMatch(/X-Amz-Expires=60/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('open me');
  });
});

describe('results list and pull against S3', () => {
  const OLD_RUN = '20231201T080000Z';
  const FAILED_RUN = '20240201T090000Z';

  beforeAll(async () => {
    for (const [key, body] of Object.entries(FIXTURE.files)) await store.put(`results/${FIXTURE.run_id}/${key}`, body);
    const oldManifest = { ...JSON.parse(FIXTURE.files['manifest.json']!), run_id: OLD_RUN, started_at: '2023-12-01T08:00:00.000Z', outputs: [] };
    await store.put(`results/${OLD_RUN}/manifest.json`, JSON.stringify(oldManifest));
    await store.put(`results/${FAILED_RUN}/_FAILED.json`, JSON.stringify({ state: 'RunQueries', error: 'QueryFailed', cause: 'syntax error' }));
  });

  it('lists runs newest first, a run with only _FAILED.json as failed', async () => {
    const runs = await listRuns(store);
    expect(runs.map((run) => [run.id, run.status])).toEqual([
      [FAILED_RUN, 'failed'],
      [FIXTURE.run_id, 'succeeded'],
      [OLD_RUN, 'succeeded'],
    ]);
    expect(runs[0]!.date).toBe('2024-02-01T09:00:00.000Z');
    expect(runs[0]!.error).toBe('RunQueries: QueryFailed');
    expect(runs[1]!.periods).toEqual({ baseline: '2021Q2', comparison: '2022Q2' });
    const printed = await runResultsCommand(store, { action: 'list' });
    expect(printed.split('\n')[1]).toContain(FAILED_RUN);
  });

  it('pulls the latest succeeded run, every output byte-identical, plus manifest.json', async () => {
    const toDir = mkdtempSync(path.join(os.tmpdir(), 'pull-'));
    const pulled = await pullRun(store, 'latest', toDir);
    expect(pulled.runId).toBe(FIXTURE.run_id);
    for (const [key, body] of Object.entries(FIXTURE.files)) {
      expect(readFileSync(path.join(toDir, FIXTURE.run_id, key), 'utf8'), key).toBe(body);
    }
    expect(pulled.files).toHaveLength(Object.keys(FIXTURE.files).length);
    // The run's folder has the modes the umask gives a new folder, not a private temporary folder's.
    expect(statSync(path.join(toDir, FIXTURE.run_id)).mode & 0o777).toBe(0o777 & ~process.umask());
  });

  it('refuses a file whose sha256 differs from the manifest and leaves no partial file', async () => {
    const key = 'engagement/statistics.json';
    const original = FIXTURE.files[key]!;
    // Same length, different content: only the hash can tell.
    const tampered = original.replace('"periods"', '"PERIODS"');
    expect(tampered.length).toBe(original.length);
    await store.put(`results/${FIXTURE.run_id}/${key}`, tampered);
    const toDir = mkdtempSync(path.join(os.tmpdir(), 'pull-bad-'));
    try {
      const failure = pullRun(store, FIXTURE.run_id, toDir);
      await expect(failure).rejects.toBeInstanceOf(IntegrityError);
      await expect(failure).rejects.toThrow(/engagement\/statistics\.json .*does not match its manifest.*sha256/);
      // Nothing of the pull stays: no run folder, no folder it gathered the files in.
      expect(readdirSync(toDir)).toEqual([]);
      // Nor the --to folder the pull made for it.
      const madeTo = path.join(toDir, 'new', 'folder');
      await expect(pullRun(store, FIXTURE.run_id, madeTo)).rejects.toBeInstanceOf(IntegrityError);
      expect(readdirSync(toDir)).toEqual([]);
    } finally {
      await store.put(`results/${FIXTURE.run_id}/${key}`, original);
    }
  });

  it('tidies what a pull killed midway left: its gathered files go, and the copy it had moved aside comes back', async () => {
    const toDir = mkdtempSync(path.join(os.tmpdir(), 'pull-tidy-'));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    // A killed pull of run old-run between its two renames: old-run/ moved aside, the new copy not yet in place.
    const gathered = path.join(toDir, `.old-run.pulling-${gone}-0f3c2a1e-1111-4222-8333-444455556666`);
    mkdirSync(path.join(gathered, 'engagement'), { recursive: true });
    writeFileSync(path.join(gathered, 'engagement', 'half.csv'), 'a\n');
    mkdirSync(`${gathered}.earlier`);
    writeFileSync(path.join(`${gathered}.earlier`, 'manifest.json'), '{"earlier": true}');
    // One of a pull still running stays.
    const running = path.join(toDir, `.other.pulling-${process.pid}-0f3c2a1e-1111-4222-8333-444455556666`);
    mkdirSync(running);
    await pullRun(store, FIXTURE.run_id, toDir);
    expect(readdirSync(toDir).sort()).toEqual([path.basename(running), FIXTURE.run_id, 'old-run'].sort());
    expect(readFileSync(path.join(toDir, 'old-run', 'manifest.json'), 'utf8')).toBe('{"earlier": true}');
  });

  it('replaces an earlier copy of the run whole: none of its files stay', async () => {
    const toDir = mkdtempSync(path.join(os.tmpdir(), 'pull-again-'));
    await pullRun(store, FIXTURE.run_id, toDir);
    const runDir = path.join(toDir, FIXTURE.run_id);
    mkdirSync(path.join(runDir, 'mooc'), { recursive: true });
    writeFileSync(path.join(runDir, 'mooc', 'from-an-earlier-attempt.csv'), 'stale\n');
    await pullRun(store, FIXTURE.run_id, toDir);
    const files = readdirSync(runDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(runDir, path.join(entry.parentPath, entry.name)));
    expect(files.sort()).toEqual(Object.keys(FIXTURE.files).sort()); // manifest.json among them
    expect(readdirSync(toDir)).toEqual([FIXTURE.run_id]);
  });

  it('fails clearly when the run is rerun during the pull, and leaves an earlier copy as it was', async () => {
    const toDir = mkdtempSync(path.join(os.tmpdir(), 'pull-rerun-'));
    await pullRun(store, FIXTURE.run_id, toDir);
    const before = readFileSync(path.join(toDir, FIXTURE.run_id, 'manifest.json'));
    // One output vanishes between reading the manifest and downloading it, as a rerun's cleanup does.
    const rerunning = new Proxy(store, {
      get(target, property) {
        if (property === 'getStream') {
          return async (key: string) => {
            if (key.endsWith('/engagement/statistics.json')) throw new ObjectNotFoundError(key);
            return target.getStream(key);
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(pullRun(rerunning, FIXTURE.run_id, toDir)).rejects.toThrow(
      `run ${FIXTURE.run_id} changed while it was being pulled (engagement/statistics.json is gone): it is being rerun; pull it again once the rerun has finished`,
    );
    expect(readdirSync(toDir)).toEqual([FIXTURE.run_id]);
    expect(readFileSync(path.join(toDir, FIXTURE.run_id, 'manifest.json'))).toEqual(before);
    expect(readFileSync(path.join(toDir, FIXTURE.run_id, 'engagement', 'statistics.json'), 'utf8')).toBe(FIXTURE.files['engagement/statistics.json']);
  });

  it('gives presigned links for a run and a clear error for a failed one', async () => {
    const printed = await runResultsCommand(store, { action: 'links', runId: FIXTURE.run_id, seconds: 300 });
    const lines = printed.trim().split('\n');
    expect(lines).toHaveLength(Object.keys(FIXTURE.files).length);
    const statsLine = lines.find((line) => line.startsWith('engagement/statistics.json\t'))!;
    expect(await (await fetch(statsLine.split('\t')[1]!)).text()).toBe(FIXTURE.files['engagement/statistics.json']);
    await expect(pullRun(store, FAILED_RUN, os.tmpdir())).rejects.toThrow(/failed and has no manifest/);
  });
});

describe('PlanRun on S3', () => {
  const raw = (name: string) => `raw/engagement/${name.replace(/\.csv$/, '')}/${name}`;
  const put = (key: string, body: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body) }));
  const context = (): StepContext => ({ store: new S3ObjectStore(BUCKET, { client }), logger: silentLogger, now: () => new Date('2026-11-23T10:00:00Z') });

  it('refuses an engagement table folder holding another object beside its file, and passes over folder markers', async () => {
    for (const table of ENGAGEMENT_TABLES) await put(raw(table.fileName), `${table.columns.join(',')}\n`);
    await put('raw/engagement/student_info/', '');
    await put('raw/engagement/student_info/student_info (1).csv', 'student_id,date_registered\n');
    await put('raw/engagement/student_certificates/old/student_certificates.csv', 'certificate_id,student_id,date_issued\n');
    const refused = await planRun({ runId: 'stray-1', execution: 'exec-stray-1', request: {} }, context()).then(
      () => { throw new Error('expected a rejection'); },
      (error: Error) => error,
    );
    expect(refused).toBeInstanceOf(WorkflowInputError);
    expect(refused.message).toBe(
      'engagement input: "raw/engagement/student_info/student_info (1).csv" is beside student_info.csv; ' +
        '"raw/engagement/student_certificates/old/student_certificates.csv" is beside student_certificates.csv; ' +
        "Athena reads every object in a table's folder, so each would be read as more rows of that table: move them out of raw/",
    );
    // Refused before the attempt began: no marker in the run's folder.
    expect(await store.exists('results/stray-1/_FAILED.json')).toBe(false);

    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'raw/engagement/student_info/student_info (1).csv' }));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'raw/engagement/student_certificates/old/student_certificates.csv' }));
    const plan = await planRun({ runId: 'stray-2', execution: 'exec-stray-2', request: {} }, context());
    expect(plan.studies.engagement.run).toBe(true);
  });
});
