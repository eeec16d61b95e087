import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMoocActions, type MoocActions } from '../../../lambdas/core/mooc/load';

export const FIXTURES = join(__dirname, '../../fixtures/mooc');
export const REAL_DATA = '/work/shared/data/mooc';
export const realDataPresent = existsSync(join(REAL_DATA, 'mooc_actions.tsv'));
export const reference = JSON.parse(readFileSync(join(FIXTURES, 'mooc_reference.json'), 'utf8'));

export function smallTexts() {
  const read = (name: string) => readFileSync(join(FIXTURES, 'small', name), 'utf8');
  return { actions: read('mooc_actions.tsv'), features: read('mooc_action_features.tsv'), labels: read('mooc_action_labels.tsv') };
}

export function loadSmall(): Promise<MoocActions> {
  return loadMoocActions(smallTexts());
}

let real: Promise<MoocActions> | undefined;
export function loadReal(): Promise<MoocActions> {
  real ??= loadMoocActions({
    actions: createReadStream(join(REAL_DATA, 'mooc_actions.tsv')),
    features: createReadStream(join(REAL_DATA, 'mooc_action_features.tsv')),
    labels: createReadStream(join(REAL_DATA, 'mooc_action_labels.tsv')),
  });
  return real;
}
