// A folder tree standing in for the bucket. Key prefixes are mounted on folders: results/ on the
// --out folder, athena-results/ on a scratch folder, and raw/ on the --input folder, whose users
// keep a table as <input>/<study>/<file> rather than under a per-table prefix.
import { closeSync, createReadStream, createWriteStream, openSync, rmSync, type Dirent } from 'node:fs';
import { createHash } from 'node:crypto';
import { link, lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { RAW_PREFIX, RESULTS_PREFIX, rawTableKey } from '../../lambdas/contracts/layout';
import { RAW_TABLES, type Study } from '../../lambdas/contracts/tables';
import { ObjectNotFoundError, assertDeletable, type ObjectStore, type StoredObject, type VersionedText, type WriteCondition } from '../../lambdas/io/object-store';

const READ_CHUNK_BYTES = 1024 * 1024;
/** A conditional replace or delete takes a few milliseconds; a guard this old was left by a killed process. */
const STALE_GUARD_MS = 30_000;

export const LOCAL_BUCKET = 'local-bucket';

export interface LocalMount {
  prefix: string;
  dir: string;
}

export interface LocalObjectStoreOptions {
  /** Folder holding engagement/ and mooc/ input folders (read-only to the workflow). */
  inputDir?: string;
  /** Other prefixes, e.g. { prefix: 'results/', dir: out }. */
  mounts: LocalMount[];
  /**
   * Fault injection: results/ fills up after this many bytes, and every later write there fails
   * with ENOSPC as on a full disk (deletes still work, as they do there).
   */
  resultsWriteBudgetBytes?: number;
}

export class LocalObjectStore implements ObjectStore {
  readonly bucket = LOCAL_BUCKET;
  private readonly mounts: LocalMount[];
  private readonly inputDir?: string;
  private resultsBytesLeft: number;

  constructor(options: LocalObjectStoreOptions) {
    this.resultsBytesLeft = options.resultsWriteBudgetBytes ?? Infinity;
    this.inputDir = options.inputDir ? path.resolve(options.inputDir) : undefined;
    this.mounts = options.mounts.map((mount) => ({ prefix: mount.prefix, dir: path.resolve(mount.dir) }));
  }

  /** The file that holds a key, or an error when no mount covers it. */
  pathOf(key: string): string {
    if (key.includes('..') || key.startsWith('/')) throw new Error(`invalid object key: ${key}`);
    if (key.startsWith(RAW_PREFIX)) {
      if (!this.inputDir) throw new Error(`no input folder is mounted for ${key}`);
      const table = RAW_TABLES.find((candidate) => rawTableKey(candidate) === key);
      if (!table) throw new ObjectNotFoundError(key);
      return path.join(this.inputDir, table.study, table.fileName);
    }
    const mount = this.mounts.find((candidate) => key.startsWith(candidate.prefix));
    if (!mount) throw new Error(`no local folder is mounted for ${key}`);
    return path.join(mount.dir, key.slice(mount.prefix.length));
  }

  async getBytes(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw notFoundOr(error, key);
    }
  }

  async getText(key: string): Promise<string> {
    return (await this.getBytes(key)).toString('utf8');
  }

  async getStream(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      await stat(file);
    } catch (error) {
      throw notFoundOr(error, key);
    }
    // 1 MiB chunks: readers scan bytes, and 64 KiB reads cost 0.3 s per 250 MB in stream overhead alone.
    return createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    const file = this.writablePathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const temporary = temporaryPathOf(file);
    try {
      this.spendResultsBytes(key, typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength, file);
      await writeFile(temporary, body);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw naming(error, key, file);
    } finally {
      temporariesHeld.delete(temporary);
    }
  }

  async putStream(key: string, body: Readable): Promise<void> {
    const file = this.writablePathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = temporaryPathOf(file);
    try {
      if (this.resultsBytesLeft === Infinity || !key.startsWith(RESULTS_PREFIX)) await pipeline(body, createWriteStream(temporary));
      else {
        const store = this;
        const metered = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            try {
              store.spendResultsBytes(key, chunk.length, file);
              done(null, chunk);
            } catch (error) {
              done(error as Error);
            }
          },
        });
        await pipeline(body, metered, createWriteStream(temporary));
      }
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw naming(error, key, file);
    } finally {
      temporariesHeld.delete(temporary);
    }
  }

  private spendResultsBytes(key: string, bytes: number, file: string): void {
    if (!key.startsWith(RESULTS_PREFIX) || this.resultsBytesLeft === Infinity) return;
    if (bytes > this.resultsBytesLeft) {
      this.resultsBytesLeft = 0;
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    this.resultsBytesLeft -= bytes;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    if (prefix.startsWith(RAW_PREFIX) || RAW_PREFIX.startsWith(prefix)) {
      for (const table of RAW_TABLES) {
        const key = rawTableKey(table);
        if (!key.startsWith(prefix) || !this.inputDir) continue;
        const size = await sizeOf(this.pathOf(key));
        if (size !== undefined) found.push({ key, size });
      }
    }
    for (const mount of this.mounts) {
      if (!(prefix.startsWith(mount.prefix) || mount.prefix.startsWith(prefix))) continue;
      // Only the folder the prefix names is walked: another run writing elsewhere in the bucket
      // (files appearing and being renamed) is never looked at.
      const inMount = prefix.startsWith(mount.prefix) ? prefix.slice(mount.prefix.length) : '';
      const base = inMount.slice(0, inMount.lastIndexOf('/') + 1).replace(/\/$/, '');
      await refuseLinkedFolders(mount.dir, base);
      for (const { relative, size } of await walk(mount.dir, base)) {
        const key = mount.prefix + relative;
        if (key.startsWith(prefix) && !isInFlight(key)) found.push({ key, size });
      }
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async listFolders(prefix: string): Promise<string[]> {
    const mount = this.mounts.find((candidate) => prefix.startsWith(candidate.prefix));
    if (!mount || !prefix.endsWith('/')) return [];
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(mount.dir, prefix.slice(mount.prefix.length)), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await sizeOf(this.pathOf(key))) !== undefined;
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertDeletable(key);
    const file = this.writablePathOf(key);
    await rm(file, { force: true });
    // S3 has no folders: a results folder left empty here would look like an output (e.g. a skipped
    // study's mooc/ after a rerun). Only under results/, which one attempt at a time writes: the
    // Parquet folders are shared by runs that may be writing beside it.
    if (!key.startsWith(RESULTS_PREFIX)) return;
    const mount = this.mounts.find((candidate) => key.startsWith(candidate.prefix))!;
    for (let dir = path.dirname(file); dir.startsWith(mount.dir + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty (or already gone): its parents are not empty either
      }
    }
  }

  async listStudyInput(study: Study): Promise<string[]> {
    if (!this.inputDir) return [];
    try {
      return (await readdir(path.join(this.inputDir, study))).sort();
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
      throw error;
    }
  }

  async getVersioned(key: string): Promise<VersionedText | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return { text: bytes.toString('utf8'), version: versionOf(bytes) };
  }

  async objectVersion(key: string): Promise<string | undefined> {
    try {
      // Nanosecond times: a rewrite within the same millisecond still shows.
      const info = await stat(this.pathOf(key), { bigint: true });
      return info.isFile() ? `${info.size} ${info.mtimeNs} ${info.ino}` : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async putIf(key: string, body: string, condition: WriteCondition): Promise<boolean> {
    const file = this.writablePathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = temporaryPathOf(file);
    try {
      // In the try: a write that fails part way (a full disk) leaves no partial file behind either.
      await writeFile(temporary, body);
      if ('absent' in condition) {
        // link() fails with EEXIST when the name is taken: an atomic create of a complete file.
        try {
          await link(temporary, file);
          return true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
          throw error;
        }
      }
      return await this.withGuard(file, async () => {
        if ((await this.getVersioned(key))?.version !== condition.version) return false;
        await rename(temporary, file);
        return true;
      });
    } finally {
      await rm(temporary, { force: true });
      temporariesHeld.delete(temporary);
    }
  }

  async deleteIf(key: string, version: string): Promise<boolean> {
    assertDeletable(key);
    const file = this.writablePathOf(key);
    return this.withGuard(file, async () => {
      if ((await this.getVersioned(key))?.version !== version) return false;
      await unlink(file);
      return true;
    });
  }

  /**
   * Folders have no compare-and-swap: a check-then-replace runs while holding <file>.guard, created
   * exclusively. A concurrent one finds the guard and loses (false), as a conditional write would.
   * The guard is empty: creating it takes no data block, so a lock can still be released on a full disk.
   */
  private async withGuard(file: string, action: () => Promise<boolean>): Promise<boolean> {
    const guard = `${file}.guard`;
    for (let attempt = 0; ; attempt++) {
      try {
        // Synchronous, so no signal handler can run between the guard's creation and its record.
        closeSync(openSync(guard, 'wx'));
        temporariesHeld.add(guard);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const age = Date.now() - ((await stat(guard).catch(() => undefined))?.mtimeMs ?? Date.now());
        if (attempt > 0 || age < STALE_GUARD_MS) return false;
        await rm(guard, { force: true });
      }
    }
    try {
      return await action();
    } finally {
      await rm(guard, { force: true });
      temporariesHeld.delete(guard);
    }
  }

  private writablePathOf(key: string): string {
    // Input data is never modified: the raw mount is read-only for the workflow.
    if (key.startsWith(RAW_PREFIX)) throw new Error(`refusing to write input object ${key}`);
    return this.pathOf(key);
  }
}

/**
 * Files this process has made and not yet renamed or removed: conditional writes' guards (left
 * behind, one blocks its key until it is stale) and half-written files (left behind in a run
 * folder that is never rerun, they stay).
 */
const temporariesHeld = new Set<string>();

/** Removes this process's guards and half-written files at once, for a process about to exit on a signal. */
export function removeOwnTemporariesSync(): void {
  for (const file of temporariesHeld) rmSync(file, { force: true });
  temporariesHeld.clear();
}

/**
 * A failed write names the object and where it lives on disk: Node's ENOSPC message names no file,
 * and a run's scratch objects (checked/, curated/) sit in TMPDIR, not in the results folder.
 */
function naming(error: unknown, key: string, file: string): unknown {
  if (!(error instanceof Error) || error.message.includes(key)) return error;
  error.message = `${error.message} (writing ${key} to ${file})`;
  return error;
}

let temporaryFiles = 0;

/** Write then rename: the temporary name carries the writer's pid (see isInFlight) and a count, unique within it. */
function temporaryPathOf(file: string): string {
  const temporary = `${file}.partial-${process.pid}.${++temporaryFiles}`;
  temporariesHeld.add(temporary);
  return temporary;
}

/**
 * A file being written (write then rename) by a live process, or a conditional write's guard, is
 * not an object yet. A partial file whose writer was killed is listed, so a rerun removes it.
 */
function isInFlight(key: string): boolean {
  if (key.endsWith('.guard')) return true;
  const partial = /\.partial-(\d+)(\.\d+)?$/.exec(key);
  if (!partial) return false;
  try {
    process.kill(Number(partial[1]), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function versionOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function notFoundOr(error: unknown, key: string): unknown {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT' ? new ObjectNotFoundError(key) : error;
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Listing a folder is how a rerun finds what to delete: through a link, it would list and then delete
 * the link's target (the input, another run's folder), so a linked folder on the way is refused.
 */
async function refuseLinkedFolders(dir: string, base: string): Promise<void> {
  let folder = dir;
  for (const part of base.split('/').filter(Boolean)) {
    folder = path.join(folder, part);
    const info = await lstat(folder).catch(() => undefined);
    if (!info) return;
    if (info.isSymbolicLink()) throw new Error(`${folder} is a symbolic link: results are not listed (nor deleted) through a link`);
  }
}

/**
 * Every file under dir/base with its size. A folder's entries are looked at concurrently: one stat
 * after another costs a thread-pool round trip each, and a results folder of many runs holds
 * thousands of files (60 runs: about 0.3 s one by one, a third of that side by side).
 */
async function walk(dir: string, base = ''): Promise<{ relative: string; size: number }[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, base), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found = await Promise.all(
    entries.map(async (entry): Promise<{ relative: string; size: number }[]> => {
      const relative = base ? `${base}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return walk(dir, relative);
      let size: number | undefined;
      // A file removed since the folder was read is not listed (an object deleted meanwhile).
      if (entry.isFile()) size = await sizeOf(path.join(dir, relative));
      // A symbolic link is an object too (its own size, never followed): a rerun deletes the link, not its target.
      else if (entry.isSymbolicLink()) size = await lstat(path.join(dir, relative)).then((info) => info.size, () => undefined);
      return size === undefined ? [] : [{ relative, size }];
    }),
  );
  return found.flat();
}
