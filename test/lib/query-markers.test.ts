import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUERY_PARAMETER_FIELDS } from '../../lambdas/athena/query-parameters';
import { QUERIES_DIR, isParameterisedQuery, parameterMarkers, readQuery } from '../../lib/queries';

function queryFiles(dir = QUERIES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? queryFiles(path.join(dir, entry.name)) : entry.name.endsWith('.sql') ? [path.relative(QUERIES_DIR, path.join(dir, entry.name))] : [],
  );
}

describe('query parameter markers', () => {
  it('reads one name per ?, in order, skipping strings and comments', () => {
    const sql = "SELECT '?' AS q, \"a?\" -- why?\nFROM t WHERE a = ? /* :first */ AND b = CAST(?/*:second*/ AS DATE) /* a ? here */ AND c = ? /* :first */";
    expect(parameterMarkers(sql)).toEqual(['first', 'second', 'first']);
  });

  it('refuses a ? without a marker, and a marker after anything but a ?', () => {
    expect(() => parameterMarkers('SELECT 1 WHERE a = ? /* :a */\n AND b = ?')).toThrow('the ? at line 2 has no /* :name */ marker after it');
    expect(() => parameterMarkers('SELECT 1 WHERE a = 1 /* :a */')).toThrow('the parameter marker /* :a */ at line 1 does not follow a ?');
    expect(() => parameterMarkers('SELECT 1 /* open')).toThrow(/unterminated/);
  });

  it('a query file with ? has its fields declared, one without has none', () => {
    const files = queryFiles();
    expect(files.length).toBeGreaterThan(10);
    const withMarkers = files.filter((file) => parameterMarkers(readQuery(file)).length > 0).sort();
    expect(withMarkers).toEqual(Object.keys(QUERY_PARAMETER_FIELDS).sort());
    for (const file of withMarkers) expect(isParameterisedQuery(file)).toBe(true);
  });
});
