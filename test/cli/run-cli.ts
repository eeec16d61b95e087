// The engagement CLI as a child process, the way a user runs it: the package's bin, which runs the
// compiled command line in its own node process (so a kill reaches the run itself).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO, 'bin', 'engagement.js');

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[], stdio: StdioOptions, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio, env: { ...process.env, ...env } });
}

/** Runs the CLI to its end with extra environment, collecting what it printed. */
export function engagementWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, ['ignore', 'pipe', 'pipe'], env);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function engagement(...args: string[]): Promise<Outcome> {
  return engagementWith({}, ...args);
}

export interface Signalled {
  /** What the signal was sent on: the first of the states watched for that the progress showed, or the file that appeared. */
  state: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Starts the CLI and sends `signal` once its progress shows one of `states`; resolves when it has ended. */
export function signalOnceStateSeen(args: string[], states: string[], signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}): Promise<Signalled> {
  return signalWhen(args, signal, env, (output) => states.find((name) => output.stderr.includes(name)));
}

/** Starts the CLI and sends `signal` once `file` exists (for runs that print no progress, e.g. --json). */
export function signalOnceFileExists(args: string[], file: string, signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}): Promise<Signalled> {
  return signalWhen(args, signal, env, () => (existsSync(file) ? file : undefined), 20);
}

async function signalWhen(args: string[], signal: NodeJS.Signals, env: NodeJS.ProcessEnv, ready: (output: { stderr: string }) => string | undefined, pollMs?: number): Promise<Signalled> {
  const child = spawnCli(args, ['ignore', 'pipe', 'pipe'], env);
  const output = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (output.stdout += text));
  const state = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const seen = ready(output);
      if (seen && child.exitCode === null && !child.killed) {
        clearInterval(timer);
        child.kill(signal);
        resolve(seen);
      }
    };
    const timer = pollMs === undefined ? undefined : setInterval(look, pollMs);
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      output.stderr += text;
      look();
    });
    child.on('close', () => {
      clearInterval(timer);
      reject(new Error(`the run ended before it could be sent ${signal}:\n${output.stderr}`));
    });
  });
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.on('close', resolve)));
  return { state, code: child.exitCode, signal: child.signalCode, ...output, pid: child.pid! };
}
