import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertValidDefinition, synthesizeFromStack, synthesizeWorkflow } from '../../lib/local/synthesized-definition';
import { readCachedDefinition, synthesisInputsHash } from '../../lib/local/synthesis-cache';

describe('synthesized definition cache', () => {
  it('holds exactly what a fresh synthesis of the stack gives', async () => {
    const served = await synthesizeWorkflow();
    const fresh = await synthesizeFromStack();
    expect(served).toEqual(fresh);
    // synthesizeWorkflow wrote it (or found it) under today's hash.
    expect(readCachedDefinition()).toEqual(fresh);
  }, 120_000);

  // The runner skips the schema check for what synthesizeWorkflow serves: the check before caching must catch a bad definition.
  it('is checked against the States Language before it is cached', async () => {
    const { definition } = await synthesizeWorkflow();
    expect(() => assertValidDefinition(definition)).not.toThrow();
    const badPath = structuredClone(definition);
    const [name, state] = Object.entries(badPath.States).find(([, candidate]) => candidate.Type === 'Pass' || candidate.Type === 'Task')!;
    badPath.States[name] = { ...state, InputPath: 'not a path' };
    expect(() => assertValidDefinition(badPath)).toThrow();
    const danglingNext = structuredClone(definition);
    danglingNext.StartAt = 'NoSuchState';
    expect(() => assertValidDefinition(danglingNext)).toThrow();
  }, 120_000);

  describe('hash of the synthesis inputs', () => {
    let root: string | undefined;
    afterEach(() => {
      if (root) rmSync(root, { recursive: true, force: true });
    });

    function fakeProject(): string {
      root = mkdtempSync(path.join(os.tmpdir(), 'synthesis-hash-'));
      for (const folder of ['lib/local', 'lambdas/contracts', 'queries']) mkdirSync(path.join(root, folder), { recursive: true });
      writeFileSync(path.join(root, 'lib/local/a.ts'), 'export const a = 1;\n');
      writeFileSync(path.join(root, 'lambdas/contracts/layout.ts'), 'export const p = "raw/";\n');
      writeFileSync(path.join(root, 'queries/q.sql'), 'SELECT 1\n');
      writeFileSync(path.join(root, 'package-lock.json'), '{}');
      return root;
    }

    it('is the same for unchanged sources', () => {
      const project = fakeProject();
      expect(synthesisInputsHash(project)).toBe(synthesisInputsHash(project));
    });

    it.each([
      ['a stack source', 'lib/local/a.ts', 'export const a = 2;\n'],
      ['a contract the stack imports', 'lambdas/contracts/layout.ts', 'export const p = "raw2/";\n'],
      ['a query', 'queries/q.sql', 'SELECT 2\n'],
      ['the locked dependencies', 'package-lock.json', '{"x":1}'],
      ['the CDK context', 'cdk.json', '{"context":{}}'],
    ])('changes when %s changes', (_what, file, content) => {
      const project = fakeProject();
      const before = synthesisInputsHash(project);
      writeFileSync(path.join(project, file), content);
      expect(synthesisInputsHash(project)).not.toBe(before);
    });

    it('changes when a file is renamed or added', () => {
      const project = fakeProject();
      const before = synthesisInputsHash(project);
      renameSync(path.join(project, 'queries/q.sql'), path.join(project, 'queries/r.sql'));
      const renamed = synthesisInputsHash(project);
      expect(renamed).not.toBe(before);
      writeFileSync(path.join(project, 'lib/local/b.ts'), '');
      expect(synthesisInputsHash(project)).not.toBe(renamed);
    });
  });
});
