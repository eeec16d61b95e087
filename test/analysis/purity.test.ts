// Analysis is pure: given data, it returns data. A step reads, calls analysis and writes, so
// nothing under lambdas/analysis/ may reach the object store, the file system, AWS, a step or the
// infrastructure, directly or through a module it imports (contracts, tabular readers, ...).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const ANALYSIS = path.join(ROOT, 'lambdas/analysis');

const FORBIDDEN_PACKAGES = [/^(node:)?fs(\/|$)/, /^@aws-sdk\//, /^aws-sdk$/, /^@smithy\//, /^duckdb/, /^@duckdb\//];
const FORBIDDEN_FOLDERS = ['lambdas/io', 'lambdas/steps', 'lambdas/handlers', 'lambdas/athena', 'lib', 'bin'].map((folder) => path.join(ROOT, folder) + path.sep);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

/** Import and export specifiers of a file, type-only ones included (a type from a step still ties analysis to it). */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((entry) => entry.fileName);
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // next candidate
    }
  }
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${specifier}`);
}

/** Every forbidden import reachable from `entries`, as "importer -> specifier" with the chain that reached it. */
function forbiddenImports(entries: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, trail: readonly string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const chain = [...trail, path.relative(ROOT, file)];
    for (const specifier of specifiers(file)) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (FORBIDDEN_FOLDERS.some((folder) => target.startsWith(folder))) problems.push(`${chain.join(' -> ')} imports ${specifier}`);
        else visit(target, chain);
      } else if (FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier))) {
        problems.push(`${chain.join(' -> ')} imports ${specifier}`);
      }
    }
  };
  for (const entry of entries) visit(entry, []);
  return problems;
}

describe('lambdas/analysis is pure', () => {
  it('reaches no store, file system, AWS SDK, step, handler or infrastructure module', () => {
    const files = tsFiles(ANALYSIS);
    expect(files.length).toBeGreaterThan(20);
    expect(forbiddenImports(files)).toEqual([]);
  });

  it('the walk finds a store import, directly and through another module', () => {
    const step = path.join(ROOT, 'lambdas/steps/build-report.ts');
    expect(forbiddenImports([step])).toContain('lambdas/steps/build-report.ts imports ../io/object-store');
  });

  it('the walk follows modules outside analysis and reports the chain', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'purity-'));
    try {
      writeFileSync(path.join(dir, 'chart.ts'), "import type { X } from './helper';\nexport const y = 1;\n");
      writeFileSync(path.join(dir, 'helper.ts'), "import { readFileSync } from 'node:fs';\nexport type X = string;\n");
      const [problem, ...rest] = forbiddenImports([path.join(dir, 'chart.ts')]);
      expect(rest).toEqual([]);
      expect(problem).toMatch(/chart\.ts -> .*helper\.ts imports node:fs$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
