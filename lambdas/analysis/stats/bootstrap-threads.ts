// The bootstrap's resampling on worker threads. Each comparison's resamples are one sequential
// stream of draws, so a comparison cannot be split without changing its interval; the two
// comparisons (free, paid) are independent, though, and at hundreds of thousands of students each
// takes seconds on one core. Run side by side they take the time of one.
//
// The worker's code is a string evaluated by the worker, not a module file: the same code then runs
// under tsx, the compiled CLI bundle and each Lambda bundle, where no separate worker file exists.
// It replays Random.int (xoshiro128**, Math.floor(u32 / 2^32 * n)) from the generator's state and
// sums each resample in the same order as bootstrapMeanDifferences, so the differences are the same
// numbers bit for bit (test/analysis/stats/bootstrap-threads.test.ts compares them).
import { Worker } from 'node:worker_threads';
import { Random } from '../random';
import { BOOTSTRAP_STREAM, bootstrapIntervalOf, bootstrapResamplesOf, type BootstrapInterval } from './bootstrap';

const RESAMPLING_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Locals of one function, not script-level bindings: V8 keeps them in registers in the hot loop.
function resampledDifferences(baseline, comparison, resamples, state) {
  let [a, b, c, d] = state;
  const differences = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let means = [0, 0];
    for (let side = 0; side < 2; side++) {
      const values = side === 0 ? baseline : comparison;
      const n = values.length;
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const x = Math.imul(b, 5);
        const word = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
        const t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = (d << 11) | (d >>> 21);
        sum += values[Math.floor((word / 4294967296) * n)];
      }
      means[side] = sum / n;
    }
    differences[r] = means[1] - means[0];
  }
  return differences;
}
const { baseline, comparison, resamples, state } = workerData;
const differences = resampledDifferences(baseline, comparison, resamples, state);
parentPort.postMessage(differences, [differences.buffer]);
`;

/** The differences of resampled means (comparison - baseline) for `seed`, computed on a worker thread. */
export function bootstrapDifferencesOnThread(baseline: ArrayLike<number>, comparison: ArrayLike<number>, resamples: number, seed: number): Promise<Float64Array> {
  const workerData = {
    baseline: Float64Array.from(baseline),
    comparison: Float64Array.from(comparison),
    resamples,
    state: new Random(seed, BOOTSTRAP_STREAM).state(),
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(RESAMPLING_SOURCE, { eval: true, workerData });
    let settled = false;
    worker.once('message', (differences: Float64Array) => {
      settled = true;
      resolve(differences);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`bootstrap worker thread exited with code ${code} before it answered`));
    });
  });
}

/** The interval bootstrapMeanDifference gives for the same data and seed, resampled on a worker thread. */
export async function bootstrapMeanDifferenceOnThread(baseline: ArrayLike<number>, comparison: ArrayLike<number>, seed: number): Promise<BootstrapInterval | null> {
  const resamples = bootstrapResamplesOf(baseline, comparison);
  if (resamples === 0) return null;
  return bootstrapIntervalOf(await bootstrapDifferencesOnThread(baseline, comparison, resamples, seed), seed);
}
