// Reads the three act-mooc TSV files into one columnar table. The files are joined BY ROW POSITION
// (ACTIONID repeats when a user acts several times in one second), so the loader checks that the
// three agree row by row. The tokenizer reads them without quoting (the TSVs never quote) and the
// numbers are parsed from the field bytes.

import { NumberColumn } from './typed-column';
import { CsvFormatError } from './csv';
import { MOOC_TABLES } from '../contracts/tables';
import { binaryFileReason, printable, unreadableHeaderReason } from '../validation/encoding';
import { NumberFieldParser, decodeField } from './number-field';
import { forEachRecord, recordTexts, type RecordFields, type TextChunks } from './tokenizer';
import { idRuleReason, isIdField } from '../validation/id-rule';

export type TextSource = string | TextChunks;

export interface MoocSources {
  actions: TextSource;
  features: TextSource;
  labels: TextSource;
}

export interface DuplicateActionIdNote {
  /** Number of ACTIONIDs that occur on more than one row. */
  repeatedIds: number;
  /** Rows beyond the first for repeated ids. */
  extraRows: number;
  /** times seen (as a string key, "2", "3", ...) -> number of ids seen that many times. */
  idsByTimesSeen: Record<string, number>;
}

export interface MoocLoadNotes {
  /** FEATUREk values that were empty or not a finite number, kept as NaN and imputed in preprocessing. */
  nonNumericFeatureValues: Record<string, number>;
  duplicateActionIds: DuplicateActionIdNote;
  /** Rows whose TIMESTAMP is lower than the row before, another user's (each user's own rows are in time order, see assertTimeline). */
  timestampDecreases: number;
}

/** A row position dropped from all three files, with the first fault found (files in MOOC_TABLES order). */
export interface RejectedMoocRow {
  /** Line in each file (1 = header); the files are aligned, so the same line in all three. */
  line: number;
  /** The file whose field failed, e.g. mooc_action_labels.tsv */
  file: string;
  reason: string;
}

export interface MoocLoadOptions {
  /**
   * 'throw' (default): a bad value fails the load; non-numeric features are kept as NaN.
   * 'quarantine': a row with a bad value (an id breaking the id rule of id-rule.ts, TIMESTAMP not a
   * number of seconds in 0..MAX_TIMESTAMP_SECONDS, a FEATUREk not a number, LABEL not 0/1) is dropped from all three files and listed in
   * `rejected`. Structural faults (header, field count, row counts, ACTIONID alignment) still throw.
   */
  rowFaults?: 'throw' | 'quarantine';
}

export interface MoocActions {
  n: number;
  /** Ids are doubles: every id the id rule accepts (up to 2^53 - 1) is exact. */
  actionId: Float64Array;
  userId: Float64Array;
  targetId: Float64Array;
  timestamp: Float64Array;
  /** features[k][i] = FEATUREk of row i (NaN when the file held no number). */
  features: Float64Array[];
  label: Uint8Array;
  notes: MoocLoadNotes;
  /** Rows left out under rowFaults 'quarantine', in line order (empty otherwise). */
  rejected: RejectedMoocRow[];
}

export const MOOC_FEATURE_COUNT = 4;

const [ACTIONS_TABLE, FEATURES_TABLE, LABELS_TABLE] = MOOC_TABLES;

type Parse = 'integer' | 'number' | 'feature' | 'label';

/**
 * The last second a JavaScript Date can hold (8.64e15 ms): the analysis turns TIMESTAMPs into days
 * and dates, so a later one (1e300 is a finite number) would fail there instead of being quarantined.
 */
export const MAX_TIMESTAMP_SECONDS = 8_640_000_000_000;

interface ParsedFile {
  columns: Float64Array[];
  rows: number;
  nonNumeric: number[];
}

/** Line number -> the first bad value's reason, for rowFaults 'quarantine'. */
type RowFaults = Map<number, string>;

/** Why a field fails its kind, or undefined when it is good (ids are checked on their bytes: no '+1', '1e1', '0x1F', ' 1'). */
function fieldProblem(kind: Parse, column: string, value: number, bytes: Uint8Array, start: number, end: number): string | undefined {
  if (kind === 'integer') return isIdField(bytes, start, end, value) ? undefined : idRuleReason(column);
  if (!Number.isFinite(value)) return kind === 'label' ? `${column} not in {0,1}` : `${column} is not a number`;
  if (kind === 'label' && value !== 0 && value !== 1) return `${column} not in {0,1}`;
  if (kind === 'number' && value < 0) return `${column} is negative`;
  if (kind === 'number' && value > MAX_TIMESTAMP_SECONDS) return `${column} is after ${MAX_TIMESTAMP_SECONDS} seconds (the last a date can hold)`;
  return undefined;
}

