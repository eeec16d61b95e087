// Dates as whole UTC days since 1970-01-01, so the generators do integer arithmetic on days and
// format each day once.

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function epochDay(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const day = ms / MS_PER_DAY;
  if (isoDate(day) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return day;
}

export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day plus n calendar months, clamped to the last day of the target month (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsClamped(day: number, months: number): number {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDayOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDayOfTarget)) / MS_PER_DAY;
}

export function isWeekend(day: number): boolean {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday (4)
  return weekday === 0 || weekday === 6;
}

/** Formatted dates for a range of days, looked up instead of formatted per row. */
export class DayLabels {
  private readonly labels: string[];

  constructor(
    private readonly firstDay: number,
    lastDay: number,
  ) {
    this.labels = Array.from({ length: lastDay - firstDay + 1 }, (_, offset) => isoDate(firstDay + offset));
  }

  of(day: number): string {
    const label = this.labels[day - this.firstDay];
    if (label === undefined) throw new RangeError(`day ${isoDate(day)} is outside the generated date range`);
    return label;
  }
}
