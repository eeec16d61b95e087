// The BuildReport function's asset as `cdk deploy` builds it (NodejsFunction: esbuild, then npm
// installs spec.nodeModules beside index.js): the native renderer it holds is the Lambda's
// (linux, x64, glibc) even when the npm of the machine running the build would pick another
// platform, and it renders. Needs the npm registry, as `cdk synth` and `cdk deploy` do.
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { existsSync, mkdtempSync, openSync, readSync, readdirSync, closeSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdkBundling, PROJECT_ROOT } from '../../lib/bundling';
import { WORKFLOW_STEPS } from '../../lib/function-specs';

const outdir = mkdtempSync(path.join(os.tmpdir(), 'report-asset-'));
let assetDir: string;

/** What npm would pick on a Mac with Apple silicon, forced through npm's own environment settings. */
const FOREIGN_HOST = { npm_config_os: 'darwin', npm_config_cpu: 'arm64', npm_config_libc: 'musl' };

beforeAll(() => {
  const saved = Object.fromEntries(Object.keys(FOREIGN_HOST).map((key) => [key, process.env[key]]));
  Object.assign(process.env, FOREIGN_HOST);
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'ReportAsset');
    const spec = WORKFLOW_STEPS.buildReport;
    const fn = new nodejs.NodejsFunction(stack, 'BuildReport', {
      entry: path.join(PROJECT_ROOT, 'lambdas', 'handlers', spec.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: cdkBundling(spec),
    });
    const assembly = app.synth();
    const code = assembly.getStackByName(stack.stackName).template.Resources[stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)].Properties.Code;
    const assetHash = (code.S3Key as string).replace(/\.zip$/, '');
    assetDir = path.join(outdir, `asset.${assetHash}`);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}, 300_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** ELF header: class, data encoding and machine of a shared object (x86-64 is 62). */
function elfOf(file: string): { elf: boolean; bits: number; machine: number } {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return { elf: header.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])), bits: header[4] === 2 ? 64 : 32, machine: header.readUInt16LE(18) };
}

describe('BuildReport asset', () => {
  it('holds index.js and, beside it, resvg with the linux-x64 glibc binary only', () => {
    expect(existsSync(path.join(assetDir, 'index.js'))).toBe(true);
    expect(readdirSync(path.join(assetDir, 'node_modules', '@resvg')).sort()).toEqual(['resvg-js', 'resvg-js-linux-x64-gnu']);
    const binaries = readdirSync(path.join(assetDir, 'node_modules', '@resvg', 'resvg-js-linux-x64-gnu')).filter((name) => name.endsWith('.node'));
    expect(binaries).toEqual(['resvgjs.linux-x64-gnu.node']);
    expect(elfOf(path.join(assetDir, 'node_modules', '@resvg', 'resvg-js-linux-x64-gnu', binaries[0]!))).toEqual({ elf: true, bits: 64, machine: 62 });
    expect(existsSync(path.join(assetDir, 'node_modules', 'dejavu-fonts-ttf', 'package.json'))).toBe(true);
    // The dashboard inlines vega's browser build, read from beside the bundle.
    expect(existsSync(path.join(assetDir, 'node_modules', 'vega', 'build', 'vega.min.js'))).toBe(true);
  });

  it('renders with the renderer the asset holds (this machine is linux-x64, as the Lambda)', () => {
    const { Resvg } = createRequire(path.join(assetDir, 'index.js'))('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
    const png = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3" fill="#c00"/></svg>').render();
    expect([png.width, png.height]).toEqual([4, 3]);
    expect(png.asPng().subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  });
});
