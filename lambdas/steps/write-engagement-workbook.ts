// engagement_study.xlsx beside statistics.json: the cleaned cohorts read again (the statistics
// dropped them to bound memory), the workbook built by analysis/workbook and written to the store.
import { studyResultKey } from '../contracts/layout';
import { ENGAGEMENT_WORKBOOK_FILE } from '../contracts/result-files';
import type { PeriodRole } from '../contracts/period-files';
import type { EngagementStatistics } from '../contracts/engagement-statistics';
import { buildEngagementWorkbook, type WorkbookCohort } from '../analysis/workbook/engagement-workbook';
import { parseCohortFile, type MinutesAndCertificates } from '../tabular/cohort-file';
import type { CohortOutlierRecord, CohortPlan, PlanPeriod } from '../contracts/state-payloads';
import type { StepContext } from './step-context';

export const WORKBOOK_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The workbook's dates: the comparison period's last day, so a rerun over the same data writes the
 * same bytes (the clock would not). 1980-01-01, the first date a zip entry can hold, when unknown.
 */
export function workbookDate(comparison: PlanPeriod): Date {
  const day = comparison.lastDay ? new Date(`${comparison.lastDay}T00:00:00Z`) : undefined;
  return day && !Number.isNaN(day.getTime()) ? day : new Date(Date.UTC(1980, 0, 1));
}

export interface WorkbookStepInput {
  runId: string;
  statistics: EngagementStatistics;
  cohorts: readonly CohortPlan[];
  outliers: readonly CohortOutlierRecord[];
  minutesAndCertificates: MinutesAndCertificates;
  viewers: Record<PeriodRole, Float64Array>;
  comparisonPeriod: PlanPeriod;
  predictMinutes: number;
  seed: number;
}

/** Writes the workbook; returns its key. */
export async function writeEngagementWorkbook(input: WorkbookStepInput, context: StepContext): Promise<string> {
  const { store } = context;
  const cohorts: WorkbookCohort[] = [];
  for (const plan of input.cohorts) {
    const record = input.outliers.find((candidate) => candidate.name === plan.name);
    if (!record) throw new Error(`no outlier record for cohort ${plan.name}`);
    const key = studyResultKey(input.runId, 'engagement', record.cleanedFileName);
    const cleaned = await parseCohortFile(await store.getStream(key), record.cleanedFileName);
    cohorts.push({ role: plan.role, group: plan.group, studentIds: cleaned.studentIds, minutes: cleaned.minutes });
  }
  const bytes = await buildEngagementWorkbook({
    statistics: input.statistics,
    cohorts,
    minutesAndCertificates: input.minutesAndCertificates,
    viewers: input.viewers,
    predictMinutes: input.predictMinutes,
    seed: input.seed,
    documentDate: workbookDate(input.comparisonPeriod),
  });
  const key = studyResultKey(input.runId, 'engagement', ENGAGEMENT_WORKBOOK_FILE);
  await store.put(key, bytes, WORKBOOK_CONTENT_TYPE);
  return key;
}
