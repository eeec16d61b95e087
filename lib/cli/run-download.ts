// Downloads a run's outputs to a folder, checking each file's size and sha256 against the manifest,
// and the `results list|pull|links` command built on it.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MANIFEST_FILE, manifestKey, runPrefix } from '../../lambdas/contracts/layout';
import { formatRunTable, listRuns, presignRun, readManifestAsStored, resolveRunId, type Presigner } from './runs';
import { ObjectNotFoundError, type ObjectStore } from '../../lambdas/io/object-store';
import { UsageError } from './arguments';
import { processIsAlive } from '../local/process-alive';
import { onStopSignals, stopExitCode } from './stop-signals';
import type { RunManifest } from '../../lambdas/contracts/result-types';

export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

export interface PulledRun {
  runId: string;
  dir: string;
  files: string[];
}

/**
 * Copies every manifest output of a run (and manifest.json) into toDir/<runId>/. The files are
 * gathered in a folder beside it and put in place whole once every one matched the manifest, so a
 * pull that fails leaves nothing, and one into a folder that held an earlier copy of the run leaves
 * none of that copy's files (a rerun may have written fewer).
 */
export async function pullRun(store: ObjectStore, runId: string, toDir: string): Promise<PulledRun> {
  const id = await resolveRunId(store, runId);
  const { manifest, bytes: manifestBytes } = await readManifestAsStored(store, id);
  const dir = path.resolve(toDir, id);
  const created = await mkdir(path.dirname(dir), { recursive: true });
  await tidyStoppedPulls(path.dirname(dir));
  // mkdir, not mkdtemp (0700): the run's folder gets the modes the user's umask gives any new folder.
  const staging = path.join(path.dirname(dir), `.${id}.pulling-${process.pid}-${randomUUID()}`);
  await mkdir(staging);
  // Stopped midway: the gathered files go, and an earlier copy moved aside comes back.
  const removeSignalHandler = onStopSignals((signal) => {
    undoPullSync(staging, dir);
    process.stderr.write(`\nengagement: stopped by ${signal}; nothing of run ${id} was pulled\n`);
    process.exit(stopExitCode(signal));
  });
  try {
    for (const output of manifest.outputs) await download(store, id, output, path.join(staging, ...output.key.split('/')));
    // The manifest exactly as stored, so its own checksum (if anyone keeps one) still holds.
    await writeFile(path.join(staging, MANIFEST_FILE), manifestBytes);
    if (!(await store.getBytes(manifestKey(id)).catch(() => undefined))?.equals(manifestBytes)) throw changedDuringPull(id);
    await replaceFolder(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // A failed pull leaves nothing behind, not even the --to folder it made.
    if (created !== undefined) await removeEmptyFolders(path.dirname(dir), created);
    throw error;
  } finally {
    removeSignalHandler();
  }
  const files = [...manifest.outputs.map((output) => path.join(dir, ...output.key.split('/'))), path.join(dir, MANIFEST_FILE)];
  return { runId: id, dir, files };
}

async function download(store: ObjectStore, id: string, output: RunManifest['outputs'][number], file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
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
    await pipeline(await store.getStream(`${runPrefix(id)}${output.key}`), meter, createWriteStream(file));
  } catch (error) {
    // Listed in the manifest read a moment ago, gone now: the run is being rerun.
    if (error instanceof ObjectNotFoundError || (error as NodeJS.ErrnoException).code === 'ENOENT') throw changedDuringPull(id, output.key);
    throw error;
  }
  const sha256 = hash.digest('hex');
  if (bytes !== output.bytes || sha256 !== output.sha256) {
    throw new IntegrityError(
      `${output.key} of run ${id} does not match its manifest: got ${bytes} bytes, sha256 ${sha256}; manifest says ${output.bytes} bytes, sha256 ${output.sha256}`,
    );
  }
}

function changedDuringPull(id: string, key?: string): Error {
  return new IntegrityError(`run ${id} changed while it was being pulled${key ? ` (${key} is gone)` : ''}: it is being rerun; pull it again once the rerun has finished`);
}

/** Removes `from` and its parents up to `top`, each only while it is empty. */
async function removeEmptyFolders(from: string, top: string): Promise<void> {
  for (let folder = from; ; folder = path.dirname(folder)) {
    if (!(await rmdir(folder).then(() => true, () => false)) || folder === top || path.dirname(folder) === folder) return;
  }
}

/** A pull's folders beside the run's: `.<runId>.pulling-<pid>-<uuid>`, and `<that>.earlier` for the copy it replaces. */
const PULL_FOLDER = /^\.(.+)\.pulling-(\d+)-[0-9a-f-]+(\.earlier)?$/;

/** Removes a pull's gathered files and puts back an earlier copy it had moved aside, at once: for a process about to exit. */
function undoPullSync(staging: string, dir: string): void {
  rmSync(staging, { recursive: true, force: true });
  const earlier = `${staging}.earlier`;
  if (existsSync(earlier)) {
    if (existsSync(dir)) rmSync(earlier, { recursive: true, force: true });
    else renameSync(earlier, dir);
  }
}

/**
 * What pulls killed midway (kill -9) left in `folder`: their gathered files go, and an earlier copy
 * one had moved aside goes back in place when nothing took its place. Pulls still running are left alone.
 */
async function tidyStoppedPulls(folder: string): Promise<void> {
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const match = PULL_FOLDER.exec(name);
    if (!match || processIsAlive(Number(match[2]))) continue;
    const leftover = path.join(folder, name);
    const runDir = path.join(folder, match[1]!);
    if (match[3] && !existsSync(runDir)) await rename(leftover, runDir).catch(() => undefined);
    else await rm(leftover, { recursive: true, force: true });
  }
}

/** Puts `from` at `to`, an earlier folder there going only once the new one is in place. */
async function replaceFolder(from: string, to: string): Promise<void> {
  const earlier = `${from}.earlier`;
  const hadEarlier = await rename(to, earlier).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  try {
    await rename(from, to);
  } catch (error) {
    if (hadEarlier) await rename(earlier, to);
    throw error;
  }
  if (hadEarlier) await rm(earlier, { recursive: true, force: true });
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
      if (typeof store.presign !== 'function') throw new UsageError('--presign needs the S3 store (--bucket or --stack): local results are plain files already');
      const links = await presignRun(store as ObjectStore & Presigner, command.runId, command.seconds);
      return links.map((link) => `${link.key}\t${link.url}`).join('\n') + '\n';
    }
  }
}
