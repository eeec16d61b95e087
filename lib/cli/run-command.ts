// `engagement run` and `engagement stats`: the local workflow from the command line.
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assertRunId } from '../../lambdas/contracts/layout';
import { resolveStudyPeriods } from '../../lambdas/analysis/periods';
import { resolveAnalysisOptions } from '../../lambdas/contracts/run-options';
import { findPeriodFiles } from '../../lambdas/contracts/period-files';
import { describeQuarantinedFile, quarantineHeadline, quarantinedFiles } from '../../lambdas/analysis/report/data-quality-findings';
import type { RunRequest } from '../../lambdas/contracts/state-payloads';
import { DATA_QUALITY_FILE, FAILED_FILE, MANIFEST_FILE, RESULT_FILES, resultFileKey } from '../../lambdas/contracts/result-files';
import { anyRunPublished, noRawScratchPrefix, releaseOwnLocksSync, removeOwnScratchSync, runLocalWorkflow, type LocalRunOptions, type LocalRunResult } from '../local/local-runner';
import { removeOwnTemporariesSync } from '../local/local-object-store';
import { UsageError, existingFolder, folderToWrite, nearestExisting } from './arguments';
import { synthesizeWorkflow } from '../local/synthesized-definition';
import { progressPrinter, workStateNames } from './progress';
import { onStopSignals, stopExitCode } from './stop-signals';

export interface RunCommandOptions {
  inputDir: string;
  outDir: string;
  runId?: string;
  request: RunRequest;
  /** --json: no progress on stderr, and the outcome (a stop by a signal too) as JSON on stdout. */
  quiet?: boolean;
}

export async function runCommand(options: RunCommandOptions): Promise<LocalRunResult> {
  const inputDir = existingFolder(options.inputDir, 'input');
  const runId = usableRunId(options.runId);
  checkRequest(options.request);
  const studyFolders = ['engagement', 'mooc'].map((study) => ({ dir: path.join(inputDir, study), what: 'the input study folder' }));
  // Refused before the run starts: a run with nothing to analyse would still replace an earlier result under its id.
  if (!studyFolders.some((folder) => existsSync(folder.dir) && statSync(folder.dir).isDirectory())) {
    throw new UsageError(`input folder ${inputDir} holds neither engagement/ nor mooc/: give the folder that holds the study folders (see engagement run --help)`);
  }
  checkOutFolder(options.outDir, runId, studyFolders, [{ dir: inputDir, what: 'the input folder' }, ...studyFolders]);
  return startRun({ inputDir, outDir: options.outDir, runId, request: options.request, quiet: options.quiet });
}

/**
 * Statistics on an analyst's period files: they are copied (never moved or changed) into the
 * run's engagement/ folder, and the same workflow runs from its statistics stage.
 */
export async function statsCommand(options: Omit<RunCommandOptions, 'inputDir' | 'request'> & { periodsDir: string; analysisOptions?: Record<string, string> }): Promise<LocalRunResult> {
  const periodsDir = existingFolder(options.periodsDir, 'periods');
  const names = (await readdir(periodsDir)).filter((name) => name.endsWith('.csv'));
  const files = findPeriodFiles(names);
  const runId = usableRunId(options.runId);
  const request: RunRequest = { periodFiles: true, ...(options.analysisOptions ? { options: options.analysisOptions } : {}) };
  checkRequest(request);
  checkOutFolder(options.outDir, runId, [], [{ dir: periodsDir, what: 'the periods folder' }]);
  const emptyInput = await mkdtemp(path.join(os.tmpdir(), noRawScratchPrefix()));
  try {
    return await startRun({
      inputDir: emptyInput,
      inputLabel: `period files in ${periodsDir}`,
      outDir: options.outDir,
      runId,
      quiet: options.quiet,
      request,
      periodFiles: { dir: periodsDir, names: [...Object.values(files.cohorts).flatMap((group) => Object.values(group)), files.minutesAndCertificates] },
    });
  } finally {
    await rm(emptyInput, { recursive: true, force: true });
  }
}

