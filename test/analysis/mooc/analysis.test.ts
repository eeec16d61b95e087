import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../../../lambdas/tabular/csv';
import { analyzeMoocDescriptive } from '../../../lambdas/analysis/mooc/analyze';
import { loadMoocActions, type MoocActions } from '../../../lambdas/tabular/mooc-load';
import { moocData, itRequiring } from '../../support/requirements';
import { loadOracle, loadReal, loadSmall, reference } from './helpers';

type Ref = Record<string, any>;

function close(actual: unknown, expected: unknown, path = ''): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, path).toBeNull();
  } else if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected)) {
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (typeof expected === 'object') {
    for (const [k, e] of Object.entries(expected as object)) close((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

async function csvRows(text: string): Promise<number[][]> {
  const rows: number[][] = [];
  for await (const r of parseCsvRecords([text], 'out')) rows.push(r.map(Number));
  return rows.slice(1);
}

async function checkAgainst(actions: MoocActions, ref: Ref): Promise<void> {
  const { summary, files } = analyzeMoocDescriptive(actions, { seed: 1 });
  const s = summary as Ref;
  const ex = s.exploration;
  close(actions.notes.duplicateActionIds, ref.duplicates, 'duplicates');
  close(
    { actions: ex.actions, users: ex.users, targets: ex.targets, actionsPerUser: ex.actionsPerUser, actionsPerTarget: ex.actionsPerTarget, dropoutUsers: ex.dropout.dropoutUsers, dropoutRate: ex.dropout.rate, activeSpanSeconds: ex.activeSpanSeconds },
    ref.exploration,
    'exploration',
  );
  close(s.preprocessing.features.map(({ feature, lowerBound, upperBound, clippedLow, clippedHigh }: Ref) => ({ feature, lowerBound, upperBound, clippedLow, clippedHigh })), ref.preprocessing, 'preprocessing');
  close(await csvRows(files['daily_activity.csv']!), ref.daily, 'daily');
  const hw = (await csvRows(files['hour_cycle_day_activity.csv']!)).filter((r) => r[2]! > 0);
  close(hw, ref.hourWeekday, 'hourWeekday');
  close(s.time.secondsSincePreviousAction, ref.secondsSincePreviousAction, 'sincePrevious');
  close(s.dropOff.dropoutActionCount, ref.dropoutActionCount, 'dropoutActionCount');
  close(s.dropOff.dropoutDaysFirstToLast, ref.dropoutDaysFirstToLast, 'dropoutDays');
  close(s.dropOff.byActivityQuartile.quartiles.map(({ quartile, users, dropoutRate }: Ref) => ({ quartile, users, dropoutRate })), ref.quartiles, 'quartiles');
  close(s.dropOff.stayVsDrop.features.map(({ feature, meanStay, meanDrop, cohensD }: Ref) => ({ feature, meanStay, meanDrop, cohensD })), ref.stayVsDrop, 'stayVsDrop');
  close(s.correlations.features.map(({ feature, pointBiserialR }: Ref) => ({ feature, pointBiserialR })), ref.correlations, 'correlations');
  close(s.dropOff.lastActionTargets.dropouts.map(({ target, count, share }: Ref) => ({ target, count, share })), ref.dropoutLastTargets, 'lastTargets');
  close(s.time.secondsSinceFirstAction, ref.secondsSinceFirstAction, 'secondsSinceFirstAction');
  close(ex.activeSpanDays, ref.activeSpanDays, 'activeSpanDays');
  close(s.time.actionsByHour, ref.actionsByHour, 'actionsByHour');
  close(s.time.actionsByCycleDay, ref.actionsByWeekday, 'actionsByCycleDay');
  close(s.dropOff.byActivityQuartile.cutPoints, ref.quartileCutPoints, 'quartileCutPoints');
  close(s.dropOff.byActivityQuartile.quartiles.map(({ minActions, maxActions }: Ref) => ({ minActions, maxActions })), ref.quartileRanges, 'quartileRanges');
  // Both groups' top last targets, with the other group's count and share of the same target.
  close(s.dropOff.lastActionTargets, ref.lastActionTargets, 'lastActionTargets');
  expect(s.dropOff.lastActionTargets.stayers.length, 'stayers listed').toBe(ref.lastActionTargets.stayers.length);
}

describe('MOOC descriptive analysis against pandas', () => {
  it('matches on the hand-made fixture', async () => {
    await checkAgainst(await loadSmall(), reference.small);
  });

  it('matches on the oracle fixture (edge cases, user groups)', async () => {
    await checkAgainst(await loadOracle(), reference.oracle);
  });

  itRequiring([moocData()], 'matches on the real act-mooc data', async () => {
    const started = performance.now();
    await checkAgainst(await loadReal(), reference.real);
    console.log(`real-data descriptive analysis incl. load: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it('writes one segment and one feature row per user, categories per target', async () => {
    const { summary, files } = analyzeMoocDescriptive(await loadSmall(), { seed: 1 });
    expect((await csvRows(files['user_segments.csv']!)).map((r) => r[0])).toEqual([0, 1, 2, 3, 4]);
    const features = await csvRows(files['user_features.csv']!);
    expect(features.map((r) => r[r.length - 1])).toEqual([0, 1, 0, 1, 1]);
    expect((await csvRows(files['target_categories.csv']!)).map((r) => r[0])).toEqual([0, 1, 2, 3]);
    expect((summary as Ref).targetCategories.k).toBe(3);
  });
});

describe('tiny inputs give null figures and notes, not crashes', () => {
  const header = { a: 'ACTIONID\tUSERID\tTARGETID\tTIMESTAMP\n', f: 'ACTIONID\tFEATURE0\tFEATURE1\tFEATURE2\tFEATURE3\n', l: 'ACTIONID\tLABEL\n' };

  it('one user with one action and no drop-out', async () => {
    const actions = await loadMoocActions({ actions: header.a + '0\t5\t2\t10.0\n', features: header.f + '0\t1\t1\t1\t1\n', labels: header.l + '0\t0\n' });
    const { summary } = analyzeMoocDescriptive(actions);
    const s = summary as Ref;
    expect(s.exploration.dropout.rate).toBe(0);
    expect(s.exploration.actionsPerUser.sd).toBeNull();
    expect(s.dropOff.dropoutActionCount.mean).toBeNull();
    expect(s.dropOff.notes).toContain('No user drops out: drop-out figures are null.');
    expect(s.correlations.features[0].pointBiserialR).toBeNull();
    expect(s.userSegments.k).toBe(1);
    expect(s.userSegments.notes[0]).toMatch(/fewer distinct points/);
  });

  it('a feature without spread gets a note for its undefined correlation and effect size', async () => {
    // Four users, all active on day 0 only: active_days is 1 for everyone; two drop out.
    const rows = [[0, 1, 0, 10], [1, 1, 1, 20], [2, 2, 0, 30], [3, 3, 1, 40], [4, 3, 2, 50], [5, 4, 0, 60]];
    const labels = [0, 1, 1, 0, 0, 1];
    const actions = await loadMoocActions({
      actions: header.a + rows.map((row) => row.join('\t')).join('\n') + '\n',
      features: header.f + rows.map(([id], i) => `${id}\t${i}\t${i % 2}\t${i * 3}\t1`).join('\n') + '\n',
      labels: header.l + rows.map(([id], i) => `${id}\t${labels[i]}`).join('\n') + '\n',
    });
    const s = analyzeMoocDescriptive(actions).summary as Ref;
    const activeDays = s.correlations.features.find((entry: { feature: string }) => entry.feature === 'active_days');
    expect(activeDays.pointBiserialR).toBeNull();
    expect(s.notes).toContain("active_days is 1 for every user (no spread), so its correlation with drop-out and its Cohen's d are not defined.");
  });

  it('no actions at all', async () => {
    // The loader refuses files without data rows; the analysis still answers for an empty table.
    await expect(loadMoocActions({ actions: header.a, features: header.f, labels: header.l })).rejects.toThrow(/header but no data rows/);
    const none = new Float64Array(0);
    const actions: MoocActions = {
      n: 0,
      actionId: none,
      userId: none,
      targetId: none,
      timestamp: none,
      features: [none, none, none, none],
      label: new Uint8Array(0),
      notes: { nonNumericFeatureValues: {}, duplicateActionIds: { repeatedIds: 0, extraRows: 0, idsByTimesSeen: {} }, timestampDecreases: 0 },
      rejected: [],
    };
    const { summary, files } = analyzeMoocDescriptive(actions);
    expect((summary as Ref).exploration.users).toBe(0);
    expect((summary as Ref).notes[0]).toMatch(/no actions/);
    expect(files['daily_activity.csv']).toBe('day,actions,active_users,dropouts_that_day\n');
  });
});
