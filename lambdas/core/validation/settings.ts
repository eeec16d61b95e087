// The validation_settings view with a run's declared data range. Views cannot take Athena
// parameters, so the range is written into the view's text; the dates are validated run options
// (YYYY-MM-DD), which is what makes the literal safe. queries/ddl/validation_settings.sql holds the
// same statement with the default range.
import { isRealIsoDate } from '../run-options';

export interface DataRange {
  dataStart: string;
  dataEnd: string;
}

export function validationSettingsSql(range: DataRange): string {
  for (const day of [range.dataStart, range.dataEnd]) {
    if (!isRealIsoDate(day)) throw new Error(`data range dates must be real YYYY-MM-DD dates, got ${JSON.stringify(day)}`);
  }
  return `CREATE OR REPLACE VIEW validation_settings AS\nSELECT DATE '${range.dataStart}' AS data_start, DATE '${range.dataEnd}' AS data_end`;
}
