// Lambda bundles as the stack builds them (lib/bundling.ts): every function's index.js is under
// 1 MB, and the BuildReport bundle, run in Node against a local S3, writes the same
// report as the source does.
import { execFile } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { build, type Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE, MAX_BUNDLE_BYTES, PROJECT_ROOT, cdkBundling, esbuildOptions } from '../../lib/bundling';
import { buildReportStep } from '../../lambdas/steps/build-report';
import type { BuildReportEvent } from '../../lambdas/contracts/state-payloads';
import { silentLogger } from '../../lambdas/steps/step-context';
import { WORKFLOW_STEPS, type WorkflowStepName, type WorkflowStepSpec } from '../../lib/function-specs';
import { S3ObjectStore } from '../../lambdas/io/s3-object-store';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { FIXTURE, fixtureStore } from '../analysis/report/fixture-run';
import { startLocalS3 } from '../io/s3rver-process';

const STEPS = Object.entries(WORKFLOW_STEPS) as [WorkflowStepName, WorkflowStepSpec][];

/** Packages only the command line and the local runner use: links, the stack's outputs, the local executor and the CDK. */
const CLI_ONLY_PACKAGES = ['@aws-sdk/s3-request-presigner', '@aws-sdk/client-cloudformation', '@duckdb/node-api', 'aws-local-stepfunctions', 'aws-cdk-lib'];
/** The nodejs22.x runtime includes the AWS SDK for JavaScript v3 service clients (Lambda guide, "Runtime dependencies in Node.js"). */
const RUNTIME_SDK_CLIENT = /^@aws-sdk\/client-[a-z0-9-]+$/;
/** Requires a bundled library makes inside try/catch, working on without the package. */
const GUARDED_OPTIONAL_REQUIRES: Record<string, string> = {
  canvas: 'vega-canvas tries require("canvas") in a try block; the report renders SVG with resvg instead',
};
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bundles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Output bytes per package, largest first: what to look at when a bundle grows. */
function largestPackages(metafile: Metafile, count: number): string {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? path.dirname(input);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, size]) => `${name} ${Math.round(size / 1024)} KB`).join(', ');
}

