// Statistics steps 5-8 on the cleaned cohorts: writes statistics.json, regression_predictions.csv
// and engagement_study.xlsx.
import { Readable } from 'node:stream';
import { assertRunId, studyResultKey } from '../contracts/layout';
import { STATISTICS_FILE, REGRESSION_PREDICTIONS_FILE } from '../contracts/result-files';
import { parseCohortFile, parseMinutesAndCertificates, readCohortColumn, type Cohort, type TextChunks } from '../tabular/cohort-file';
import { CsvFormatError } from '../tabular/csv';
import { attachBootstraps, cohortFigures, computeEngagementStatistics, type CohortFigures, type CohortStudyInput } from '../analysis/stats/engagement-statistics';
import type { PaidGroup, PeriodRole } from '../contracts/period-files';
import { distinctSorted, watchProbabilitiesOfDistinct } from '../analysis/stats/probabilities';
import { bootstrapResamplesOf, type BootstrapInterval } from '../analysis/stats/bootstrap';
import { bootstrapMeanDifferenceOnThread } from '../analysis/stats/bootstrap-threads';

import type { StepContext } from './step-context';
import type { CohortOutlierRecord, CohortPlan, ComputeEngagementStatisticsEvent, StudyResult } from '../contracts/state-payloads';
import { writeEngagementWorkbook } from './write-engagement-workbook';

/** The first student (by row of the second file) that both cohort files of a period list, as an error naming both. */
function studentInBothPlans(files: string[], ids: Float64Array[]): CsvFormatError {
  const first = new Map<number, number>();
  ids[0]!.forEach((id, row) => first.set(id, row));
  const row = ids[1]!.findIndex((id) => first.has(id));
  const id = ids[1]![row]!;
  return new CsvFormatError(files[1]!, row + 2, `student_id ${id} is also in ${files[0]} (row ${first.get(id)! + 2}): in a period a student is free or paid, not both`);
}

/** A scheduled run whose comparison period has no viewers: the input in raw/ was not refreshed. */
export class NoComparisonDataError extends Error {
  override name = 'NoComparisonDataError';
}

export async function computeStatisticsStep(event: ComputeEngagementStatisticsEvent, context: StepContext): Promise<StudyResult> {
  const runId = assertRunId(event.runId);
  // Unattended, an extract that does not reach the quarter just ended would give a run that
  // "succeeds" with nothing to compare and raises no alarm: fail it, saying what to do. A run asked
  // for by hand keeps its "could not be compared" finding instead.
  const comparisonViewers = event.outliers.filter((record) => event.cohorts.some((plan) => plan.name === record.name && plan.role === 'comparison')).reduce((sum, record) => sum + record.nBefore, 0);
  if (event.scheduledAt && comparisonViewers === 0) {
    throw new NoComparisonDataError(
      `no student watched in ${event.periods.comparison.label}, the comparison quarter of the run scheduled at ${event.scheduledAt}: the input in raw/ does not reach into it. ` +
        `Upload the new extract, then rerun the month with its runId, "rolling": true and this scheduledAt`,
    );
  }
  const { store } = context;
  const stream = async (fileName: string) => store.getStream(studyResultKey(runId, 'engagement', fileName));

  // Step 5 on the cleaned cohorts first, read once for the statistics and the workbook: the two
  // groups' bootstrap resampling then runs on worker threads (when large) while this thread reads
  // the rest, computes the other figures and writes the workbook, which shows no bootstrap figure;
  // the intervals are attached before statistics.json is written.
  const cleaned = await readCleanedCohorts(event, stream);
  const { figures, bootstraps } = cleanedCohortFigures(event, cleaned);

  // Step 7 a period at a time, from only the ids of the raw cohorts (only the distinct ids are held),
  // then steps 6 and 8 on minutes_and_certificates.
  const periodIds = async (role: PeriodRole): Promise<Float64Array> => {
    const plans = event.cohorts.filter((plan) => plan.role === role);
    const ids: Float64Array[] = [];
    for (const plan of plans) ids.push(await readCohortColumn(await stream(plan.fileName), plan.fileName, 'student_id'));
    const distinct = distinctSorted(ids);
    // Each file lists a student once (RemoveCohortOutliers checked): fewer distinct ids than rows
    // means a student in both plans' files of the period, which an analyst's own files can hold.
    if (distinct.length < ids.reduce((sum, list) => sum + list.length, 0)) throw studentInBothPlans(plans.map((plan) => plan.fileName), ids);
    return distinct;
  };
  const viewers = { baseline: await periodIds('baseline'), comparison: await periodIds('comparison') };
  const probabilities = watchProbabilitiesOfDistinct(viewers.baseline, viewers.comparison, event.options.alpha);
  const minutesAndCertificates = await parseMinutesAndCertificates(await stream(event.minutesAndCertificatesFile), event.minutesAndCertificatesFile);

  const { statistics, predictionsCsvChunks } = computeEngagementStatistics(
    { periods: { baseline: event.periods.baseline.label, comparison: event.periods.comparison.label }, minutesAndCertificates, probabilities, cohortFigures: figures },
    { alpha: event.options.alpha, seed: event.options.seed, testFraction: event.options.testFraction, predictMinutes: event.options.predictMinutes },
  );
  const workbookKey = await writeEngagementWorkbook(
    {
      runId,
      statistics,
      cohorts: cleaned.map(({ plan, cohort }) => ({ role: plan.role, group: plan.group, studentIds: cohort.studentIds, minutes: cohort.minutes })),
      minutesAndCertificates,
      viewers,
      comparisonPeriod: event.periods.comparison,
      predictMinutes: event.options.predictMinutes,
      seed: event.options.seed,
    },
    context,
  );
  attachBootstraps(statistics, await bootstraps);
  const statisticsKey = studyResultKey(runId, 'engagement', STATISTICS_FILE);
  await store.put(statisticsKey, JSON.stringify(statistics, null, 2) + '\n', 'application/json');
  const predictionsKey = studyResultKey(runId, 'engagement', REGRESSION_PREDICTIONS_FILE);
  await store.putStream(predictionsKey, Readable.from(predictionsCsvChunks(), { highWaterMark: 1 }), 'text/csv');
  context.logger.info('statistics written', { runId, key: statisticsKey });
  return {
    study: 'engagement',
    status: 'succeeded',
    inputs: event.inputs ?? [],
    // Every file of the study with its rows, so the manifest need not count them again: the SQL
    // stage's (as exported) and the cleaned cohorts (as RemoveCohortOutliers wrote them).
    outputs: [
      ...(event.exported ?? []),
      ...cleaned.map(({ record }) => ({ key: studyResultKey(runId, 'engagement', record.cleanedFileName), rows: record.nAfter })),
      { key: statisticsKey, rows: 0 },
      { key: predictionsKey, rows: minutesAndCertificates.studentIds.length },
      { key: workbookKey, rows: 0 },
    ],
  };
}

