// ExportEngagementQuarantine: the SQL checks' row counts against what the structural pass read of
// the same files, and each file's sha256 carried into the data-quality record.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { LOCAL_BUCKET, LocalObjectStore } from '../../lib/local/local-object-store';
import { exportEngagementQuarantine } from '../../lambdas/steps/export-engagement-quarantine';
import { validateEngagementFiles } from '../../lambdas/steps/validate-engagement-files';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';
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

  it('stops the run when a file was replaced after the structural check by one of as many rows', async () => {
    const input = path.join(root, 'input');
    await generateEngagementData({ outDir: input, students: 50, seed: 3 });
    const store = new LocalObjectStore({
      inputDir: input,
      mounts: [
        { prefix: 'athena-results/', dir: path.join(root, 'athena') },
        { prefix: 'results/', dir: path.join(root, 'out') },
      ],
    });
    const withInput = { ...context, store };
    const validated = await validateEngagementFiles({ runId: 'export-test' }, withInput);
    const counts = ['"file_name","reject_reason","row_count"', ...ENGAGEMENT_TABLES.map((table) => `"${table.fileName}","","${validated.dataRows[table.fileName]}"`)].join('\n') + '\n';
    await store.put('athena-results/counts.csv', counts);
    // Read again untouched: the same versions, no error.
    await expect(exportEngagementQuarantine(event(validated), withInput)).resolves.toBeDefined();
    // A corrected extract uploaded in place of the views file, with the same rows but other minutes.
    const views = path.join(input, 'engagement', 'student_video_watched.csv');
    const lines = readFileSync(views, 'utf8').split('\n');
    const header = lines[0]!.split(',');
    const seconds = header.indexOf('seconds_watched');
    const doubled = lines.map((line, i) => (i === 0 || line === '' ? line : line.split(',').map((value, column) => (column === seconds ? String(Number(value) * 2) : value)).join(',')));
    writeFileSync(`${views}.new`, doubled.join('\n'));
    renameSync(`${views}.new`, views);
    const changed = exportEngagementQuarantine(event(validated), withInput);
    await expect(changed).rejects.toThrow('student_video_watched.csv changed while the run read it: it was replaced or written to after the structural check; rerun once the upload is complete');
    await expect(changed).rejects.toHaveProperty('name', 'InputChangedError');
  });
});
