// Puts the fixture run made by test/fixtures/report/make_report_run.py into a temporary folder
// behind a LocalObjectStore (results/ mounted on it), optionally without some of its files.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../../lib/local/local-object-store';
import type { ObjectStore } from '../../../lambdas/io/object-store';

export interface FixtureRun {
  run_id: string;
  files: Record<string, string>;
  expected: {
    cohort_order: string[];
    auc_test: number;
    n_test: number;
    survival: { threshold: number; share: number }[];
    dropouts: number;
    stayers: number;
    segment_means: Record<string, Record<string, number>>;
    segment_sizes: Record<string, number>;
    /** Drop-off curve of each segment's users. */
    segment_survival: Record<string, { threshold: number; share: number }[]>;
    /** 'period plan' -> students at or above the cohort's outlier cut-off. */
    removed_per_cohort: Record<string, number>;
    target_rates: Record<string, number>;
    peak: { cycle_day: number; hour: number };
    daily_points: number;
    heatmap_cells: number;
    scatter_points: number;
  };
}

export const FIXTURE: FixtureRun = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/report/report_run.json'), 'utf8'));

export async function fixtureStore(options: { without?: (key: string) => boolean; edit?: (files: Record<string, string>) => void; runId?: string } = {}): Promise<{
  store: ObjectStore;
  dir: string;
  runId: string;
}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'report-run-'));
  const store = new LocalObjectStore({ mounts: [{ prefix: 'results/', dir }] });
  const runId = options.runId ?? FIXTURE.run_id;
  const files = { ...FIXTURE.files };
  options.edit?.(files);
  for (const [key, text] of Object.entries(files)) {
    if (options.without?.(key)) continue;
    await store.put(`results/${runId}/${key}`, text);
  }
  return { store, dir, runId };
}
