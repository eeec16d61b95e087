// The SQL of queries/, read at synth time and embedded in the state machine definition, so the
// cloud and the local runner execute exactly the same text.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const QUERIES_DIR = path.join(__dirname, '..', 'queries');

/** A query file's text without its leading comment lines (Athena DDL dislikes leading comments). */
export function readQuery(relativePath: string): string {
  const text = readFileSync(path.join(QUERIES_DIR, relativePath), 'utf8');
  const lines = text.split('\n');
  while (lines.length > 0 && (lines[0]!.trim().startsWith('--') || lines[0]!.trim() === '')) lines.shift();
  const sql = lines.join('\n').trim().replace(/;\s*$/, '');
  if (!sql) throw new Error(`query file ${relativePath} is empty`);
  return sql;
}
