import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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
  writeFileSync(
    path.join(root, 'bin/hello.ts'),
    "import { greeting } from '../lib/inner/greeting';\n" +
      "if (process.argv[2] === 'fail') process.exitCode = 3;\n" +
      "void import('node:os').then((os) => process.stdout.write(JSON.stringify({ ...greeting(), imported: typeof os.cpus })));\n",
  );
  setGreeting(root, value);
  return root;
}

function setGreeting(project: string, value: string): void {
  writeFileSync(path.join(project, 'lib/inner/greeting.ts'), `export function greeting() { return { value: ${JSON.stringify(value)}, dir: __dirname }; }\n`);
}

/**
 * Starts bin/hello.ts as bin/engagement.js starts the command line (compiledEntry, then runCompiled),
 * with `greet` as its subcommand; hello.ts also loads a module by import(), which the build turns
 * into a require.
 */
async function start(project: string, command = 'greet'): Promise<{ value: string; dir: string; imported: string }> {
  const launcher = path.join(project, 'launch.js');
  writeFileSync(
    launcher,
    `const { compiledEntry, runCompiled } = require(${JSON.stringify(path.join(REPO, 'bin/compiled-entry.js'))});\n` +
      `compiledEntry(${JSON.stringify(project)}, 'hello').then((file) => runCompiled(file));\n`,
  );
  const child = spawnSync(process.execPath, [launcher, command], { encoding: 'utf8' });
  if (child.status !== 0 && command !== 'fail') throw new Error(`hello exited with ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

function codeCaches(project: string): string[] {
  return readdirSync(path.join(project, 'dist')).filter((name) => name.endsWith('.cache'));
}

async function run(project: string): Promise<{ value: string; dir: string; imported: string }> {
  const built = await compiledEntry(project, 'hello');
  expect(built.startsWith(path.join(project, 'dist') + path.sep)).toBe(true);
  return JSON.parse(execFileSync(process.execPath, [built], { encoding: 'utf8' }));
}

describe('compiled command line', () => {
  it('runs the sources as they are, with each module\'s __dirname its source folder', async () => {
    const project = fakeProject('first');
    expect(await run(project)).toEqual({ value: 'first', dir: path.join(project, 'lib/inner'), imported: 'function' });
  }, 60_000);

  it('never runs an out-of-date build: an edited source is built again, and the old build goes with its code caches', async () => {
    const project = fakeProject('first');
    await start(project);
    expect(codeCaches(project)).toHaveLength(1);
    setGreeting(project, 'second');
    const second = await compiledEntry(project, 'hello');
    expect((await run(project)).value).toBe('second');
    const current = path.basename(second, '.js');
    expect(readdirSync(path.join(project, 'dist')).filter((name) => name.startsWith('hello-'))).toEqual([`${current}.js`]);
  }, 60_000);

  it('starts from a V8 code cache it wrote at the first start, and replaces one V8 refuses', async () => {
    const project = fakeProject('first');
    const first = await start(project);
    expect(first).toEqual({ value: 'first', dir: path.join(project, 'lib/inner'), imported: 'function' });
    const [cache] = codeCaches(project);
    expect(cache).toMatch(/^hello-[0-9a-f]{20}\.greet\.v8-.+\.cache$/);
    const cacheFile = path.join(project, 'dist', cache!);
    // A cache V8 accepted is left as it is: its time stays where the test set it.
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(cacheFile, past, past);
    expect(await start(project)).toEqual(first);
    expect(statSync(cacheFile).mtime.getTime()).toBe(past.getTime());
    // A damaged cache is refused: the start compiles as without one, then writes a good one.
    writeFileSync(cacheFile, 'not a code cache');
    expect(await start(project)).toEqual(first);
    expect(readFileSync(cacheFile).length).toBeGreaterThan(100);
    utimesSync(cacheFile, past, past);
    expect(await start(project)).toEqual(first);
    expect(statSync(cacheFile).mtime.getTime()).toBe(past.getTime());
  }, 60_000);

  it('runs as without a cache when the cache can be neither read nor written, and leaves nothing behind', async () => {
    const project = fakeProject('first');
    const first = await start(project);
    const [cache] = codeCaches(project);
    const cacheFile = path.join(project, 'dist', cache!);
    // A folder under the cache's name (holding a file, so no rename can replace it): reading fails and
    // so does putting the new cache in its place.
    rmSync(cacheFile);
    mkdirSync(cacheFile);
    writeFileSync(path.join(cacheFile, 'keep'), '');
    expect(await start(project)).toEqual(first);
    expect(statSync(cacheFile).isDirectory()).toBe(true);
    expect(readdirSync(path.join(project, 'dist')).filter((name) => name.includes('.partial'))).toEqual([]);
  }, 60_000);

  it('writes no code cache for a start that exits with an error (a mistyped command)', async () => {
    const project = fakeProject('first');
    expect((await start(project, 'fail')).value).toBe('first');
    expect(codeCaches(project)).toEqual([]);
    await start(project);
    expect(codeCaches(project)).toHaveLength(1);
  }, 60_000);

  it('reuses the build while nothing changed', async () => {
    const project = fakeProject('first');
    const first = await compiledEntry(project, 'hello');
    expect(await compiledEntry(project, 'hello')).toBe(first);
  }, 60_000);

  it('leaves the AWS Lambda client out of the command line: a local run invokes no Lambda function', async () => {
    const bundle = readFileSync(await compiledEntry(REPO, 'engagement'), 'utf8');
    // esbuild heads each bundled module with a comment naming its path.
    expect(bundle).not.toMatch(/node_modules\/@aws-sdk\/(client-lambda|credential-providers)\//);
    expect(bundle).toContain('does not invoke AWS Lambda functions');
  }, 60_000);
});
