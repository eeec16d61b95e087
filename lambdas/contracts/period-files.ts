// Finds the SQL stage's output files among the names in a folder/prefix: the four cohort files
// minutes_watched_<period>_paid_<0|1>.csv and minutes_and_certificates.csv.
import { MINUTES_AND_CERTIFICATES_FILE } from './layout';

export class PeriodFilesError extends Error {
  override name = 'PeriodFilesError';
}

export type PeriodRole = 'baseline' | 'comparison';
export type PaidGroup = 'free' | 'paid';

export interface PeriodFiles {
  periods: Record<PeriodRole, string>;
  /** File names as given (with any folder prefix), e.g. cohorts.baseline.paid. */
  cohorts: Record<PeriodRole, Record<PaidGroup, string>>;
  minutesAndCertificates: string;
}

const COHORT_FILE = /^minutes_watched_(\d{4}(?:Q[1-4])?)_paid_([01])\.csv$/i;

const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** Sort key of a period label: a year (2021) or a quarter (2021Q2). */
function periodKey(label: string): { year: number; quarter: number | null } {
  const match = /^(\d{4})(?:Q([1-4]))?$/i.exec(label)!;
  return { year: Number(match[1]), quarter: match[2] ? Number(match[2]) : null };
}

/** The last day of a period label: a quarter's (2022Q2: 2022-06-30) or a year's (2022: 2022-12-31); undefined for other text. */
export function periodLabelLastDay(label: string): string | undefined {
  if (!/^(\d{4})(?:Q([1-4]))?$/i.test(label)) return undefined;
  const { year, quarter } = periodKey(label);
  // Day 0 of the month after the period is its last day.
  return new Date(Date.UTC(year, quarter === null ? 12 : quarter * 3, 0)).toISOString().slice(0, 10);
}

export function findPeriodFiles(fileNames: readonly string[]): PeriodFiles {
  const byPeriod = new Map<string, Partial<Record<PaidGroup, string[]>>>();
  const certificateFiles: string[] = [];
  for (const name of fileNames) {
    const base = baseName(name);
    if (base === MINUTES_AND_CERTIFICATES_FILE) certificateFiles.push(name);
    const match = COHORT_FILE.exec(base);
    if (!match) continue; // *_no_outliers.csv and other files are not inputs
    const label = match[1]!.toUpperCase();
    const group: PaidGroup = match[2] === '1' ? 'paid' : 'free';
    const entry = byPeriod.get(label) ?? {};
    (entry[group] ??= []).push(name);
    byPeriod.set(label, entry);
  }

  const problems: string[] = [];
  if (certificateFiles.length === 0) problems.push(`${MINUTES_AND_CERTIFICATES_FILE} is missing`);
  if (certificateFiles.length > 1) problems.push(`${MINUTES_AND_CERTIFICATES_FILE} appears ${certificateFiles.length} times: ${certificateFiles.join(', ')}`);
  const labels = [...byPeriod.keys()];
  if (labels.length !== 2) {
    problems.push(
      labels.length < 2
        ? `expected cohort files for 2 periods (minutes_watched_<period>_paid_<0|1>.csv), found ${labels.length === 0 ? 'none' : `only ${labels[0]}`}`
        : `expected cohort files for exactly 2 periods, found ${labels.length}: ${labels.sort().join(', ')}`,
    );
  }
  for (const [label, entry] of byPeriod) {
    for (const group of ['free', 'paid'] as const) {
      const files = entry[group] ?? [];
      const file = `minutes_watched_${label}_paid_${group === 'paid' ? 1 : 0}.csv`;
      if (files.length === 0) problems.push(`${file} is missing`);
      if (files.length > 1) problems.push(`${file} appears ${files.length} times: ${files.join(', ')}`);
    }
  }
  if (labels.length === 2) {
    const [a, b] = labels.map(periodKey) as [ReturnType<typeof periodKey>, ReturnType<typeof periodKey>];
    if ((a.quarter === null) !== (b.quarter === null)) problems.push(`period labels ${labels.join(' and ')} mix years and quarters`);
  }
  if (problems.length > 0) throw new PeriodFilesError(`cannot find the engagement study's input files: ${problems.join('; ')}`);

  const [baseline, comparison] = labels.sort((x, y) => {
    const a = periodKey(x);
    const b = periodKey(y);
    return a.year - b.year || (a.quarter ?? 0) - (b.quarter ?? 0);
  }) as [string, string];
  const filesOf = (label: string): Record<PaidGroup, string> => ({ free: byPeriod.get(label)!.free![0]!, paid: byPeriod.get(label)!.paid![0]! });
  return {
    periods: { baseline, comparison },
    cohorts: { baseline: filesOf(baseline), comparison: filesOf(comparison) },
    minutesAndCertificates: certificateFiles[0]!,
  };
}
