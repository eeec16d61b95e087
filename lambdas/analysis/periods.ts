// Study periods are calendar quarters written like "2021Q2". Everything that reaches SQL or a
// file name about a period goes through parsePeriod first, so no unvalidated text gets further.

export interface Period {
  /** Canonical label, e.g. "2021Q2". */
  label: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** First day of the quarter, YYYY-MM-DD. */
  firstDay: string;
  /** Last day of the quarter, YYYY-MM-DD. */
  lastDay: string;
  /** Column name of the paid flag for this period in purchases_info, e.g. "paid_q2_2021". */
  flagColumn: string;
}

export interface StudyPeriods {
  baseline: Period;
  comparison: Period;
}

export class PeriodError extends Error {
  override name = 'PeriodError';
}

const PERIOD_PATTERN = /^(\d{4})\s*-?\s*Q([1-4])$/i;
const QUARTER_END_DAY = ['03-31', '06-30', '09-30', '12-31'];

export const DEFAULT_BASELINE = '2021Q2';
export const DEFAULT_COMPARISON = '2022Q2';

export function parsePeriod(text: unknown, what = 'period'): Period {
  if (typeof text !== 'string') throw new PeriodError(`${what} must be a quarter such as 2021Q2, got ${JSON.stringify(text)}`);
  const match = PERIOD_PATTERN.exec(text.trim());
  if (!match) throw new PeriodError(`${what} must be a quarter such as 2021Q2, got ${JSON.stringify(text)}`);
  const year = Number(match[1]);
  const quarter = Number(match[2]) as Period['quarter'];
  if (year < 1970 || year > 2999) throw new PeriodError(`${what} year ${year} is out of range 1970..2999`);
  return periodOf(year, quarter);
}

export function periodOf(year: number, quarter: Period['quarter']): Period {
  const firstMonth = String((quarter - 1) * 3 + 1).padStart(2, '0');
  return {
    label: `${year}Q${quarter}`,
    year,
    quarter,
    firstDay: `${year}-${firstMonth}-01`,
    lastDay: `${year}-${QUARTER_END_DAY[quarter - 1]}`,
    flagColumn: `paid_q${quarter}_${year}`,
  };
}

/** The latest quarter that ended before `now` (UTC), against the same quarter a year earlier. */
export function rollingPeriods(now: Date): StudyPeriods {
  const currentQuarter = Math.floor(now.getUTCMonth() / 3) + 1;
  let year = now.getUTCFullYear();
  let quarter = currentQuarter - 1;
  if (quarter === 0) {
    quarter = 4;
    year -= 1;
  }
  const q = quarter as Period['quarter'];
  return { baseline: periodOf(year - 1, q), comparison: periodOf(year, q) };
}

export interface PeriodRequest {
  baseline?: unknown;
  comparison?: unknown;
  rolling?: unknown;
}

/** Resolves what a caller asked for (explicit quarters, rolling, or nothing: the study's default). */
export function resolveStudyPeriods(request: PeriodRequest, now: Date = new Date()): StudyPeriods {
  const rolling = request.rolling === true || request.rolling === 'true';
  if (request.rolling !== undefined && request.rolling !== null && typeof request.rolling !== 'boolean' && request.rolling !== 'true' && request.rolling !== 'false') {
    throw new PeriodError(`rolling must be true or false, got ${JSON.stringify(request.rolling)}`);
  }
  const explicit = request.baseline !== undefined || request.comparison !== undefined;
  if (rolling && explicit) throw new PeriodError('give either rolling or baseline/comparison quarters, not both');
  if (rolling) return rollingPeriods(now);
  const baseline = parsePeriod(request.baseline ?? DEFAULT_BASELINE, 'baseline');
  const comparison = parsePeriod(request.comparison ?? DEFAULT_COMPARISON, 'comparison');
  if (quarterIndex(baseline) >= quarterIndex(comparison)) {
    throw new PeriodError(`baseline ${baseline.label} must be earlier than comparison ${comparison.label}`);
  }
  return { baseline, comparison };
}

export function quarterIndex(period: Pick<Period, 'year' | 'quarter'>): number {
  return period.year * 4 + (period.quarter - 1);
}
