// How every Lambda is bundled, declared once: lib/functions.ts gives these settings to
// NodejsFunction (which runs esbuild's CLI), and test/lib/bundles.test.ts builds the same entries
// with esbuild's API to check that each bundle stays small and still works.
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import path from 'node:path';
import type { WorkflowStepSpec } from './function-specs';

/** Where package.json is: NodejsFunction runs esbuild there, so relative alias targets start here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Each function's index.js stays under 1 MB (decimal, to keep a margin): a smaller bundle starts colder Lambdas faster. */
export const MAX_BUNDLE_BYTES = 1_000_000;

/**
 * What the bundles leave to the nodejs22.x runtime: the AWS SDK for JavaScript v3 S3 client (every
 * supported Node.js runtime includes version 3 of the SDK: Lambda guide, "Runtime dependencies in
 * Node.js"), which keeps bundles small. SDK helpers the runtime is not documented to hold
 * (@aws-sdk/lib-storage) are bundled at the locked version, and so is the S3 client itself in the
 * steps that take or release the run lock (WorkflowStepSpec.bundlesS3Client).
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/client-s3'] as const;

export const LAMBDA_BUNDLE = {
  target: 'node22',
  minify: true,
  // ESM builds before CommonJS ones: esbuild drops unused exports only from ESM code, and vega's
  // packages (among others) ship both.
  mainFields: ['module', 'main'],
  // vega-loader requires node-fetch v2 (~300 KB minified with whatwg-url and tr46); Node 22 has fetch.
  alias: { 'node-fetch': './lambdas/shims/node-fetch.ts' },
  external: [...RUNTIME_PROVIDED_MODULES],
  loader: { '.sql': 'text' },
} as const;

/**
 * npm's platform settings for the packages installed beside a bundle (spec.nodeModules): those of
 * the Lambda (Amazon Linux, glibc, the function's CPU), not of the machine running `cdk deploy`, so
 * a native package's optional dependencies resolve to the binary the function can load (e.g.
 * @resvg/resvg-js-linux-x64-gnu from a Mac or an arm64 host). npm reads them as
 * npm_config_os/cpu/libc (npm 10.2 and later; Node 22 comes with npm 10.9).
 */
export function lambdaPlatformNpmConfig(architecture: WorkflowStepSpec['architecture']): Record<string, string> {
  return { npm_config_os: 'linux', npm_config_cpu: architecture === 'x86_64' ? 'x64' : 'arm64', npm_config_libc: 'glibc' };
}

/** What one function's bundle leaves out: the runtime's S3 client (unless it bundles its own) and its nodeModules. */
export function externalModulesOf(spec: Pick<WorkflowStepSpec, 'nodeModules' | 'bundlesS3Client'>): string[] {
  return [...(spec.bundlesS3Client ? [] : LAMBDA_BUNDLE.external), ...(spec.nodeModules ?? [])];
}

/** The bundling options NodejsFunction gets for one workflow step. */
export function cdkBundling(spec: Pick<WorkflowStepSpec, 'nodeModules' | 'architecture' | 'bundlesS3Client'>): nodejs.BundlingOptions {
  return {
    target: LAMBDA_BUNDLE.target,
    format: nodejs.OutputFormat.CJS,
    minify: LAMBDA_BUNDLE.minify,
    // A separate index.js.map beside index.js (not inline): stack traces map back to the TypeScript
    // with NODE_OPTIONS=--enable-source-maps, and index.js itself stays small.
    sourceMap: true,
    sourceMapMode: nodejs.SourceMapMode.DEFAULT,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    externalModules: externalModulesOf(spec),
    nodeModules: spec.nodeModules ? [...spec.nodeModules] : undefined,
    // Applies to every bundling command; only the install of nodeModules reads it.
    environment: spec.nodeModules ? lambdaPlatformNpmConfig(spec.architecture) : undefined,
    loader: { ...LAMBDA_BUNDLE.loader },
    // NodejsFunction has no alias option; it passes these flags to esbuild as --alias:from=to.
    esbuildArgs: { '--alias': Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => `${from}=${to}`) },
  };
}

/** The same bundle through esbuild's API (tests and benchmarks): NodejsFunction's defaults made explicit. */
export function esbuildOptions(spec: Pick<WorkflowStepSpec, 'entry' | 'nodeModules' | 'bundlesS3Client'>): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [path.join(PROJECT_ROOT, 'lambdas', 'handlers', spec.entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    alias: { ...LAMBDA_BUNDLE.alias },
    external: externalModulesOf(spec),
    loader: { ...LAMBDA_BUNDLE.loader },
  };
}
