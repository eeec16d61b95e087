// The ROC chart keeps only the curve's corners. Checked against the whole staircase (one point per
// distinct score, ties taken together) built here from counts: the corners are points of it, the
// polyline through them passes through every one of its points, and no corner could be left out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rocCurve } from '../../../lambdas/analysis/report/charts/mooc';

interface Counts {
  fp: number;
  tp: number;
}

function staircase(scores: number[], labels: (0 | 1)[]): Counts[] {
  const distinct = [...new Set(scores)].sort((a, b) => b - a);
  return [
    { fp: 0, tp: 0 },
    ...distinct.map((threshold) => ({
      fp: scores.filter((score, index) => score >= threshold && labels[index] === 0).length,
      tp: scores.filter((score, index) => score >= threshold && labels[index] === 1).length,
    })),
  ];
}

/** Whether p lies on the closed segment from a to c. */
function onSegment(a: Counts, p: Counts, c: Counts): boolean {
  const cross = (p.fp - a.fp) * (c.tp - a.tp) - (p.tp - a.tp) * (c.fp - a.fp);
  return cross === 0 && a.fp <= p.fp && p.fp <= c.fp && a.tp <= p.tp && p.tp <= c.tp;
}

const samples = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.constantFrom<0 | 1>(0, 1)), { minLength: 2, maxLength: 80 })
  .filter((rows) => rows.some(([, label]) => label === 1) && rows.some(([, label]) => label === 0));

describe('ROC curve corners', () => {
  it('lie on the whole staircase, draw every point of it and leave none out that bends the line', () => {
    fc.assert(
      fc.property(samples, (rows) => {
        const scores = rows.map(([score]) => score / 12);
        const labels = rows.map(([, label]) => label);
        const positives = labels.filter((label) => label === 1).length;
        const negatives = labels.length - positives;
        const whole = staircase(scores, labels);
        const corners = rocCurve(scores, labels)!.points.map((point) => ({
          fp: Math.round(point.fpr * negatives),
          tp: Math.round(point.tpr * positives),
        }));
        const key = (point: Counts) => `${point.fp},${point.tp}`;
        const onStaircase = new Set(whole.map(key));
        for (const corner of corners) expect(onStaircase.has(key(corner))).toBe(true);
        expect(corners[0]).toEqual(whole[0]);
        expect(corners.at(-1)).toEqual(whole.at(-1));
        for (const point of whole) {
          const drawn = corners.slice(1).some((corner, index) => onSegment(corners[index]!, point, corner));
          expect(drawn, key(point)).toBe(true);
        }
        for (let index = 1; index < corners.length - 1; index++) {
          expect(onSegment(corners[index - 1]!, corners[index]!, corners[index + 1]!), `corner ${key(corners[index]!)}`).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keep a staircase without ties to its turns: a run of positives, then of negatives, is two segments', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const labels: (0 | 1)[] = [1, 1, 1, 0, 0, 0];
    expect(rocCurve(scores, labels)!.points.map(({ fpr, tpr }) => [fpr, tpr])).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
    ]);
  });
});