const encoder = new TextEncoder();

/**
 * Each non-empty line of a TSV as tab-separated fields (quotes are plain text). Empty lines at the
 * end are ignored; one before a later non-empty line is an error naming the first of them.
 */
async function forEachLine(source: TextSource, fileName: string, onLine: (bytes: Uint8Array, fields: RecordFields, line: number) => void): Promise<void> {
  let blankSince = 0;
  const chunks = typeof source === 'string' ? [encoder.encode(source)] : source;
  await forEachRecord(chunks, fileName, { delimiter: '\t', quoting: false }, (bytes, fields, line) => {
    if (fields.isBlank()) {
      if (blankSince === 0) blankSince = line;
      return;
    }
    if (blankSince !== 0) throw new CsvFormatError(fileName, blankSince, 'empty line before the end of the file');
    onLine(bytes, fields, line);
  });
}

/** Parses one TSV: exact header, field count per row, numbers per column (see Parse). */
async function parseFile(
  source: TextSource,
  fileName: string,
  expectedHeader: readonly string[],
  kinds: readonly Parse[],
  faults?: RowFaults,
): Promise<ParsedFile> {
  const columns = expectedHeader.map(() => new NumberColumn());
  const nonNumeric = expectedHeader.map(() => 0);
  const width = expectedHeader.length;
  const values = new Float64Array(width);
  const numbers = new NumberFieldParser();
  let sawHeader = false;
  await forEachLine(source, fileName, (bytes, fields, lineNumber) => {
    if (!sawHeader) {
      sawHeader = true;
      const names = recordTexts(bytes, fields);
      const same = names.length === expectedHeader.length && names.every((name, i) => name.trim() === expectedHeader[i]);
      if (!same) {
        const found = names.join('\\t');
        // A TSV line ends at LF or CRLF only (a lone CR is text, as in a field): a file of lone CRs is one line.
        const loneCr = found.includes('\r') ? 'the lines end with a lone CR (old Mac line endings); save the file with LF or CRLF line endings' : undefined;
        throw new CsvFormatError(fileName, 1, binaryFileReason(bytes.subarray(0, 4)) ?? unreadableHeaderReason(found) ?? loneCr ?? `expected header ${expectedHeader.join('\\t')}, found ${printable(found)}`);
      }
      return;
    }
    if (fields.count !== width) {
      throw new CsvFormatError(fileName, lineNumber, `expected ${width} fields, found ${fields.count}`);
    }
    const { starts, ends } = fields;
    for (let c = 0; c < width; c++) values[c] = numbers.parse(bytes, starts[c]!, ends[c]!);
    for (let c = 0; c < width; c++) {
      const value = values[c]!;
      const kind = kinds[c]!;
      const problem = fieldProblem(kind, expectedHeader[c]!, value, bytes, starts[c]!, ends[c]!);
      if (faults) {
        if (problem !== undefined && !faults.has(lineNumber)) faults.set(lineNumber, problem);
        columns[c]!.push(problem === undefined ? value : NaN);
        continue;
      }
      if (kind === 'feature' && !Number.isFinite(value)) {
        nonNumeric[c]! += 1;
        columns[c]!.push(NaN);
        continue;
      }
      if (problem !== undefined) throw new CsvFormatError(fileName, lineNumber, `${problem}: '${decodeField(bytes, starts[c]!, ends[c]!)}'`);
      columns[c]!.push(value);
    }
  });
  if (!sawHeader) throw new CsvFormatError(fileName, 1, 'the file is empty (no header row)');
  return { columns: columns.map((column) => column.toArray()), rows: columns[0]!.length, nonNumeric };
}

function duplicateNote(actionId: Float64Array): DuplicateActionIdNote {
  // Runs of equal ids in a sorted copy: a Map of 400k keys took several times longer.
  const sorted = actionId.slice().sort();
  const idsByTimesSeen: Record<string, number> = {};
  let repeatedIds = 0;
  let extraRows = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    // Ids here are numbers: a row with a bad ACTIONID fails the load or is quarantined before.
    while (j < sorted.length && sorted[j] === sorted[i]) j += 1;
    const times = j - i;
    if (times >= 2) {
      repeatedIds += 1;
      extraRows += times - 1;
      idsByTimesSeen[String(times)] = (idsByTimesSeen[String(times)] ?? 0) + 1;
    }
    i = j;
  }
  return { repeatedIds, extraRows, idsByTimesSeen };
}

