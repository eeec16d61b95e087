// First state of the engagement branch's validation: every raw engagement file must be there, have
// the declared header and at least one data row, and be readable alike by Athena and DuckDB. A
// structural fault fails the run here, before any SQL, with "<file>: row <n>: <reason>". Deletes the
// run's checked and curated partitions left by an earlier attempt, so no INSERT adds to them.
import { assertRunId, parquetRunPrefix, rawTableKey } from '../contracts/layout';
import { ENGAGEMENT_TABLES, PARQUET_TABLES } from '../contracts/tables';
import { checkFileStructure, InputStructureError } from '../validation/file-structure';
import { hashingRead } from '../io/hashing-read';
import type { StepContext } from './step-context';
import type { EngagementFilesChecked, ValidateEngagementFilesEvent } from '../contracts/state-payloads';

export async function validateEngagementFiles(event: ValidateEngagementFilesEvent, context: StepContext): Promise<EngagementFilesChecked> {
  const runId = assertRunId(event.runId);
  const dataRows: Record<string, number> = {};
  const sha256: Record<string, string> = {};
  const versions: Record<string, string> = {};
  for (const table of ENGAGEMENT_TABLES) {
    const key = rawTableKey(table);
    const version = await context.store.objectVersion(key);
    if (version === undefined) throw new InputStructureError(table.fileName, 1, `the file is missing (expected ${key})`);
    const read = hashingRead(await context.store.getStream(key));
    dataRows[table.fileName] = (await checkFileStructure(read.chunks, table)).dataRows;
    sha256[table.fileName] = read.digest();
    versions[table.fileName] = version;
  }
  const removed = await removeRunPartitions(runId, context);
  context.logger.info('engagement files are well formed', { runId, dataRows, staleParquetObjectsRemoved: removed });
  return { dataRows, sha256, versions };
}

/** Deletes <prefix>/<table>/run_id=<runId>/ of every checked and curated table; returns how many objects went. */
async function removeRunPartitions(runId: string, context: StepContext): Promise<number> {
  let removed = 0;
  for (const table of PARQUET_TABLES) {
    for (const object of await context.store.list(parquetRunPrefix(table, runId))) {
      await context.store.delete(object.key);
      removed++;
    }
  }
  return removed;
}
