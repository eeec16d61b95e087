// Steps 5-8 of the engagement study in one pure call: cleaned cohorts in, statistics.json out
// (its shape: contracts/engagement-statistics.ts).
import { cohortKey, type CohortStatistics, type EngagementStatistics, type GroupTest } from '../../contracts/engagement-statistics';
import type { Cohort, MinutesAndCertificates } from '../../tabular/cohort-file';
import { correlateMinutesAndCertificates } from './correlation';
import { sortedCopy, summarizeCohort } from './descriptive';
import { compareCohortPeriods, noBootstrapNote } from './hypothesis';
import type { BootstrapInterval } from './bootstrap';
import { removeOutliers, type OutlierRemoval } from './outliers';
import type { PaidGroup, PeriodRole } from '../../contracts/period-files';
import { watchProbabilities, type WatchProbabilities } from './probabilities';
import { formatPredictionsCsvChunks, regressCertificatesOnMinutes, type PredictionRows } from './regression';

export interface CohortStudyInput {
  /** Step 4's result for the cohort: the record (cutoff, counts) and the kept students' minutes. */
  removal: Omit<OutlierRemoval, 'kept'> & { kept: Pick<Cohort, 'minutes'> };
  /** Every student id of the cohort file before outlier removal (step 7 counts them); not needed when step 7's result is given. */
  rawStudentIds?: ArrayLike<number>;
}

/** Step 4 run here (cleanCohorts): the kept students whole. */
export interface CleanedCohort extends CohortStudyInput {
  removal: OutlierRemoval;
  rawStudentIds: ArrayLike<number>;
}

export interface EngagementStatisticsInput {
  periods: Record<PeriodRole, string>;
  /** Needed unless both cohortFigures and probabilities are given. */
  cohorts?: Record<PeriodRole, Record<PaidGroup, CohortStudyInput>>;
  minutesAndCertificates: MinutesAndCertificates;
  /** Step 7 already computed: the Lambda does it first, so raw ids are never held beside the rest. */
  probabilities?: WatchProbabilities;
  /** cohortFigures already computed: the Lambda drops the cohorts before reading the certificates. */
  cohortFigures?: CohortFigures;
}

export interface EngagementStatisticsOptions {
  /** Significance level of every test (default 0.05). */
  alpha?: number;
  /** Seed of the train/test split and of the bootstrap intervals (default 42). */
  seed?: number;
  /** Share of students in the test part (default 0.2). */
  testFraction?: number;
  /** Minutes for which a certificate count is predicted (default 1200). */
  predictMinutes?: number;
}

type WithNote<T extends { notes: string[] }> = Omit<T, 'notes'> & { note?: string };

const GROUPS: readonly PaidGroup[] = ['free', 'paid'];
const ROLES: readonly PeriodRole[] = ['baseline', 'comparison'];
const GROUP_LABEL: Record<PaidGroup, string> = { free: 'Free students', paid: 'Paid students' };

function withNote<T extends { notes: string[] }>(value: T): WithNote<T> {
  const { notes, ...rest } = value;
  return notes.length > 0 ? { ...rest, note: notes.join('; ') } : rest;
}

/** Step 4 for all four cohorts. */
export function cleanCohorts(raw: Record<PeriodRole, Record<PaidGroup, Cohort>>, q = 0.99): Record<PeriodRole, Record<PaidGroup, CleanedCohort>> {
  const study = (cohort: Cohort): CleanedCohort => ({ removal: removeOutliers(cohort, q), rawStudentIds: cohort.studentIds });
  return {
    baseline: { free: study(raw.baseline.free), paid: study(raw.baseline.paid) },
    comparison: { free: study(raw.comparison.free), paid: study(raw.comparison.paid) },
  };
}

/** Step 5 (with step 4's counts and cutoffs) as statistics.json reports it: per cohort, and the free/paid tests. */
export interface CohortFigures {
  outlier_quantile: number | null;
  cohorts: Record<string, CohortStatistics>;
  tests: Record<PaidGroup, GroupTest>;
}

function checkedAlpha(alpha = 0.05): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  return alpha;
}

