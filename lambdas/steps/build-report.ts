// Charts and the dashboard of a run, from whatever result files the run produced.
import { assertRunId } from '../core/layout';
import { buildReport } from '../core/report/dashboard';
import type { StepContext } from './step-context';

export interface BuildReportEvent {
  runId: string;
}

export async function buildReportStep(event: BuildReportEvent, context: StepContext): Promise<{ files: number; notes: string[] }> {
  const runId = assertRunId(event.runId);
  const report = await buildReport(context.store, runId);
  context.logger.info('report built', { runId, files: report.files.length, notes: report.notes });
  return { files: report.files.length, notes: report.notes };
}
