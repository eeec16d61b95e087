// Reproducible randomness of the statistics: the train/test split (a Fisher-Yates shuffle) and the
// bootstrap's resampling, both driven by the project's seeded generator (xoshiro128** from
// synthetic/random.ts), so the same seed always picks the same students.
import { Random } from '../random';

/** Draws uniform indexes in [0, n): the bootstrap's source of resampled rows. */
export type IndexDraw = (n: number) => number;

/** Uniform indexes from the seeded generator; `stream` keeps two uses of one seed independent. */
export function seededIndexDraw(seed: number, stream = 0): IndexDraw {
  const random = new Random(seed, stream);
  return (n) => random.int(n);
}

/** A permutation of 0..n-1: for i from n-1 down to 1, swap i with a uniform j in [0, i]. */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const random = new Random(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/** A mark (1) on each of the first `count` indexes of seededPermutation(n, seed), 0 elsewhere. */
export function seededFirstMask(n: number, count: number, seed: number): Uint8Array {
  const order = seededPermutation(n, seed);
  const mask = new Uint8Array(n);
  for (let k = 0; k < count; k++) mask[order[k]!] = 1;
  return mask;
}

/** The `count` marked indexes of a mask, ascending: a chosen set read off in one pass, no sort. */
export function markedIndexes(mask: Uint8Array, count: number): Uint32Array {
  const indexes = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) indexes[next++] = i;
  return indexes;
}

/** Rows in the test part, as sklearn sizes it: ceil(n * testFraction) rows, the first ones of the shuffle. */
export function seededTestMask(n: number, testFraction: number, seed: number): Uint8Array {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction must be between 0 and 1, got ${testFraction}`);
  return seededFirstMask(n, Math.ceil(n * testFraction), seed);
}
