// Charts and the dashboard of a run, from the result files this attempt wrote. Periods and which
// studies ran come from the state payload: the run folder holds no manifest while the run is going
// (and any there earlier belonged to an earlier attempt), and the status and times are the
// manifest's, so the report's bytes do not depend on the clock.
import { assertRunId } from '../contracts/layout';
import { buildReport } from '../analysis/report/dashboard';
import type { PlanPeriod, StudyPlan } from './plan-run';
import type { StepContext } from './step-context';
import { writeResultTables } from './write-result-tables';

export interface BuildReportEvent {
  runId: string;
  periods: { baseline: PlanPeriod; comparison: PlanPeriod };
  studies: Record<string, StudyPlan>;
}

export async function buildReportStep(event: BuildReportEvent, context: StepContext): Promise<{ files: number; notes: string[] }> {
  const runId = assertRunId(event.runId);
  const periods = { baseline: event.periods.baseline.label, comparison: event.periods.comparison.label };
  // Written before the report, so the dashboard links them and its History section shows this run.
  const tables = await writeResultTables(context.store, runId, {
    periods,
    studiesRan: { engagement: event.studies.engagement?.run === true, mooc: event.studies.mooc?.run === true },
  });
  const report = await buildReport(context.store, runId, { periods, studies: event.studies }, tables.history);
  context.logger.info('report built', { runId, files: report.files.length, notes: report.notes });
  return { files: report.files.length + tables.files.length, notes: report.notes };
}
