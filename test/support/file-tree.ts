import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files of a folder tree, relative path -> bytes (to compare two runs' folders byte for byte). */
export function fileTree(dir: string, base = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(path.join(dir, base)).sort()) {
    const relative = base ? `${base}/${name}` : name;
    if (statSync(path.join(dir, relative)).isDirectory()) for (const [key, bytes] of fileTree(dir, relative)) files.set(key, bytes);
    else files.set(relative, readFileSync(path.join(dir, relative)));
  }
  return files;
}
