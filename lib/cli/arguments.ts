// Small helpers over node:util parseArgs for clear usage errors.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FAILED_FILE, MANIFEST_FILE } from '../../lambdas/contracts/result-files';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A folder a command reads (`what`: "input", "periods", ...): it must exist and be a folder; its real path. */
export function existingFolder(dir: string, what: string): string {
  if (!existsSync(dir)) throw new UsageError(`${what} folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${what} folder ${dir} is a file, not a folder (give the folder that holds it)`);
  return realpathSync(dir);
}

/**
 * A folder a command writes into, made when absent: refused at once when it, or the nearest existing
 * path above it, is a file, or when it lies in a run's folder (one holding manifest.json or
 * _FAILED.json), which a rerun of that run empties.
 */
export function folderToWrite(dir: string, flag: string): string {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${dir} is a file, not a folder`);
  const existing = nearestExisting(path.resolve(dir));
  if (!statSync(existing).isDirectory()) throw new UsageError(`${flag} ${dir} cannot be created: ${existing} is a file, not a folder`);
  for (let folder = realpathSync(existing); ; folder = path.dirname(folder)) {
    if (isRunFolder(folder)) throw new UsageError(`${flag} ${dir} is inside the run folder ${folder} (a rerun of that run empties it); choose a folder outside it`);
    if (path.dirname(folder) === folder) break;
  }
  return dir;
}

/**
 * A run's folder: its manifest.json or _FAILED.json names the folder's run. Other projects keep a
 * manifest.json too (web apps, extensions); those folders are not runs.
 */
function isRunFolder(folder: string): boolean {
  return [MANIFEST_FILE, FAILED_FILE].some((marker) => {
    try {
      return (JSON.parse(readFileSync(path.join(folder, marker), 'utf8')) as { run_id?: unknown } | null)?.run_id === path.basename(folder);
    } catch {
      return false;
    }
  });
}

/** The absolute path itself when it exists, else its nearest existing ancestor. */
export function nearestExisting(absolute: string): string {
  let existing = absolute;
  while (!existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  return existing;
}

/**
 * parseArgs, strict, refusing a flag given twice unless it is repeatable: parseArgs keeps the last
 * value, and `--out A --out B` silently writing to B alone is not what anyone meant.
 */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
  const parsed = parseArgs({ args, options, strict: true, allowPositionals, tokens: true });
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  return parsed;
}

export function requiredString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function positiveInteger(values: Record<string, unknown>, name: string, fallback?: number, range: { min?: number; max?: number } = {}): number {
  const raw = values[name];
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  // Digits only: Number() would also take 0x2a, 1e3 or ' 7', and round 20 digits to another number.
  const value = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/** --option key=value, repeated, into an options object (values validated by the workflow). */
export function keyValueOptions(values: unknown): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const list = Array.isArray(values) ? values : [values];
  const options: Record<string, string> = {};
  for (const item of list as string[]) {
    const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(item);
    if (!match) throw new UsageError(`--option must look like name=value (e.g. alpha=0.01), got ${JSON.stringify(item)}`);
    if (match[1]! in options) throw new UsageError(`--option ${match[1]} is given more than once`);
    options[match[1]!] = match[2]!;
  }
  return options;
}
