// First state of every run: validates what was asked, resolves the periods (rolling or explicit),
// finds which studies have input, and prepares each query's execution parameters. Nothing after
// this state sees unvalidated text.
import { MINUTES_AND_CERTIFICATES_FILE, assertRunId, cohortFileName, rawTableKey, studyResultKey } from '../contracts/layout';
import { resolveStudyPeriods, type StudyPeriods } from '../analysis/periods';
import { isRealIsoDate, resolveAnalysisOptions, type AnalysisOptions } from '../contracts/run-options';
import { findPeriodFiles } from '../contracts/period-files';
import { fillRunQueries } from '../athena/run-sql';
import { cohortMinutesParameters, minutesAndCertificatesParameters, purchasesInfoFlagsParameters } from '../athena/query-parameters';
import { SQL_RAW_TABLES, tableNameOf, tablesOf, type RawTable, type Study } from '../contracts/tables';
import { studyInputPrefix } from '../io/object-store';
import { acquireRunLock, beginAttempt } from './run-attempt';
import { WorkflowInputError, type StepContext } from './step-context';
import type { CohortPlan, PlanRunEvent, RunPlan, RunRequest, StudyPlan } from '../contracts/state-payloads';


const REQUEST_KEYS = new Set(['runId', 'baseline', 'comparison', 'rolling', 'scheduledAt', 'options', 'periodFiles']);

export async function planRun(event: PlanRunEvent, context: StepContext): Promise<RunPlan> {
  const runId = assertRunId(event.runId);
  const request = event.request ?? {};
  const unknownKeys = Object.keys(request).filter((key) => !REQUEST_KEYS.has(key));
  if (unknownKeys.length > 0) {
    throw new WorkflowInputError(`unknown run option(s) ${unknownKeys.join(', ')}; expected runId, baseline, comparison, rolling, scheduledAt, options or periodFiles`);
  }
  if (typeof event.execution !== 'string' || event.execution === '') throw new WorkflowInputError('PlanRun needs the execution id ($$.Execution.Id) to lock the run');
  // The request is checked whole before anything is written: bad usage leaves the run folder as it was.
  let periods: StudyPeriods;
  let options: AnalysisOptions;
  let scheduledAt: Date | undefined;
  try {
    options = resolveAnalysisOptions(request.options);
    if (request.periodFiles !== undefined && request.periodFiles !== true && request.periodFiles !== false) throw new Error(`periodFiles must be true or false, got ${JSON.stringify(request.periodFiles)}`);
    scheduledAt = scheduledTimeOf(request);
    periods = resolveStudyPeriods(request, scheduledAt ?? context.now());
  } catch (error) {
    if (error instanceof WorkflowInputError) throw error;
    throw new WorkflowInputError((error as Error).message);
  }
  await acquireRunLock(context.store, runId, { execution: event.execution, now: context.now() });
  if (request.periodFiles === true) return planPeriodFilesRun(runId, event.execution, options, context);

  // The input is looked at before the attempt begins: an incomplete or missing upload (a late data
  // drop) fails the run without erasing the run id's earlier result.
  const studies = {
    engagement: await studyPlan('engagement', context),
    mooc: await studyPlan('mooc', context),
  };
  if (!studies.engagement.run && !studies.mooc.run) {
    throw new WorkflowInputError(`no input to analyse: ${studies.engagement.note}; ${studies.mooc.note}`);
  }
  await beginAttempt(context.store, runId, event.execution, context.now());
  for (const [study, plan] of Object.entries(studies)) context.logger.info(`study ${study}: ${plan.note}`, { runId });

  return {
    runId,
    startedAt: context.now().toISOString(),
    mode: 'sql',
    periods,
    scheduledAt: scheduledAt ? scheduledAt.toISOString() : null,
    studies,
    options,
    runQueries: fillRunQueries(event.queryTemplates ?? {}, { runId, dataStart: options.dataStart, dataEnd: options.dataEnd }),
    engagement: {
      cohorts: cohortPlans(periods),
      minutesAndCertificatesFile: MINUTES_AND_CERTIFICATES_FILE,
      minutesAndCertificatesParameters: minutesAndCertificatesParameters(periods),
      purchasesInfoParameters: purchasesInfoFlagsParameters(periods),
    },
  };
}

/** The schedule's event time (RunRequest.scheduledAt), which only rolling periods count from. */
function scheduledTimeOf(request: RunRequest): Date | undefined {
  if (request.scheduledAt === undefined) return undefined;
  const text = request.scheduledAt;
  // Date would roll 2026-02-30 over into March: the day must be one of its month's.
  const wellFormed = typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && isRealIsoDate(text.slice(0, 10));
  const time = wellFormed ? new Date(text) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw new Error(`scheduledAt must be an ISO 8601 time such as 2026-12-02T06:00:00Z, got ${JSON.stringify(text)}`);
  if (request.rolling !== true && request.rolling !== 'true') throw new Error('scheduledAt is the time rolling periods count from: give it with rolling: true');
  return time;
}

/**
 * A study runs when all its files are there, is skipped when none are (and nothing resembling them
 * is either), and fails the run when only some are or when a file is there under a near-miss name.
 */
