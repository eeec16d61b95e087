// The typed JSONPaths of lib/workflow.ts: what they synthesize to, and which paths and payloads the
// compiler refuses (the lines under a ts-expect-error directive: `tsc --noEmit -p .` fails if one compiles).
import { describe, expect, it } from 'vitest';
import type { RemoveCohortOutliersEvent, StepEvent, StepResult, StudyResult, ValidatedRun } from '../../lambdas/contracts/state-payloads';
import { EXECUTION_ID, type BoundPayload, mapItemOf, parametersOf, type ResultSlot, statePaths } from '../../lib/state-paths';

const run = statePaths<ValidatedRun>();

describe('statePaths', () => {
  it('spells a field path as the JSONPath from the state root', () => {
    expect(run.at('runId').path).toBe('$.runId');
    expect(run.at('studies.engagement.run').path).toBe('$.studies.engagement.run');
    expect(run.at('engagement.minutesAndCertificatesParameters').path).toBe('$.engagement.minutesAndCertificatesParameters');
    expect(run.at('runQueries.cohort_minutes').path).toBe('$.runQueries.cohort_minutes');
    expect(run.into('dataQuality').path).toBe('$.dataQuality');
    expect(run.whole.path).toBe('$');
  });

  it('refuses, at compile time, a field the state does not have', () => {
    // @ts-expect-error misspelt field
    expect(run.at('runID').path).toBe('$.runID');
    // @ts-expect-error a field of a later state: the studies have not run yet
    expect(run.at('studyResults').path).toBe('$.studyResults');
    // @ts-expect-error a field inside a study plan that does not exist
    expect(run.at('studies.engagement.ran').path).toBe('$.studies.engagement.ran');
    // @ts-expect-error arrays are not indexed into
    expect(run.at('validation.files').path).toBe('$.validation.files');
  });
});

describe('parametersOf', () => {
  it('turns path fields into "<field>.$" and keeps literals and field order', () => {
    const cohorts = run.at('engagement.cohorts');
    const parameters = parametersOf<RemoveCohortOutliersEvent>({ runId: run.at('runId'), cohort: mapItemOf(cohorts), quantile: 0.99 });
    expect(parameters).toEqual({ 'runId.$': '$.runId', 'cohort.$': '$$.Map.Item.Value', quantile: 0.99 });
    expect(Object.keys(parameters)).toEqual(['runId.$', 'cohort.$', 'quantile']);
    const skipped = parametersOf<StudyResult>({ study: 'mooc', status: 'skipped', note: run.at('studies.mooc.note'), inputs: [], outputs: [] });
    expect(skipped).toEqual({ study: 'mooc', status: 'skipped', 'note.$': '$.studies.mooc.note', inputs: [], outputs: [] });
  });

  it('refuses, at compile time, a payload that differs from the step event', () => {
    const wrongType: BoundPayload<StepEvent<'removeCohortOutliers'>> = {
      runId: run.at('runId'),
      // @ts-expect-error a path to a list of cohorts where one cohort is read
      cohort: run.at('engagement.cohorts'),
      quantile: run.at('options.outlierQuantile'),
    };
    // @ts-expect-error a field the event lacks (quantile)
    const missing: BoundPayload<StepEvent<'removeCohortOutliers'>> = { runId: run.at('runId'), cohort: mapItemOf(run.at('engagement.cohorts')) };
    const extra: BoundPayload<StepEvent<'checkDataQuality'>> = {
      runId: run.at('runId'),
      options: run.at('options'),
      validation: run.at('validation'),
      // @ts-expect-error a field the event does not declare
      execution: EXECUTION_ID,
    };
    expect(parametersOf(wrongType)['cohort.$']).toBe('$.engagement.cohorts');
    expect(parametersOf(missing)).not.toHaveProperty('quantile.$');
    expect(parametersOf(extra)['execution.$']).toBe('$$.Execution.Id');
  });

  it('refuses, at compile time, a result slot whose type does not take the result', () => {
    const fits: ResultSlot<StepResult<'checkDataQuality'>> = run.into('dataQuality');
    // @ts-expect-error a StudyResult does not fit where the validation list goes
    const wrong: ResultSlot<StudyResult> = run.into('validation');
    expect([fits.path, wrong.path]).toEqual(['$.dataQuality', '$.validation']);
  });
});
