// `engagement run` and `engagement stats`: the local workflow from the command line.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultRunId, assertRunId, runPrefix, RESULTS_PREFIX } from '../../lambdas/core/layout';
import { findPeriodFiles } from '../../lambdas/core/stats/period-files';
import type { RunRequest } from '../../lambdas/steps/plan-run';
import { runLocalWorkflow, type LocalRunResult } from '../local/local-runner';
import { UsageError } from './arguments';
import { progressPrinter } from './progress';

export interface RunCommandOptions {
  inputDir: string;
  outDir: string;
  runId?: string;
  request: RunRequest;
  quiet?: boolean;
}

export async function runCommand(options: RunCommandOptions): Promise<LocalRunResult> {
  if (!existsSync(options.inputDir) || !statSync(options.inputDir).isDirectory()) {
    throw new UsageError(`input folder ${options.inputDir} does not exist`);
  }
  const runId = options.runId ?? defaultRunId();
  assertRunId(runId);
  await mkdir(options.outDir, { recursive: true });
  if (!options.quiet) process.stderr.write(`engagement-workflow run ${runId}: input ${options.inputDir}, results ${options.outDir}\n`);
  return runLocalWorkflow({
    inputDir: options.inputDir,
    outDir: options.outDir,
    runId,
    request: options.request,
    onProgress: options.quiet ? undefined : progressPrinter(),
  });
}

/**
 * Statistics on an analyst's period files: they are copied (never moved or changed) into the
 * run's engagement/ folder, and the same workflow runs from its statistics stage.
 */
export async function statsCommand(options: Omit<RunCommandOptions, 'inputDir' | 'request'> & { periodsDir: string; analysisOptions?: Record<string, string> }): Promise<LocalRunResult> {
  if (!existsSync(options.periodsDir) || !statSync(options.periodsDir).isDirectory()) {
    throw new UsageError(`periods folder ${options.periodsDir} does not exist`);
  }
  const names = (await readdir(options.periodsDir)).filter((name) => name.endsWith('.csv'));
  const files = findPeriodFiles(names);
  const runId = assertRunId(options.runId ?? defaultRunId());
  const engagementDir = path.join(options.outDir, runPrefix(runId).slice(RESULTS_PREFIX.length), 'engagement');
  await mkdir(engagementDir, { recursive: true });
  for (const name of [...Object.values(files.cohorts).flatMap((group) => Object.values(group)), files.minutesAndCertificates]) {
    await copyFile(path.join(options.periodsDir, name), path.join(engagementDir, name));
  }
  const emptyInput = await mkdtemp(path.join(os.tmpdir(), 'engagement-no-raw-'));
  try {
    return await runCommand({
      inputDir: emptyInput,
      outDir: options.outDir,
      runId,
      quiet: options.quiet,
      request: { periodFiles: true, ...(options.analysisOptions ? { options: options.analysisOptions } : {}) },
    });
  } finally {
    await rm(emptyInput, { recursive: true, force: true });
  }
}

/** The closing summary: run id, headline findings, where the dashboard and files are. */
function readHeadlines(runDir: string): string[] {
  try {
    const report = JSON.parse(readFileSync(path.join(runDir, 'report', 'findings.json'), 'utf8')) as { findings?: { headline?: string }[] };
    return (report.findings ?? []).map((finding) => finding.headline).filter((headline): headline is string => typeof headline === 'string');
  } catch {
    return [];
  }
}

export function describeResult(result: LocalRunResult): string {
  if (result.status === 'succeeded' && result.manifest) {
    const studies = Object.entries(result.manifest.studies)
      .map(([study, info]) => `${study}: ${info.status}${info.note ? ` (${info.note})` : ''}`)
      .join('; ');
    const lines = [`Run ${result.runId} succeeded: ${result.manifest.outputs.length} result files.`, `  ${studies}`];
    const headlines = readHeadlines(result.runDir);
    if (headlines.length > 0) lines.push('Findings:', ...headlines.map((headline) => `  - ${headline}`));
    const dashboard = path.join(result.runDir, 'report', 'index.html');
    if (existsSync(dashboard)) lines.push(`  dashboard: ${dashboard}`);
    lines.push(`  results:   ${result.runDir}`, `  manifest:  ${path.join(result.runDir, 'manifest.json')}`);
    return lines.join('\n');
  }
  const failure = result.failure;
  return [
    `Run ${result.runId} failed${failure?.state ? ` in ${failure.state}` : ''}: ${failure ? `${failure.error}: ${failure.cause}` : 'no result'}`,
    `  details: ${path.join(result.runDir, '_FAILED.json')}`,
  ].join('\n');
}
