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

/** Column types of the curated tables, as Glue/Hive spells them. */
export type CuratedColumnType = 'bigint' | 'int' | 'date' | 'double' | 'string';

export interface CuratedColumn {
  name: string;
  type: CuratedColumnType;
}

/**
 * A raw engagement table after validation: its accepted rows, typed as the student_* views give
 * them, stored as Parquet and partitioned by run and by the year and quarter of `dateColumn`.
 */
export interface CuratedTable {
  /** Glue table / DuckDB view, e.g. curated_student_info. */
  name: string;
  /** The study view that reads it, e.g. student_info (queries/ddl/<view>.sql). */
  view: string;
  /** The raw file it comes from. */
  fileName: string;
  columns: readonly CuratedColumn[];
  /** The date whose year and quarter partition the rows. */
  dateColumn: string;
}

/** Partition keys of every curated table, in order (run first: a run reads only its own rows). */
export const CURATED_PARTITION_KEYS: readonly CuratedColumn[] = [
  { name: 'run_id', type: 'string' },
  { name: 'year', type: 'int' },
  { name: 'quarter', type: 'int' },
];

export const CURATED_TABLES: readonly CuratedTable[] = [
  {
    name: 'curated_student_info',
    view: 'student_info',
    fileName: 'student_info.csv',
    columns: [
      { name: 'student_id', type: 'bigint' },
      { name: 'date_registered', type: 'date' },
    ],
    dateColumn: 'date_registered',
  },
  {
    name: 'curated_student_purchases',
    view: 'student_purchases',
    fileName: 'student_purchases.csv',
    columns: [
      { name: 'purchase_id', type: 'bigint' },
      { name: 'student_id', type: 'bigint' },
      { name: 'plan_id', type: 'int' },
      { name: 'date_purchased', type: 'date' },
      { name: 'date_refunded', type: 'date' },
    ],
    dateColumn: 'date_purchased',
  },
  {
    name: 'curated_student_video_watched',
    view: 'student_video_watched',
    fileName: 'student_video_watched.csv',
    columns: [
      { name: 'student_id', type: 'bigint' },
      { name: 'course_id', type: 'bigint' },
      { name: 'seconds_watched', type: 'double' },
      { name: 'date_watched', type: 'date' },
    ],
    dateColumn: 'date_watched',
  },
  {
    name: 'curated_student_certificates',
    view: 'student_certificates',
    fileName: 'student_certificates.csv',
    columns: [
      { name: 'certificate_id', type: 'bigint' },
      { name: 'student_id', type: 'bigint' },
      { name: 'date_issued', type: 'date' },
    ],
    dateColumn: 'date_issued',
  },
];
