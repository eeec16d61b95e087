// Runs one benchmark subject in its own process, so its peak memory is its own: the child reports
// its figures (with process.resourceUsage().maxRSS) as the last JSON line on stdout, and the parent
// also samples /proc/<pid>/status VmHWM while it runs, in case the child dies before reporting.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compiledEntry } from '../bin/compiled-entry';

export interface ChildFigures {
  /** Wall time of the whole child process, start-up included. */
  processMs: number;
  /** Peak resident set of the child, in bytes (the child's own figure, else the sampled one). */
  peakRssBytes: number;
  /** What the child reported (its last stdout line, parsed as JSON). */
  report: Record<string, any>;
}

export interface ChildCommand {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Lines the child writes to stderr are passed through when true. */
  echoStderr?: boolean;
}

const ROOT = path.resolve(__dirname, '..');

/**
 * A TypeScript file of bench/ compiled the way the `engagement` command is (bin/compiled-entry.js:
 * one esbuild bundle, cached under dist/), so it measures the code users run rather than tsx's
 * loader transpiling and hooking every import.
 */
export async function compiledChild(file: string, input: unknown, nodeOptions: string[] = []): Promise<ChildCommand> {
  const built = await compiledEntry(ROOT, `bench-${path.basename(file, '.ts')}`, path.join(__dirname, file));
  return { command: process.execPath, args: [...nodeOptions, built, JSON.stringify(input)], cwd: ROOT };
}

/** A TypeScript file of bench/ run by Node with tsx's loader (no extra tsx wrapper process). */
export function tsChild(file: string, input: unknown, nodeOptions: string[] = []): ChildCommand {
  return { command: process.execPath, args: [...nodeOptions, '--import', 'tsx', path.join(__dirname, file), JSON.stringify(input)], cwd: ROOT };
}

/** A child that exited with an error, with what was measured of it (e.g. a heap out of memory). */
export class ChildFailedError extends Error {
  override name = 'ChildFailedError';
  constructor(
    message: string,
    readonly code: number | null,
    readonly processMs: number,
    readonly peakRssBytes: number,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export async function runMeasuredChild(child: ChildCommand): Promise<ChildFigures> {
  const started = performance.now();
  const proc = spawn(child.command, child.args, { cwd: child.cwd ?? ROOT, env: child.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  proc.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    if (child.echoStderr) process.stderr.write(text);
  });
  let sampledHwmKb = 0;
  const sampler = setInterval(() => {
    void readFile(`/proc/${proc.pid}/status`, 'utf8').then(
      (status) => {
        const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        if (kb > sampledHwmKb) sampledHwmKb = kb;
      },
      () => undefined,
    );
  }, 100);
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', resolve);
  });
  clearInterval(sampler);
  const processMs = performance.now() - started;
  if (code !== 0) {
    const name = path.basename(child.args.find((arg) => /\.(ts|py)$/.test(arg)) ?? child.command);
    throw new ChildFailedError(`${name} exited with ${code}:\n${stderr.slice(-4000)}`, code, processMs, sampledHwmKb * 1024, stderr);
  }
  const lastLine = stdout.trim().split('\n').pop() ?? '';
  let report: Record<string, any>;
  try {
    report = JSON.parse(lastLine);
  } catch {
    throw new Error(`the child's last line is not JSON: ${lastLine.slice(0, 500)}\n${stderr.slice(-2000)}`);
  }
  const reportedKb = Number(report.maxRssKb ?? 0);
  return { processMs, peakRssBytes: Math.max(reportedKb, sampledHwmKb) * 1024, report };
}
