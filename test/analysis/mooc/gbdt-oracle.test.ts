// The drop-out model against sklearn (test/fixtures/mooc/make_gbdt_reference.py): bin edges by the
// documented rule, and the test AUC of HistGradientBoostingClassifier trained on the same features,
// split and sampled rows, which the project's model must reach within 0.01. The real-data comparison
// is in model.test.ts, beside the AUC floor, so the real data is trained on once.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainDropoutModel } from '../../../lambdas/analysis/mooc/dropout-model';
import { binEdges } from '../../../lambdas/analysis/mooc/gbdt';
import { loadMoocActions } from '../../../lambdas/tabular/mooc-load';
import { ONLINE_FEATURE_NAMES } from '../../../lambdas/analysis/mooc/online-features';
import { FIXTURES, gbdtReference } from './helpers';

interface BinCase {
  column: string;
  max_bins: number;
  distinct: number;
  values: (number | null)[];
  edges: number[];
  sklearn_edges?: number[];
}

describe('GBDT bin edges', () => {
  const cases = gbdtReference.bin_edges as BinCase[];

  it('cover both rules: few distinct values (midpoints) and many (quantile cuts), with a missing value', () => {
    expect(cases.some((c) => c.distinct <= c.max_bins)).toBe(true);
    expect(cases.some((c) => c.distinct > c.max_bins)).toBe(true);
    expect(cases.some((c) => c.values.includes(null))).toBe(true);
  });

  it.each(cases.map((c) => [c.column, c.max_bins, c] as const))('%s with %i bins equal the documented rule computed by numpy', (_column, maxBins, c) => {
    const column = Float64Array.from(c.values, (v) => (v === null ? NaN : v));
    const rows = Int32Array.from(column, (_, i) => i);
    const edges = Array.from(binEdges(column, rows, maxBins));
    expect(edges).toEqual(c.edges);
    // Where sklearn bins the column by midpoints too, its thresholds are the same numbers.
    if (c.sklearn_edges) expect(edges).toEqual(c.sklearn_edges);
  });
});

describe('drop-out model against sklearn on generated data', () => {
  it('trains on the same rows and reaches sklearn\'s validation and test AUC within 0.01', async () => {
    const folder = join(FIXTURES, 'generated');
    const actions = await loadMoocActions({
      actions: createReadStream(join(folder, 'mooc_actions.tsv')),
      features: createReadStream(join(folder, 'mooc_action_features.tsv')),
      labels: createReadStream(join(folder, 'mooc_action_labels.tsv')),
    });
    const reference = gbdtReference.generated;
    expect(gbdtReference.features).toEqual([...ONLINE_FEATURE_NAMES]);
    const { model } = trainDropoutModel(actions);
    expect(model.n_train).toBe(reference.n_train);
    expect(model.n_train_sampled).toBe(reference.n_train_sampled);
    expect(model.positives.train).toBe(reference.positives_train);
    console.log(`generated data: auc_val ${model.auc_val} (sklearn ${reference.sklearn_auc_val}), auc_test ${model.auc_test} (sklearn ${reference.sklearn_auc_test})`);
    expect(model.auc_val).toBeGreaterThanOrEqual(reference.sklearn_auc_val - 0.01);
    expect(model.auc_test).toBeGreaterThanOrEqual(reference.sklearn_auc_test - 0.01);
  });
});

it('the committed reference was computed on the whole real data set', () => {
  expect(gbdtReference.real).toMatchObject({ n: 411749, n_train: 329399 });
});
