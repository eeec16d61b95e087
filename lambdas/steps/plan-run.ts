// First state of every run: validates what was asked, resolves the periods (rolling or explicit),
// finds which studies have input, and prepares each query's execution parameters. Nothing after
// this state sees unvalidated text.
import { MINUTES_AND_CERTIFICATES_FILE, assertRunId, cohortFileName, rawTableKey, studyResultKey } from '../core/layout';
import { resolveStudyPeriods, type Period, type StudyPeriods } from '../core/periods';
import { resolveAnalysisOptions, type AnalysisOptions } from '../core/run-options';
import { findPeriodFiles, type PaidGroup, type PeriodRole } from '../core/stats/period-files';
import { cohortMinutesParameters, minutesAndCertificatesParameters, purchasesInfoFlagsParameters } from '../core/query-parameters';
import { tablesOf, type Study } from '../core/tables';
import { WorkflowInputError, type StepContext } from './step-context';

export interface RunRequest {
  baseline?: unknown;
  comparison?: unknown;
  rolling?: unknown;
  /** Analysis options (see AnalysisOptions). */
  options?: unknown;
  /**
   * Statistics only: the SQL stage's period files are already in results/<runId>/engagement/
   * (e.g. an analyst's own files), so the run starts at the statistics stage.
   */
  periodFiles?: unknown;
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
  role: PeriodRole;
  group: PaidGroup;
  paid: 0 | 1;
  fileName: string;
  parameters: string[];
}

/** A period as the run knows it; period files from analysts may be labelled by year only. */
export type PlanPeriod = Pick<Period, 'label'> & Partial<Period>;

export interface RunPlan {
  runId: string;
  startedAt: string;
  /** 'sql': the whole workflow; 'periodFiles': statistics on period files already in place. */
  mode: 'sql' | 'periodFiles';
  periods: { baseline: PlanPeriod; comparison: PlanPeriod };
  studies: Record<Study, StudyPlan>;
  options: AnalysisOptions;
  engagement: {
    cohorts: CohortPlan[];
    minutesAndCertificatesFile: string;
    minutesAndCertificatesParameters: string[];
    purchasesInfoParameters: string[];
  };
}

const REQUEST_KEYS = new Set(['baseline', 'comparison', 'rolling', 'options', 'periodFiles']);

export async function planRun(event: PlanRunEvent, context: StepContext): Promise<RunPlan> {
  const runId = assertRunId(event.runId);
  const request = event.request ?? {};
  const unknownKeys = Object.keys(request).filter((key) => !REQUEST_KEYS.has(key));
  if (unknownKeys.length > 0) {
    throw new WorkflowInputError(`unknown run option(s) ${unknownKeys.join(', ')}; expected baseline, comparison, rolling, options or periodFiles`);
  }
  let periods: StudyPeriods;
  let options: AnalysisOptions;
  try {
    options = resolveAnalysisOptions(request.options);
    if (request.periodFiles === true) return await planPeriodFilesRun(runId, options, context);
    if (request.periodFiles !== undefined && request.periodFiles !== false) throw new Error(`periodFiles must be true or false, got ${JSON.stringify(request.periodFiles)}`);
    periods = resolveStudyPeriods(request, context.now());
  } catch (error) {
    if (error instanceof WorkflowInputError) throw error;
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
    mode: 'sql',
    periods,
    studies,
    options,
    engagement: {
      cohorts: cohortPlans(periods),
      minutesAndCertificatesFile: MINUTES_AND_CERTIFICATES_FILE,
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

/** Statistics on period files placed in results/<runId>/engagement/ beforehand. */
async function planPeriodFilesRun(runId: string, options: AnalysisOptions, context: StepContext): Promise<RunPlan> {
  const folder = studyResultKey(runId, 'engagement', '');
  const names = (await context.store.list(folder)).map((object) => object.key.slice(folder.length)).filter((name) => !name.includes('/'));
  let files;
  try {
    files = findPeriodFiles(names);
  } catch (error) {
    throw new WorkflowInputError(`period files in ${folder}: ${(error as Error).message}`);
  }
  const cohorts: CohortPlan[] = [];
  for (const role of ['baseline', 'comparison'] as const) {
    for (const group of ['free', 'paid'] as const) {
      const period = files.periods[role];
      cohorts.push({ name: `${period}_${group}`, period, role, group, paid: group === 'paid' ? 1 : 0, fileName: files.cohorts[role][group], parameters: [] });
    }
  }
  return {
    runId,
    startedAt: context.now().toISOString(),
    mode: 'periodFiles',
    periods: { baseline: { label: files.periods.baseline }, comparison: { label: files.periods.comparison } },
    studies: {
      engagement: { run: true, note: `statistics on the period files ${[...cohorts.map((c) => c.fileName), files.minutesAndCertificates].join(', ')}` },
      mooc: { run: false, note: 'skipped: not part of a statistics-only run' },
    },
    options,
    engagement: { cohorts, minutesAndCertificatesFile: files.minutesAndCertificates, minutesAndCertificatesParameters: [], purchasesInfoParameters: [] },
  };
}

function cohortPlans(periods: StudyPeriods): CohortPlan[] {
  const plans: CohortPlan[] = [];
  for (const role of ['baseline', 'comparison'] as const) {
    const period = periods[role];
    for (const paid of [0, 1] as const) {
      plans.push({
        name: `${period.label}_${paid ? 'paid' : 'free'}`,
        period: period.label,
        role,
        group: paid ? 'paid' : 'free',
        paid,
        fileName: cohortFileName(period.label, paid),
        parameters: cohortMinutesParameters(period, paid),
      });
    }
  }
  return plans;
}
