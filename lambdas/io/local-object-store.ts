// A folder tree standing in for the bucket. Key prefixes are mounted on folders: results/ on the
// --out folder, athena-results/ on a scratch folder, and raw/ on the --input folder, whose users
// keep a table as <input>/<study>/<file> rather than under a per-table prefix.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RAW_PREFIX, rawTableKey } from '../core/layout';
import { RAW_TABLES } from '../core/tables';
import { ObjectNotFoundError, assertDeletable, type ObjectStore, type StoredObject } from './object-store';

const READ_CHUNK_BYTES = 1024 * 1024;

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
}

export class LocalObjectStore implements ObjectStore {
  readonly bucket = LOCAL_BUCKET;
  private readonly mounts: LocalMount[];
  private readonly inputDir?: string;

  constructor(options: LocalObjectStoreOptions) {
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
    const temporary = `${file}.partial-${process.pid}`;
    await writeFile(temporary, body);
    await rename(temporary, file);
  }

  async putStream(key: string, body: Readable): Promise<void> {
    const file = this.writablePathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.partial-${process.pid}`;
    await pipeline(body, createWriteStream(temporary));
    await rename(temporary, file);
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
      for (const { relative, size } of await walk(mount.dir)) {
        const key = mount.prefix + relative;
        if (key.startsWith(prefix) && !/\.partial-\d+$/.test(key)) found.push({ key, size });
      }
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
    await rm(this.writablePathOf(key), { force: true });
  }

  private writablePathOf(key: string): string {
    // Input data is never modified: the raw mount is read-only for the workflow.
    if (key.startsWith(RAW_PREFIX)) throw new Error(`refusing to write input object ${key}`);
    return this.pathOf(key);
  }
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

async function walk(dir: string, base = ''): Promise<{ relative: string; size: number }[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, base), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: { relative: string; size: number }[] = [];
  for (const entry of entries) {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await walk(dir, relative)));
    else if (entry.isFile()) files.push({ relative, size: (await stat(path.join(dir, relative))).size });
  }
  return files;
}
