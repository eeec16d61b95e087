// Child process of the benchmark: the DuckDB floor. One statement reads the four engagement CSVs
// once and writes each student's minutes per period, paid flags and certificates: the least work
// any engine must do for the study's SQL stage, against which the workflow is compared.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_BASELINE, DEFAULT_COMPARISON, parsePeriod, type Period } from '../lambdas/analysis/periods';
import { sqlString } from '../lib/local/duckdb-raw-tables';

export interface FloorChildInput {
  files: Record<string, string>;
  outDir: string;
}

/** A CSV read with the given column types (DuckDB names), no sniffing. */
export const typedCsv = (file: string, columns: Record<string, string>): string =>
  `read_csv(${sqlString(file)}, header = true, auto_detect = false, columns = {${Object.entries(columns)
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(', ')}})`;

export function floorQuery(files: Record<string, string>, outFile: string, baseline: Period, comparison: Period): string {
  const within = (column: string, period: Period): string => `${column} BETWEEN DATE ${sqlString(period.firstDay)} AND DATE ${sqlString(period.lastDay)}`;
  const paidIn = (period: Period): string =>
    `MAX(CASE WHEN date_purchased <= DATE ${sqlString(period.lastDay)} AND (date_end IS NULL OR date_end >= DATE ${sqlString(period.firstDay)}) THEN 1 ELSE 0 END)`;
  return `COPY (
  WITH watched AS (
    SELECT student_id,
      ROUND(SUM(seconds_watched) FILTER (WHERE ${within('date_watched', baseline)}) / 60, 2) AS minutes_baseline,
      ROUND(SUM(seconds_watched) FILTER (WHERE ${within('date_watched', comparison)}) / 60, 2) AS minutes_comparison
    FROM ${typedCsv(files['student_video_watched.csv']!, { student_id: 'BIGINT', course_id: 'BIGINT', seconds_watched: 'DOUBLE', date_watched: 'DATE' })}
    WHERE ${within('date_watched', baseline)} OR ${within('date_watched', comparison)}
    GROUP BY student_id
  ),
  purchases AS (
    SELECT student_id, date_purchased,
      CASE WHEN date_refunded IS NOT NULL THEN date_refunded
           WHEN plan_id = 0 THEN CAST(date_purchased + INTERVAL 1 MONTH AS DATE)
           WHEN plan_id = 1 THEN CAST(date_purchased + INTERVAL 3 MONTH AS DATE)
           WHEN plan_id = 2 THEN CAST(date_purchased + INTERVAL 12 MONTH AS DATE) END AS date_end
    FROM ${typedCsv(files['student_purchases.csv']!, { purchase_id: 'BIGINT', student_id: 'BIGINT', plan_id: 'INTEGER', date_purchased: 'DATE', date_refunded: 'DATE' })}
  ),
  paid AS (
    SELECT student_id, ${paidIn(baseline)} AS paid_baseline, ${paidIn(comparison)} AS paid_comparison
    FROM purchases GROUP BY student_id
  ),
  certificates AS (
    SELECT student_id, COUNT(*) AS certificates_issued
    FROM ${typedCsv(files['student_certificates.csv']!, { certificate_id: 'BIGINT', student_id: 'BIGINT', date_issued: 'DATE' })}
    WHERE ${within('date_issued', comparison)}
    GROUP BY student_id
  )
  SELECT i.student_id, w.minutes_baseline, w.minutes_comparison,
    COALESCE(p.paid_baseline, 0) AS paid_baseline, COALESCE(p.paid_comparison, 0) AS paid_comparison,
    COALESCE(c.certificates_issued, 0) AS certificates_issued
  FROM ${typedCsv(files['student_info.csv']!, { student_id: 'BIGINT', date_registered: 'DATE' })} i
  LEFT JOIN watched w ON w.student_id = i.student_id
  LEFT JOIN paid p ON p.student_id = i.student_id
  LEFT JOIN certificates c ON c.student_id = i.student_id
  WHERE w.student_id IS NOT NULL OR c.student_id IS NOT NULL
  ORDER BY i.student_id
) TO ${sqlString(outFile)} (HEADER, DELIMITER ',')`;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as FloorChildInput;
  await rm(input.outDir, { recursive: true, force: true });
  await mkdir(input.outDir, { recursive: true });
  const started = Date.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const outFile = path.join(input.outDir, 'minutes_per_student_and_period.csv');
  const result = await connection.run(floorQuery(input.files, outFile, parsePeriod(DEFAULT_BASELINE), parsePeriod(DEFAULT_COMPARISON)));
  const rows = Number((await result.getRowObjects())[0]?.Count ?? 0);
  connection.closeSync();
  instance.closeSync();
  process.stdout.write(JSON.stringify({ totalMs: Date.now() - started, rows, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
}

// Run as the benchmark's child; bench/sql-stages.ts imports floorQuery only.
if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  });
}
