// The progress view fed a real run's events (the synthesized definition run locally, with one
// injected retry inside the cohort Map), drawn on an emulated 80×24 terminal and a tiny one.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEngagementData, generateMoocData } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type ProgressEvent } from '../../lib/local/local-runner';
import { allStates, synthesizeWorkflow } from '../../lib/local/synthesized-definition';
import { progressPrinter, workStateNames } from '../../lib/cli/progress';
import { VirtualTerminal } from './virtual-terminal';

function fakeStream(options: { isTTY: boolean; columns?: number; rows?: number }, onWrite: (text: string) => void): NodeJS.WriteStream {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      onWrite(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, options);
  return stream;
}

const WORK_TYPES = new Set(['Task', 'Parallel', 'Map']);
const root = mkdtempSync(path.join(os.tmpdir(), 'progress-'));
const events: ProgressEvent[] = [];
let workStates: string[];
let definition: { StartAt: string; States: Record<string, any> };

beforeAll(async () => {
  const inputDir = path.join(root, 'input');
  await generateEngagementData({ students: 300, seed: 5, outDir: inputDir });
  await generateMoocData({ users: 200, seed: 5, outDir: inputDir });
  const result = await runLocalWorkflow({
    inputDir,
    outDir: path.join(root, 'out'),
    runId: 'progress-view',
    retryWaitMs: 1,
    faults: [{ state: 'RunCohortQuery', times: 1, error: 'Athena.TooManyRequestsException' }],
    onProgress: (event) => events.push(event),
  });
  expect(result.status).toBe('succeeded');
  definition = (await synthesizeWorkflow()).definition;
  workStates = workStateNames(definition);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Work states the run entered, counted from the events themselves. */
function enteredWorkStates(): Set<string> {
  const types = new Map(allStates(definition).map(([name, state]) => [name, state.Type as string]));
  return new Set(events.filter((event) => event.kind === 'state-started' && WORK_TYPES.has(types.get(event.state)!)).map((event) => event.state));
}

function replay(columns: number, rows: number): { terminal: VirtualTerminal; frames: number; tallest: number } {
  const terminal = new VirtualTerminal(columns, rows);
  let frames = 0;
  const print = progressPrinter(fakeStream({ isTTY: true, columns, rows }, (text) => terminal.write(text)), workStates);
  let tallest = 0;
  for (const event of events) {
    print(event);
    frames++;
    tallest = Math.max(tallest, terminal.screen.filter((line) => line !== '').length);
  }
  print.close();
  return { terminal, frames, tallest };
}

describe('workStateNames', () => {
  it('counts the Task, Parallel and Map states of the definition, nested ones included, once each, but not the failure handler', () => {
    const expected = new Set(allStates(definition).filter(([, state]) => WORK_TYPES.has(state.Type)).map(([name]) => name));
    // RecordFailure is reached only by a Catch: a run that succeeds never enters it.
    expect(expected.delete('RecordFailure')).toBe(true);
    expect(new Set(workStates)).toEqual(expected);
    expect(workStates.length).toBe(expected.size);
    expect(workStates).toContain('RunCohortQuery');
  });
});

describe('live view on a terminal', () => {
  it('fits an 80×24 screen, redraws in place, keeps the retry line and ends with "n of N" and the elapsed time', () => {
    const { terminal } = replay(80, 24);
    expect(terminal.clampedMovesUp).toBe(0);
    expect(terminal.wraps).toBe(0);
    expect(terminal.screen.length).toBe(24);
    for (const line of [...terminal.screen, ...terminal.scrollback]) expect([...line].length).toBeLessThanOrEqual(80);
    const everything = [...terminal.scrollback, ...terminal.screen].join('\n');
    // A state that succeeded is not left behind in the scrollback (the flood this view replaces).
    expect(everything.match(/PlanRun/g)).toBeNull();
    const retried = events.find((event) => event.kind === 'state-retried')!;
    expect(everything).toContain(`↻ RunCohortQuery [${retried.iteration}] retry 1`);
    const entered = enteredWorkStates().size;
    // A run that succeeds ends with every counted state done.
    expect(entered).toBe(workStates.length);
    expect(terminal.text()).toContain(`${entered} of ${workStates.length} states done · elapsed`);
  });

  it('never takes more rows than a tiny 40×6 screen has, even while a Map runs several items', () => {
    const { terminal, tallest } = replay(40, 6);
    expect(terminal.clampedMovesUp).toBe(0);
    expect(terminal.wraps).toBe(0);
    expect(tallest).toBeLessThanOrEqual(6);
    expect(terminal.scrollback.join('\n')).not.toContain('PlanRun');
    for (const line of terminal.screen) expect([...line].length).toBeLessThan(40);
  });

  it('shows the states running now, a Map state once with its running items counted', () => {
    const terminal = new VirtualTerminal(80, 24);
    const print = progressPrinter(fakeStream({ isTTY: true, columns: 80, rows: 24 }, (text) => terminal.write(text)), ['PlanRun', 'RunCohortQuery']);
    const at = Date.now();
    print({ kind: 'state-started', state: 'PlanRun', at });
    print({ kind: 'state-succeeded', state: 'PlanRun', at, ms: 12 });
    for (const iteration of [0, 1, 2]) print({ kind: 'state-started', state: 'RunCohortQuery', at, iteration });
    print({ kind: 'state-succeeded', state: 'RunCohortQuery', at, ms: 5, iteration: 1 });
    print.close();
    expect(terminal.text()).toMatch(/^ {2}1 of 2 states done · elapsed \d+ s\n {2}… RunCohortQuery ×2 \(\d+ ms\)$/);
  });

  it('keeps a failed state\'s line on screen while the view goes on redrawing below it', () => {
    const terminal = new VirtualTerminal(80, 24);
    const print = progressPrinter(fakeStream({ isTTY: true, columns: 80, rows: 24 }, (text) => terminal.write(text)), ['RunCohortQuery', 'RecordFailure']);
    const at = Date.now();
    print({ kind: 'state-started', state: 'RunCohortQuery', at, iteration: 0 });
    print({ kind: 'state-failed', state: 'RunCohortQuery', at, ms: 1500, iteration: 0, error: 'Athena.QueryFailed', cause: 'x' });
    print({ kind: 'state-started', state: 'RecordFailure', at });
    print.close();
    expect(terminal.text()).toMatch(/^ {2}✗ RunCohortQuery \[0\] \(1\.5 s\): Athena\.QueryFailed\n {2}1 of 2 states done · elapsed \d+ s\n {2}… RecordFailure \(\d+ ms\)$/);
  });
});

describe('plain lines when not on a terminal', () => {
  it('writes one line per work state finished, with the count, and no escape codes', () => {
    let written = '';
    const print = progressPrinter(fakeStream({ isTTY: false }, (text) => (written += text)), workStates);
    for (const event of events) print(event);
    print.close();
    expect(written).not.toContain('\x1b');
    const lines = written.trimEnd().split('\n');
    const finished = events.filter((event) => (event.kind === 'state-succeeded' || event.kind === 'state-failed') && workStates.includes(event.state));
    const retries = events.filter((event) => event.kind === 'state-retried');
    expect(retries.length).toBe(1);
    expect(lines.length).toBe(finished.length + retries.length);
    expect(lines.filter((line) => line.startsWith('  ↻ '))).toHaveLength(1);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^  ✓ PublishManifest \\(.+\\) · ${enteredWorkStates().size} of ${workStates.length} states done$`));
  });

  it('names a failed state with its error', () => {
    let written = '';
    const print = progressPrinter(fakeStream({ isTTY: false }, (text) => (written += text)), ['BuildReport']);
    print({ kind: 'state-started', state: 'BuildReport', at: 0 });
    print({ kind: 'state-failed', state: 'BuildReport', at: 1500, ms: 1500, error: 'Boom', cause: 'x' });
    expect(written).toBe('  ✗ BuildReport (1.5 s): Boom · 1 of 1 states done\n');
  });
});
