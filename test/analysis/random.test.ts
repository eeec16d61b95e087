import { describe, expect, it } from 'vitest';
import { cumulativeWeights, Random } from '../../lambdas/analysis/random';
import reference from '../fixtures/synthetic/xoshiro_reference.json';

describe('Random (xoshiro128** seeded by splitmix32)', () => {
  it('matches an independent Python implementation of the published algorithm', () => {
    expect(reference.length).toBeGreaterThan(0);
    for (const { seed, stream, first } of reference) {
      const random = new Random(seed, stream);
      expect(first.map(() => random.nextUint32())).toEqual(first);
    }
  });

  it('gives the same sequence for the same seed and other sequences for other seeds or streams', () => {
    const draw = (seed: number, stream = 0): number[] => {
      const random = new Random(seed, stream);
      return Array.from({ length: 20 }, () => random.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7, 0)).not.toEqual(draw(7, 1));
    expect(() => new Random(1.5)).toThrow(RangeError);
  });

  it('draws from the advertised distributions (moments within sampling error)', () => {
    const random = new Random(123);
    const n = 200_000;
    const mean = (draw: () => number): { mean: number; sd: number } => {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        sum += x;
        squares += x * x;
      }
      return { mean: sum / n, sd: Math.sqrt(squares / n - (sum / n) ** 2) };
    };
    const uniform = mean(() => random.next());
    expect(uniform.mean).toBeCloseTo(0.5, 2);
    const normal = mean(() => random.normal(3, 2));
    expect(normal.mean).toBeCloseTo(3, 1);
    expect(normal.sd).toBeCloseTo(2, 1);
    // E[lognormal(mu, sigma)] = exp(mu + sigma^2 / 2)
    expect(mean(() => random.lognormal(0, 0.5)).mean).toBeCloseTo(Math.exp(0.125), 1);
    expect(mean(() => random.exponential(4)).mean).toBeCloseTo(4, 1);
    expect(mean(() => random.poisson(3.5)).mean).toBeCloseTo(3.5, 1);
    const largePoisson = mean(() => random.poisson(100));
    expect(largePoisson.mean).toBeCloseTo(100, 0);
    expect(largePoisson.sd).toBeCloseTo(10, 0);
    // geometric(p): failures before the first success, mean (1 - p) / p = 3 for p = 0.25
    expect(mean(() => random.geometric(0.25)).mean).toBeCloseTo(3, 1);
  });

  it('picks indexes in proportion to their weights', () => {
    const random = new Random(9);
    const table = cumulativeWeights([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[random.weighted(table)]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 40_000).toBeCloseTo(0.25, 1);
    expect(counts[2]! / 40_000).toBeCloseTo(0.75, 1);
    expect(() => cumulativeWeights([0, 0])).toThrow(RangeError);
  });
});