/** Loads and joins (by row position) mooc_actions.tsv, mooc_action_features.tsv and mooc_action_labels.tsv. */
export async function loadMoocActions(sources: MoocSources, options: MoocLoadOptions = {}): Promise<MoocActions> {
  const quarantine = options.rowFaults === 'quarantine';
  const faults: RowFaults[] | undefined = quarantine ? [new Map(), new Map(), new Map()] : undefined;
  const [actions, features, labels] = await Promise.all([
    parseFile(sources.actions, ACTIONS_TABLE.fileName, ACTIONS_TABLE.columns, ['integer', 'integer', 'integer', 'number'], faults?.[0]),
    parseFile(sources.features, FEATURES_TABLE.fileName, FEATURES_TABLE.columns, ['integer', 'feature', 'feature', 'feature', 'feature'], faults?.[1]),
    parseFile(sources.labels, LABELS_TABLE.fileName, LABELS_TABLE.columns, ['integer', 'label'], faults?.[2]),
  ]);
  const n = actions.rows;
  assertRowsAligned([actions, features, labels]);
  // As the engagement files' structure check: a header alone is an export that went wrong, not a study.
  if (n === 0) throw new CsvFormatError(ACTIONS_TABLE.fileName, 2, 'the file has a header but no data rows');
  const rejected = faults ? rejectedRows(faults) : [];
  assertTimeline(actions, new Set(rejected.map((row) => row.line)));
  if (rejected.length > 0) {
    const keep = keptPositions(n, rejected);
    return assemble(keep.length, [actions, features, labels].map((file) => ({ ...file, columns: file.columns.map((column) => pick(column, keep)) })), rejected);
  }
  return assemble(n, [actions, features, labels], rejected);
}

/**
 * The three files must hold the same actions row by row. A file out of line is named at its first
 * row whose ACTIONID differs from the others' (where a row went missing or came in), else where the
 * shorter file ends; when two files agree, the third is the one out of line.
 */
function assertRowsAligned(files: readonly ParsedFile[]): void {
  const names = MOOC_TABLES.map((table) => table.fileName);
  const rows = files.map((file) => file.rows);
  const rowOf = (index: number, reference: number, mismatch: number) => (mismatch >= 0 ? mismatch : Math.min(rows[index]!, rows[reference]!)) + 2;
  const divergence = (mismatch: number) => (mismatch >= 0 ? ', and from this row on its ACTIONIDs differ' : '');
  const others = (index: number) => [0, 1, 2].filter((other) => other !== index);
  const odd = [0, 1, 2].find((index) => {
    const [a, b] = others(index);
    return rows[a!] === rows[b!] && rows[index] !== rows[a!];
  });
  if (odd !== undefined) {
    const partner = others(odd)[0]!;
    const mismatch = firstActionIdMismatch(files[odd]!.columns[0]!, files[partner]!.columns[0]!);
    const agreeing = others(odd).map((index) => names[index]).join(' and ');
    throw new CsvFormatError(names[odd]!, rowOf(odd, partner, mismatch), `has ${rows[odd]} data rows but ${agreeing} have ${rows[partner]}; the files are joined by row position${divergence(mismatch)}`);
  }
  // The same row count in all three, or three different counts: each file against the actions file.
  for (const index of [1, 2]) {
    const ids = files[index]!.columns[0]!;
    const reference = files[0]!.columns[0]!;
    const mismatch = firstActionIdMismatch(ids, reference);
    if (rows[index] !== rows[0]) {
      throw new CsvFormatError(names[index]!, rowOf(index, 0, mismatch), `has ${rows[index]} data rows but ${names[0]} has ${rows[0]}; the files are joined by row position${divergence(mismatch)}`);
    }
    if (mismatch >= 0) {
      throw new CsvFormatError(
        names[index]!,
        mismatch + 2,
        `ACTIONID ${ids[mismatch]} does not match ACTIONID ${reference[mismatch]} of ${names[0]} on the same row; the files are joined by row position`,
      );
    }
  }
}

/**
 * Days of data the analysis will lay out one by one (daily activity): act-mooc spans 30 days, and a
 * decade is room for any platform's log, while a far-off TIMESTAMP (or milliseconds taken for
 * seconds) would make millions of empty days.
 */
export const MAX_SPAN_DAYS = 3660;

