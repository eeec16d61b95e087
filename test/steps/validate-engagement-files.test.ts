// ValidateEngagementFiles: the files' structure counted, and the run's stale checked/ and curated/
// partitions removed (other runs' left alone) before the inserts.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { silentLogger, type StepContext } from '../../lambdas/steps/step-context';
import { validateEngagementFiles } from '../../lambdas/steps/validate-engagement-files';
import type { ValidateEngagementFilesEvent } from '../../lambdas/contracts/state-payloads';

const RUN_ID = 'files-test';
let root: string;
let context: StepContext;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'validate-engagement-files-'));
  mkdirSync(path.join(root, 'input', 'engagement'), { recursive: true });
  for (const table of ENGAGEMENT_TABLES) {
    writeFileSync(path.join(root, 'input', 'engagement', table.fileName), `${table.columns.join(',')}\n${table.columns.map(() => '1').join(',')}\n`);
  }
  const store = new LocalObjectStore({
    inputDir: path.join(root, 'input'),
    mounts: [
      { prefix: 'checked/', dir: path.join(root, 'checked') },
      { prefix: 'curated/', dir: path.join(root, 'curated') },
    ],
  });
  context = { store, logger: silentLogger, now: () => new Date('2026-12-01T00:00:00Z') };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function event(): ValidateEngagementFilesEvent {
  return { runId: RUN_ID };
}

function place(key: string): string {
  const file = path.join(root, key);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'parquet');
  return file;
}

describe('validateEngagementFiles', () => {
  it('counts the data rows of each file and hashes the bytes it read', async () => {
    const result = await validateEngagementFiles(event(), context);
    expect(result.dataRows['student_info.csv']).toBe(1);
    for (const table of ENGAGEMENT_TABLES) {
      const bytes = readFileSync(path.join(root, 'input', 'engagement', table.fileName));
      expect(result.sha256[table.fileName], table.fileName).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it("removes this run's checked and curated partitions only", async () => {
    const stale = [
      place(`checked/checked_student_info/run_id=${RUN_ID}/old_0.parquet`),
      place(`checked/checked_student_video_watched/run_id=${RUN_ID}/old_0.parquet`),
      place(`curated/curated_student_info/run_id=${RUN_ID}/year=2021/quarter=1/old_0.parquet`),
    ];
    const kept = [
      place('checked/checked_student_info/run_id=other-run/old_0.parquet'),
      place(`checked/checked_student_info/run_id=${RUN_ID}-2/old_0.parquet`),
      place('curated/curated_student_info/run_id=other-run/year=2021/quarter=1/old_0.parquet'),
    ];
    await validateEngagementFiles(event(), context);
    for (const file of stale) expect(existsSync(file), file).toBe(false);
    for (const file of kept) expect(existsSync(file), file).toBe(true);
  });
});
