// Area under the ROC curve as the Mann-Whitney statistic: the chance that a random positive scores
// above a random negative, ties counting half (sklearn.metrics.roc_auc_score). Tied scores share their
// average rank, which is the trapezoid the ROC curve draws through a tie.
import { averageRanks } from './ranks';

/** ROC AUC of scores against 0/1 labels; NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const ranks = averageRanks(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (labels[i] === 1) {
      positives += 1;
      positiveRankSum += ranks[i]!;
    }
  }
  const negatives = ranks.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
