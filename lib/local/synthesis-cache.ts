// The synthesized definition kept on disk between runs. Its file name is a hash of every input
// synthesis reads: the stack's source (lib/, and lambdas/ for the contracts it imports), the SQL,
// the CDK context and the locked dependency versions. Any change to those gives a new hash, so a
// stale definition is never read: it is simply not found, and the next synthesis replaces it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = path.join(PROJECT_ROOT, '.cache', 'synthesized-definition');
const SOURCE_FOLDERS = ['lib', 'lambdas', 'queries'];
const SOURCE_FILES = ['cdk.json', 'package-lock.json', 'tsconfig.json'];

/** Hash of the synthesis inputs, over relative paths and contents (so renames count too). */
export function synthesisInputsHash(root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  const files = [...SOURCE_FOLDERS.flatMap((folder) => filesUnder(root, folder)), ...SOURCE_FILES].sort();
  for (const file of files) {
    hash.update(file).update('\0');
    try {
      hash.update(readFileSync(path.join(root, file)));
    } catch {
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

function filesUnder(root: string, folder: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

function cacheFile(hash: string): string {
  return path.join(CACHE_DIR, `${hash}.json`);
}

/** The definition cached for today's sources, or undefined when there is none (or it is unreadable). */
export function readCachedDefinition<T>(): T | undefined {
  try {
    return JSON.parse(readFileSync(cacheFile(synthesisInputsHash()), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the definition for today's sources and drops older ones. A folder that cannot be written
 * (an installed, read-only package) only means the next run synthesizes again.
 */
export function writeCachedDefinition(value: unknown): void {
  const hash = synthesisInputsHash();
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so a concurrent run never reads half a file.
    const partial = path.join(CACHE_DIR, `${hash}.${process.pid}.partial`);
    writeFileSync(partial, JSON.stringify(value));
    renameSync(partial, cacheFile(hash));
    for (const name of readdirSync(CACHE_DIR)) {
      if (name !== `${hash}.json` && name.endsWith('.json')) rmSync(path.join(CACHE_DIR, name), { force: true });
    }
  } catch {
    // Not cached: correct, only slower next time.
  }
}
