// Downloads a run's outputs to a folder, checking each file's size and sha256 against the manifest,
// and the `results list|pull|links` command built on it.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MANIFEST_FILE, manifestKey, runPrefix } from '../../lambdas/contracts/layout';
import { formatRunTable, listRuns, presignRun, readManifest, resolveRunId, type Presigner } from './runs';
import type { ObjectStore } from '../../lambdas/io/object-store';

export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

export interface PulledRun {
  runId: string;
  dir: string;
  files: string[];
}

/** Copies every manifest output of a run (and manifest.json) into toDir/<runId>/. */
export async function pullRun(store: ObjectStore, runId: string, toDir: string): Promise<PulledRun> {
  const id = await resolveRunId(store, runId);
  const manifest = await readManifest(store, id);
  const dir = path.resolve(toDir, id);
  const files: string[] = [];
  for (const output of manifest.outputs) {
    const file = path.join(dir, ...output.key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(await store.getStream(`${runPrefix(id)}${output.key}`), meter, createWriteStream(partial));
      const sha256 = hash.digest('hex');
      if (bytes !== output.bytes || sha256 !== output.sha256) {
        throw new IntegrityError(
          `${output.key} of run ${id} does not match its manifest: got ${bytes} bytes, sha256 ${sha256}; manifest says ${output.bytes} bytes, sha256 ${output.sha256}`,
        );
      }
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    files.push(file);
  }
  const manifestFile = path.join(dir, MANIFEST_FILE);
  // The manifest exactly as stored, so its own checksum (if anyone keeps one) still holds.
  await writeFile(manifestFile, await store.getBytes(manifestKey(id)));
  files.push(manifestFile);
  return { runId: id, dir, files };
}

export type ResultsCommand =
  | { action: 'list' }
  | { action: 'pull'; runId: string; toDir: string }
  | { action: 'links'; runId: string; seconds: number };

/** `engagement results list|pull|links`: does the whole command and returns what to print. */
export async function runResultsCommand(store: ObjectStore & Partial<Presigner>, command: ResultsCommand): Promise<string> {
  switch (command.action) {
    case 'list':
      return formatRunTable(await listRuns(store));
    case 'pull': {
      const pulled = await pullRun(store, command.runId, command.toDir);
      return `pulled ${pulled.files.length} files of run ${pulled.runId} into ${pulled.dir} (sizes and sha256 checked)\n`;
    }
    case 'links': {
      if (typeof store.presign !== 'function') throw new Error('links need the S3 store: local results are plain files already');
      const links = await presignRun(store as ObjectStore & Presigner, command.runId, command.seconds);
      return links.map((link) => `${link.key}\t${link.url}`).join('\n') + '\n';
    }
  }
}
