// The raw input tables of both studies: one description that the Glue catalog (lib/), the local
// DuckDB engine and the validators all read, so a column is declared once.

export type Study = 'engagement' | 'mooc';

export interface RawTable {
  study: Study;
  /** Name the uploaded file has in the input folder, e.g. student_info.csv. */
  fileName: string;
  /** Glue / DuckDB table over the raw text (every column a string; SQL_RAW_TABLES only); also names the file's raw/ folder. */
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

/**
 * The raw tables SQL reads (Glue tables in the cloud, DuckDB views locally): the engagement files.
 * The MOOC files are read and counted by the Lambdas only (ValidateMoocInput, the MOOC steps).
 */
export const SQL_RAW_TABLES: readonly RawTable[] = ENGAGEMENT_TABLES;

/** A raw table's own name, without raw_ (student_info): it names the table's raw/ folder and its checked and curated tables. */
export function tableNameOf(raw: RawTable): string {
  return raw.rawTableName.replace(/^raw_/, '');
}

export function tablesOf(study: Study): readonly RawTable[] {
  return RAW_TABLES.filter((table) => table.study === study);
}

/** Column types of the Parquet tables (checked and curated), as Glue/Hive spells them. */
export type CuratedColumnType = 'bigint' | 'int' | 'date' | 'double' | 'string';

export interface CuratedColumn {
  name: string;
  type: CuratedColumnType;
}

/** Which bucket prefix a Parquet table lives under: curated/ (accepted rows) or checked/ (every row, one run's scratch). */
export type ParquetTableKind = 'curated' | 'checked';

/** A Glue table of Parquet files the workflow writes with INSERT INTO (locally: a DuckDB COPY). */
export interface ParquetTable {
  /** Glue table / DuckDB view, e.g. curated_student_info. */
  name: string;
  kind: ParquetTableKind;
  /** The raw file its rows come from. */
  fileName: string;
  columns: readonly CuratedColumn[];
  /** Hive partition keys, in order, after the columns (an INSERT's select list ends with them). */
  partitionKeys: readonly CuratedColumn[];
}

/**
 * A raw engagement table after validation: its accepted rows, typed as the study queries read
 * them, stored as Parquet and partitioned by run and by the year and quarter of `dateColumn`.
 */
export interface CuratedTable extends ParquetTable {
  kind: 'curated';
  /** The run relation that reads it, e.g. student_purchases (queries/cte/<view>.sql; no study query reads student_info). */
  view: string;
  /** The date whose year and quarter partition the rows. */
  dateColumn: string;
}

/** Partition keys of every curated table, in order (run first: a run reads only its own rows). */
export const CURATED_PARTITION_KEYS: readonly CuratedColumn[] = [
  { name: 'run_id', type: 'string' },
  { name: 'year', type: 'int' },
  { name: 'quarter', type: 'int' },
];

/** A curated table of one run relation: curated_<view>, from <view>.csv, partitioned by its date column. */
function curatedTable(view: string, columns: readonly CuratedColumn[], dateColumn: string): CuratedTable {
  return { kind: 'curated', partitionKeys: CURATED_PARTITION_KEYS, name: `curated_${view}`, view, fileName: `${view}.csv`, columns, dateColumn };
}

const bigintColumn = (name: string): CuratedColumn => ({ name, type: 'bigint' });
const dateColumnNamed = (name: string): CuratedColumn => ({ name, type: 'date' });

export const CURATED_TABLES: readonly CuratedTable[] = [
  curatedTable('student_info', [bigintColumn('student_id'), dateColumnNamed('date_registered')], 'date_registered'),
  curatedTable(
    'student_purchases',
    [bigintColumn('purchase_id'), bigintColumn('student_id'), { name: 'plan_id', type: 'int' }, dateColumnNamed('date_purchased'), dateColumnNamed('date_refunded')],
    'date_purchased',
  ),
  curatedTable('student_video_watched', [bigintColumn('student_id'), bigintColumn('course_id'), { name: 'seconds_watched', type: 'double' }, dateColumnNamed('date_watched')], 'date_watched'),
  curatedTable('student_certificates', [bigintColumn('certificate_id'), bigintColumn('student_id'), dateColumnNamed('date_issued')], 'date_issued'),
];

/**
 * A raw engagement table after its row rules ran (queries/check/<table>.sql): every raw row, the
 * typed values where they parse, reject_reason (NULL = accepted) and the raw text of rejected rows. Written once per
 * run so the quarantine, the counts and the curation read Parquet instead of re-checking the CSV.
 */
export interface CheckedTable extends ParquetTable {
  kind: 'checked';
  /** The raw table, e.g. student_info (queries/check/<table>.sql). */
  table: string;
}

export const CHECKED_PARTITION_KEYS: readonly CuratedColumn[] = [{ name: 'run_id', type: 'string' }];

/** Typed columns per raw engagement table, in the order the check queries select them. */
const CHECKED_TYPED_COLUMNS: Record<string, readonly CuratedColumn[]> = {
  student_info: [bigintColumn('student_key'), dateColumnNamed('registered')],
  student_purchases: [bigintColumn('purchase_key'), bigintColumn('student_key'), { name: 'plan', type: 'int' }, dateColumnNamed('purchased'), dateColumnNamed('refunded')],
  student_video_watched: [bigintColumn('student_key'), bigintColumn('course_key'), { name: 'seconds', type: 'double' }, dateColumnNamed('watched')],
  student_certificates: [bigintColumn('certificate_key'), bigintColumn('student_key'), dateColumnNamed('issued')],
};

/** student_info first: the other checks look their students up in checked_student_info. */
export const CHECKED_TABLES: readonly CheckedTable[] = ENGAGEMENT_TABLES.map((raw) => {
  const table = tableNameOf(raw);
  return {
    kind: 'checked',
    name: `checked_${table}`,
    table,
    fileName: raw.fileName,
    columns: [
      ...raw.columns.map((name): CuratedColumn => ({ name, type: 'string' })),
      ...CHECKED_TYPED_COLUMNS[table]!,
      { name: 'reject_reason', type: 'string' },
    ],
    partitionKeys: CHECKED_PARTITION_KEYS,
  };
});

export const PARQUET_TABLES: readonly ParquetTable[] = [...CHECKED_TABLES, ...CURATED_TABLES];
