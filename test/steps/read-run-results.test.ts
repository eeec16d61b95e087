// The report reads plain result files from their bytes and anything else with the generic reader:
// both must give the charts the same numbers.
import { describe, expect, it } from 'vitest';
import { loadRunResults } from '../../lambdas/steps/read-run-results';
import { FIXTURE, fixtureStore } from '../analysis/report/fixture-run';

const COHORT = 'engagement/minutes_watched_2021Q2_paid_0.csv';

async function cohortMinutes(edit?: (text: string) => string): Promise<number[] | undefined> {
  const { store, runId } = await fixtureStore({ edit: (files) => edit && (files[COHORT] = edit(files[COHORT]!)) });
  const results = await loadRunResults(store, runId);
  return results.engagement!.cohorts.find((cohort) => cohort.period === '2021Q2' && cohort.paid === 0)!.before;
}

describe('loadRunResults', () => {
  it('gives the same minutes from a plain file (bytes) and one only the generic reader takes', async () => {
    const plain = await cohortMinutes();
    const expected = FIXTURE.files[COHORT]!.trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
    expect(plain).toEqual(expected);
    // A quoted comma in an extra column: not plain, so the generic reader answers.
    const quoted = await cohortMinutes((text) =>
      text
        .trim()
        .split('\n')
        .map((line, index) => `${line},${index === 0 ? 'note' : '"a,b"'}`)
        .join('\n'),
    );
    expect(quoted).toEqual(expected);
  });

  it('finds period files whose quarter an analyst wrote in lower case (2021q2), as the stats command accepts them', async () => {
    const lower = (name: string) => name.replace(/_(\d{4})Q([1-4])_/, '_$1q$2_');
    const { store, runId } = await fixtureStore({
      edit: (files) => {
        for (const name of Object.keys(files).filter((key) => /minutes_watched_\d{4}Q/.test(key))) {
          files[lower(name)] = files[name]!;
          delete files[name];
        }
        const manifest = JSON.parse(files['manifest.json']!);
        for (const output of manifest.outputs) output.key = lower(output.key);
        files['manifest.json'] = JSON.stringify(manifest);
      },
    });
    const cohorts = (await loadRunResults(store, runId)).engagement!.cohorts;
    expect(cohorts.map((cohort) => `${cohort.period} ${cohort.paid}`)).toEqual(['2021Q2 0', '2021Q2 1', '2022Q2 0', '2022Q2 1']);
    for (const cohort of cohorts) {
      expect(cohort.before?.length).toBeGreaterThan(0);
      expect(cohort.after?.length).toBeGreaterThan(0);
    }
  });

  it('leaves out values that are not numbers, on either path', async () => {
    const lines = FIXTURE.files[COHORT]!.trim().split('\n');
    const broken = [...lines.slice(0, 2), '999,abc,0', ...lines.slice(2)].join('\n');
    const expected = lines.slice(1).map((line) => Number(line.split(',')[1]));
    expect(await cohortMinutes(() => broken)).toEqual(expected);
  });

  it('lists the attempt marker and an old manifest as files of a finished run only, not inside the workflow', async () => {
    const marker = JSON.stringify({ run_id: 'x', status: 'failed', state: 'PlanRun', error: 'AttemptNotFinished' });
    const { store, runId } = await fixtureStore({ edit: (files) => (files['_FAILED.json'] = marker) });
    const keys = (results: { files: { key: string }[] }): string[] => results.files.map((file) => file.key);
    const inside = await loadRunResults(store, runId, { studies: { engagement: { run: true }, mooc: { run: true } } });
    expect(keys(inside)).not.toContain('_FAILED.json');
    expect(keys(inside)).not.toContain('manifest.json');
    expect(keys(inside)).toContain(COHORT);
    const afterwards = await loadRunResults(store, runId);
    expect(keys(afterwards)).toContain('_FAILED.json');
    expect(keys(afterwards)).toContain('manifest.json');
  });
});
