// The SQL of queries/, read at synth time and embedded in the state machine definition, so the
// cloud and the local runner execute exactly the same text.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const QUERIES_DIR = path.join(__dirname, '..', 'queries');

/** Folder of queries/ holding the run's relations (former views) as SELECTs, each put in front of the queries that read it. */
export const CTE_DIR = 'cte';

/** A query file's text without its leading comment lines (Athena DDL dislikes leading comments). */
export function readQuery(relativePath: string): string {
  const text = readFileSync(path.join(QUERIES_DIR, relativePath), 'utf8');
  const lines = text.split('\n');
  while (lines.length > 0 && (lines[0]!.trim().startsWith('--') || lines[0]!.trim() === '')) lines.shift();
  const sql = lines.join('\n').trim().replace(/;\s*$/, '');
  if (!sql) throw new Error(`query file ${relativePath} is empty`);
  return sql;
}

/** The relations of queries/cte/ by name (file name without .sql). */
export function cteNames(): string[] {
  return readdirSync(path.join(QUERIES_DIR, CTE_DIR))
    .filter((name) => name.endsWith('.sql'))
    .map((name) => name.slice(0, -'.sql'.length))
    .sort();
}

/**
 * A query as a run executes it, still a template (PlanRun fills in the run's values): the
 * relations of queries/cte/ it reads (FROM or JOIN <name>), and those they read, come first as
 * CTEs, in the order they depend on each other. No view is created, so nothing in the catalog is
 * shared between runs: each query carries its run's relations in its own text.
 */
export function readRunQuery(relativePath: string): string {
  return withRunRelations(readQuery(relativePath));
}

/** SQL text with the queries/cte/ relations it reads put in front as CTEs (leading comment lines stay first). */
export function withRunRelations(text: string): string {
  const comments = /^(\s*--[^\n]*\n)*/.exec(text)![0];
  const sql = text.slice(comments.length);
  const names = cteNames();
  const ordered: string[] = [];
  const visit = (query: string, trail: readonly string[]) => {
    for (const name of referencedRelations(query, names)) {
      if (trail.includes(name)) throw new Error(`queries/${CTE_DIR}/${name}.sql reads itself through ${[...trail, name].join(' -> ')}`);
      if (ordered.includes(name)) continue;
      visit(readQuery(`${CTE_DIR}/${name}.sql`), [...trail, name]);
      ordered.push(name);
    }
  };
  visit(sql, []);
  if (ordered.length === 0) return text;
  const definitions = ordered.map((name) => `${name} AS (\n${readQuery(`${CTE_DIR}/${name}.sql`)}\n)`).join(',\n');
  // INSERT INTO <table> [WITH ...] SELECT: the CTEs go after the target, joining the query's own WITH.
  const head = /^(INSERT\s+INTO\s+\w+\s+)?(WITH\s+)?/i.exec(sql)!;
  const rest = sql.slice(head[0].length);
  return `${comments}${head[1] ?? ''}WITH ${definitions}${head[2] ? ',\n' : '\n'}${rest}`;
}

function referencedRelations(sql: string, names: readonly string[]): string[] {
  return names.filter((name) => new RegExp(`\\b(?:FROM|JOIN)\\s+${name}\\b`, 'i').test(sql));
}
