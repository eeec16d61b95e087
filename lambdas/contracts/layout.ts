// Where things live in the bucket (and in the local folder that stands in for it): prefixes and
// keys, shared exactly by cloud and local. The file names inside a run folder are the result-file
// catalogue's (result-files.ts), re-exported here for the keys built from them.
import { tableNameOf, type ParquetTable, type RawTable, type Study } from './tables';
import { FAILED_FILE, MANIFEST_FILE } from './result-files';

export const RAW_PREFIX = 'raw/';
export const RESULTS_PREFIX = 'results/';
export const ATHENA_RESULTS_PREFIX = 'athena-results/';
/** Typed, checked copies of the raw tables as Parquet, one Hive-style partition per run, year and quarter. */
export const CURATED_PREFIX = 'curated/';
/** Every raw engagement row with its reject reason, as Parquet, one partition per run: the validation's scratch. */
export const CHECKED_PREFIX = 'checked/';

export { FAILED_FILE, MANIFEST_FILE, MINUTES_AND_CERTIFICATES_FILE, PURCHASES_INFO_FILE, cohortFileName } from './result-files';

/** Raw objects of one table sit under their own prefix, as Glue tables need. */
export function rawTablePrefix(table: RawTable): string {
  return `${RAW_PREFIX}${table.study}/${tableNameOf(table)}/`;
}

/** Where a user uploads a table's file: raw/<study>/<table>/<file>. */
export function rawTableKey(table: RawTable): string {
  return `${rawTablePrefix(table)}${table.fileName}`;
}

/** Where a Parquet table's files live: curated/<table>/ or checked/<table>/ (the Glue table's location). */
export function parquetTablePrefix(table: Pick<ParquetTable, 'kind' | 'name'>): string {
  return `${table.kind === 'curated' ? CURATED_PREFIX : CHECKED_PREFIX}${table.name}/`;
}

/** One run's partitions of a Parquet table: <prefix>/<table>/run_id=<runId>/ (deleted before a re-run writes them). */
export function parquetRunPrefix(table: Pick<ParquetTable, 'kind' | 'name'>, runId: string): string {
  return `${parquetTablePrefix(table)}run_id=${assertRunId(runId)}/`;
}

export function runPrefix(runId: string): string {
  return `${RESULTS_PREFIX}${assertRunId(runId)}/`;
}

export function studyResultKey(runId: string, study: Study | 'report' | 'quarantine', fileName: string): string {
  return `${runPrefix(runId)}${study}/${fileName}`;
}

/** A result file's key as the manifest and data_quality.json name it: relative to the run's folder. */
export function runFileOf(runId: string, key: string): string {
  const prefix = runPrefix(runId);
  if (!key.startsWith(prefix)) throw new Error(`${key} is not in the folder of run ${runId}`);
  return key.slice(prefix.length);
}

/**
 * The MOOC rows ValidateMoocInput accepted, in one binary object per run that the later MOOC steps
 * read: run scratch under checked/ (expired with it), outside the run's results folder.
 */
export const VALIDATED_MOOC_PREFIX = `${CHECKED_PREFIX}mooc_actions/`;

export function validatedMoocActionsKey(runId: string): string {
  return `${VALIDATED_MOOC_PREFIX}run_id=${assertRunId(runId)}/actions.bin`;
}

export function manifestKey(runId: string): string {
  return `${runPrefix(runId)}${MANIFEST_FILE}`;
}

export function failedMarkerKey(runId: string): string {
  return `${runPrefix(runId)}${FAILED_FILE}`;
}

/**
 * Run locks sit beside the run folders, not in them: a run folder holds only its result files. A
 * run id never starts with '.', so this folder is never taken for a run.
 */
export const RUN_LOCKS_PREFIX = `${RESULTS_PREFIX}.locks/`;

/** The lock object of a run id: held by one execution (attempt) at a time. */
export function runLockKey(runId: string): string {
  return `${RUN_LOCKS_PREFIX}${assertRunId(runId)}.json`;
}

// Step Functions execution names allow up to 80 of these characters; a run id is an execution name.
const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

export class RunIdError extends Error {
  override name = 'RunIdError';
}

export function assertRunId(runId: unknown): string {
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
    throw new RunIdError(
      `run id must be 1-80 letters, digits, '-' or '_' starting with a letter or digit, got ${JSON.stringify(runId)}`,
    );
  }
  return runId;
}

/** A sortable default run id from the start time, e.g. 20261123T184500Z. */
export function defaultRunId(now: Date = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
