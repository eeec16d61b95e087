// Child process of the statistics-memory benchmark and of test/steps/statistics-memory.test.ts: runs
// ONE statistics step (as one Lambda invocation would) on a LocalObjectStore and prints one JSON line
// with its wall time and the process's peak RSS. One step per process, because a Lambda's memory
// setting bounds the whole process of one invocation.
import { MINUTES_AND_CERTIFICATES_FILE } from '../lambdas/contracts/layout';
import { DEFAULT_ANALYSIS_OPTIONS } from '../lambdas/contracts/run-options';
import { LocalObjectStore } from '../lib/local/local-object-store';
import { computeStatisticsStep } from '../lambdas/steps/compute-engagement-statistics';
import { removeCohortOutliers } from '../lambdas/steps/remove-cohort-outliers';
import { silentLogger, type StepContext } from '../lambdas/steps/step-context';
import { BASELINE, COMPARISON, cohortPlans } from './statistics-data';
import type { CohortOutlierRecord } from '../lambdas/contracts/state-payloads';

export type StatisticsChildInput =
  | { step: 'RemoveCohortOutliers'; resultsDir: string; runId: string; cohort: number }
  | { step: 'ComputeEngagementStatistics'; resultsDir: string; runId: string; outliers: CohortOutlierRecord[] };

export interface StatisticsChildReport {
  step: string;
  ms: number;
  maxRssKb: number;
  result: unknown;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as StatisticsChildInput;
  const context: StepContext = {
    store: new LocalObjectStore({ mounts: [{ prefix: 'results/', dir: input.resultsDir }] }),
    logger: silentLogger,
    now: () => new Date(),
  };
  const started = performance.now();
  let result: unknown;
  if (input.step === 'RemoveCohortOutliers') {
    result = await removeCohortOutliers({ runId: input.runId, cohort: cohortPlans()[input.cohort]!, quantile: DEFAULT_ANALYSIS_OPTIONS.outlierQuantile }, context);
  } else {
    result = await computeStatisticsStep(
      {
        runId: input.runId,
        periods: { baseline: { label: BASELINE }, comparison: { label: COMPARISON } },
        cohorts: cohortPlans(),
        outliers: input.outliers,
        minutesAndCertificatesFile: MINUTES_AND_CERTIFICATES_FILE,
        options: DEFAULT_ANALYSIS_OPTIONS,
      },
      context,
    );
  }
  const report: StatisticsChildReport = { step: input.step, ms: performance.now() - started, maxRssKb: process.resourceUsage().maxRSS, result };
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
