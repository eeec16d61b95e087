// Statistics step 4, one cohort per call (the workflow runs it as a Map over the four cohorts):
// drops students at or above the cohort's quantile and writes the cleaned cohort file.
import { Readable } from 'node:stream';
import { assertRunId, studyResultKey } from '../contracts/layout';
import { formatCohortCsvChunks, parseCohortFile, type Cohort } from '../tabular/cohort-file';
import { CsvFormatError } from '../tabular/csv';
import { removeOutliers } from '../analysis/stats/outliers';

import type { StepContext } from './step-context';
import type { CohortOutlierRecord, RemoveCohortOutliersEvent } from '../contracts/state-payloads';

export function cleanedFileName(fileName: string): string {
  return fileName.replace(/\.csv$/i, '_no_outliers.csv');
}

/**
 * A cohort file lists each student once, all of the file's paid flag: the SQL stage writes them so,
 * and an analyst's own period files (engagement stats) must too, or a student would count twice or
 * in the wrong plan. Rows are named as lines of the file (1 = the header).
 */
export function assertCohortRows(cohort: Cohort, paid: 0 | 1): void {
  const { studentIds, source } = cohort;
  const wrongPlan = cohort.paid.findIndex((flag) => flag !== paid);
  if (wrongPlan >= 0) {
    throw new CsvFormatError(source, wrongPlan + 2, `${cohort.paidColumnName} is ${cohort.paid[wrongPlan]}, but this is the paid_${paid} cohort file: each file holds one plan's students`);
  }
  let ascending = true;
  for (let i = 1; i < studentIds.length && ascending; i++) ascending = studentIds[i - 1]! < studentIds[i]!;
  if (ascending) return;
  // Out of order or repeated: find the first repeat by its rows.
  const order = Uint32Array.from(studentIds, (_, i) => i).sort((a, b) => studentIds[a]! - studentIds[b]! || a - b);
  let first = -1;
  let second = -1;
  for (let k = 1; k < order.length; k++) {
    const [a, b] = [order[k - 1]!, order[k]!];
    if (studentIds[a] === studentIds[b] && (second < 0 || b < second)) [first, second] = [a, b];
  }
  if (second >= 0) {
    throw new CsvFormatError(source, second + 2, `student_id ${studentIds[second]} appears again (first on row ${first + 2}): a cohort file lists each student once`);
  }
}

export async function removeCohortOutliers(event: RemoveCohortOutliersEvent, context: StepContext): Promise<CohortOutlierRecord> {
  const runId = assertRunId(event.runId);
  const { cohort } = event;
  try {
    const sourceKey = studyResultKey(runId, 'engagement', cohort.fileName);
    const parsed = await parseCohortFile(await context.store.getStream(sourceKey), cohort.fileName);
    assertCohortRows(parsed, cohort.paid);
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
