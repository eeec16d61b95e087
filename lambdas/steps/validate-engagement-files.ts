// First state of the engagement branch's validation: every raw engagement file must be there, have
// the declared header and at least one data row, and be readable alike by Athena and DuckDB. A
// structural fault fails the run here, before any SQL, with "<file>: row <n>: <reason>". Returns the
// validation_settings view for the run's data range (the checked_* views read it).
import { assertRunId, rawTableKey } from '../core/layout';
import type { AnalysisOptions } from '../core/run-options';
import { ENGAGEMENT_TABLES } from '../core/tables';
import { checkFileStructure, InputStructureError } from '../core/validation/file-structure';
import { validationSettingsSql } from '../core/validation/settings';
import type { StepContext } from './step-context';

export interface ValidateEngagementFilesEvent {
  runId: string;
  options: Pick<AnalysisOptions, 'dataStart' | 'dataEnd'>;
}

export interface EngagementFilesChecked {
  /** Data rows per file, as the structural pass counted them. */
  dataRows: Record<string, number>;
  /** CREATE OR REPLACE VIEW validation_settings ... for this run's range. */
  settingsViewSql: string;
}

export async function validateEngagementFiles(event: ValidateEngagementFilesEvent, context: StepContext): Promise<EngagementFilesChecked> {
  const runId = assertRunId(event.runId);
  const dataRows: Record<string, number> = {};
  for (const table of ENGAGEMENT_TABLES) {
    const key = rawTableKey(table);
    if (!(await context.store.exists(key))) throw new InputStructureError(table.fileName, 1, `the file is missing (expected ${key})`);
    const structure = await checkFileStructure(await context.store.getStream(key), table);
    dataRows[table.fileName] = structure.dataRows;
  }
  context.logger.info('engagement files are well formed', { runId, dataRows });
  return { dataRows, settingsViewSql: validationSettingsSql(event.options) };
}
