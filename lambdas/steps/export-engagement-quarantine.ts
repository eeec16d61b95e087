// After the validation queries: writes each engagement file's rejected rows to
// results/<runId>/quarantine/<file>.csv (the file's columns plus `reason`) and reports the counts
// per file and reason. The rules themselves live in queries/check/*.sql (into the checked_* tables).
import { PassThrough } from 'node:stream';
import { formatCsvRow, parseCsvRecords } from '../tabular/csv';
import { assertRunId, rawTableKey, runFileOf, studyResultKey } from '../contracts/layout';
import { ENGAGEMENT_TABLES, type RawTable } from '../contracts/tables';
import { assertBalanced, quarantineFileName, type FileQuality, type StudyQuality } from '../validation/data-quality';
import type { ObjectStore } from '../io/object-store';
import { athenaOutputKey, readAthenaRows } from './athena-results';
import type { StepContext } from './step-context';
import type { AthenaOutput, EngagementFilesChecked, ExportEngagementQuarantineEvent } from '../contracts/state-payloads';

export const QUARANTINE_REASON_COLUMN = 'reason';

/** An input file read twice in one run gave two different files; its name becomes the Step Functions error code. */
export class InputChangedError extends Error {
  override name = 'InputChangedError';
}

export async function exportEngagementQuarantine(event: ExportEngagementQuarantineEvent, context: StepContext): Promise<StudyQuality> {
  const runId = assertRunId(event.runId);
  const { store } = context;
  const files = new Map<string, FileQuality>(
    ENGAGEMENT_TABLES.map((table) => [
      table.fileName,
      { study: 'engagement', file: table.fileName, inputRows: 0, acceptedRows: 0, quarantinedRows: 0, reasons: {}, quarantineFile: null, firstBadRow: null, sha256: event.files?.sha256?.[table.fileName] ?? null },
    ]),
  );
  for (const row of await readAthenaRows(store, event.queries.counts)) {
    const file = files.get(row.file_name ?? '');
    if (!file) throw new Error(`validation counts name an unknown file ${JSON.stringify(row.file_name)}`);
    const count = Number(row.row_count);
    file.inputRows += count;
    if (!row.reject_reason) file.acceptedRows += count;
    else {
      file.quarantinedRows += count;
      file.reasons[row.reject_reason] = (file.reasons[row.reject_reason] ?? 0) + count;
    }
  }
  await assertInputUnchanged(store, event.files, files);
  await writeQuarantineFiles(store, runId, event.queries.quarantine, files);
  for (const file of files.values()) {
    assertBalanced(file);
    if (file.quarantinedRows > 0) context.logger.warn('rows quarantined', { runId, file: file.file, reasons: file.reasons });
  }
  return { study: 'engagement', files: [...files.values()] };
}

/**
 * The checks read each file again (Athena, or DuckDB locally): the file must be the one the
 * structural pass read, else its figures would mix two versions and the run stops here. Another row
 * count means it was replaced or appended to in between (or, in S3, that another object shares its
 * folder); the same count is no proof, as a corrected extract of as many rows would be published
 * under the old one's sha256, so its version must match too.
 */
async function assertInputUnchanged(store: ObjectStore, validated: EngagementFilesChecked | undefined, files: ReadonlyMap<string, FileQuality>): Promise<void> {
  for (const table of ENGAGEMENT_TABLES) {
    const rows = validated?.dataRows?.[table.fileName];
    const checked = files.get(table.fileName)!.inputRows;
    if (rows !== undefined && rows !== checked) {
      throw new InputChangedError(`${table.fileName} changed while the run read it: the structural check read ${rows} data rows, the SQL checks ${checked}; rerun once the upload is complete`);
    }
    const version = validated?.versions?.[table.fileName];
    if (version !== undefined && (await store.objectVersion(rawTableKey(table))) !== version) {
      throw new InputChangedError(`${table.fileName} changed while the run read it: it was replaced or written to after the structural check; rerun once the upload is complete`);
    }
  }
}

/** Streams the one quarantine result (sorted by file) into a CSV per file, checking its rows against the counts. */
async function writeQuarantineFiles(store: ObjectStore, runId: string, output: AthenaOutput, files: Map<string, FileQuality>): Promise<void> {
  const sourceKey = athenaOutputKey(store, output);
  let current: { table: RawTable; stream: PassThrough; done: Promise<void>; rows: number } | undefined;
  const finish = async (): Promise<void> => {
    if (!current) return;
    current.stream.end();
    await current.done;
    const file = files.get(current.table.fileName)!;
    if (current.rows !== file.quarantinedRows) {
      throw new Error(`${current.table.fileName}: ${current.rows} quarantined rows exported but ${file.quarantinedRows} counted`);
    }
    current = undefined;
  };
  let header: string[] | undefined;
  for await (const record of parseCsvRecords(await store.getStream(sourceKey), sourceKey)) {
    if (!header) {
      header = record;
      continue;
    }
    const [fileName, reason] = record as [string, string];
    if (current?.table.fileName !== fileName) {
      await finish();
      const table = ENGAGEMENT_TABLES.find((candidate) => candidate.fileName === fileName);
      if (!table) throw new Error(`the quarantine query names an unknown file ${JSON.stringify(fileName)}`);
      const key = studyResultKey(runId, 'quarantine', quarantineFileName(fileName));
      const stream = new PassThrough();
      const done = store.putStream(key, stream, 'text/csv');
      done.catch(() => undefined); // awaited in finish(); this only keeps an early failure from going unhandled
      current = { table, stream, done, rows: 0 };
      stream.write(formatCsvRow([...table.columns, QUARANTINE_REASON_COLUMN]));
      files.get(fileName)!.quarantineFile = runFileOf(runId, key);
    }
    const values = record.slice(2, 2 + current.table.columns.length);
    current.rows += 1;
    const file = files.get(fileName)!;
    file.firstBadRow ??= { line: null, reason, values: Object.fromEntries(current.table.columns.map((column, i) => [column, values[i] ?? ''])) };
    if (!current.stream.write(formatCsvRow([...values, reason]))) await new Promise((resolve) => current!.stream.once('drain', resolve));
  }
  await finish();
}