interface CleanedCohort {
  plan: CohortPlan;
  record: CohortOutlierRecord;
  cohort: Cohort;
}

async function readCleanedCohorts(event: ComputeEngagementStatisticsEvent, stream: (fileName: string) => Promise<TextChunks>): Promise<CleanedCohort[]> {
  const cleaned: CleanedCohort[] = [];
  for (const plan of event.cohorts) {
    const record = event.outliers.find((candidate) => candidate.name === plan.name);
    if (!record) throw new Error(`no outlier record for cohort ${plan.name}`);
    cleaned.push({ plan, record, cohort: await parseCohortFile(await stream(record.cleanedFileName), record.cleanedFileName) });
  }
  return cleaned;
}

/** Step 5 on the cleaned cohorts. Large groups' bootstrap intervals are left to threads: `bootstraps` settles with them. */
function cleanedCohortFigures(
  event: ComputeEngagementStatisticsEvent,
  cleaned: readonly CleanedCohort[],
): { figures: CohortFigures; bootstraps: Promise<Partial<Record<PaidGroup, BootstrapInterval | null>>> } {
  const cohorts = { baseline: {}, comparison: {} } as Record<PeriodRole, Record<PaidGroup, CohortStudyInput>>;
  for (const { plan, record, cohort } of cleaned) {
    cohorts[plan.role][plan.group] = { removal: { q: record.q, cutoff: record.cutoff, nBefore: record.nBefore, nAfter: record.nAfter, kept: { minutes: cohort.minutes } } };
  }
  const periods = { baseline: event.periods.baseline.label, comparison: event.periods.comparison.label };
  const { seed } = event.options;
  const minutes = (group: PaidGroup): [ArrayLike<number>, ArrayLike<number>] => [cohorts.baseline[group].removal.kept.minutes, cohorts.comparison[group].removal.kept.minutes];
  const draws = (group: PaidGroup): number => {
    const [baseline, comparison] = minutes(group);
    return bootstrapResamplesOf(baseline, comparison) * (baseline.length + comparison.length);
  };
  const threaded = GROUPS.filter((group) => draws(group) >= DRAWS_WORTH_A_THREAD);
  const running = threaded.map((group) => bootstrapMeanDifferenceOnThread(...minutes(group), seed));
  const bootstraps = Promise.all(running).then((done) => Object.fromEntries(threaded.map((group, index) => [group, done[index]!])));
  // A failed thread is reported where the intervals are awaited, not as an unhandled rejection meanwhile.
  bootstraps.catch(() => undefined);
  const figures = cohortFigures({ periods, cohorts }, event.options.alpha, seed, threaded);
  return { figures, bootstraps };
}

const GROUPS: readonly PaidGroup[] = ['free', 'paid'];

/** Below this many draws a worker thread's start-up costs more than the resampling it takes over. */
const DRAWS_WORTH_A_THREAD = 20_000_000;
