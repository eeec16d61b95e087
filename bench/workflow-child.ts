// Child process of the benchmark: runs the local workflow once and prints, as one JSON line, the
// wall time of the run, each workflow state's span and its peak RSS.
import { rm } from 'node:fs/promises';
import { runLocalWorkflow, type ProgressEvent } from '../lib/local/local-runner';

export interface WorkflowChildInput {
  inputDir: string;
  outDir: string;
  runId: string;
  /** DuckDB's memory_limit (bench --duckdb-memory); the local runner's default when absent. */
  duckdbMemory?: string;
}

/** One state name's invocations (a Map runs its states once per item, maybe in parallel). */
export interface StateTiming {
  state: string;
  runs: number;
  /** From the first start to the last end of the state's invocations. */
  spanMs: number;
  /** The sum of the invocations' own durations. */
  sumMs: number;
  firstStartMs: number;
  /**
   * CPU time of the whole process (user + system, all threads) from the first start to the last end:
   * the state's own work when it runs alone, and less sensitive than wall time to other jobs on the machine.
   */
  cpuMs: number;
}

export interface WorkflowChildReport {
  status: string;
  totalMs: number;
  states: StateTiming[];
  maxRssKb: number;
  failure?: unknown;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as WorkflowChildInput;
  await rm(input.outDir, { recursive: true, force: true });
  const events: (ProgressEvent & { cpuMs: number })[] = [];
  const cpuMs = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const started = Date.now();
  const result = await runLocalWorkflow({ inputDir: input.inputDir, outDir: input.outDir, runId: input.runId, ...(input.duckdbMemory !== undefined ? { duckdbMemoryLimit: input.duckdbMemory } : {}), onProgress: (event) => events.push({ ...event, cpuMs: cpuMs() }) });
  const totalMs = Date.now() - started;
  const report: WorkflowChildReport = {
    status: result.status,
    totalMs,
    states: stateTimings(events, started),
    maxRssKb: process.resourceUsage().maxRSS,
    ...(result.failure ? { failure: result.failure } : {}),
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

function stateTimings(events: (ProgressEvent & { cpuMs: number })[], origin: number): StateTiming[] {
  const byState = new Map<string, { runs: number; first: number; last: number; sum: number; firstCpu: number; lastCpu: number }>();
  for (const event of events) {
    const entry = byState.get(event.state) ?? { runs: 0, first: Infinity, last: -Infinity, sum: 0, firstCpu: Infinity, lastCpu: -Infinity };
    if (event.kind === 'state-started') {
      entry.first = Math.min(entry.first, event.at);
      entry.firstCpu = Math.min(entry.firstCpu, event.cpuMs);
    }
    if (event.kind === 'state-succeeded' || event.kind === 'state-failed') {
      entry.runs += 1;
      entry.sum += event.ms;
      entry.last = Math.max(entry.last, event.at);
      entry.lastCpu = Math.max(entry.lastCpu, event.cpuMs);
    }
    byState.set(event.state, entry);
  }
  return [...byState.entries()]
    .map(([state, entry]) => ({ state, runs: entry.runs, spanMs: entry.last - entry.first, sumMs: entry.sum, firstStartMs: entry.first - origin, cpuMs: entry.lastCpu - entry.firstCpu }))
    .sort((a, b) => a.firstStartMs - b.firstStartMs);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
