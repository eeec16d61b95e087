// Drop-out prediction per action (JODIE protocol): rows in time order, first 80% train, next 10%
// validation, last 10% test; AUC on validation and test. Features are causal (online-features.ts);
// the model is the small GBDT of gbdt.ts trained on all training positives and a seeded sample of
// training negatives. Runs on its own so it can be a separate Lambda.

import type { MoocActions } from '../../tabular/mooc-load';
import { RESULT_FILES } from '../../contracts/result-files';
import { computeOnlineFeatures } from './online-features';
import { DEFAULT_GBDT_OPTIONS, predictProbability, trainGbdt, type GbdtModel, type GbdtOptions } from './gbdt';
import { mulberry32 } from '../random';
import { rocAuc } from '../stats/roc';

export const PUBLISHED_TEST_AUCS = { JODIE: 0.756, CoPE: 0.762, TGN: 0.777, 'TGN+MeTA': 0.794 } as const;

export interface DropoutModelOptions {
  trainFraction: number;
  validationFraction: number;
  /** Share of training negatives kept (all positives are kept). */
  negativeSampleRate: number;
  seed: number;
  gbdt: GbdtOptions;
}

export const DEFAULT_DROPOUT_MODEL_OPTIONS: DropoutModelOptions = {
  trainFraction: 0.8,
  validationFraction: 0.1,
  negativeSampleRate: 0.15,
  seed: 20190804,
  gbdt: DEFAULT_GBDT_OPTIONS,
};

export type Split = 'train' | 'validation' | 'test';

export interface SplitBounds {
  /** Rows [0, trainEnd) train, [trainEnd, validationEnd) validation, [validationEnd, n) test. */
  trainEnd: number;
  validationEnd: number;
}

export function splitBounds(n: number, options: Pick<DropoutModelOptions, 'trainFraction' | 'validationFraction'>): SplitBounds {
  const trainEnd = Math.floor(n * options.trainFraction);
  return { trainEnd, validationEnd: Math.max(trainEnd, Math.floor(n * (options.trainFraction + options.validationFraction))) };
}

export const DROPOUT_PREDICTION_COLUMNS = RESULT_FILES.moocDropoutPredictions.columns;

export interface DropoutModelResult {
  /** Content of dropout_model.json. */
  model: {
    task: string;
    protocol: string;
    features: readonly string[];
    model: { kind: string; options: GbdtOptions; negativeSampleRate: number; seed: number; baseScore: number; trees: GbdtModel['trees'] };
    auc_val: number | null;
    auc_test: number | null;
    n_train: number;
    n_train_sampled: number;
    n_val: number;
    n_test: number;
    positives: { train: number; validation: number; test: number };
    published_test_auc: typeof PUBLISHED_TEST_AUCS;
    notes: string[];
  };
  /** Rows of dropout_predictions.csv (validation and test rows), columns DROPOUT_PREDICTION_COLUMNS. */
  predictions: (string | number)[][];
  /** The fitted trees, to score other data with the same model (e.g. the no-look-ahead check). */
  gbdt: GbdtModel;
  /** Wall-clock training time: for the logs and the manifest, never in a result file (reruns are byte-identical). */
  trainingSeconds: number;
}

export function trainDropoutModel(actions: MoocActions, options: DropoutModelOptions = DEFAULT_DROPOUT_MODEL_OPTIONS): DropoutModelResult {
  const started = performance.now();
  const notes: string[] = [];
  const { trainEnd, validationEnd } = splitBounds(actions.n, options);
  const random = mulberry32(options.seed);
  const sampled: number[] = [];
  const positives = { train: 0, validation: 0, test: 0 };
  for (let i = 0; i < actions.n; i++) {
    const positive = actions.label[i] === 1;
    if (i < trainEnd) {
      if (positive) positives.train += 1;
      // One draw per training row whatever its label, so the sample depends only on the seed and row.
      const draw = random();
      if (positive || draw < options.negativeSampleRate) sampled.push(i);
    } else if (positive) {
      if (i < validationEnd) positives.validation += 1;
      else positives.test += 1;
    }
  }
  // Features only of the rows used: the sampled training rows, then every validation and test row.
  const kept = new Int32Array(sampled.length + actions.n - trainEnd);
  kept.set(sampled);
  for (let i = trainEnd; i < actions.n; i++) kept[sampled.length + i - trainEnd] = i;
  const features = computeOnlineFeatures(actions, kept);
  const keptLabels = Uint8Array.from(kept, (i) => actions.label[i]!);
  const at = (row: number): number => sampled.length + row - trainEnd; // position of a validation/test row
  const gbdt = trainGbdt(features.columns, features.names, Int32Array.from(sampled, (_, k) => k), keptLabels, options.gbdt);
  const trainingSeconds = (performance.now() - started) / 1000;
  if (gbdt.trees.length === 0) notes.push('The training rows hold a single class: every row gets the training drop-out rate as its score.');

  const predictions: (string | number)[][] = [];
  const scoreOf = (start: number, end: number, split: Split): { scores: Float64Array; labels: Uint8Array } => {
    const scores = new Float64Array(end - start);
    for (let i = start; i < end; i++) {
      const score = predictProbability(gbdt, features.columns, at(i));
      scores[i - start] = score;
      predictions.push([i, actions.userId[i]!, split, score, actions.label[i]!]);
    }
    return { scores, labels: actions.label.subarray(start, end) };
  };
  const validation = scoreOf(trainEnd, validationEnd, 'validation');
  const test = scoreOf(validationEnd, actions.n, 'test');
  // Without both labels in a split its AUC is undefined (NaN), written as null.
  const aucOrNull = (split: { scores: Float64Array; labels: Uint8Array }) => {
    const auc = rocAuc(split.scores, split.labels);
    return Number.isNaN(auc) ? null : auc;
  };
  const aucVal = aucOrNull(validation);
  const aucTest = aucOrNull(test);
  if (aucVal === null) notes.push('Validation AUC is null: the validation rows do not hold both labels.');
  if (aucTest === null) notes.push('Test AUC is null: the test rows do not hold both labels.');

  return {
    model: {
      task: 'probability that the user drops out after this action (LABEL = 1), from the user\'s history up to and including the action',
      protocol: `rows in time order; first ${options.trainFraction * 100}% train, next ${options.validationFraction * 100}% validation, rest test (JODIE, KDD 2019); ROC AUC rank-based with ties averaged`,
      features: features.names,
      model: {
        kind: 'gradient-boosted trees (logistic loss, Newton leaves, depth-wise, quantile-binned features), trained on all training positives and a seeded sample of training negatives',
        options: options.gbdt,
        negativeSampleRate: options.negativeSampleRate,
        seed: options.seed,
        baseScore: gbdt.baseScore,
        trees: gbdt.trees,
      },
      auc_val: aucVal,
      auc_test: aucTest,
      n_train: trainEnd,
      n_train_sampled: sampled.length,
      n_val: validationEnd - trainEnd,
      n_test: actions.n - validationEnd,
      positives,
      published_test_auc: PUBLISHED_TEST_AUCS,
      notes,
    },
    predictions,
    gbdt,
    trainingSeconds,
  };
}
