// The raw input tables of both studies: one description that the Glue catalog (lib/), the local
// DuckDB engine and the validators all read, so a column is declared once.

export type Study = 'engagement' | 'mooc';

export interface RawTable {
  study: Study;
  /** Name the uploaded file has in the input folder, e.g. student_info.csv. */
  fileName: string;
  /** Glue / DuckDB table over the raw text (every column a string). */
  rawTableName: string;
  /** Column names, in file order, exactly as in the header row. */
  columns: readonly string[];
  delimiter: ',' | '\t';
}

export const ENGAGEMENT_TABLES = [
  { study: 'engagement', fileName: 'student_info.csv', rawTableName: 'raw_student_info', columns: ['student_id', 'date_registered'], delimiter: ',' },
  {
    study: 'engagement',
    fileName: 'student_purchases.csv',
    rawTableName: 'raw_student_purchases',
    columns: ['purchase_id', 'student_id', 'plan_id', 'date_purchased', 'date_refunded'],
    delimiter: ',',
  },
  {
    study: 'engagement',
    fileName: 'student_video_watched.csv',
    rawTableName: 'raw_student_video_watched',
    columns: ['student_id', 'course_id', 'seconds_watched', 'date_watched'],
    delimiter: ',',
  },
  {
    study: 'engagement',
    fileName: 'student_certificates.csv',
    rawTableName: 'raw_student_certificates',
    columns: ['certificate_id', 'student_id', 'date_issued'],
    delimiter: ',',
  },
] as const satisfies readonly RawTable[];

export const MOOC_TABLES = [
  { study: 'mooc', fileName: 'mooc_actions.tsv', rawTableName: 'raw_mooc_actions', columns: ['ACTIONID', 'USERID', 'TARGETID', 'TIMESTAMP'], delimiter: '\t' },
  {
    study: 'mooc',
    fileName: 'mooc_action_features.tsv',
    rawTableName: 'raw_mooc_action_features',
    columns: ['ACTIONID', 'FEATURE0', 'FEATURE1', 'FEATURE2', 'FEATURE3'],
    delimiter: '\t',
  },
  { study: 'mooc', fileName: 'mooc_action_labels.tsv', rawTableName: 'raw_mooc_action_labels', columns: ['ACTIONID', 'LABEL'], delimiter: '\t' },
] as const satisfies readonly RawTable[];

export const RAW_TABLES: readonly RawTable[] = [...ENGAGEMENT_TABLES, ...MOOC_TABLES];

export function tablesOf(study: Study): readonly RawTable[] {
  return RAW_TABLES.filter((table) => table.study === study);
}
