// Bounded memory: a run of about 2 million watch rows (and 2 million MOOC actions) must not grow the
// process by anything like the size of its output. Measured in a child process so the test runner's
// own heap does not blur the figure.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchFolder } from './helpers';

const scratch = scratchFolder('memory');
afterAll(() => scratch.remove());

interface Measurement {
  rows: Record<string, number>;
  bytes: number;
  seconds: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

function measure(study: 'engagement' | 'mooc', size: number): Measurement {
  const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
  const script = path.resolve(__dirname, 'measure-generation.ts');
  const output = execFileSync(tsx, [script, study, String(size), '11', path.join(scratch.dir, study)], { encoding: 'utf8', timeout: 110_000 });
  return JSON.parse(output.trim().split('\n').pop()!) as Measurement;
}

describe('synthetic generators stream with bounded memory', () => {
  it('writes ~2M watch rows with peak RSS growth well under 300 MB', () => {
    const run = measure('engagement', 1_250_000);
    expect(run.rows['student_video_watched.csv']).toBeGreaterThan(1_800_000);
    expect(run.bytes).toBeGreaterThan(60 * 2 ** 20);
    expect(run.peakRssMb - run.rssBeforeMb).toBeLessThan(150);
  }, 120_000);

  it('writes ~2M MOOC actions with peak RSS growth well under 300 MB', () => {
    const run = measure('mooc', 33_000);
    expect(run.rows['mooc_actions.tsv']).toBeGreaterThan(1_800_000);
    expect(run.bytes).toBeGreaterThan(150 * 2 ** 20);
    expect(run.peakRssMb - run.rssBeforeMb).toBeLessThan(150);
  }, 120_000);
});
