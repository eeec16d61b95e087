import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../bin/compiled-entry';

const REPO = path.resolve(__dirname, '../..');
let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A project with bin/hello.ts importing a lib module that reports a value and its own __dirname. */
function fakeProject(value: string): string {
  root = mkdtempSync(path.join(os.tmpdir(), 'compiled-entry-'));
  for (const folder of ['bin', 'lib/inner', 'lambdas']) mkdirSync(path.join(root, folder), { recursive: true });
  // esbuild itself is found through the project's node_modules, as in a real clone.
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  writeFileSync(path.join(root, 'bin/hello.ts'), "import { greeting } from '../lib/inner/greeting';\nprocess.stdout.write(JSON.stringify(greeting()));\n");
  setGreeting(root, value);
  return root;
}

function setGreeting(project: string, value: string): void {
  writeFileSync(path.join(project, 'lib/inner/greeting.ts'), `export function greeting() { return { value: ${JSON.stringify(value)}, dir: __dirname }; }\n`);
}

async function run(project: string): Promise<{ value: string; dir: string }> {
  const built = await compiledEntry(project, 'hello');
  expect(built.startsWith(path.join(project, 'dist') + path.sep)).toBe(true);
  return JSON.parse(execFileSync(process.execPath, [built], { encoding: 'utf8' }));
}

describe('compiled command line', () => {
  it('runs the sources as they are, with each module\'s __dirname its source folder', async () => {
    const project = fakeProject('first');
    expect(await run(project)).toEqual({ value: 'first', dir: path.join(project, 'lib/inner') });
  }, 60_000);

  it('never runs an out-of-date build: an edited source is built again, and the old build goes', async () => {
    const project = fakeProject('first');
    await run(project);
    setGreeting(project, 'second');
    expect((await run(project)).value).toBe('second');
    expect(readdirSync(path.join(project, 'dist')).filter((name) => name.startsWith('hello-'))).toHaveLength(1);
  }, 60_000);

  it('reuses the build while nothing changed', async () => {
    const project = fakeProject('first');
    const first = await compiledEntry(project, 'hello');
    expect(await compiledEntry(project, 'hello')).toBe(first);
  }, 60_000);
});
