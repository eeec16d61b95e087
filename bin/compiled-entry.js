// Compiled JavaScript for the command line, so that a start does not transpile TypeScript.
// The build lives in dist/ (git-ignored) under a hash of every source it could contain; a source
// edit, a checkout or a dependency update changes the hash, so an out-of-date build is never run:
// the first start after the change builds again (one to two seconds) and later starts reuse it.
// Plain JavaScript on purpose: it runs before anything is compiled.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const SOURCE_FOLDERS = ['bin', 'lib', 'lambdas'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.json'];

/** Hash of what a build is made from: the TypeScript sources, this file, the locked tool versions. */
function sourcesHash(root) {
  const hash = createHash('sha256');
  const files = SOURCE_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(ts|js|json)$/.test(entry.name))
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')),
  );
  for (const file of [...files, ...SOURCE_FILES].sort()) {
    hash.update(file).update('\0');
    if (existsSync(path.join(root, file))) hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 20);
}

/**
 * Each module's __dirname becomes its source folder: the code finds queries/, cdk.json and the
 * project root relative to where its source is, and the bundle sits elsewhere.
 */
function sourceDirnamePlugin() {
  return {
    name: 'source-dirname',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('__dirname')) return undefined;
        return { contents: text.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))), loader: 'ts' };
      });
    },
  };
}

/**
 * Packages the build leaves in node_modules; every other dependency is bundled. Resolving and
 * loading a few thousand files of node_modules one by one (the @stdlib and AWS SDK packages are
 * hundreds of small modules, aws-local-stepfunctions an ES module required from CommonJS) was a
 * tenth of a small run. These stay outside because they cannot work from a bundle or are not needed
 * by a run:
 * - native code: DuckDB and resvg load their prebuilt binaries;
 * - files read at run time: the DejaVu fonts, and vega, whose browser build the dashboard inlines
 *   (the report Lambda keeps vega installed beside its bundle for the same reason);
 * - archiver (under exceljs): it calls the deprecated `new Buffer()`, which Node warns about on the
 *   terminal unless the caller is in node_modules;
 * - the CDK (aws-cdk-lib, constructs, cdk-nag): loaded only to synthesize the definition, and it
 *   reads its own files by __dirname;
 * - the build tools (esbuild, tsx).
 * A package name leaves its subpaths (aws-cdk-lib/aws-iam) outside too.
 */
const EXTERNAL_PACKAGES = [
  '@duckdb/*',
  '@resvg/*',
  'dejavu-fonts-ttf',
  'vega',
  'archiver',
  'aws-cdk-lib',
  'constructs',
  'cdk-nag',
  'esbuild',
  'tsx',
];

/** Packages a local run imports but never calls, each replaced by a module that refuses to (its comment says why). */
const LOCAL_ONLY_SHIMS = {
  '@aws-sdk/client-lambda': 'lib/local/shims/aws-lambda-client.ts',
  '@aws-sdk/credential-providers': 'lib/local/shims/aws-lambda-client.ts',
};

/**
 * Node 22 keeps the V8 code of every module it requires (the packages left outside the bundle; the
 * bundle has its own cache, see runCompiled) on disk and reuses it on the next start. Node 20 has no
 * such cache and compiles them at each start; an unwritable folder only disables it.
 */
function enableCompileCache(root) {
  const enable = Module.enableCompileCache;
  if (typeof enable === 'function') enable(path.join(root, '.cache', 'node-compile'));
}

/**
 * The path to require for bin/<name>.ts (or `source`, e.g. a benchmark's child, which then counts in
 * the hash): its current build, built now if missing. Without esbuild (a production install, no dev
 * dependencies) the TypeScript runs through tsx.
 */
async function compiledEntry(root, name, source = path.join(root, 'bin', `${name}.ts`)) {
  enableCompileCache(root);
  const distDir = path.join(root, 'dist');
  const hash = createHash('sha256').update(sourcesHash(root)).update(readFileSync(source)).digest('hex').slice(0, 20);
  const built = path.join(distDir, `${name}-${hash}.js`);
  if (existsSync(built)) return built;
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    require('tsx/cjs');
    return source;
  }
  mkdirSync(distDir, { recursive: true });
  // Built aside and renamed: a concurrent start sees the whole file or none.
  const partial = path.join(distDir, `${name}-${hash}.${process.pid}.partial.js`);
  await esbuild.build({
    entryPoints: [source],
    outfile: partial,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL_PACKAGES,
    // import() becomes a require in a promise: runCompiled's script has no dynamic import callback
    // (on Node 20 one is experimental and lost with a code cache), and every package left outside
    // the bundle is CommonJS.
    supported: { 'dynamic-import': false },
    plugins: [sourceDirnamePlugin()],
    alias: Object.fromEntries(Object.entries(LOCAL_ONLY_SHIMS).map(([name, shim]) => [name, path.join(root, shim)])),
    logLevel: 'error',
  });
  renameSync(partial, built);
  // Older builds go, with their code caches (runCompiled); another start's partial files stay.
  const current = path.basename(built, '.js');
  for (const file of readdirSync(distDir)) {
    if (file.startsWith(`${name}-`) && !file.startsWith(`${current}.`) && !file.includes('.partial')) {
      rmSync(path.join(distDir, file), { force: true });
    }
  }
  return built;
}

/** The cache's name part for this start: the subcommand (`run`, `--help` as `help`), else `main`. */
function commandKey(argv) {
  const word = (argv[2] ?? '').replace(/^-+/, '');
  if (word === '') return 'main';
  return /^[a-z][a-z-]{0,30}$/.test(word) ? word : 'other';
}

/**
 * Runs a build (what compiledEntry returned) as a CommonJS module, with a V8 code cache beside it,
 * <build>.<command>.v8-<V8 version>.cache. Without one, Node 20 compiles the 5 MB bundle at every
 * start and each function again the first time it runs: 0.15-0.2 s of a 2.4 s small run, a quarter of
 * `--help`. (Under Node 22 its compile cache did much the same: runs within noise.) The cache is
 * written at exit when a start found none or V8 refused it (other flags, a damaged file), so it holds
 * the functions that start ran; there is one per subcommand, since `--help` runs little of what `run`
 * does, written only by a start that exits with 0. A cache that cannot be written or read only costs
 * the compiling. TypeScript (the tsx fallback) is required as it is.
 */
function runCompiled(file, argv = process.argv) {
  if (!file.endsWith('.js')) return require(file);
  // Named by V8's version too, so Node 20 and 22 starts of one build keep a cache each.
  const v8Version = process.versions.v8.replace(/[^\w.-]/g, '_');
  const cacheFile = `${file.slice(0, -'.js'.length)}.${commandKey(argv)}.v8-${v8Version}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // A shebang line is not JavaScript inside the module wrapper; an empty line keeps line numbers.
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', (code) => {
      // Only a start that succeeded: a mistyped command would leave a cache under its name.
      if (code !== 0) return;
      const partial = `${cacheFile}.${process.pid}.partial`;
      try {
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // A read-only install, or the name taken by something else: every start compiles, as
        // without the cache, and no partial file stays behind.
        rmSync(partial, { force: true });
      }
    });
  }
  const module = new Module(file, null);
  module.filename = file;
  const wrapped = script.runInThisContext();
  wrapped.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

module.exports = { compiledEntry, runCompiled, sourcesHash };