async function startRun(options: { inputDir: string; outDir: string; runId: string | undefined; request: RunRequest; quiet?: boolean; periodFiles?: LocalRunOptions['periodFiles']; inputLabel?: string }): Promise<LocalRunResult> {
  let started: string | undefined;
  const banner = (runId: string) => {
    started = runId;
    if (!options.quiet) process.stderr.write(`engagement-workflow run ${runId}: input ${options.inputLabel ?? options.inputDir}, results ${options.outDir}\n`);
  };
  // Ctrl-C, a service stop or a closed terminal: the run cannot finish, so say so, remove this process's scratch
  // folders (DuckDB's database among them), release its lock (a rerun goes ahead at once, from any
  // host) and exit. The run folder keeps the "attempt not finished" marker of an unfinished run.
  // Once the manifest is being published the run is all but complete: it ends as it would have
  // (a second signal stops it at once).
  const onSignal = (signal: NodeJS.Signals) => {
    if (anyRunPublished()) {
      if (!options.quiet) process.stderr.write(`\nengagement: ${signal} once run ${started} began publishing its manifest; letting it end\n`);
      return;
    }
    // Each on its own: whatever one of them meets, the others still run and the process still says
    // why it stops and exits with the signal's code. The lock first: a rerun waits on it.
    for (const release of [releaseOwnLocksSync, removeOwnTemporariesSync, removeOwnScratchSync]) {
      try {
        release();
      } catch {
        // What is left, a later run clears (a dead process's lock, guard or scratch folder).
      }
    }
    const message = `stopped by ${signal}` + (started ? `; run ${started} did not finish: rerun it with --run-id ${started}` : '');
    process.stderr.write(`\nengagement: ${message}\n`);
    // --json promises the outcome as JSON on stdout, a stop included.
    if (options.quiet) process.stdout.write(JSON.stringify({ ...(started ? { run_id: started } : {}), status: 'failed', error: 'Stopped', message }, null, 2) + '\n');
    process.exit(stopExitCode(signal));
  };
  const removeSignalHandler = onStopSignals(onSignal);
  const progress = options.quiet ? undefined : progressPrinter(process.stderr, workStateNames((await synthesizeWorkflow()).definition));
  try {
    return await runLocalWorkflow({
      inputDir: options.inputDir,
      outDir: options.outDir,
      runId: options.runId,
      onRunId: banner,
      request: options.request,
      periodFiles: options.periodFiles,
      onProgress: progress,
    });
  } finally {
    removeSignalHandler();
    // The run has ended, as it says on disk: a signal while the summary is printed lets the process
    // print it and exit as the run ended (a second one stops it at once).
    onStopSignals((signal) => {
      if (!options.quiet) process.stderr.write(`\nengagement: ${signal} after run ${started} ended; closing down\n`);
    });
    progress?.close();
  }
}

// Usage is checked whole before anything is created: a bad command leaves no run folder, lock or
// scratch folder behind (exit 2). The workflow's PlanRun checks the same again (it also serves AWS).

/** The run id asked for, checked; none (undefined) lets the run take a new one (see runLocalWorkflow). */
function usableRunId(runId: string | undefined): string | undefined {
  if (runId === undefined) return undefined;
  try {
    return assertRunId(runId);
  } catch (error) {
    throw new UsageError(`--run-id: ${(error as Error).message}`);
  }
}

