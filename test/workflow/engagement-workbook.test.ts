// engagement_study.xlsx of a local run, read back by openpyxl/pandas (not by this project's code)
// and recalculated by LibreOffice: its cached values are statistics.json's figures, its data sheets
// hold the cleaned cohorts those figures came from, and a real spreadsheet engine gets the same
// figures from its formulas.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';
import { runLocalWorkflow, type LocalRunResult } from '../../lib/local/local-runner';
import { executable, itRequiring, PYTHON, pythonModules } from '../support/requirements';
import { checkRunFolder, runFolderChecker } from './check-run-folder';

const SCRIPTS = path.resolve(__dirname, '../analysis/workbook');
const root = mkdtempSync(path.join(os.tmpdir(), 'workbook-'));
let run: LocalRunResult;
let workbook: string;
let statistics: any;
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const inputDir = path.join(root, 'input');
  await generateEngagementData({ students: 900, seed: 1616, outDir: inputDir });
  run = await runLocalWorkflow({ inputDir, outDir: path.join(root, 'out'), runId: 'workbook-run', retryWaitMs: 1 });
  workbook = path.join(run.runDir, 'engagement', 'engagement_study.xlsx');
  statistics = JSON.parse(readFileSync(path.join(run.runDir, 'engagement', 'statistics.json'), 'utf8'));
});

interface FigureRow {
  sheet: string;
  row: number;
  figure: string;
  formula: string | null;
  cached: number | string | null;
  workflow: number | string | null;
  field: string;
  statistics: number | string | null;
}

const relativeDifference = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);

const python = [pythonModules('openpyxl', 'pandas')];

describe('engagement_study.xlsx', () => {
  itRequiring([...python, runFolderChecker()], 'is listed in the manifest and the run folder checks out', () => {
    expect(run.status).toBe('succeeded');
    expect(run.manifest!.outputs.map((output) => output.key)).toContain('engagement/engagement_study.xlsx');
    const verdict = checkRunFolder(run.runDir);
    expect(verdict.ok, verdict.output).toBe(true);
  });

  itRequiring(python, "read back by openpyxl: every cached value and the workflow column are statistics.json's figure", () => {
    const read = JSON.parse(execFileSync(PYTHON, [path.join(SCRIPTS, 'read_workbook.py'), workbook, path.join(run.runDir, 'engagement', 'statistics.json')], { encoding: 'utf8' }));
    const { baseline, comparison } = statistics.periods;
    expect(read.sheets).toEqual([
      'About',
      'Baseline free',
      'Baseline paid',
      'Comparison free',
      'Comparison paid',
      'Minutes & certificates',
      'Viewers',
      'Hypothesis tests',
      'Correlation',
      'Probabilities',
    ]);
    for (const sheet of read.sheets.filter((name: string) => name !== 'About')) expect(read.frozen[sheet], sheet).toBe('A2');
    const figures = read.figures as FigureRow[];
    expect(figures.length).toBe(4 * 8 + 2 * 14 + 8 + 10);
    for (const row of figures) {
      expect(row.formula, `${row.sheet} ${row.figure}`).toMatch(/^=/);
      expect(row.statistics, `${row.field} is in statistics.json`).not.toBeNull();
      expect(row.cached, `${row.sheet} ${row.figure}`).toEqual(row.statistics);
      expect(row.workflow, `${row.sheet} ${row.figure}`).toEqual(row.statistics);
    }
    // The data sheets hold what the figures were computed from: pandas' own figures of each sheet.
    for (const [role, label] of [['Baseline', baseline], ['Comparison', comparison]] as const) {
      for (const group of ['free', 'paid']) {
        const minutes = read.data[`${role} ${group}`].minutes_watched;
        const cohort = statistics.cohorts[`${label}_${group}`];
        expect(minutes.count).toBe(cohort.n_after);
        expect(relativeDifference(minutes.mean, cohort.mean)).toBeLessThan(1e-12);
        expect(relativeDifference(minutes.sd, cohort.sd)).toBeLessThan(1e-12);
        expect(minutes.median).toBe(cohort.median);
      }
    }
    const viewers = read.data.Viewers;
    expect(viewers.student_id.count).toBe(statistics.probabilities.n_any);
    expect(viewers[`watched_${baseline}`].sum).toBe(statistics.probabilities.n_baseline);
    expect(viewers[`watched_${comparison}`].sum).toBe(statistics.probabilities.n_comparison);
    expect(read.data['Minutes & certificates'].minutes_watched.count).toBe(statistics.correlation.n);
    expect(read.formats['Baseline free']).toEqual(['0', '#,##0.00']);
  });

  itRequiring(
    [...python, executable('/usr/bin/soffice', 'apt-get install libreoffice-calc-nogui')],
    'recalculated by LibreOffice from formulas alone, every figure equals the cached value to 1e-9 relative',
    () => {
      const work = mkdtempSync(path.join(root, 'soffice-'));
      const recalculated = JSON.parse(execFileSync(PYTHON, [path.join(SCRIPTS, 'recalculate.py'), workbook, work], { encoding: 'utf8', timeout: 300_000 }));
      const read = JSON.parse(execFileSync(PYTHON, [path.join(SCRIPTS, 'read_workbook.py'), workbook], { encoding: 'utf8' }));
      const mismatches: string[] = [];
      for (const row of read.figures as FigureRow[]) {
        const value = recalculated[row.sheet][String(row.row)];
        const agrees =
          typeof row.cached === 'number' && typeof value === 'number' ? relativeDifference(value, row.cached) <= 1e-9 || value === row.cached : value === row.cached;
        if (!agrees) mismatches.push(`${row.sheet} row ${row.row} ${row.figure}: LibreOffice ${value}, cached ${row.cached}`);
      }
      expect(mismatches).toEqual([]);
    },
    600_000,
  );
});