/**
 * Each user's actions come in time order (a user's last row is where a drop-out label belongs, and
 * spans and gaps are taken between consecutive rows), and the data spans at most MAX_SPAN_DAYS.
 * Rows being quarantined (`skipped` lines) are left out.
 */
function assertTimeline(actions: ParsedFile, skipped: ReadonlySet<number>): void {
  const [, users, , times] = actions.columns as [Float64Array, Float64Array, Float64Array, Float64Array];
  const previous = new Map<number, number>();
  let earliest = -1;
  let latest = -1;
  for (let i = 0; i < actions.rows; i++) {
    if (skipped.has(i + 2)) continue;
    const user = users[i]!;
    const time = times[i]!;
    const before = previous.get(user);
    if (before !== undefined && time < times[before]!) {
      throw new CsvFormatError(
        ACTIONS_TABLE.fileName,
        i + 2,
        `USERID ${user}'s TIMESTAMP ${time} is earlier than their action on row ${before + 2} (${times[before]}): the files list each user's actions in time order (a drop-out label marks a user's last action); sort the three files together by TIMESTAMP`,
      );
    }
    previous.set(user, i);
    if (earliest < 0 || time < times[earliest]!) earliest = i;
    if (latest < 0 || time > times[latest]!) latest = i;
  }
  if (earliest >= 0 && times[latest]! - times[earliest]! > MAX_SPAN_DAYS * 86400) {
    const days = Math.floor((times[latest]! - times[earliest]!) / 86400);
    throw new CsvFormatError(
      ACTIONS_TABLE.fileName,
      latest + 2,
      `TIMESTAMP ${times[latest]} is ${days} days after the earliest action (row ${earliest + 2}, TIMESTAMP ${times[earliest]}); the analysis counts actions per day and takes at most ${MAX_SPAN_DAYS} days (TIMESTAMP is in seconds: are these milliseconds?)`,
    );
  }
}

/** The first row both files hold whose ACTIONIDs differ, or -1; a row whose ACTIONID is no integer in either file is quarantined, not compared. */
function firstActionIdMismatch(ids: Float64Array, reference: Float64Array): number {
  const common = Math.min(ids.length, reference.length);
  for (let i = 0; i < common; i++) {
    if (ids[i] !== reference[i] && !(Number.isNaN(ids[i]!) || Number.isNaN(reference[i]!))) return i;
  }
  return -1;
}

/** One entry per faulty line, the first file in MOOC_TABLES order naming the reason. */
function rejectedRows(faults: readonly RowFaults[]): RejectedMoocRow[] {
  const byLine = new Map<number, RejectedMoocRow>();
  faults.forEach((fileFaults, index) => {
    for (const [line, reason] of fileFaults) {
      if (!byLine.has(line)) byLine.set(line, { line, file: MOOC_TABLES[index]!.fileName, reason });
    }
  });
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

function keptPositions(n: number, rejected: readonly RejectedMoocRow[]): Uint32Array {
  const dropped = new Uint8Array(n);
  for (const row of rejected) dropped[row.line - 2] = 1;
  const keep = new Uint32Array(n - rejected.length);
  let k = 0;
  for (let i = 0; i < n; i++) if (!dropped[i]) keep[k++] = i;
  return keep;
}

function pick(column: Float64Array, keep: Uint32Array): Float64Array {
  const out = new Float64Array(keep.length);
  for (let k = 0; k < keep.length; k++) out[k] = column[keep[k]!]!;
  return out;
}

function assemble(n: number, [actions, features, labels]: ParsedFile[], rejected: RejectedMoocRow[]): MoocActions {
  const timestamp = actions!.columns[3]!;
  let timestampDecreases = 0;
  for (let i = 1; i < n; i++) if (timestamp[i]! < timestamp[i - 1]!) timestampDecreases += 1;
  const nonNumericFeatureValues: Record<string, number> = {};
  FEATURES_TABLE.columns.slice(1).forEach((name, k) => (nonNumericFeatureValues[name] = features!.nonNumeric[k + 1]!));
  return {
    n,
    actionId: Float64Array.from(actions!.columns[0]!),
    userId: Float64Array.from(actions!.columns[1]!),
    targetId: Float64Array.from(actions!.columns[2]!),
    timestamp: Float64Array.from(timestamp),
    features: [1, 2, 3, 4].map((c) => Float64Array.from(features!.columns[c]!)),
    label: Uint8Array.from(labels!.columns[1]!),
    notes: { nonNumericFeatureValues, duplicateActionIds: duplicateNote(actions!.columns[0]!), timestampDecreases },
    rejected,
  };
}
