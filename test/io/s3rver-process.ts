// Runs s3rver (a local S3) in a child Node process on 127.0.0.1 and a free port. A child process
// because s3rver makes its ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers
// through the legacy provider (--openssl-legacy-provider), and that flag is not for the test worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

const SERVER_SCRIPT = `
const S3rver = require(process.env.S3RVER_MODULE);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR,
  configureBuckets: JSON.parse(process.env.S3RVER_BUCKETS).map((name) => ({ name })) });
server.run().then(({ port }) => process.stdout.write('PORT ' + port + '\\n'), (error) => { console.error(error); process.exit(1); });
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;

export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT], {
    env: {
      ...process.env,
      S3RVER_MODULE: require.resolve('s3rver'),
      S3RVER_DIR: mkdtempSync(path.join(os.tmpdir(), 's3rver-')),
      S3RVER_BUCKETS: JSON.stringify(buckets),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /PORT (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${stderr}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
