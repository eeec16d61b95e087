// The SQL of queries/, read at synth time and embedded in the state machine definition, so the
// cloud and the local runner execute exactly the same text.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { QUERY_PARAMETER_FIELDS, type ParameterisedQuery } from '../lambdas/athena/query-parameters';

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

/**
 * The names of a SQL text's execution parameters, one per `?` in order: each `?` must be followed by
 * a `/* :name *\/` marker (a comment, so Athena and DuckDB run the text as it is). A `?` without a
 * marker, or a marker after anything but a `?`, is refused. Strings, quoted identifiers and comments
 * are skipped, so a `?` inside them is not a parameter.
 */
export function parameterMarkers(sql: string): string[] {
  const names: string[] = [];
  const lineOf = (index: number) => sql.slice(0, index).split('\n').length;
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i, i + 2);
    if (sql[i] === "'" || sql[i] === '"') {
      const close = sql.indexOf(sql[i]!, i + 1);
      i = close < 0 ? sql.length : close + 1; // a doubled quote is two adjacent literals here, which skips the same text
    } else if (rest === '--') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (rest === '/*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unterminated /* comment at line ${lineOf(i)}`);
      if (MARKER_BODY.test(sql.slice(i + 2, end))) throw new Error(`the parameter marker ${sql.slice(i, end + 2)} at line ${lineOf(i)} does not follow a ?`);
      i = end + 2;
    } else if (sql[i] === '?') {
      const marker = MARKER_AFTER_PLACEHOLDER.exec(sql.slice(i + 1));
      if (!marker) throw new Error(`the ? at line ${lineOf(i)} has no /* :name */ marker after it`);
      names.push(marker[1]!);
      i += 1 + marker[0].length;
    } else {
      i += 1;
    }
  }
  return names;
}

const MARKER_BODY = /^\s*:[A-Za-z_]\w*\s*$/;
const MARKER_AFTER_PLACEHOLDER = /^\s*\/\*\s*:([A-Za-z_]\w*)\s*\*\//;

/** The order of a query file's execution parameters, checked against its fields (QUERY_PARAMETER_FIELDS). */
export function queryParameterOrder(file: ParameterisedQuery): string[] {
  const markers = parameterMarkers(readQuery(file));
  const fields: readonly string[] = QUERY_PARAMETER_FIELDS[file];
  const unknown = [...new Set(markers.filter((name) => !fields.includes(name)))];
  const unused = fields.filter((name) => !markers.includes(name));
  if (unknown.length > 0 || unused.length > 0) {
    throw new Error(
      `queries/${file}: its parameter markers and its fields in lambdas/athena/query-parameters.ts disagree` +
        (unknown.length > 0 ? `; markers without a field: ${unknown.join(', ')}` : '') +
        (unused.length > 0 ? `; fields without a marker: ${unused.join(', ')}` : ''),
    );
  }
  return markers;
}

/**
 * The ExecutionParameters of a Task state as a States.Array of JSONPaths into the named object at
 * objectPath, in the file's marker order: the state's payload names each value, the definition
 * puts them in the order Athena needs.
 */
export function executionParametersFrom(file: ParameterisedQuery, objectPath: string): string {
  return `States.Array(${queryParameterOrder(file).map((name) => `${objectPath}.${name}`).join(', ')})`;
}

/** Whether a query file is one with execution parameters (has fields in QUERY_PARAMETER_FIELDS). */
export function isParameterisedQuery(file: string): file is ParameterisedQuery {
  return Object.hasOwn(QUERY_PARAMETER_FIELDS, file);
}