async function studyPlan(study: Study, context: StepContext): Promise<StudyPlan> {
  const tables = tablesOf(study);
  const present: string[] = [];
  const missing: RawTable[] = [];
  for (const table of tables) {
    const key = rawTableKey(table);
    let exists: boolean;
    try {
      exists = await context.store.exists(key);
    } catch (error) {
      throw new WorkflowInputError(`cannot read ${study}/${table.fileName}: ${(error as Error).message}`);
    }
    if (exists) present.push(table.fileName);
    else missing.push(table);
  }
  const sqlTables = tables.filter((table) => SQL_RAW_TABLES.includes(table));
  const listed = missing.length > 0 || sqlTables.length > 0 ? await context.store.listStudyInput(study) : [];
  const nearMisses = missing.length === 0 ? [] : nearMissesOf(missing, listed);
  if (nearMisses.length > 0) {
    throw new WorkflowInputError(
      `${study} input: ${nearMisses
        .map(({ table, found }) =>
          found.includes(table.fileName)
            ? `${table.fileName} is there but is not a regular file (a folder, a broken symbolic link, a pipe or a device)`
            : `${table.fileName} not found, but ${found.map((name) => JSON.stringify(name)).join(' and ')} is there (file names must match exactly, lower case)`,
        )
        .join('; ')}` +
        // The files missing with no near miss are named too: the upload lacks them as well.
        (missing.length > nearMisses.length
          ? `; missing ${missing.filter((table) => !nearMisses.some((miss) => miss.table === table)).map((table) => table.fileName).join(', ')} in ${study}/`
          : ''),
    );
  }
  if (present.length === 0) return { run: false, note: `skipped: no ${study} input (expected ${tables.map((t) => t.fileName).join(', ')} in ${study}/)` };
  if (missing.length > 0) {
    throw new WorkflowInputError(`${study} input is incomplete: missing ${missing.map((table) => table.fileName).join(', ')} in ${study}/ (found ${present.join(', ')})`);
  }
  const strays = straysBeside(sqlTables, listed);
  if (strays.length > 0) {
    throw new WorkflowInputError(
      `${study} input: ${strays.map(({ table, found }) => `${found.map((name) => JSON.stringify(`${studyInputPrefix(study)}${name}`)).join(' and ')} ${found.length === 1 ? 'is' : 'are'} beside ${table.fileName}`).join('; ')}; ` +
        'Athena reads every object in a table\'s folder, so each would be read as more rows of that table: move them out of raw/',
    );
  }
  return { run: true, note: `runs on ${present.join(', ')}` };
}

/**
 * Objects other than a SQL table's own file inside its raw folder (S3 lists them as
 * <table folder>/<name>): Athena reads every object under a table's location, so a second extract
 * beside the first (student_info (1).csv) would be taken as more rows of the table. Only folder
 * markers (keys ending in /, which the S3 console makes) are passed over. The local input folder
 * is flat, so nothing there matches.
 */
function straysBeside(tables: readonly RawTable[], names: readonly string[]): { table: RawTable; found: string[] }[] {
  const result: { table: RawTable; found: string[] }[] = [];
  for (const table of tables) {
    const tableFolder = `${tableNameOf(table)}/`;
    const found = names.filter((name) => name.startsWith(tableFolder) && !name.endsWith('/') && name !== `${tableFolder}${table.fileName}`);
    if (found.length > 0) result.push({ table, found });
  }
  return result;
}

/**
 * Names that are probably a missing file under another spelling: the same name up to case,
 * surrounding spaces, '-' or ' ' for '_', and extensions (student_info.CSV, Student Info.csv,
 * student_info.csv.txt); in S3 also any object inside the table's own folder.
 */
function nearMissesOf(missing: readonly RawTable[], names: readonly string[]): { table: RawTable; found: string[] }[] {
  const stem = (name: string): string =>
    name.slice(name.lastIndexOf('/') + 1).trim().toLowerCase().replace(/[\s-]+/g, '_').replace(/(\.(csv|tsv|txt|gz|zip|xlsx?))+$/, '');
  const result: { table: RawTable; found: string[] }[] = [];
  for (const table of missing) {
    const tableFolder = `${tableNameOf(table)}/`;
    const found = names.filter((name) => stem(name) === stem(table.fileName) || name.startsWith(tableFolder));
    if (found.length > 0) result.push({ table, found });
  }
  return result;
}

/** Statistics on period files placed in results/<runId>/engagement/ beforehand. */
async function planPeriodFilesRun(runId: string, execution: string, options: AnalysisOptions, context: StepContext): Promise<RunPlan> {
  const folder = studyResultKey(runId, 'engagement', '');
  const names = (await context.store.list(folder)).map((object) => object.key.slice(folder.length)).filter((name) => !name.includes('/'));
  let files;
  try {
    files = findPeriodFiles(names);
  } catch (error) {
    throw new WorkflowInputError(`period files in ${folder}: ${(error as Error).message}`);
  }
  // The period files are this run's input: everything else in the folder is an earlier attempt's.
  const inputs = new Set([...Object.values(files.cohorts).flatMap((group) => Object.values(group)), files.minutesAndCertificates].map((name) => `engagement/${name}`));
  await beginAttempt(context.store, runId, execution, context.now(), (relative) => inputs.has(relative));
  const cohorts: CohortPlan[] = [];
  for (const role of ['baseline', 'comparison'] as const) {
    for (const group of ['free', 'paid'] as const) {
      const period = files.periods[role];
      cohorts.push({ name: `${period}_${group}`, period, role, group, paid: group === 'paid' ? 1 : 0, fileName: files.cohorts[role][group] });
    }
  }
  return {
    runId,
    startedAt: context.now().toISOString(),
    mode: 'periodFiles',
    periods: { baseline: { label: files.periods.baseline }, comparison: { label: files.periods.comparison } },
    scheduledAt: null,
    studies: {
      engagement: { run: true, note: `statistics on the period files ${[...cohorts.map((c) => c.fileName), files.minutesAndCertificates].join(', ')}` },
      mooc: { run: false, note: 'skipped: not part of a statistics-only run' },
    },
    options,
    runQueries: {},
    engagement: { cohorts, minutesAndCertificatesFile: files.minutesAndCertificates },
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
