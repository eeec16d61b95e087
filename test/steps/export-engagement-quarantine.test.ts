// ExportEngagementQuarantine: the SQL checks' row counts against what the structural pass read of
// the same files, and each file's sha256 carried into the data-quality record.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { LOCAL_BUCKET, LocalObjectStore } from '../../lib/local/local-object-store';
import { exportEngagementQuarantine } from '../../lambdas/steps/export-engagement-quarantine';
import { silentLogger, type StepContext } from '../../lambdas/steps/step-context';
import type { EngagementFilesChecked, ExportEngagementQuarantineEvent } from '../../lambdas/contracts/state-payloads';

let root: string;
let context: StepContext;

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'export-quarantine-'));
  const store = new LocalObjectStore({
    mounts: [
      { prefix: 'athena-results/', dir: path.join(root, 'athena') },
      { prefix: 'results/', dir: path.join(root, 'out') },
    ],
  });
  context = { store, logger: silentLogger, now: () => new Date('2026-12-01T00:00:00Z') };
  // Every file: 10 rows accepted by the checks, none quarantined.
  const counts = ['"file_name","reject_reason","row_count"', ...ENGAGEMENT_TABLES.map((table) => `"${table.fileName}","","10"`)].join('\n') + '\n';
  await store.put('athena-results/counts.csv', counts);
  await store.put('athena-results/quarantine.csv', '"file_name","reject_reason","value_1","value_2","value_3","value_4","value_5"\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function event(files: EngagementFilesChecked): ExportEngagementQuarantineEvent {
  return {
    runId: 'export-test',
    queries: { counts: { outputLocation: `s3://${LOCAL_BUCKET}/athena-results/counts.csv` }, quarantine: { outputLocation: `s3://${LOCAL_BUCKET}/athena-results/quarantine.csv` } },
    files,
  };
}

const filesRead = (rows: (file: string) => number): EngagementFilesChecked => ({
  dataRows: Object.fromEntries(ENGAGEMENT_TABLES.map((table) => [table.fileName, rows(table.fileName)])),
  sha256: Object.fromEntries(ENGAGEMENT_TABLES.map((table) => [table.fileName, `sha-of-${table.fileName}`])),
});

describe('exportEngagementQuarantine', () => {
  it('records each file with the sha256 the structural pass took of it', async () => {
    const quality = await exportEngagementQuarantine(event(filesRead(() => 10)), context);
    expect(quality.files.map((file) => [file.file, file.inputRows, file.sha256])).toEqual(ENGAGEMENT_TABLES.map((table) => [table.fileName, 10, `sha-of-${table.fileName}`]));
  });

  it('stops the run when the checks read another number of rows than the structural pass (the file changed in between)', async () => {
    const changed = exportEngagementQuarantine(event(filesRead((file) => (file === 'student_video_watched.csv' ? 8 : 10))), context);
    await expect(changed).rejects.toThrow(
      'student_video_watched.csv changed while the run read it: the structural check read 8 data rows, the SQL checks 10; rerun once the upload is complete',
    );
    await expect(changed).rejects.toHaveProperty('name', 'InputChangedError');
  });
});
