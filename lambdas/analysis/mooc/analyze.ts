// Entry points of the two MOOC steps: analyzeMoocDescriptive (everything but the model) and
// analyzeMoocModel (the drop-out model, its own Lambda). Each returns a JSON-able summary and CSV
// texts keyed by file name, ready to be written as they are.

import { formatCsv } from '../../tabular/csv';
import type { MoocActions } from '../../tabular/mooc-load';
import { MOOC_FILES } from '../../contracts/result-files';
import { buildUserTable } from './users';
import { DAILY_ACTIVITY_COLUMNS, HOUR_CYCLE_DAY_COLUMNS, dailyActivity, dropOff, dropoutCorrelations, exploration, preprocessFeatures, timeFeatures } from './explore';
import { TARGET_CATEGORY_COLUMNS, USER_FEATURE_COLUMNS, USER_SEGMENT_COLUMNS, targetCategories, userSegments } from './clusters';
import { DEFAULT_DROPOUT_MODEL_OPTIONS, DROPOUT_PREDICTION_COLUMNS, trainDropoutModel, type DropoutModelOptions } from './dropout-model';

export interface MoocAnalysisOptions {
  /** Seed of k-means and of the silhouette sample. */
  seed?: number;
  /** How many targets to list for drop-outs' / stayers' last actions. */
  topTargets?: number;
  model?: DropoutModelOptions;
}


export interface MoocAnalysis {
  summary: Record<string, unknown>;
  /** File name -> file content (CSV text, or JSON text for dropout_model.json). */
  files: Record<string, string>;
  /** Wall-clock time of the part, for logs only: results hold no timings, so re-runs are byte-identical. */
  seconds?: number;
}

export function analyzeMoocDescriptive(actions: MoocActions, options: MoocAnalysisOptions = {}): MoocAnalysis {
  const started = performance.now();
  const seed = options.seed ?? 42;
  const notes: string[] = [];
  if (actions.n === 0) notes.push('The input holds no actions: figures are empty or null.');
  const { clean, report: preprocessing } = preprocessFeatures(actions);
  const users = buildUserTable(actions, clean);
  const time = timeFeatures(actions, users);
  const categories = targetCategories(actions, users, seed);
  const segments = userSegments(users, seed);
  const correlations = dropoutCorrelations(users);
  // Every null has its sentence: a feature with no spread has no effect size and no correlation.
  const bothGroups = users.dropout.includes(1) && users.dropout.includes(0);
  for (const { feature, n, pointBiserialR } of correlations) {
    const values = users.features[feature].filter((value) => !Number.isNaN(value));
    const constant = values.length > 0 && values.every((value) => value === values[0]);
    if (bothGroups && n >= 3 && pointBiserialR === null && constant) {
      notes.push(`${feature} is ${values[0]} for every user (no spread), so its correlation with drop-out and its Cohen's d are not defined.`);
    }
  }
  const summary = {
    loadNotes: actions.notes,
    exploration: exploration(actions, users),
    time: time.summary,
    preprocessing,
    dropOff: dropOff(actions, users, options.topTargets ?? 10),
    correlations: { method: 'point-biserial r = Pearson r of the user feature with the 0/1 drop-out; users with an undefined feature skipped', features: correlations },
    targetCategories: categories.summary,
    userSegments: segments.summary,
    notes,
  };
  return {
    seconds: (performance.now() - started) / 1000,
    summary,
    files: {
      [MOOC_FILES.daily]: formatCsv(DAILY_ACTIVITY_COLUMNS, dailyActivity(actions, users)),
      [MOOC_FILES.hourCycleDay]: formatCsv(HOUR_CYCLE_DAY_COLUMNS, time.rows),
      [MOOC_FILES.targetCategories]: formatCsv(TARGET_CATEGORY_COLUMNS, categories.rows),
      [MOOC_FILES.segments]: formatCsv(USER_SEGMENT_COLUMNS, segments.segmentRows),
      [MOOC_FILES.userFeatures]: formatCsv(USER_FEATURE_COLUMNS, segments.featureRows),
    },
  };
}

export function analyzeMoocModel(actions: MoocActions, options: DropoutModelOptions = DEFAULT_DROPOUT_MODEL_OPTIONS): MoocAnalysis {
  const result = trainDropoutModel(actions, options);
  const { trees: _trees, ...modelWithoutTrees } = result.model.model;
  return {
    seconds: result.trainingSeconds,
    summary: { dropoutModel: { ...result.model, model: { ...modelWithoutTrees, trees: `${result.gbdt.trees.length} trees, in ${MOOC_FILES.model}` } } },
    files: {
      [MOOC_FILES.predictions]: formatCsv(DROPOUT_PREDICTION_COLUMNS, result.predictions),
      [MOOC_FILES.model]: JSON.stringify(result.model),
    },
  };
}
