// `npm start`: the quick start. Generates the embedded sample data once (seeded), runs the whole
// workflow locally on it and says where the results are.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateEngagementData, generateMoocData } from '../lib/synthetic/synthetic-files';
import { describeResult, runCommand } from '../lib/cli/run-command';

const root = path.resolve(__dirname, '..');
const sampleDir = path.join(root, 'sample-data');
const resultsDir = path.join(root, 'results');

async function main(): Promise<number> {
  if (!existsSync(path.join(sampleDir, 'engagement')) || !existsSync(path.join(sampleDir, 'mooc'))) {
    process.stderr.write(`Generating sample data (seeded synthetic, real schemas) in ${sampleDir} ...\n`);
    await generateEngagementData({ students: 20000, seed: 42, outDir: sampleDir });
    await generateMoocData({ users: 3000, seed: 42, outDir: sampleDir });
  }
  const result = await runCommand({ inputDir: sampleDir, outDir: resultsDir, request: {} });
  process.stdout.write(describeResult(result) + '\n');
  return result.status === 'succeeded' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`npm start failed: ${error.message}\n`);
    process.exitCode = 1;
  },
);
