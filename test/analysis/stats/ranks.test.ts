// Average ranks (Spearman's input) against scipy's documented example and the definition itself.
import { describe, expect, it } from 'vitest';
import { averageRanks } from '../../../lambdas/analysis/stats/ranks';
import { Random } from '../../../lambdas/analysis/random';

/** The definition: values below, plus the middle of the tie run (1-based). */
function naiveRanks(values: number[]): number[] {
  return values.map((v) => values.filter((w) => w < v).length + (values.filter((w) => w === v).length + 1) / 2);
}

describe('averageRanks', () => {
  it('matches scipy.stats.rankdata([0, 2, 3, 2]) = [1, 2.5, 4, 2.5]', () => {
    expect([...averageRanks([0, 2, 3, 2])]).toEqual([1, 2.5, 4, 2.5]);
  });

  it('matches the definition on random data with many ties, zeros and -0', () => {
    const random = new Random(7);
    for (let round = 0; round < 50; round++) {
      const n = 1 + random.int(300);
      const values = Array.from({ length: n }, () => (random.chance(0.05) ? -0 : random.int(1 + random.int(40)) / 4));
      expect([...averageRanks(values)]).toEqual(naiveRanks(values));
    }
  });

  it('handles no values and one value', () => {
    expect([...averageRanks([])]).toEqual([]);
    expect([...averageRanks([5])]).toEqual([1]);
  });
});