/** The same checks PlanRun makes of periods and options, made before the run starts. */
function checkRequest(request: RunRequest): void {
  try {
    resolveAnalysisOptions(request.options);
    resolveStudyPeriods(request);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * --out must be a folder (or not exist yet), must not lie in a folder the run reads (a rerun
 * empties its run folder, and results inside an input study folder would be read as input), and
 * the run folder must not hold what the run reads.
 */
function checkOutFolder(outDir: string, runId: string | undefined, forbiddenParents: { dir: string; what: string }[], inputs: { dir: string; what: string }[]): void {
  folderToWrite(outDir, '--out');
  const out = resolvedPath(outDir);
  for (const { dir, what } of forbiddenParents) {
    const folder = resolvedPath(dir);
    if (isInside(out, folder)) throw new UsageError(`--out ${outDir} is inside ${what} ${dir}: results would be read as input; choose a folder outside it`);
  }
  // A run without an id takes a new one: no existing folder is emptied.
  if (runId === undefined) return;
  const runDir = path.join(out, runId);
  // The run empties its folder first: through a link, that would empty the link's target (the input, another run).
  const link = linkTarget(runDir);
  if (link !== undefined) {
    throw new UsageError(`the run folder ${runDir} is a symbolic link (to ${link}), which the run would empty first; remove the link or choose another --run-id`);
  }
  if (existsSync(runDir) && !statSync(runDir).isDirectory()) {
    throw new UsageError(`the run folder ${runDir} is a file, not a folder; move it away or choose another --run-id`);
  }
  for (const { dir, what } of inputs) {
    if (isInside(resolvedPath(dir), runDir)) throw new UsageError(`${what} ${dir} is inside the run folder ${runDir}, which the run empties first; choose another --out or --run-id`);
  }
}

/** Where a symbolic link at `file` points, or undefined when `file` is none. */
function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** The real path of a folder, or of its nearest existing ancestor joined with the rest. */
function resolvedPath(dir: string): string {
  const absolute = path.resolve(dir);
  const existing = nearestExisting(absolute);
  return path.join(realpathSync(existing), path.relative(existing, absolute));
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The closing summary: run id, headline findings, where the dashboard and files are. */
function readHeadlines(runDir: string): string[] {
  try {
    const report = JSON.parse(readFileSync(path.join(runDir, resultFileKey(RESULT_FILES.reportFindings)), 'utf8')) as { findings?: { study?: string; headline?: string }[] };
    // Quarantined rows are listed from data_quality.json, with paths relative to the run folder.
    return (report.findings ?? [])
      .filter((finding) => finding.study !== 'data quality')
      .map((finding) => finding.headline)
      .filter((headline): headline is string => typeof headline === 'string');
  } catch {
    return [];
  }
}

/** "Data quality: 20 input rows were quarantined ...", then one line per file (paths relative to the run folder). */
export function dataQualityLines(runDir: string): string[] {
  let files;
  try {
    files = quarantinedFiles(JSON.parse(readFileSync(path.join(runDir, DATA_QUALITY_FILE), 'utf8')));
  } catch {
    return [];
  }
  if (files.length === 0) return [];
  return [`Data quality: ${quarantineHeadline(files)}`, ...files.map((file) => `  - ${describeQuarantinedFile(file, '')}`)];
}

export function describeResult(result: LocalRunResult): string {
  if (result.status === 'succeeded' && result.manifest) {
    const studies = Object.entries(result.manifest.studies)
      // A note may begin with the status it explains ("skipped: no mooc input ..."): said once.
      .map(([study, info]) => {
        const note = info.note?.startsWith(`${info.status}: `) ? info.note.slice(info.status.length + 2) : info.note;
        return `${study}: ${info.status}${note ? ` (${note})` : ''}`;
      })
      .join('; ');
    const lines = [`Run ${result.runId} succeeded: ${result.manifest.outputs.length} result files.`, `  ${studies}`];
    lines.push(...dataQualityLines(result.runDir));
    const headlines = readHeadlines(result.runDir);
    if (headlines.length > 0) lines.push('Findings:', ...headlines.map((headline) => `  - ${headline}`));
    const dashboard = path.join(result.runDir, resultFileKey(RESULT_FILES.reportIndex));
    if (existsSync(dashboard)) lines.push(`  dashboard: ${dashboard}`);
    lines.push(`  results:   ${result.runDir}`, `  manifest:  ${path.join(result.runDir, MANIFEST_FILE)}`);
    return lines.join('\n');
  }
  const failure = result.failure;
  const lines = [`Run ${result.runId} failed${failure?.state ? ` in ${failure.state}` : ''}: ${failure ? `${failure.error}: ${failure.cause}` : 'no result'}`];
  if (failure && !failure.recorded) lines.push(`  not in _FAILED.json: ${failure.not_recorded_because}`);
  else lines.push(`  details: ${path.join(result.runDir, FAILED_FILE)}`);
  if (result.earlierResultKept) lines.push(`  the run's earlier result is unchanged: ${path.join(result.runDir, MANIFEST_FILE)}`);
  return lines.join('\n');
}
