// Step 4: drop each cohort's heaviest viewers, those at or above the q quantile of minutes watched.
import type { Cohort } from '../../tabular/cohort-file';
import { quantileLinearOfUnsorted } from './descriptive';

export interface OutlierRemoval {
  q: number;
  /** The q quantile of the cohort; null for an empty cohort. */
  cutoff: number | null;
  nBefore: number;
  nAfter: number;
  /** Students strictly below the cutoff, in input order. */
  kept: Cohort;
}

export function removeOutliers(cohort: Cohort, q = 0.99): OutlierRemoval {
  const nBefore = cohort.minutes.length;
  if (nBefore === 0) return { q, cutoff: null, nBefore, nAfter: 0, kept: cohort };
  const cutoff = quantileLinearOfUnsorted(cohort.minutes, q);
  let nAfter = 0;
  for (let i = 0; i < nBefore; i++) if (cohort.minutes[i]! < cutoff) nAfter += 1;
  const studentIds = new Float64Array(nAfter);
  const minutes = new Float64Array(nAfter);
  const paid = new Uint8Array(nAfter);
  let next = 0;
  for (let i = 0; i < nBefore; i++) {
    if (cohort.minutes[i]! < cutoff) {
      studentIds[next] = cohort.studentIds[i]!;
      minutes[next] = cohort.minutes[i]!;
      paid[next] = cohort.paid[i]!;
      next += 1;
    }
  }
  return { q, cutoff, nBefore, nAfter, kept: { ...cohort, studentIds, minutes, paid } };
}
