// The validation_settings view with a run's declared data range and its run id. Views cannot take
// Athena parameters, so both are written into the view's text; the dates are validated run options
// (YYYY-MM-DD) and the run id is validated too (withRunId), which is what makes the literals safe.
// queries/ddl/validation_settings.sql holds the same statement with the default range.
import { isRealIsoDate } from '../run-options';
import { withRunId, RUN_ID_PLACEHOLDER } from '../run-sql';

export interface DataRange {
  dataStart: string;
  dataEnd: string;
}

export function validationSettingsSql(range: DataRange, runId: string): string {
  for (const day of [range.dataStart, range.dataEnd]) {
    if (!isRealIsoDate(day)) throw new Error(`data range dates must be real YYYY-MM-DD dates, got ${JSON.stringify(day)}`);
  }
  const template = `CREATE OR REPLACE VIEW validation_settings AS\nSELECT DATE '${range.dataStart}' AS data_start, DATE '${range.dataEnd}' AS data_end, ${RUN_ID_PLACEHOLDER} AS run_id`;
  return withRunId(template, runId);
}
