// Lambda bundle sizes as `cdk synth` produces them: each function's asset folder in the cloud
// assembly holds index.js (minified, AWS SDK left out) and its source map.
import { spawn } from 'node:child_process';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { WORKFLOW_STEP_ENV } from '../lib/function-specs';

export interface BundleSize {
  /** The function's logical id in the template (one per workflow step). */
  functionId: string;
  step: string;
  indexJsBytes: number;
}

export interface BundleSizes {
  bundles: BundleSize[];
  synthMs: number;
  /** Why synth failed, when it did; bundles are still listed when the template was written. */
  failure?: string;
}

const ROOT = path.resolve(__dirname, '..');

export async function synthBundleSizes(outDir: string): Promise<BundleSizes> {
  await rm(outDir, { recursive: true, force: true });
  const started = performance.now();
  const { code, output } = await run('npx', ['cdk', 'synth', '--quiet', '--output', outDir]);
  const synthMs = performance.now() - started;
  let failure: string | undefined;
  if (code !== 0) {
    const missing = /Cannot find module '([^']+)'|Could not resolve "([^"]+)"/.exec(output);
    const nag = /^ERROR (.{0,160})/m.exec(output);
    failure = missing
      ? `missing module ${missing[1] ?? missing[2]}`
      : nag
        ? `cdk-nag validation: ${nag[1]}…`
        : `exit ${code}: ${lastLines(output, 4)}`;
  }
  // Bundling runs before validation, so a template and its assets can exist even when synth failed.
  const templates = (await readdir(outDir).catch(() => [] as string[])).filter((name) => name.endsWith('.template.json'));
  const bundles: BundleSize[] = [];
  for (const templateFile of templates) {
    const template = JSON.parse(await readFile(path.join(outDir, templateFile), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: any; Metadata?: Record<string, string> }>;
    };
    for (const [functionId, resource] of Object.entries(template.Resources)) {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
      const variables = (resource.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
      const step = variables[WORKFLOW_STEP_ENV];
      const indexJs = path.join(outDir, assetPath, 'index.js');
      const indexJsBytes = await stat(indexJs).then((info) => info.size, () => -1);
      bundles.push({ functionId, step: typeof step === 'string' ? step : functionId, indexJsBytes });
    }
  }
  bundles.sort((a, b) => b.indexJsBytes - a.indexJsBytes);
  return failure === undefined ? { bundles, synthMs } : { bundles, synthMs, failure };
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    proc.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, output }));
  });
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
