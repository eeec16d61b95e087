// Seeded synthetic engagement data (the product's embedded default data set): the four tables of
// ENGAGEMENT_TABLES, shaped like the real platform's. Students are generated one after another in
// registration order and their rows streamed out, so memory stays flat from hundreds of rows to
// tens of millions.
import { DEFAULT_BASELINE, DEFAULT_COMPARISON, parsePeriod, quarterIndex, type Period } from '../../lambdas/analysis/periods';
import { ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';
import { addMonthsClamped, DayLabels, epochDay, isWeekend } from './calendar';
import { cumulativeWeights, Random, zipfWeights } from '../../lambdas/analysis/random';
import { flushAll, flushFull, TableBuffer, type GeneratedTables, type OpenSink } from './table-sink';

export interface EngagementGeneratorOptions {
  /** Number of students; every other table scales with it (about 2 watch rows per student). */
  students: number;
  seed: number;
  /** First registration day, YYYY-MM-DD (default 2020-01-01). */
  startDate?: string;
  /** Last registration day, YYYY-MM-DD (default 2022-06-30). */
  endDate?: string;
  /** The two quarters with viewing data; certificates fall in the comparison quarter only. */
  baseline?: string;
  comparison?: string;
}

export const DEFAULT_ENGAGEMENT_START = '2020-01-01';
export const DEFAULT_ENGAGEMENT_END = '2022-06-30';

export const PLAN_MONTHLY = 0;
export const PLAN_QUARTERLY = 1;
export const PLAN_ANNUAL = 2;
export const PLAN_LIFETIME = 3;
/** Months a plan runs for; lifetime (3) never ends. */
export const PLAN_MONTHS = [1, 3, 12] as const;

const COURSE_COUNT = 48;
const BUYER_SHARE = 0.25; // some late registrants' first purchase falls after the data ends: ~23% buy
const PLAN_MIX = cumulativeWeights([0.62, 0.13, 0.19, 0.06]);
const RENEWAL_CHANCE = [0.55, 0.45, 0.35];
const REFUND_CHANCE = 0.07;
const MAX_WATCH_ROWS_PER_PERIOD = 120;
const MAX_MINUTES_PER_PERIOD = 40_000;

export async function generateEngagementTables(options: EngagementGeneratorOptions, openSink: OpenSink): Promise<GeneratedTables> {
  const { students, seed } = options;
  if (!Number.isSafeInteger(students) || students < 1) throw new RangeError(`students must be a positive integer, got ${students}`);
  const firstDay = epochDay(options.startDate ?? DEFAULT_ENGAGEMENT_START);
  const lastRegistrationDay = epochDay(options.endDate ?? DEFAULT_ENGAGEMENT_END);
  if (lastRegistrationDay < firstDay) throw new RangeError('endDate must not be before startDate');
  const baseline = parsePeriod(options.baseline ?? DEFAULT_BASELINE, 'baseline');
  const comparison = parsePeriod(options.comparison ?? DEFAULT_COMPARISON, 'comparison');
  if (quarterIndex(baseline) >= quarterIndex(comparison)) throw new RangeError('baseline must be earlier than comparison');
  const periods = [viewingWindow(baseline, false), viewingWindow(comparison, true)];
  const lastDay = Math.max(lastRegistrationDay, periods[1]!.lastDay);
  const labels = new DayLabels(Math.min(firstDay, periods[0]!.firstDay), lastDay);

  const [infoTable, purchasesTable, watchedTable, certificatesTable] = ENGAGEMENT_TABLES;
  const info = new TableBuffer(infoTable, openSink(infoTable));
  const purchases = new TableBuffer(purchasesTable, openSink(purchasesTable));
  const watched = new TableBuffer(watchedTable, openSink(watchedTable));
  const certificates = new TableBuffer(certificatesTable, openSink(certificatesTable));
  const buffers = [info, purchases, watched, certificates];

  const random = new Random(seed, 1);
  const registration = new RegistrationDays(firstDay, lastRegistrationDay, students, random);
  const coursePopularity = cumulativeWeights(zipfWeights(COURSE_COUNT, 1.1));
  const student: StudentState = { id: 0, registered: 0, paidStarts: [], paidEnds: [] };
  const views: PeriodViews = { courses: [], days: [], seconds: [], minutes: 0, firstDay: 0 };
  let purchaseId = 0;
  let certificateId = 0;
  let watchRows = 0;

  for (let index = 0; index < students; index++) {
    student.id = index + 1;
    student.registered = registration.dayOf(index);
    student.paidStarts.length = 0;
    student.paidEnds.length = 0;
    info.push(`${student.id},${labels.of(student.registered)}\n`);

    for (const purchase of purchasesOf(student, lastDay, random)) {
      purchaseId += 1;
      const refunded = purchase.refunded === undefined ? '' : labels.of(purchase.refunded);
      purchases.push(`${purchaseId},${student.id},${purchase.plan},${labels.of(purchase.purchased)},${refunded}\n`);
    }

    let comparisonMinutes = 0;
    let comparisonFirstDay = -1;
    let watchedBaseline = false;
    for (const period of periods) {
      if (!viewsIn(period, student, random, coursePopularity, views)) continue;
      for (let row = 0; row < views.courses.length; row++) {
        watched.push(`${student.id},${views.courses[row]},${views.seconds[row]},${labels.of(views.days[row]!)}\n`);
      }
      watchRows += views.courses.length;
      if (period.isComparison) {
        comparisonMinutes = views.minutes;
        comparisonFirstDay = views.firstDay;
      } else watchedBaseline = true;
    }

    const comparisonWindow = periods[1]!;
    const issued = certificateCount(comparisonMinutes, comparisonFirstDay >= 0, watchedBaseline, random);
    const earliest = Math.max(student.registered, comparisonFirstDay >= 0 ? comparisonFirstDay : comparisonWindow.firstDay);
    if (earliest <= comparisonWindow.lastDay) {
      for (let k = 0; k < issued; k++) {
        certificateId += 1;
        const day = random.intBetween(earliest, comparisonWindow.lastDay);
        certificates.push(`${certificateId},${student.id},${labels.of(day)}\n`);
      }
    }

    if ((index & 127) === 127) await flushFull(buffers);
  }

  // A few students can leave a table without rows (certificates are rare), and the workflow refuses
  // a file with a header only: the first student gets one row of each table that has none, dated
  // as the rules allow (on or after registration, views in a period, certificates in the comparison).
  const first = registration.dayOf(0);
  if (purchaseId === 0) purchases.push(`1,1,0,${labels.of(first)},\n`);
  const viewing = periods.find((period) => Math.max(first, period.firstDay) <= period.lastDay);
  if (watchRows === 0 && viewing) watched.push(`1,1,600,${labels.of(Math.max(first, viewing.firstDay))}\n`);
  const comparisonWindow = periods[1]!;
  if (certificateId === 0 && Math.max(first, comparisonWindow.firstDay) <= comparisonWindow.lastDay) {
    certificates.push(`1,1,${labels.of(Math.max(first, comparisonWindow.firstDay))}\n`);
  }
  return flushAll(buffers);
}

interface StudentState {
  id: number;
  registered: number;
  /** Days each purchase covers, [start, end] inclusive; lifetime ends at Infinity. */
  paidStarts: number[];
  paidEnds: number[];
}

interface ViewingWindow {
  firstDay: number;
  lastDay: number;
  isComparison: boolean;
}

function viewingWindow(period: Period, isComparison: boolean): ViewingWindow {
  return { firstDay: epochDay(period.firstDay), lastDay: epochDay(period.lastDay), isComparison };
}

/** Registration days in non-decreasing order: student i gets the inverse CDF at (i + u) / n (stratified). */
class RegistrationDays {
  private readonly cumulative: Float64Array;
  private cursor = 0;

  constructor(
    private readonly firstDay: number,
    lastDay: number,
    private readonly students: number,
    private readonly random: Random,
  ) {
    const span = lastDay - firstDay + 1;
    // The platform grows (three times the sign-ups at the end), weekends are quieter, days vary.
    const weights = Array.from({ length: span }, (_, offset) => {
      const growth = 1 + (2 * offset) / span;
      return growth * (isWeekend(firstDay + offset) ? 0.75 : 1) * random.lognormal(0, 0.25);
    });
    this.cumulative = cumulativeWeights(weights);
  }

  dayOf(index: number): number {
    const total = this.cumulative[this.cumulative.length - 1]!;
    const target = ((index + this.random.next()) / this.students) * total;
    while (this.cursor < this.cumulative.length - 1 && this.cumulative[this.cursor]! <= target) this.cursor += 1;
    return this.firstDay + this.cursor;
  }
}

interface Purchase {
  plan: number;
  purchased: number;
  refunded: number | undefined;
}

/** A buyer's first purchase, then renewals on the day each paid term ends until one lapses or is refunded. */
function* purchasesOf(student: StudentState, lastDay: number, random: Random): Generator<Purchase> {
  if (!random.chance(BUYER_SHARE)) return;
  let day = student.registered + (random.chance(0.4) ? 0 : Math.floor(random.exponential(45)));
  let plan = random.weighted(PLAN_MIX);
  for (let term = 0; term < 60 && day <= lastDay; term++) {
    const end = plan === PLAN_LIFETIME ? Infinity : addMonthsClamped(day, PLAN_MONTHS[plan as 0 | 1 | 2]);
    let refunded: number | undefined;
    if (random.chance(REFUND_CHANCE)) {
      // Refunds come soon after buying, a third of them the same day.
      const delay = random.chance(0.33) ? 0 : 1 + Math.floor(random.exponential(6));
      refunded = Math.min(day + delay, end, lastDay);
    }
    student.paidStarts.push(day);
    student.paidEnds.push(refunded ?? end);
    yield { plan, purchased: day, refunded };
    if (refunded !== undefined || plan === PLAN_LIFETIME) return;
    if (!random.chance(RENEWAL_CHANCE[plan]!)) return;
    day = end;
    if (random.chance(0.1)) plan = random.weighted(PLAN_MIX);
  }
}

function paidDuring(student: StudentState, window: ViewingWindow): boolean {
  for (let k = 0; k < student.paidStarts.length; k++) {
    if (student.paidStarts[k]! <= window.lastDay && student.paidEnds[k]! >= window.firstDay) return true;
  }
  return false;
}

interface PeriodViews {
  courses: number[];
  days: number[];
  seconds: number[];
  minutes: number;
  firstDay: number;
}

/** Fills `views` with one student's rows in a window (one row per course and day); false when they did not watch. */
function viewsIn(window: ViewingWindow, student: StudentState, random: Random, coursePopularity: Float64Array, views: PeriodViews): boolean {
  if (student.registered > window.lastDay) return false;
  const paid = paidDuring(student, window);
  const firstDay = Math.max(student.registered, window.firstDay);
  const openDays = window.lastDay - firstDay + 1;
  const windowDays = window.lastDay - window.firstDay + 1;
  let chance: number;
  if (student.registered >= window.firstDay) chance = 0.65 * (0.4 + (0.6 * openDays) / windowDays); // newcomers
  else chance = 0.12 + 0.45 * Math.exp(-(window.firstDay - student.registered) / 120);
  if (paid) chance = Math.max(chance, 0.8);
  if (window.isComparison) chance = Math.min(0.95, chance * 1.15);
  if (!random.chance(chance)) return false;

  // Heavy-tailed minutes: lognormal around 22 minutes, paid students about 2.6x, rare binge outliers.
  let minutes = random.lognormal(Math.log(22), 1.25);
  if (paid) minutes *= window.isComparison ? 3.4 : 2.6;
  else if (window.isComparison) minutes *= 1.1;
  if (random.chance(0.002)) minutes *= 15 + 60 * random.next();
  const totalSeconds = Math.max(1, Math.round(Math.min(minutes, MAX_MINUTES_PER_PERIOD) * 60));

  const wanted = Math.min(MAX_WATCH_ROWS_PER_PERIOD, 1 + random.poisson(Math.min(minutes / 35, 80)));
  const mainCourse = random.weighted(coursePopularity);
  const { courses, days, seconds } = views;
  courses.length = 0;
  days.length = 0;
  seconds.length = 0;
  let weightTotal = 0;
  let earliest = window.lastDay;
  for (let row = 0; row < wanted; row++) {
    const course = random.chance(0.6) ? mainCourse : random.weighted(coursePopularity);
    // Viewing comes in streaks: often the day after the previous row.
    const previous = days.length > 0 ? days[days.length - 1]! : -1;
    const day = previous >= 0 && previous < window.lastDay && random.chance(0.35) ? previous + 1 : firstDay + random.int(openDays);
    const weight = random.exponential(1);
    weightTotal += weight;
    const existing = indexOfView(courses, days, course, day);
    if (existing >= 0) {
      seconds[existing]! += weight;
      continue;
    }
    courses.push(course + 1);
    days.push(day);
    seconds.push(weight);
    if (day < earliest) earliest = day;
  }
  // Share the total out by weight: floors, then the remainder on the first row, at least 1 s a row.
  let assigned = 0;
  for (let row = 0; row < seconds.length; row++) {
    seconds[row] = Math.max(1, Math.floor((totalSeconds * seconds[row]!) / weightTotal));
    assigned += seconds[row]!;
  }
  if (assigned < totalSeconds) seconds[0]! += totalSeconds - assigned;
  views.minutes = Math.max(assigned, totalSeconds) / 60;
  views.firstDay = earliest;
  return true;
}

function indexOfView(courses: number[], days: number[], course: number, day: number): number {
  for (let row = 0; row < courses.length; row++) if (courses[row] === course + 1 && days[row] === day) return row;
  return -1;
}

/** Certificates follow minutes watched in the comparison quarter; a few come without recent viewing. */
function certificateCount(comparisonMinutes: number, watchedComparison: boolean, watchedBaseline: boolean, random: Random): number {
  if (watchedComparison) {
    if (!random.chance(0.75 * (1 - Math.exp(-comparisonMinutes / 500)))) return 0;
    return Math.min(6, 1 + random.poisson(comparisonMinutes / 2500));
  }
  return random.chance(watchedBaseline ? 0.02 : 0.003) ? 1 : 0;
}
