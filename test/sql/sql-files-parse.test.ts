// Every query must be valid Trino SQL (Athena engine v3); node-sql-parser's trino grammar checks it
// without an Athena account. Athena also allows `?` only in WHERE clauses and not in views.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
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
    for (const file of ['cohort_minutes.sql', 'minutes_and_certificates.sql', 'purchases_info_flags.sql', 'engagement_input_counts.sql', 'ddl/purchases_info.sql']) {
      expect(FILES).toContain(file);
    }
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

  it.each(FILES.filter((file) => file.startsWith('ddl/')))('%s is a view without parameters', (file) => {
    const sql = readFileSync(path.join(QUERIES_DIR, file), 'utf8');
    expect(sql).toMatch(/CREATE OR REPLACE VIEW \w+ AS/);
    expect(withoutComments(sql)).not.toContain('?');
  });

  it.each(FILES.filter((file) => !file.startsWith('ddl/')))('%s uses parameters only inside WHERE clauses', (file) => {
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
