// A branch of a Parallel state that fails ends the execution while its siblings' tasks are still
// under way. The run must not return (and remove its scratch folder) until they have ended: else
// they write into a run folder the caller already holds as finished, or into a folder being removed.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateEngagementData, generateMoocData } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type ProgressEvent } from '../../lib/local/local-runner';

let inputDir: string;

beforeAll(async () => {
  inputDir = mkdtempSync(path.join(os.tmpdir(), 'failed-branch-input-'));
  await generateEngagementData({ students: 300, seed: 5, outDir: inputDir });
  await generateMoocData({ users: 400, seed: 5, outDir: inputDir });
});

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = statSync(file);
    files[path.relative(dir, file)] = `${info.size}@${info.mtimeMs}`;
  }
  return files;
}

describe('a failed branch beside running ones', () => {
  it('returns only once the sibling branches have stopped, and leaves no scratch folder', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'failed-branch-out-'));
    const events: ProgressEvent[] = [];
    // The engagement branch fails at once; the MOOC branch's validation is then still reading.
    const result = await runLocalWorkflow({
      inputDir,
      outDir,
      runId: 'sibling-still-running',
      retryWaitMs: 1,
      faults: [{ state: 'ValidateEngagementFiles', times: 'always', error: 'WorkflowInputError', message: 'engagement input refused' }],
      onProgress: (event) => events.push(event),
    });
    // The Parallel state failed (its Catch then leads to RecordFailure): reported failed, never as succeeded.
    const outcomes = (state: string) => events.filter((event) => event.state === state && event.kind !== 'state-started').map((event) => event.kind);
    expect(outcomes('ValidateInputs')).toEqual(['state-failed']);
    expect(outcomes('ValidateEngagementFiles')).toEqual(['state-failed']);
    expect(outcomes('RecordFailure')).toEqual(['state-succeeded']);
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ state: 'ValidateEngagementFiles', cause: 'engagement input refused' });
    const atReturn = snapshot(result.runDir);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(snapshot(result.runDir)).toEqual(atReturn);
    expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith('engagement-athena-sibling-still-running-'))).toEqual([]);
  });
});