/** The cohorts' part of statistics.json (the Lambda computes it, then drops the cohorts before reading certificates). */
export function cohortFigures(
  input: { periods: Record<PeriodRole, string>; cohorts: Record<PeriodRole, Record<PaidGroup, CohortStudyInput>> },
  alphaOption?: number,
  seed = 42,
  /** Groups whose bootstrap interval is computed elsewhere (on a worker thread) and attached later (attachBootstraps). */
  deferredBootstraps: readonly PaidGroup[] = [],
): CohortFigures {
  const alpha = checkedAlpha(alphaOption);
  const { periods } = input;
  // Each cohort sorted once, for its median and for its group's rank test.
  const sorted = { baseline: {}, comparison: {} } as Record<PeriodRole, Record<PaidGroup, Float64Array>>;
  for (const role of ROLES) for (const group of GROUPS) sorted[role][group] = sortedCopy(input.cohorts[role][group].removal.kept.minutes);
  const cohorts: Record<string, CohortStatistics> = {};
  for (const role of ROLES) {
    for (const group of GROUPS) {
      const label = cohortKey(periods[role], group);
      const { removal } = input.cohorts[role][group];
      const summary = summarizeCohort(removal.kept.minutes, label, undefined, sorted[role][group]);
      const notes = [...summary.notes];
      if (removal.nBefore > 0 && removal.nAfter === 0) {
        notes.unshift(`cohort ${label}: all ${removal.nBefore} students are at or above the cutoff ${removal.cutoff}, so outlier removal kept none`);
      }
      cohorts[label] = {
        n_before: removal.nBefore,
        cutoff: removal.cutoff,
        n_after: removal.nAfter,
        mean: summary.mean,
        median: summary.median,
        sd: summary.sd,
        ci95_t: summary.ci95_t,
        ci95_z: summary.ci95_z,
        ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
      };
    }
  }

  const tests = Object.fromEntries(
    GROUPS.map((group) => [
      group,
      withNote(
        compareCohortPeriods(
          input.cohorts.baseline[group].removal.kept.minutes,
          input.cohorts.comparison[group].removal.kept.minutes,
          { group: GROUP_LABEL[group], baseline: periods.baseline, comparison: periods.comparison },
          alpha,
          seed,
          deferredBootstraps.includes(group),
          { baseline: sorted.baseline[group], comparison: sorted.comparison[group] },
        ),
      ),
    ]),
  ) as Record<PaidGroup, GroupTest>;
  const quantiles = new Set(ROLES.flatMap((role) => GROUPS.map((group) => input.cohorts[role][group].removal.q)));
  return { outlier_quantile: quantiles.size === 1 ? [...quantiles][0]! : null, cohorts, tests };
}

export function computeEngagementStatistics(
  input: EngagementStatisticsInput,
  options: EngagementStatisticsOptions = {},
): { statistics: EngagementStatistics; predictions: PredictionRows; predictionsCsvChunks: () => Generator<string> } {
  const alpha = checkedAlpha(options.alpha);
  const { periods } = input;
  const { cohorts } = input;
  if (!cohorts && !(input.cohortFigures && input.probabilities)) throw new Error('no cohorts given, and not both their figures and the probabilities');
  const figures = input.cohortFigures ?? cohortFigures({ periods, cohorts: cohorts! }, alpha, options.seed);

  const mc = input.minutesAndCertificates;
  const correlation = withNote(correlateMinutesAndCertificates(mc.minutes, mc.certificates));
  const rawIds = (role: PeriodRole): ArrayLike<number>[] =>
    GROUPS.map((group) => {
      const ids = cohorts?.[role][group].rawStudentIds;
      if (!ids) throw new Error(`cohort ${cohortKey(periods[role], group)}: no raw student ids and no probabilities given`);
      return ids;
    });
  const probabilities = withNote(input.probabilities ?? watchProbabilities(rawIds('baseline'), rawIds('comparison'), alpha));
  const { result, predictions } = regressCertificatesOnMinutes(mc.studentIds, mc.minutes, mc.certificates, options);

  const statistics: EngagementStatistics = {
    periods: { baseline: periods.baseline, comparison: periods.comparison },
    alpha,
    outlier_quantile: figures.outlier_quantile,
    cohorts: figures.cohorts,
    tests: figures.tests,
    correlation,
    probabilities,
    regression: withNote(result),
  };
  return { statistics: finiteJson(statistics), predictions, predictionsCsvChunks: () => formatPredictionsCsvChunks(predictions) };
}

/**
 * Fills in the bootstrap intervals cohortFigures left out for its deferredBootstraps (computed
 * meanwhile on worker threads): the statistics are then what cohortFigures would have given with
 * the intervals inline, down to the order of their fields and notes (the bootstrap's note is a
 * comparison's last, and `note` its last field).
 */
export function attachBootstraps(statistics: EngagementStatistics, intervals: Partial<Record<PaidGroup, BootstrapInterval | null>>): void {
  for (const group of GROUPS) {
    if (!(group in intervals)) continue;
    const test = statistics.tests[group];
    const interval = intervals[group] ?? null;
    test.bootstrap = interval === null ? null : finiteJson(interval);
    if (interval === null) {
      // The students compared: both periods' cohorts after outlier removal, as compareCohortPeriods counts them.
      const students = ROLES.reduce((sum, role) => sum + (statistics.cohorts[cohortKey(statistics.periods[role], group)]?.n_after ?? 0), 0);
      const note = noBootstrapNote(GROUP_LABEL[group], students);
      test.note = test.note ? `${test.note}; ${note}` : note;
    }
  }
}

/** Last guard of "never NaN or Infinity in statistics.json": any that slipped through becomes null. */
function finiteJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as T;
}
