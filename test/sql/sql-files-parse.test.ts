// Every query must be valid Trino SQL (Athena engine v3); node-sql-parser's trino grammar checks it
// without an Athena account. Athena also allows `?` only in WHERE clauses and not in views.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { CHECKED_TABLES, CURATED_TABLES } from '../../lambdas/contracts/tables';
import { readRunQuery } from '../../lib/queries';
import { RUN_QUERY_FILES } from '../../lib/workflow';
import { QUERIES_DIR } from './engagement-sql-harness';

function sqlFiles(dir: string, base = ''): string[] {
  return readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((entry) => {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return sqlFiles(dir, relative);
    return entry.name.endsWith('.sql') ? [relative] : [];
  });
}

const FILES = sqlFiles(QUERIES_DIR);
const parser = new Parser();

describe('queries/**/*.sql', () => {
  it('finds the engagement queries', () => {
    for (const file of ['cohort_minutes.sql', 'minutes_and_certificates.sql', 'purchases_info_flags.sql', 'engagement_quality_counts.sql', 'cte/purchases_info.sql', 'cte/run_settings.sql']) {
      expect(FILES).toContain(file);
    }
    for (const table of CURATED_TABLES) expect(FILES).toContain(`curate/${table.view}.sql`);
  });

  it.each(FILES.filter((file) => file.startsWith('curate/')))('%s inserts into its curated table, columns then run_id, year, quarter', (file) => {
    const sql = withoutComments(readFileSync(path.join(QUERIES_DIR, file), 'utf8'));
    const table = CURATED_TABLES.find((candidate) => file === `curate/${candidate.view}.sql`)!;
    expect(sql).toMatch(new RegExp(`^\\s*INSERT INTO ${table.name}\\s+SELECT\\b`));
    // Athena's INSERT INTO maps columns by position: the aliases must follow the table's order.
    const aliases = [...sql.matchAll(/\bAS (\w+),?\s*$/gm)].map((match) => match[1]);
    expect(aliases).toEqual([...table.columns.map((column) => column.name), 'run_id', 'year', 'quarter']);
    expect(sql).not.toContain('?');
  });

  it.each(CHECKED_TABLES.map((table) => [`check/${table.table}.sql`, table.name] as const))('%s inserts every raw row into %s, the run id last', (file, name) => {
    const sql = withoutComments(readFileSync(path.join(QUERIES_DIR, file), 'utf8'));
    expect(sql).toMatch(new RegExp(`^\\s*INSERT INTO ${name}\\s+WITH\\b`));
    // INSERT maps by position: run_id (the partition key) is the outer select's last column.
    expect(sql).toMatch(/\brun_id\s+FROM \w+( t)?\b[^()]*$/);
    expect(sql).not.toContain('?');
    // Students come from this run's checked_student_info only (a literal run id for Athena's injected projection).
    if (name !== 'checked_student_info') expect(sql).toContain("FROM checked_student_info WHERE run_id = '{{run_id}}' AND reject_reason IS NULL");
  });

  it.each(['engagement_quarantine.sql', 'engagement_quality_counts.sql', ...CURATED_TABLES.map((table) => `curate/${table.view}.sql`)])(
    '%s reads only this run\'s checked_* rows, never the raw CSV',
    (file) => {
      const sql = withoutComments(readFileSync(path.join(QUERIES_DIR, file), 'utf8'));
      expect(sql).not.toMatch(/raw_student/);
      const reads = [...sql.matchAll(/FROM (checked_\w+)( c)?\s+WHERE (c\.)?run_id = '\{\{run_id\}\}'/g)];
      expect(reads.length).toBe([...sql.matchAll(/FROM checked_/g)].length);
      expect(reads.length).toBeGreaterThan(0);
    },
  );

  it.each(CURATED_TABLES.filter((table) => table.view !== 'student_info').map((table) => `cte/${table.view}.sql`))('%s reads one run of its curated table through the run id placeholder', (file) => {
    const sql = withoutComments(readFileSync(path.join(QUERIES_DIR, file), 'utf8'));
    expect(sql).toMatch(/FROM curated_\w+\s+WHERE run_id = '\{\{run_id\}\}'\s*$/);
  });

  it('the trino grammar rejects invalid SQL (so passing means something)', () => {
    expect(() => parser.astify('SELECT FROM WHERE', { database: 'trino' })).toThrow();
  });

  it.each(FILES)('%s parses as Trino SQL, one statement, with a first-line -- comment', (file) => {
    const sql = readFileSync(path.join(QUERIES_DIR, file), 'utf8');
    const ast = parser.astify(sql, { database: 'trino' });
    expect(Array.isArray(ast) ? ast.length : 1).toBe(1);
    expect(sql.split('\n', 1)[0]).toMatch(/^-- \S/);
  });

  it.each(FILES.filter((file) => file.startsWith('cte/')))('%s is a plain SELECT without parameters (a CTE, never a view)', (file) => {
    const sql = withoutComments(readFileSync(path.join(QUERIES_DIR, file), 'utf8'));
    expect(sql.trim()).toMatch(/^SELECT\b/);
    expect(sql).not.toContain('?');
  });

  it.each(RUN_QUERY_FILES)('%s, with its CTEs in front as the workflow runs it, parses as Trino SQL', (file) => {
    const sql = readRunQuery(file);
    expect(Array.isArray(parser.astify(sql, { database: 'trino' })) ? 'many' : 'one').toBe('one');
  });

  it.each(FILES)('%s creates, replaces, drops or alters no view or table', (file) => {
    const sql = withoutComments(readFileSync(path.join(QUERIES_DIR, file), 'utf8'));
    expect(sql).not.toMatch(/\b(CREATE|REPLACE|DROP|ALTER)\b/i);
  });

  it.each(FILES)('%s uses parameters only inside WHERE clauses', (file) => {
    // Each `?` must come after a WHERE and before the next clause keyword that ends it.
    const sql = withoutComments(readFileSync(path.join(QUERIES_DIR, file), 'utf8'));
    const clauses = sql.split(/\b(WHERE|SELECT|FROM|GROUP BY|ORDER BY|JOIN|ON|HAVING)\b/);
    let clause = '';
    for (const piece of clauses) {
      if (/^(WHERE|SELECT|FROM|GROUP BY|ORDER BY|JOIN|ON|HAVING)$/.test(piece)) clause = piece;
      else if (piece.includes('?')) expect(clause).toBe('WHERE');
    }
  });
});

function withoutComments(sql: string): string {
  return sql.replace(/--.*$/gm, '');
}
