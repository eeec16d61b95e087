import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../lib/cli/progress';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 80 });
  return { stream, text: () => written };
}

describe('progress output', () => {
  it('prints one plain line per state start and end when not on a terminal', () => {
    const { stream, text } = fakeStream(false);
    const print = progressPrinter(stream);
    print({ kind: 'state-started', state: 'PlanRun', at: 0 });
    print({ kind: 'state-succeeded', state: 'PlanRun', at: 12, ms: 12 });
    print({ kind: 'state-failed', state: 'BuildReport', at: 20, ms: 1500, error: 'Boom', cause: 'x' });
    expect(text()).toBe('  ▶ PlanRun\n  ✓ PlanRun (12 ms)\n  ✗ BuildReport (1.5 s): Boom\n');
    expect(text()).not.toContain('\x1b[');
  });

  it('redraws a live list of states in place on a terminal', () => {
    const { stream, text } = fakeStream(true);
    const print = progressPrinter(stream);
    print({ kind: 'state-started', state: 'RunCohortQuery', at: Date.now(), iteration: 0 });
    print({ kind: 'state-started', state: 'RunCohortQuery', at: Date.now(), iteration: 1 });
    print({ kind: 'state-retried', state: 'RunCohortQuery', at: Date.now(), attempt: 1, iteration: 0 });
    print({ kind: 'state-succeeded', state: 'RunCohortQuery', at: Date.now(), ms: 2300, iteration: 1 });
    const frames = text().split(/\x1b\[\d+A/);
    const last = frames[frames.length - 1]!;
    // Two iterations of the Map: one still retrying, one done; the view moved the cursor back up.
    expect(frames.length).toBe(4);
    expect(last).toMatch(/↻ RunCohortQuery \[0\] \(.*\) retry 1/);
    expect(last).toContain('✓ RunCohortQuery [1] (2.3 s)');
    expect(last.match(/\x1b\[2K/g)?.length).toBe(2);
  });
});
