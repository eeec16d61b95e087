// Athena ExecutionParameters for the engagement queries, in the order each SQL file's header
// comment documents. Athena substitutes them positionally for each `?`: a string parameter must
// arrive quoted ('2021-04-01'), a number bare. Values are never pasted into SQL text.
import type { Period, StudyPeriods } from '../analysis/periods';

/** A string execution parameter: single-quoted, inner quotes doubled as in SQL. */
export function quotedParameter(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A whole-number execution parameter (bare); refuses anything else. */
export function integerParameter(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`expected a whole number, got ${JSON.stringify(value)}`);
  return String(value);
}

/** queries/cohort_minutes.sql: viewing partition year/quarter, viewing window first/last, overlap last/first, paid flag. */
export function cohortMinutesParameters(period: Period, paid: 0 | 1): string[] {
  if (paid !== 0 && paid !== 1) throw new Error(`paid must be 0 or 1, got ${JSON.stringify(paid)}`);
  return [
    integerParameter(period.year),
    integerParameter(period.quarter),
    quotedParameter(period.firstDay),
    quotedParameter(period.lastDay),
    quotedParameter(period.lastDay),
    quotedParameter(period.firstDay),
    String(paid),
  ];
}

/**
 * queries/minutes_and_certificates.sql: baseline and comparison partitions, baseline days, comparison
 * days (viewing); comparison partition and days (certificates).
 */
export function minutesAndCertificatesParameters(periods: StudyPeriods): string[] {
  const { baseline, comparison } = periods;
  return [
    integerParameter(baseline.year),
    integerParameter(baseline.quarter),
    integerParameter(comparison.year),
    integerParameter(comparison.quarter),
    quotedParameter(baseline.firstDay),
    quotedParameter(baseline.lastDay),
    quotedParameter(comparison.firstDay),
    quotedParameter(comparison.lastDay),
    integerParameter(comparison.year),
    integerParameter(comparison.quarter),
    quotedParameter(comparison.firstDay),
    quotedParameter(comparison.lastDay),
  ];
}

/** queries/purchases_info_flags.sql: baseline last/first, comparison last/first (overlap tests). */
export function purchasesInfoFlagsParameters(periods: StudyPeriods): string[] {
  const { baseline, comparison } = periods;
  return [
    quotedParameter(baseline.lastDay),
    quotedParameter(baseline.firstDay),
    quotedParameter(comparison.lastDay),
    quotedParameter(comparison.firstDay),
  ];
}
