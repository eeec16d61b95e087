// The workbook builder on its own: a seeded sample (named as such) when a sheet would exceed its
// rows, shown here with a small limit; the same bytes for the same data whatever the clock says.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { computeEngagementStatistics, type CohortStudyInput } from '../../../lambdas/analysis/stats/engagement-statistics';
import { Random } from '../../../lambdas/analysis/random';
import { buildEngagementWorkbook, type EngagementWorkbookInput, type WorkbookCohort } from '../../../lambdas/analysis/workbook/engagement-workbook';
import type { PaidGroup, PeriodRole } from '../../../lambdas/contracts/period-files';
import { itRequiring, PYTHON, pythonModules } from '../../support/requirements';

const root = mkdtempSync(path.join(os.tmpdir(), 'workbook-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

/** Four cohorts of `size` students (ids 1..size, overlapping across periods; the baseline's paid cohort `baselinePaid`) and minutes_and_certificates. */
function studyInput(size: number, baselinePaid = size): EngagementWorkbookInput {
  const random = new Random(77);
  const cohorts: WorkbookCohort[] = [];
  const studyCohorts = { baseline: {}, comparison: {} } as Record<PeriodRole, Record<PaidGroup, CohortStudyInput>>;
  for (const role of ['baseline', 'comparison'] as const) {
    for (const group of ['free', 'paid'] as const) {
      const offset = role === 'baseline' ? 0 : Math.floor(size / 2);
      const n = role === 'baseline' && group === 'paid' ? baselinePaid : size;
      const studentIds = Float64Array.from({ length: n }, (_, i) => offset + i + 1);
      const minutes = Float64Array.from({ length: n }, () => Math.round(random.lognormal(3.5, 0.8) * 100) / 100);
      cohorts.push({ role, group, studentIds, minutes });
      studyCohorts[role][group] = { removal: { q: 0.99, cutoff: 1e6, nBefore: n, nAfter: n, kept: { minutes } }, rawStudentIds: studentIds };
    }
  }
  const ids = (role: PeriodRole): ArrayLike<number> => cohorts.find((cohort) => cohort.role === role)!.studentIds;
  const mcMinutes = Float64Array.from({ length: size }, () => random.int(600));
  const minutesAndCertificates = {
    source: 'minutes_and_certificates.csv',
    studentIds: Float64Array.from({ length: size }, (_, i) => i + 1),
    minutes: mcMinutes,
    certificates: Float64Array.from(mcMinutes, (minutes) => Math.floor(minutes / 150) + random.int(2)),
  };
  const { statistics } = computeEngagementStatistics(
    { periods: { baseline: '2021Q2', comparison: '2022Q2' }, cohorts: studyCohorts, minutesAndCertificates },
    { predictMinutes: 1200 },
  );
  return { statistics, cohorts, minutesAndCertificates, viewers: { baseline: ids('baseline'), comparison: ids('comparison') }, predictMinutes: 1200, seed: 5, documentDate: new Date('2022-06-30T00:00:00Z') };
}

describe('buildEngagementWorkbook', () => {
  it('writes the same bytes for the same data at another time, and other bytes for another document date', async () => {
    const input = studyInput(40);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T10:00:00Z'));
    const first = await buildEngagementWorkbook(input);
    vi.setSystemTime(new Date('2031-07-15T23:59:58Z'));
    const second = await buildEngagementWorkbook(input);
    expect(second.equals(first)).toBe(true);
    const otherDate = await buildEngagementWorkbook({ ...input, documentDate: new Date('2022-09-30T00:00:00Z') });
    expect(otherDate.equals(first)).toBe(false);
  });

  itRequiring([pythonModules('openpyxl', 'pandas')], "above the row limit a sheet holds a seeded sample named as such, and its figures are the workflow's only", async () => {
    const input = studyInput(120);
    const file = path.join(root, 'sampled.xlsx');
    writeFileSync(file, await buildEngagementWorkbook({ ...input, maxDataRows: 50 }));
    const read = JSON.parse(execFileSync(PYTHON, [path.join(__dirname, 'read_workbook.py'), file], { encoding: 'utf8' }));
    // 120 students per cohort and in minutes_and_certificates; 180 distinct viewers.
    expect(read.sheets).toEqual([
      'About',
      'Baseline free (sample)',
      'Baseline paid (sample)',
      'Comparison free (sample)',
      'Comparison paid (sample)',
      'Minutes & certificates (sample)',
      'Viewers (sample)',
      'Hypothesis tests',
      'Correlation',
      'Probabilities',
    ]);
    for (const sheet of read.sheets.filter((name: string) => name.endsWith('(sample)'))) expect(read.data[sheet].student_id.count, sheet).toBe(50);
    // A sample, not the first 50 rows (ids 1..50, summing to 1,275), and its ids distinct cohort ids.
    const sampledIds = read.data['Baseline free (sample)'].student_id;
    expect(sampledIds.sum).not.toBe(1275);
    expect(sampledIds.distinct).toBe(50);
    expect(sampledIds.max).toBeLessThanOrEqual(120);
    for (const row of read.figures) {
      expect(row.formula, `${row.sheet} ${row.figure}`).toBeNull();
      expect(row.cached).toBe('sample: see workflow');
      expect(typeof row.workflow === 'number' || typeof row.workflow === 'string', row.figure).toBe(true);
    }
    const about = read.about.map((line: unknown[]) => line.join(' ')).join('\n');
    expect(about).toMatch(/Baseline free \(sample\).* hold a seeded random sample \(seed 5\) of 50 rows/);
  });

  itRequiring([pythonModules('openpyxl', 'pandas')], 'at the row limit nothing is sampled', async () => {
    const input = studyInput(30);
    const file = path.join(root, 'whole.xlsx');
    // 30 students per cohort, 45 distinct viewers: all fit in 45 rows.
    writeFileSync(file, await buildEngagementWorkbook({ ...input, maxDataRows: 45 }));
    const read = JSON.parse(execFileSync(PYTHON, [path.join(__dirname, 'read_workbook.py'), file], { encoding: 'utf8' }));
    expect(read.sheets.filter((name: string) => name.includes('sample'))).toEqual([]);
    expect(read.data.Viewers.student_id.count).toBe(45);
    expect(read.figures.every((row: { formula: string | null }) => row.formula?.startsWith('='))).toBe(true);
  });

  itRequiring([pythonModules('openpyxl', 'pandas')], 'a figure the workflow finds not defined gets no live formula that Excel would turn into an error or a number', async () => {
    // One paying student in the baseline: no SD, CI or test for the paid plan.
    const file = path.join(root, 'one-student.xlsx');
    writeFileSync(file, await buildEngagementWorkbook(studyInput(30, 1)));
    const read = JSON.parse(execFileSync(PYTHON, [path.join(__dirname, 'read_workbook.py'), file], { encoding: 'utf8' }));
    const undefinedRows = read.figures.filter((row: { workflow: unknown }) => row.workflow === 'not defined');
    expect(undefinedRows.length).toBeGreaterThan(5);
    for (const row of undefinedRows) {
      expect(row.formula, `${row.sheet} ${row.figure}`).toBeNull();
      expect(row.cached, `${row.sheet} ${row.figure}`).toBe('not defined');
    }
    // Figures that are defined keep their formula.
    expect(read.figures.filter((row: { workflow: unknown; formula: string | null }) => typeof row.workflow === 'number' && row.formula?.startsWith('=')).length).toBeGreaterThan(20);
  });
});
