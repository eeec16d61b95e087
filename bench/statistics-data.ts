// Input of the statistics-memory benchmark: the files the SQL stage hands to the statistics steps
// (four cohort files and minutes_and_certificates.csv) for N students per cohort, generated straight
// from the seeded generator, since making 5 million students per cohort through the SQL stage would
// take far longer than the steps measured. Written through file streams, never held whole.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { MINUTES_AND_CERTIFICATES_FILE, cohortFileName } from '../lambdas/contracts/layout';
import { Random } from '../lambdas/analysis/random';
import type { CohortPlan } from '../lambdas/contracts/state-payloads';

export const BASELINE = '2021Q2';
export const COMPARISON = '2022Q2';
/** Student ids are BIGINT in the SQL: start beyond 2^32 so they cannot fit a 32-bit column. */
const FIRST_ID = 5_000_000_000;

export interface StatisticsInput {
  /** Folder holding engagement/<file> as the results/<runId>/ folder of a run. */
  runDir: string;
  cohortStudents: number;
  certificateStudents: number;
  bytes: number;
}

async function writeLines(file: string, header: string, rows: number, line: (i: number) => string): Promise<number> {
  const temporary = `${file}.partial`;
  const stream: WriteStream = createWriteStream(temporary);
  let chunk = header + '\n';
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    chunk += line(i);
    if (chunk.length > 1 << 16) {
      bytes += chunk.length;
      // Respect backpressure: wait for the stream to drain rather than queue the whole file.
      if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      chunk = '';
    }
  }
  bytes += chunk.length;
  stream.end(chunk);
  await finished(stream);
  await rename(temporary, file);
  return bytes;
}

/** Heavy-tailed minutes (lognormal, median ~55 min), two decimals as the SQL rounds them. */
const minutesOf = (random: Random, scale: number): string => (Math.round(random.lognormal(4 + Math.log(scale), 1.3) * 100) / 100).toFixed(2);

/**
 * Population of 3N students: the baseline period holds students 0..2N-1 and the comparison period
 * N..3N-1 (N in both), split free/paid by parity, so each cohort has N students and the periods
 * overlap as the probabilities step expects. minutes_and_certificates: `certificateStudents` rows.
 */
export async function writeStatisticsInput(runDir: string, cohortStudents: number, certificateStudents: number, seed: number): Promise<StatisticsInput> {
  const dir = path.join(runDir, 'engagement');
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  const periods = [
    { label: BASELINE, first: 0 },
    { label: COMPARISON, first: cohortStudents },
  ];
  for (const [p, period] of periods.entries()) {
    for (const paid of [0, 1] as const) {
      const random = new Random(seed, p * 2 + paid);
      const scale = paid ? 2 : 1;
      bytes += await writeLines(path.join(dir, cohortFileName(period.label, paid)), 'student_id,minutes_watched,paid_in_period', cohortStudents, (i) => {
        const student = period.first + 2 * i + paid;
        return `${FIRST_ID + student},${minutesOf(random, scale)},${paid}\n`;
      });
    }
  }
  const random = new Random(seed, 9);
  bytes += await writeLines(path.join(dir, MINUTES_AND_CERTIFICATES_FILE), 'student_id,certificates_issued,minutes_watched', certificateStudents, (i) => {
    const minutes = random.chance(0.1) ? 0 : random.lognormal(5, 1.2);
    const certificates = 1 + random.poisson(Math.min(minutes / 400, 20));
    return `${FIRST_ID + 3 * i},${certificates},${(Math.round(minutes * 100) / 100).toFixed(2)}\n`;
  });
  return { runDir, cohortStudents, certificateStudents, bytes };
}

/** The four cohorts as PlanRun describes them. */
export function cohortPlans(): CohortPlan[] {
  const plans: CohortPlan[] = [];
  for (const [role, period] of [['baseline', BASELINE], ['comparison', COMPARISON]] as const) {
    for (const paid of [0, 1] as const) {
      const group = paid ? 'paid' : 'free';
      plans.push({ name: `${period}_${group}`, period, role, group, paid, fileName: cohortFileName(period, paid) });
    }
  }
  return plans;
}
