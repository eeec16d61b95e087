// The MOOC branch's validation: the loader's structural checks (headers, field counts, the three
// files' row alignment) fail the run; rows with a bad value are dropped from all three files and
// written to results/<runId>/quarantine/<file>.csv (line, the file's columns, reason). The accepted
// rows are written once, typed (validatedMoocActionsKey), for the MOOC analysis steps to read.
import { formatCsvRow } from '../tabular/csv';
import { assertRunId, rawTableKey, runFileOf, studyResultKey, validatedMoocActionsKey } from '../contracts/layout';
import { encodeMoocActions } from '../tabular/mooc-actions-file';
import { forEachRecord, recordTexts } from '../tabular/tokenizer';
import { loadMoocActions, type RejectedMoocRow } from '../tabular/mooc-load';
import { hashingRead } from '../io/hashing-read';
import { MOOC_TABLES, type RawTable } from '../contracts/tables';
import { ALIGNED_ROW_REASON_PREFIX, quarantineFileName, type FileQuality, type StudyQuality } from '../validation/data-quality';
import type { StepContext } from './step-context';
import type { ValidateMoocInputEvent } from '../contracts/state-payloads';

export const MOOC_QUARANTINE_LINE_COLUMN = 'line';

/** The reason a file's row carries when another file's field at the same line failed. */
export function alignedRowReason(file: string): string {
  return `${ALIGNED_ROW_REASON_PREFIX}${file}`;
}

export async function validateMoocInput(event: ValidateMoocInputEvent, context: StepContext): Promise<StudyQuality> {
  const runId = assertRunId(event.runId);
  const [actions, features, labels] = await Promise.all(MOOC_TABLES.map(async (table) => hashingRead(await context.store.getStream(rawTableKey(table)))));
  const loaded = await loadMoocActions({ actions: actions!.chunks, features: features!.chunks, labels: labels!.chunks }, { rowFaults: 'quarantine' });
  const sha256 = [actions!, features!, labels!].map((read) => read.digest());
  // The accepted rows, typed: the drop-out model and the analysis read these, not the TSVs again.
  await context.store.put(validatedMoocActionsKey(runId), encodeMoocActions(loaded), 'application/octet-stream');
  const inputRows = loaded.n + loaded.rejected.length;
  const files: FileQuality[] = [];
  for (const [index, table] of MOOC_TABLES.entries()) {
    const reasons: Record<string, number> = {};
    for (const row of loaded.rejected) {
      const reason = reasonIn(table, row);
      reasons[reason] = (reasons[reason] ?? 0) + 1;
    }
    const quality: FileQuality = {
      study: 'mooc',
      file: table.fileName,
      inputRows,
      acceptedRows: loaded.n,
      quarantinedRows: loaded.rejected.length,
      reasons,
      quarantineFile: null,
      firstBadRow: null,
      sha256: sha256[index]!,
    };
    if (loaded.rejected.length > 0) await writeQuarantine(context, runId, table, loaded.rejected, quality);
    files.push(quality);
  }
  if (loaded.rejected.length > 0) context.logger.warn('MOOC rows quarantined', { runId, rows: loaded.rejected.length });
  return {
    study: 'mooc',
    files,
    notes: { duplicateActionIds: loaded.notes.duplicateActionIds, timestampDecreases: loaded.notes.timestampDecreases },
  };
}

function fieldsAt(text: Map<number, string[]>, line: number): string[] {
  return text.get(line) ?? [''];
}

function reasonIn(table: RawTable, row: RejectedMoocRow): string {
  return row.file === table.fileName ? row.reason : alignedRowReason(row.file);
}

/** Reads the file again for the rejected lines' raw text (only when there are some). */
async function writeQuarantine(context: StepContext, runId: string, table: RawTable, rejected: RejectedMoocRow[], quality: FileQuality): Promise<void> {
  const byLine = new Map(rejected.map((row) => [row.line, row]));
  const text = new Map<number, string[]>();
  await forEachRecord(await context.store.getStream(rawTableKey(table)), table.fileName, { delimiter: '\t', quoting: false }, (bytes, fields, line) => {
    if (byLine.has(line)) text.set(line, recordTexts(bytes, fields));
  });
  let csv = formatCsvRow([MOOC_QUARANTINE_LINE_COLUMN, ...table.columns, 'reason']);
  for (const row of rejected) csv += formatCsvRow([row.line, ...fieldsAt(text, row.line), reasonIn(table, row)]);
  // Errors name the file's own faulty row when it has one, else the first aligned copy.
  const named = rejected.find((row) => row.file === table.fileName) ?? rejected[0]!;
  const fields = fieldsAt(text, named.line);
  quality.firstBadRow = { line: named.line, reason: reasonIn(table, named), values: Object.fromEntries(table.columns.map((column, i) => [column, fields[i] ?? ''])) };
  const key = studyResultKey(runId, 'quarantine', quarantineFileName(table.fileName));
  await context.store.put(key, csv, 'text/csv');
  quality.quarantineFile = runFileOf(runId, key);
}
