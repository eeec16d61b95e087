// `npm run bench -- --cohort-students N [--certificate-students M] [--no-synth]`: the statistics steps
// on N students per cohort, each invocation in its own Node process capped as its Lambda is
// (--max-old-space-size = the step's memoryMb), with its wall time and peak RSS set against memoryMb
// (a Lambda's memory bounds the whole process, typed-array storage outside the heap included).
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKFLOW_STEPS } from '../lib/function-specs';
import type { CohortOutlierRecord } from '../lambdas/contracts/state-payloads';
import { CACHE_DIR } from './data';
import { ChildFailedError, runMeasuredChild, tsChild, type ChildFigures } from './measured-child';
import { markdownTable, mebibytes, megabytes, seconds, thousands } from './report-table';
import type { StatisticsChildInput, StatisticsChildReport } from './statistics-child';
import { cohortPlans, writeStatisticsInput, type StatisticsInput } from './statistics-data';

export interface StatisticsBenchOptions {
  cohortStudents: number;
  certificateStudents: number;
  seed: number;
}

export interface StepMeasurement {
  step: string;
  label: string;
  rows: number;
  memoryMb: number;
  stepMs: number | null;
  processMs: number;
  peakRssBytes: number;
  failure?: string;
}

const RUN_ID = 'bench';

async function statisticsInput(options: StatisticsBenchOptions): Promise<{ resultsDir: string; input: StatisticsInput }> {
  const dir = path.join(CACHE_DIR, `statistics-c${options.cohortStudents}-m${options.certificateStudents}-s${options.seed}`);
  const resultsDir = path.join(dir, 'results');
  const marker = path.join(dir, 'generated.json');
  if (existsSync(marker)) return { resultsDir, input: JSON.parse(await readFile(marker, 'utf8')) as StatisticsInput };
  await rm(dir, { recursive: true, force: true });
  process.stderr.write(`generating ${thousands(options.cohortStudents)} students per cohort ...\n`);
  const input = await writeStatisticsInput(path.join(resultsDir, RUN_ID), options.cohortStudents, options.certificateStudents, options.seed);
  await writeFile(marker, JSON.stringify(input, null, 2) + '\n');
  return { resultsDir, input };
}

/** Runs one step in a child capped at memoryMb; a child that dies (out of memory) is a measurement too. */
async function measureStep(input: StatisticsChildInput, label: string, rows: number, memoryMb: number): Promise<StepMeasurement & { report?: StatisticsChildReport }> {
  try {
    const figures: ChildFigures = await runMeasuredChild(tsChild('statistics-child.ts', input, [`--max-old-space-size=${memoryMb}`]));
    const report = figures.report as StatisticsChildReport;
    return { step: input.step, label, rows, memoryMb, stepMs: report.ms, processMs: figures.processMs, peakRssBytes: figures.peakRssBytes, report };
  } catch (error) {
    if (!(error instanceof ChildFailedError)) throw error;
    const reason = /heap out of memory|Allocation failed/i.test(error.stderr) ? 'JavaScript heap out of memory' : `exit ${error.code}: ${error.stderr.trim().split('\n').pop()}`;
    return { step: input.step, label, rows, memoryMb, stepMs: null, processMs: error.processMs, peakRssBytes: error.peakRssBytes, failure: reason };
  }
}

export async function measureStatisticsSteps(options: StatisticsBenchOptions): Promise<{ input: StatisticsInput; steps: StepMeasurement[] }> {
  const { resultsDir, input } = await statisticsInput(options);
  const steps: StepMeasurement[] = [];
  const outliers: CohortOutlierRecord[] = [];
  const plans = cohortPlans();
  for (const [cohort, plan] of plans.entries()) {
    process.stderr.write(`RemoveCohortOutliers ${plan.name} ...\n`);
    const memoryMb = WORKFLOW_STEPS.removeCohortOutliers.memoryMb;
    const measured = await measureStep({ step: 'RemoveCohortOutliers', resultsDir, runId: RUN_ID, cohort }, plan.name, options.cohortStudents, memoryMb);
    steps.push(measured);
    if (measured.report) outliers.push(measured.report.result as CohortOutlierRecord);
  }
  if (outliers.length === plans.length) {
    process.stderr.write('ComputeEngagementStatistics ...\n');
    const memoryMb = WORKFLOW_STEPS.computeEngagementStatistics.memoryMb;
    const rows = 4 * options.cohortStudents * 2 + options.certificateStudents; // raw and cleaned cohorts, certificates
    steps.push(await measureStep({ step: 'ComputeEngagementStatistics', resultsDir, runId: RUN_ID, outliers }, 'all cohorts', rows, memoryMb));
  }
  return { input, steps: steps.map(({ report: _report, ...step }: StepMeasurement & { report?: unknown }) => step) };
}

export async function benchStatistics(options: StatisticsBenchOptions, out: string[], figures: Record<string, unknown>): Promise<void> {
  const { input, steps } = await measureStatisticsSteps(options);
  out.push(
    `## Statistics steps: ${thousands(options.cohortStudents)} students per cohort, ${thousands(options.certificateStudents)} in minutes_and_certificates (${megabytes(input.bytes)} of CSV)`,
    '',
    'Each invocation in its own process with `--max-old-space-size` = the step\'s memoryMb; peak RSS is the whole process (what the Lambda\'s memory bounds).',
    '',
    markdownTable(
      ['step', 'cohort', 'rows read', 'wall s (step)', 'wall s (process)', 'peak RSS', 'memoryMb', 'fits'],
      steps.map((step) => [
        step.step,
        step.label,
        thousands(step.rows),
        step.stepMs === null ? '-' : seconds(step.stepMs),
        seconds(step.processMs),
        mebibytes(step.peakRssBytes),
        step.memoryMb,
        step.failure ? `NO: ${step.failure}` : step.peakRssBytes <= step.memoryMb * 2 ** 20 ? 'yes' : 'NO: RSS over memoryMb',
      ]),
    ),
    '',
  );
  figures.statistics = { options, input, steps };
}
