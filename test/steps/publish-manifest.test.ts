// PublishManifest's description of each file: bytes and sha256 of the stored bytes, CSV data rows
// counted once (records, so a quoted line break does not add a row) or taken from the writing step.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { describeOutput } from '../../lambdas/steps/publish-manifest';

let root: string;
let store: LocalObjectStore;
const PREFIX = 'results/run-1/';

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'publish-manifest-'));
  store = new LocalObjectStore({ mounts: [{ prefix: 'results/', dir: root }] });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('describeOutput', () => {
  it('counts lines of a plain CSV, with or without a final newline, and hashes its bytes', async () => {
    const text = 'a,b\n1,2\n3,4\n5,6';
    await store.put(`${PREFIX}plain.csv`, text);
    const described = await describeOutput(store, `${PREFIX}plain.csv`, PREFIX);
    expect(described).toEqual({ key: 'plain.csv', rows: 3, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
    await store.put(`${PREFIX}header-only.csv`, 'a,b\n');
    expect((await describeOutput(store, `${PREFIX}header-only.csv`, PREFIX)).rows).toBe(0);
  });

  it('counts records, not lines, when a quoted field holds a line break', async () => {
    await store.put(`${PREFIX}quoted.csv`, 'a,b\n"x\ny",2\n"z",3\n');
    expect((await describeOutput(store, `${PREFIX}quoted.csv`, PREFIX)).rows).toBe(2);
  });

  it('takes the writing step\'s count when given, and gives no rows for other files', async () => {
    await store.put(`${PREFIX}known.csv`, 'a\n1\n2\n');
    expect((await describeOutput(store, `${PREFIX}known.csv`, PREFIX, 2)).rows).toBe(2);
    await store.put(`${PREFIX}statistics.json`, '{}\n');
    expect((await describeOutput(store, `${PREFIX}statistics.json`, PREFIX)).rows).toBeNull();
  });
});
