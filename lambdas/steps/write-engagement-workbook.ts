// engagement_study.xlsx beside statistics.json: the workbook built by analysis/workbook from the
// figures and data the statistics step read, and written to the store.
import { studyResultKey } from '../contracts/layout';
import { ENGAGEMENT_WORKBOOK_FILE } from '../contracts/result-files';
import { periodLabelLastDay, type PeriodRole } from '../contracts/period-files';
import type { EngagementStatistics } from '../contracts/engagement-statistics';
import { buildEngagementWorkbook, type WorkbookCohort } from '../analysis/workbook/engagement-workbook';
import type { MinutesAndCertificates } from '../tabular/cohort-file';
import type { PlanPeriod } from '../contracts/state-payloads';
import type { StepContext } from './step-context';

export const WORKBOOK_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The workbook's dates: the comparison period's last day, so a rerun over the same data writes the
 * same bytes (the clock would not). A statistics-only run knows its periods by the period files'
 * labels only: a quarter (2022Q2) ends on its last day, a year (2022) on 31 December. 1980-01-01,
 * the first date a zip entry can hold, when the label says neither.
 */
export function workbookDate(comparison: PlanPeriod): Date {
  const lastDay = comparison.lastDay ?? periodLabelLastDay(comparison.label);
  const day = lastDay ? new Date(`${lastDay}T00:00:00Z`) : undefined;
  return day && !Number.isNaN(day.getTime()) ? day : new Date(Date.UTC(1980, 0, 1));
}

export interface WorkbookStepInput {
  runId: string;
  statistics: EngagementStatistics;
  /** The cleaned cohorts (after outlier removal), as the statistics used them. */
  cohorts: readonly WorkbookCohort[];
  minutesAndCertificates: MinutesAndCertificates;
  viewers: Record<PeriodRole, Float64Array>;
  comparisonPeriod: PlanPeriod;
  predictMinutes: number;
  seed: number;
}

/** Writes the workbook; returns its key. */
export async function writeEngagementWorkbook(input: WorkbookStepInput, context: StepContext): Promise<string> {
  const { store } = context;
  const bytes = await buildEngagementWorkbook({
    statistics: input.statistics,
    cohorts: input.cohorts,
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
