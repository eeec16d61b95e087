// dropout_predictions.csv on the oracle fixture: rows, users, splits and labels against pandas
// (make_mooc_reference.py), and each score recomputed from the documented tree format of
// dropout_model.json applied to the pandas features of the row (online_features_reference.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../../lambdas/tabular/csv';
import { analyzeMoocModel } from '../../../lambdas/analysis/mooc/analyze';
import { DEFAULT_DROPOUT_MODEL_OPTIONS } from '../../../lambdas/analysis/mooc/dropout-model';
import { FIXTURES, loadOracle, reference } from './helpers';

/** Small enough for the fixture's rows to grow real trees. */
const FIXTURE_MODEL = { ...DEFAULT_DROPOUT_MODEL_OPTIONS, negativeSampleRate: 1, gbdt: { ...DEFAULT_DROPOUT_MODEL_OPTIONS.gbdt, minSamplesLeaf: 5, iterations: 30 } };

type Node = { feature: number; threshold: number; left: Node; right: Node } | { value: number };

/** docs/mooc-summary.md: value <= threshold goes left; margin = baseScore + sum of leaves; probability = logistic(margin). */
function documentedScore(model: { baseScore: number; trees: Node[] }, features: (number | null)[]): number {
  let margin = model.baseScore;
  for (const tree of model.trees) {
    let node = tree;
    while ('feature' in node) {
      const value = features[node.feature];
      node = value === null || value === undefined || value <= node.threshold ? node.left : node.right;
    }
    margin += node.value;
  }
  return 1 / (1 + Math.exp(-margin));
}

describe('dropout_predictions.csv against pandas', () => {
  it('holds every validation and test row with its user, split and label, scored as the written trees say', async () => {
    const { files } = analyzeMoocModel(await loadOracle(), FIXTURE_MODEL);
    const model = JSON.parse(files['dropout_model.json']!).model;
    expect(model.trees.some((tree: Node) => 'feature' in tree)).toBe(true); // the scores depend on the features
    const features = JSON.parse(readFileSync(join(FIXTURES, 'online_features_reference.json'), 'utf8')).rows as (number | null)[][];
    const rows: string[][] = [];
    for await (const record of parseCsvRecords([files['dropout_predictions.csv']!], 'dropout_predictions.csv')) rows.push(record);
    expect(rows[0]).toEqual(['row', 'USERID', 'split', 'score', 'LABEL']);
    const data = rows.slice(1);
    expect(data.map(([row, user, split, , label]) => [Number(row), Number(user), split, Number(label)])).toEqual(reference.oracle.predictionRows);
    const scores = data.map((r) => Number(r[3]));
    expect(new Set(scores).size).toBeGreaterThan(2);
    data.forEach(([row], i) => {
      const expected = documentedScore(model, features[Number(row)]!);
      expect(Math.abs(scores[i]! - expected), `row ${row}: ${scores[i]} vs ${expected}`).toBeLessThanOrEqual(1e-12);
    });
  });
});
