import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMoocActions, type MoocActions } from '../../../lambdas/tabular/mooc-load';
import { MOOC_DATA_DIR } from '../../support/requirements';

export const FIXTURES = join(__dirname, '../../fixtures/mooc');
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
    actions: createReadStream(join(MOOC_DATA_DIR, 'mooc_actions.tsv')),
    features: createReadStream(join(MOOC_DATA_DIR, 'mooc_action_features.tsv')),
    labels: createReadStream(join(MOOC_DATA_DIR, 'mooc_action_labels.tsv')),
  });
  return real;
}

/** The oracle fixture (test/fixtures/mooc/oracle/, made by make_oracle_fixture.py). */
export function loadOracle(): Promise<MoocActions> {
  const read = (name: string) => readFileSync(join(FIXTURES, 'oracle', name), 'utf8');
  return loadMoocActions({ actions: read('mooc_actions.tsv'), features: read('mooc_action_features.tsv'), labels: read('mooc_action_labels.tsv') });
}

/** sklearn's figures for the drop-out model (make_gbdt_reference.py). */
export const gbdtReference = JSON.parse(readFileSync(join(FIXTURES, 'gbdt_reference.json'), 'utf8'));
