// Statistics step 4, one cohort per call (the workflow runs it as a Map over the four cohorts):
// drops students at or above the cohort's quantile and writes the cleaned cohort file.
import { Readable } from 'node:stream';
import { assertRunId, studyResultKey } from '../contracts/layout';
import { formatCohortCsvChunks, parseCohortFile } from '../tabular/cohort-file';
import { removeOutliers } from '../analysis/stats/outliers';

import type { StepContext } from './step-context';
import type { CohortOutlierRecord, RemoveCohortOutliersEvent } from '../contracts/state-payloads';

export function cleanedFileName(fileName: string): string {
  return fileName.replace(/\.csv$/i, '_no_outliers.csv');
}

export async function removeCohortOutliers(event: RemoveCohortOutliersEvent, context: StepContext): Promise<CohortOutlierRecord> {
  const runId = assertRunId(event.runId);
  const { cohort } = event;
  try {
    const sourceKey = studyResultKey(runId, 'engagement', cohort.fileName);
    const parsed = await parseCohortFile(await context.store.getStream(sourceKey), cohort.fileName);
    const removal = removeOutliers(parsed, event.quantile);
    const cleaned = cleanedFileName(cohort.fileName);
    await context.store.putStream(studyResultKey(runId, 'engagement', cleaned), Readable.from(formatCohortCsvChunks(removal.kept), { highWaterMark: 1 }), 'text/csv');
    const record = { name: cohort.name, fileName: cohort.fileName, cleanedFileName: cleaned, q: removal.q, cutoff: removal.cutoff, nBefore: removal.nBefore, nAfter: removal.nAfter };
    context.logger.info('outliers removed', { runId, ...record });
    return record;
  } catch (error) {
    // The Map runs four of these: say which cohort failed.
    const failure = error as Error;
    failure.message = `cohort ${cohort.name}: ${failure.message}`;
    throw failure;
  }
}