describe('Lambda bundles', () => {
  it('gives the stack and esbuild the same settings, minified, for every function', () => {
    for (const [name, spec] of STEPS) {
      const cdk = cdkBundling(spec);
      const api = esbuildOptions(spec);
      expect(cdk.minify, name).toBe(true);
      expect(api.minify, name).toBe(true);
      expect(cdk.target).toBe(api.target);
      expect(cdk.mainFields).toEqual(api.mainFields);
      expect(cdk.externalModules).toEqual(api.external);
      expect(cdk.loader).toEqual(api.loader);
      expect(cdk.esbuildArgs?.['--alias']).toEqual(Object.entries(api.alias!).map(([from, to]) => `${from}=${to}`));
      // Inline source maps would land in index.js; the default mode writes index.js.map beside it.
      expect(cdk.sourceMapMode ?? 'default', name).toBe('default');
    }
    expect(LAMBDA_BUNDLE.alias['node-fetch']).toMatch(/^\.\//);
  });

  it.each(STEPS)('%s: index.js is under 1 MB, holds no command-line module and needs only what the nodejs22.x runtime and its asset have', async (name, spec) => {
    const result = await build({ ...esbuildOptions(spec), outfile: path.join(scratch, name, 'index.js'), write: false, metafile: true, logLevel: 'silent' });
    const indexJs = result.outputFiles.find((file) => file.path.endsWith('index.js'))!;
    expect(indexJs.contents.length, `${name}: ${largestPackages(result.metafile, 8)}`).toBeLessThan(MAX_BUNDLE_BYTES);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /node_modules\/(node-fetch|whatwg-url|tr46)\//.test(input))).toEqual([]);
    // Presigned links, stack lookups and the local executor are not the Lambdas': never bundled, never required.
    const externals = new Set(Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((entry) => entry.external).map((entry) => entry.path)));
    for (const cliOnly of CLI_ONLY_PACKAGES) {
      expect(inputs.filter((input) => input.includes(`node_modules/${cliOnly}/`)), `${name} bundles ${cliOnly}`).toEqual([]);
      expect([...externals].filter((external) => external.startsWith(cliOnly)), `${name} requires ${cliOnly}`).toEqual([]);
    }
    // The steps that take or release the run lock carry their own S3 client, which sends the
    // conditional-write headers whatever SDK version the runtime holds.
    const bundlesS3Client = inputs.some((input) => input.includes('node_modules/@aws-sdk/client-s3/'));
    expect(bundlesS3Client, `${name} bundles @aws-sdk/client-s3`).toBe(['planRun', 'publishManifest', 'recordFailure'].includes(name));
    // Whatever is left out must be in the runtime or installed beside index.js (spec.nodeModules).
    const installed = spec.nodeModules ?? [];
    for (const external of externals) {
      const provided =
        isBuiltin(external) ||
        RUNTIME_SDK_CLIENT.test(external) ||
        installed.some((dependency) => external === dependency || external.startsWith(`${dependency}/`)) ||
        external in GUARDED_OPTIONAL_REQUIRES;
      expect(provided, `${name} leaves ${external} out of its bundle, and neither the runtime nor the asset has it`).toBe(true);
    }
  });

  it('runs the BuildReport bundle in Node against S3 and writes what the source writes', async () => {
    const bundleFile = path.join(scratch, 'buildReport-run', 'index.js');
    await build({ ...esbuildOptions(WORKFLOW_STEPS.buildReport), outfile: bundleFile, logLevel: 'silent' });
    const s3 = await startLocalS3(['bundle-bucket']);
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    try {
      const remote = new S3ObjectStore('bundle-bucket', { client });
      const runId = FIXTURE.run_id;
      // As the workflow passes them: this run's periods and studies, from the state payload.
      const manifest = JSON.parse(FIXTURE.files['manifest.json']!) as { periods: { baseline: string; comparison: string } };
      const event = {
        runId,
        periods: { baseline: { label: manifest.periods.baseline }, comparison: { label: manifest.periods.comparison } },
        studies: { engagement: { run: true, note: 'runs' }, mooc: { run: true, note: 'runs' } },
      };
      for (const [key, text] of Object.entries(FIXTURE.files)) await remote.put(`results/${runId}/${key}`, text);
      // A child process: the handler builds its S3 client from the environment, as in Lambda. The
      // bundle sits in a temporary folder, so its external packages come from NODE_PATH.
      // Loading inside the promise chain: a failure prints its stack, not a line of minified code.
      const invoke = `Promise.resolve()
        .then(() => require(${JSON.stringify(bundleFile)}).handler(${JSON.stringify(event)}, { functionName: 'buildReport', awsRequestId: 'test' }))
        .then((result) => process.stdout.write(JSON.stringify(result)), (error) => { console.error(error.stack); process.exit(1); })`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', invoke], {
        cwd: scratch,
        env: {
          ...process.env,
          NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
          DATA_BUCKET: 'bundle-bucket',
          AWS_ENDPOINT_URL_S3: s3.endpoint,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          POWERTOOLS_LOG_LEVEL: 'ERROR',
        },
      });
      const fixture = await fixtureStore();
      // No raw input in the bucket either: both sides record the input files as not hashed.
      const local = { store: new LocalObjectStore({ inputDir: mkdtempSync(path.join(scratch, 'no-input-')), mounts: [{ prefix: 'results/', dir: fixture.dir }] }) };
      const given = new Set((await local.store.list(`results/${runId}/`)).map((object) => object.key));
      const fromSource = await buildReportStep(event as unknown as BuildReportEvent, { store: local.store, logger: silentLogger, now: () => new Date(0) });
      expect(JSON.parse(stdout)).toEqual(fromSource);
      const written = (await local.store.list(`results/${runId}/`)).map((object) => object.key).filter((key) => !given.has(key));
      expect(written).toHaveLength(fromSource.files);
      expect(written.some((key) => key.endsWith('.png'))).toBe(true);
      expect(written.some((key) => key.includes('/tables/'))).toBe(true);
      for (const key of written) {
        expect((await remote.getBytes(key)).equals(await local.store.getBytes(key)), key).toBe(true);
      }
    } finally {
      client.destroy();
      await s3.stop();
    }
  });
});
