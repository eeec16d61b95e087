// A run over the same input and periods as the previous one repeats it only with the same analysis
// options: other options give other figures, which the dashboard must not call "that run's".
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLocalWorkflow } from '../../lib/local/local-runner';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';

const root = mkdtempSync(path.join(os.tmpdir(), 'repeat-options-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('repeat detection', () => {
  it('needs the same options: a run with other options is news, the next one with those options repeats it', async () => {
    const input = path.join(root, 'input');
    await generateEngagementData({ students: 300, seed: 8, outDir: input });
    const out = path.join(root, 'results');
    const run = (runId: string, options?: Record<string, unknown>) => runLocalWorkflow({ inputDir: input, outDir: out, runId, retryWaitMs: 1, request: options ? { options } : {} });
    const runRow = (runId: string) => {
      const folder = path.join(out, runId, 'tables', 'result_runs');
      return JSON.parse(readFileSync(path.join(folder, 'result_runs.json'), 'utf8')) as { options: string; repeat_of: string | null };
    };
    const findings = (runId: string) => (JSON.parse(readFileSync(path.join(out, runId, 'report', 'findings.json'), 'utf8')) as { findings: { headline: string }[] }).findings;
    for (const [runId, options] of [['plain', undefined], ['half', { outlierQuantile: 0.5 }], ['half-again', { outlierQuantile: 0.5 }]] as const) {
      expect((await run(runId, options)).status).toBe('succeeded');
    }
    expect(runRow('plain').repeat_of).toBeNull();
    expect(JSON.parse(runRow('half').options)).toMatchObject({ outlierQuantile: 0.5, alpha: 0.05 });
    expect(runRow('half').repeat_of).toBeNull();
    expect(findings('half').some((finding) => finding.headline.startsWith('This run repeats'))).toBe(false);
    expect(runRow('half-again').repeat_of).toBe('half');
    expect(findings('half-again')[0]!.headline).toMatch(/^This run repeats run half: the same periods \(2021Q2 vs 2022Q2\), the same analysis options and the same input files/);
  }, 120_000);
});
