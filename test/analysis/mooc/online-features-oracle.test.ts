// Every per-action feature of the drop-out model, on every row of the oracle fixture, against the
// pandas computation of the documented rules (test/fixtures/mooc/make_online_features_reference.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeOnlineFeatures, ONLINE_FEATURE_NAMES } from '../../../lambdas/analysis/mooc/online-features';
import { FIXTURES, loadOracle } from './helpers';

const reference = JSON.parse(readFileSync(join(FIXTURES, 'online_features_reference.json'), 'utf8')) as { names: string[]; rows: (number | null)[][] };
const column = (name: string): (number | null)[] => reference.rows.map((row) => row[reference.names.indexOf(name)]!);

describe('online features against pandas', () => {
  it('the reference covers the edge cases the rules must get right', () => {
    const gap = column('seconds_since_previous_action');
    const inSession = column('actions_in_session_so_far');
    const actions = column('actions_so_far');
    const at = (seconds: number) => gap.flatMap((g, i) => (g === seconds ? [i] : []));
    // A gap of exactly 30 minutes keeps the session; 30 min + 1 s and 45 min start one.
    expect(at(1800).length).toBeGreaterThan(0);
    expect(at(1800).every((i) => inSession[i]! > 1)).toBe(true);
    expect(at(1801).length).toBeGreaterThan(0);
    expect(at(2700).length).toBeGreaterThan(0);
    expect([...at(1801), ...at(2700)].every((i) => inSession[i] === 1)).toBe(true);
    expect(at(0).length).toBeGreaterThan(0); // the same second twice
    expect(column('actions_on_this_target_so_far').some((n) => n! >= 3)).toBe(true); // targets revisited
    expect(column('feature2').some((v) => v === null)).toBe(true); // a missing FEATURE2
    // Users with a single action: a first action (actions_so_far 1) that no later row continues.
    expect(actions.filter((n) => n === 1).length).toBeGreaterThan(actions.filter((n) => n === 2).length);
  });

  it('equal the pandas features on every row, exactly or to 1e-9', async () => {
    const actions = await loadOracle();
    const features = computeOnlineFeatures(actions);
    expect(features.names).toEqual(reference.names);
    expect(ONLINE_FEATURE_NAMES).toEqual(reference.names);
    expect(features.n).toBe(reference.rows.length);
    reference.rows.forEach((row, i) => {
      row.forEach((expected, f) => {
        const actual = features.columns[f]![i]!;
        const where = `row ${i} (USERID ${actions.userId[i]}) ${reference.names[f]}: ${actual} vs ${expected}`;
        if (expected === null) expect(Number.isNaN(actual), where).toBe(true);
        else expect(Math.abs(actual - expected), where).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
      });
    });
  });
});
