// What Athena would scan if the raw tables were Parquet: each CSV/TSV converted with DuckDB to
// ZSTD Parquet, partitioned by year and quarter of its date column where it has one (cached).
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { RawTable } from '../lambdas/contracts/tables';
import { sqlString } from '../lib/local/duckdb-raw-tables';

/** The date column each table is partitioned by (MOOC tables have none: TIMESTAMP is seconds). */
export const PARTITION_DATE_COLUMN: Record<string, string> = {
  'student_info.csv': 'date_registered',
  'student_purchases.csv': 'date_purchased',
  'student_video_watched.csv': 'date_watched',
  'student_certificates.csv': 'date_issued',
};

export interface ParquetSize {
  table: string;
  csvBytes: number;
  parquetBytes: number;
  partitions: number;
}

/**
 * DuckDB's COPY of `source` (a read_csv(...)) to ZSTD Parquet: by year and quarter of dateColumn
 * into the folder `target`, or, with no date column, into the one file `target`.parquet.
 */
export function parquetCopySql(source: string, target: string, dateColumn: string | undefined): string {
  return dateColumn
    ? `COPY (SELECT *, year(${dateColumn}) AS year, quarter(${dateColumn}) AS quarter FROM ${source}) TO ${sqlString(target)} (FORMAT PARQUET, COMPRESSION ZSTD, PARTITION_BY (year, quarter))`
    : `COPY (SELECT * FROM ${source}) TO ${sqlString(target + '.parquet')} (FORMAT PARQUET, COMPRESSION ZSTD)`;
}

/** Converts the tables found in studyDir into <outDir>/<table>/ unless done before, and sizes them. */
export async function parquetSizes(studyDir: string, tables: readonly RawTable[], outDir: string): Promise<ParquetSize[]> {
  const marker = path.join(outDir, 'sizes.json');
  if (existsSync(marker)) return JSON.parse(await readFile(marker, 'utf8')) as ParquetSize[];
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const sizes: ParquetSize[] = [];
  try {
    for (const table of tables) {
      const source = path.join(studyDir, table.fileName);
      const target = path.join(outDir, table.fileName.replace(/\.(csv|tsv)$/, ''));
      const read = `read_csv(${sqlString(source)}, header = true, delim = ${sqlString(table.delimiter)}, sample_size = -1)`;
      const dateColumn = PARTITION_DATE_COLUMN[table.fileName];
      await connection.run(parquetCopySql(read, target, dateColumn));
      const files = dateColumn ? await filesUnder(target) : [target + '.parquet'];
      let parquetBytes = 0;
      for (const file of files) parquetBytes += (await stat(file)).size;
      sizes.push({ table: table.fileName, csvBytes: (await stat(source)).size, parquetBytes, partitions: files.length });
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await writeFile(marker, JSON.stringify(sizes, null, 2) + '\n');
  return sizes;
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else found.push(full);
  }
  return found;
}
