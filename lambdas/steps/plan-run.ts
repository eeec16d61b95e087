// First state of every run: validates what was asked, resolves the periods (rolling or explicit),
// finds which studies have input, and prepares each query's execution parameters. Nothing after
// this state sees unvalidated text.
import { assertRunId, cohortFileName, rawTableKey } from '../core/layout';
import { resolveStudyPeriods, type Period, type StudyPeriods } from '../core/periods';
import { cohortMinutesParameters, minutesAndCertificatesParameters, purchasesInfoFlagsParameters } from '../core/query-parameters';
import { tablesOf, type Study } from '../core/tables';
import { WorkflowInputError, type StepContext } from './step-context';

export interface RunRequest {
  baseline?: unknown;
  comparison?: unknown;
  rolling?: unknown;
}

export interface PlanRunEvent {
  runId: string;
  request?: RunRequest | null;
}

export interface StudyPlan {
  run: boolean;
  note: string;
}

export interface CohortPlan {
  /** e.g. 2021Q2_paid */
  name: string;
  period: string;
  paid: 0 | 1;
  fileName: string;
  parameters: string[];
}

export interface RunPlan {
  runId: string;
  startedAt: string;
  periods: { baseline: Period; comparison: Period };
  studies: Record<Study, StudyPlan>;
  engagement: {
    cohorts: CohortPlan[];
    minutesAndCertificatesParameters: string[];
    purchasesInfoParameters: string[];
  };
}

const REQUEST_KEYS = new Set(['baseline', 'comparison', 'rolling']);

export async function planRun(event: PlanRunEvent, context: StepContext): Promise<RunPlan> {
  const runId = assertRunId(event.runId);
  const request = event.request ?? {};
  const unknownKeys = Object.keys(request).filter((key) => !REQUEST_KEYS.has(key));
  if (unknownKeys.length > 0) {
    throw new WorkflowInputError(`unknown run option(s) ${unknownKeys.join(', ')}; expected baseline, comparison or rolling`);
  }
  let periods: StudyPeriods;
  try {
    periods = resolveStudyPeriods(request, context.now());
  } catch (error) {
    throw new WorkflowInputError((error as Error).message);
  }

  const studies = {
    engagement: await studyPlan('engagement', context),
    mooc: await studyPlan('mooc', context),
  };
  if (!studies.engagement.run && !studies.mooc.run) {
    throw new WorkflowInputError(`no input to analyse: ${studies.engagement.note}; ${studies.mooc.note}`);
  }
  for (const [study, plan] of Object.entries(studies)) context.logger.info(`study ${study}: ${plan.note}`, { runId });

  return {
    runId,
    startedAt: context.now().toISOString(),
    periods,
    studies,
    engagement: {
      cohorts: cohortPlans(periods),
      minutesAndCertificatesParameters: minutesAndCertificatesParameters(periods),
      purchasesInfoParameters: purchasesInfoFlagsParameters(periods),
    },
  };
}

/** A study runs when all its files are there, is skipped when none are, and fails the run when only some are. */
async function studyPlan(study: Study, context: StepContext): Promise<StudyPlan> {
  const tables = tablesOf(study);
  const present: string[] = [];
  const missing: string[] = [];
  for (const table of tables) {
    const key = rawTableKey(table);
    ((await context.store.exists(key)) ? present : missing).push(table.fileName);
  }
  if (present.length === 0) return { run: false, note: `skipped: no ${study} input (expected ${tables.map((t) => t.fileName).join(', ')} in ${study}/)` };
  if (missing.length > 0) {
    throw new WorkflowInputError(`${study} input is incomplete: missing ${missing.join(', ')} in ${study}/ (found ${present.join(', ')})`);
  }
  return { run: true, note: `runs on ${present.join(', ')}` };
}

function cohortPlans(periods: StudyPeriods): CohortPlan[] {
  const plans: CohortPlan[] = [];
  for (const period of [periods.baseline, periods.comparison]) {
    for (const paid of [0, 1] as const) {
      plans.push({
        name: `${period.label}_${paid ? 'paid' : 'free'}`,
        period: period.label,
        paid,
        fileName: cohortFileName(period.label, paid),
        parameters: cohortMinutesParameters(period, paid),
      });
    }
  }
  return plans;
}
