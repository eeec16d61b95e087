// engagement_study.xlsx: the study's data and figures where analysts work. Each figure is a live
// Excel formula over the data sheets, its cached value the workflow's figure, and beside it that
// figure again with its statistics.json field, so an Excel user sees both agree (and a recalculation
// that disagrees shows at once). Pure: data in, bytes out.
import { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer';
import { cohortKey, type EngagementStatistics } from '../../contracts/engagement-statistics';
import { formatCount } from '../figure-format';
import { markedIndexes, seededFirstMask } from '../stats/seeded-shuffle';
import type { PaidGroup, PeriodRole } from '../../contracts/period-files';
import { setZipEntryDates } from './deterministic-zip';
import { writeNumberRows } from './number-rows';

/** Excel's sheet holds 1,048,576 rows; one is the header. */
export const EXCEL_MAX_DATA_ROWS = 1_048_575;

export interface WorkbookCohort {
  role: PeriodRole;
  group: PaidGroup;
  /** Cleaned cohort (after outlier removal), as the statistics used it. */
  studentIds: ArrayLike<number>;
  minutes: ArrayLike<number>;
}

export interface EngagementWorkbookInput {
  statistics: EngagementStatistics;
  cohorts: readonly WorkbookCohort[];
  minutesAndCertificates: { studentIds: ArrayLike<number>; minutes: ArrayLike<number>; certificates: ArrayLike<number> };
  /** Distinct student ids of each period's cohort files before outlier removal (step 7's input), ascending. */
  viewers: Record<PeriodRole, ArrayLike<number>>;
  predictMinutes: number;
  /** Seed of the sample drawn when a sheet would exceed maxDataRows. */
  seed: number;
  /** Written as the workbook's created and modified dates and the zip entries' dates. */
  documentDate: Date;
  /** Data rows a sheet may hold (Excel's limit unless a test injects a smaller one). */
  maxDataRows?: number;
}

const ROLES: readonly PeriodRole[] = ['baseline', 'comparison'];
const GROUPS: readonly PaidGroup[] = ['free', 'paid'];
const ROLE_TITLE: Record<PeriodRole, string> = { baseline: 'Baseline', comparison: 'Comparison' };

const FORMAT = {
  count: '#,##0',
  minutes: '#,##0.00',
  figure: '0.000000',
  p: '0.000000E+00',
  share: '0.0000%',
} as const;

type CellResult = number | string | null;

/** One row of a figures sheet: the Excel formula, the workflow's value and where statistics.json holds it. */
interface FigureRow {
  part: string;
  figure: string;
  /** Formula text without '=', or null when a sampled sheet would make it describe the sample only. */
  formula: string | null;
  value: CellResult;
  field: string;
  format: string;
}

interface DataSheet {
  name: string;
  /** Absolute range of a column's data rows, e.g. 'Baseline free'!$B$2:$B$101. */
  range: (column: string) => string;
  sampled: boolean;
}

const quoteSheet = (name: string): string => `'${name.replace(/'/g, "''")}'`;

/** Row indexes a sheet holds: all of them, or a seeded sample of maxRows kept in the data's order. */
export function rowsToWrite(n: number, maxRows: number, seed: number): Uint32Array {
  if (n <= maxRows) {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  // The permutation's first maxRows, marked and read off in index order: the rows sorting them
  // gives, in linear time.
  return markedIndexes(seededFirstMask(n, maxRows, seed), maxRows);
}

type Writer = ExcelJS.stream.xlsx.WorkbookWriter;

/** A data sheet's name and ranges, known before it is written (the About sheet, written first, names the sampled ones). */
function planDataSheet(title: string, n: number, maxRows: number): DataSheet {
  const sampled = n > maxRows;
  const name = sampled ? `${title} (sample)` : title;
  // exceljs would cut a longer name silently, and formulas would then name a sheet that is not there.
  if (name.length > 31) throw new Error(`sheet name "${name}" is longer than Excel's 31 characters`);
  // An empty sheet still gets a one-row range, so COUNT gives 0 rather than a reference error.
  const last = Math.max(2, Math.min(n, maxRows) + 1);
  return { name, sampled, range: (column) => `${quoteSheet(name)}!$${column}$2:$${column}$${last}` };
}

/** Rows go out in batches as the zip takes them: cohorts of millions of students never sit in the heap as cells. */
async function writeDataSheet(
  workbook: Writer,
  plan: DataSheet,
  columns: readonly { header: string; values: ArrayLike<number>; format: string; width: number }[],
  maxRows: number,
  seed: number,
): Promise<void> {
  const rows = rowsToWrite(columns[0]!.values.length, maxRows, seed);
  const sheet = workbook.addWorksheet(plan.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width, style: { numFmt: column.format } }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  await writeNumberRows(sheet, columns, rows);
  await sheet.commit();
}

function writeFigureSheet(workbook: Writer, name: string, parameters: readonly [string, number][], rows: readonly FigureRow[]): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Part', width: 30 },
    { header: 'Figure', width: 44 },
    { header: 'Excel (live formula)', width: 22 },
    { header: 'Workflow (statistics.json)', width: 26 },
    { header: 'statistics.json field', width: 44 },
    { header: '', width: 3 },
    { header: 'Parameter', width: 18 },
    { header: 'Value', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  const count = Math.max(rows.length, parameters.length);
  for (let index = 0; index < count; index++) {
    const row = rows[index];
    const parameter = parameters[index];
    const cells: ExcelJS.CellValue[] = [];
    if (row) {
      // Where the workflow finds a figure not defined (too few students, no spread), a live formula would
      // show Excel's error or a number for a test that was not made (a pooled df of -2): it says the same.
      const excel = row.formula === null ? 'sample: see workflow' : row.value === null ? 'not defined' : { formula: row.formula, result: row.value };
      cells.push(row.part, row.figure, excel as ExcelJS.CellValue, row.value ?? 'not defined', row.field);
    } else cells.push(null, null, null, null, null);
    if (parameter) {
      cells.push(null, parameter[0], parameter[1]);
      // Named, so a formula says what it reads: =IF(p>=alpha, ...).
      workbook.definedNames.add(`${quoteSheet(name)}!$H$${index + 2}`, parameter[0]);
    }
    const added = sheet.addRow(cells);
    if (row) {
      added.getCell(3).numFmt = row.format;
      added.getCell(4).numFmt = row.format;
    }
    added.commit();
  }
  sheet.commit();
}

/** Cell of the "Excel" column for a figure row: rows are numbered from 2 in the order given. */
class FigureRows {
  readonly rows: FigureRow[] = [];
  add(row: FigureRow): string {
    this.rows.push(row);
    return `$C$${this.rows.length + 1}`;
  }
}

const pick = (value: number | null | undefined): number | null => (value === undefined ? null : value);

function hypothesisRows(statistics: EngagementStatistics, sheets: Record<PeriodRole, Record<PaidGroup, DataSheet>>): FigureRow[] {
  const figures = new FigureRows();
  const cell: Record<string, Record<string, string>> = {};
  for (const role of ROLES) {
    for (const group of GROUPS) {
      const label = cohortKey(statistics.periods[role], group);
      const stats = statistics.cohorts[label]!;
      const sheet = sheets[role][group];
      const range = sheet.range('B');
      const live = (formula: string): string | null => (sheet.sampled ? null : formula);
      const part = `${ROLE_TITLE[role]} ${group} (${label})`;
      const field = `cohorts.${label}`;
      const c: Record<string, string> = {};
      c.n = figures.add({ part, figure: 'n (after outlier removal)', formula: live(`COUNT(${range})`), value: stats.n_after, field: `${field}.n_after`, format: FORMAT.count });
      c.mean = figures.add({ part, figure: 'Mean minutes', formula: live(`AVERAGE(${range})`), value: stats.mean, field: `${field}.mean`, format: FORMAT.minutes });
      figures.add({ part, figure: 'Median minutes', formula: live(`MEDIAN(${range})`), value: stats.median, field: `${field}.median`, format: FORMAT.minutes });
      c.sd = figures.add({ part, figure: 'Standard deviation (sample)', formula: live(`_xlfn.STDEV.S(${range})`), value: stats.sd, field: `${field}.sd`, format: FORMAT.minutes });
      const half = { t: `_xlfn.CONFIDENCE.T(0.05,${c.sd},${c.n})`, z: `_xlfn.CONFIDENCE.NORM(0.05,${c.sd},${c.n})` };
      for (const kind of ['t', 'z'] as const) {
        const interval = kind === 't' ? stats.ci95_t : stats.ci95_z;
        const name = kind === 't' ? "95% CI of the mean (Student's t)" : '95% CI of the mean (normal)';
        figures.add({ part, figure: `${name}, low`, formula: live(`${c.mean}-${half[kind]}`), value: interval?.[0] ?? null, field: `${field}.ci95_${kind}[0]`, format: FORMAT.minutes });
        figures.add({ part, figure: `${name}, high`, formula: live(`${c.mean}+${half[kind]}`), value: interval?.[1] ?? null, field: `${field}.ci95_${kind}[1]`, format: FORMAT.minutes });
      }
      cell[`${role}_${group}`] = c;
    }
  }
  for (const group of GROUPS) {
    const test = statistics.tests[group];
    const b = cell[`baseline_${group}`]!;
    const c = cell[`comparison_${group}`]!;
    const baseline = sheets.baseline[group];
    const comparison = sheets.comparison[group];
    const sampled = baseline.sampled || comparison.sampled;
    const live = (formula: string): string | null => (sampled ? null : formula);
    const [rb, rc] = [baseline.range('B'), comparison.range('B')];
    const part = `${group === 'free' ? 'Free' : 'Paid'} students: ${statistics.periods.baseline} vs ${statistics.periods.comparison}`;
    const field = `tests.${group}`;
    const pooledVariance = `((${b.n}-1)*${b.sd}^2+(${c.n}-1)*${c.sd}^2)/(${b.n}+${c.n}-2)`;
    const row = (figure: string, formula: string, key: keyof typeof test, format: string): string =>
      figures.add({ part, figure, formula: live(formula), value: pick(test[key] as number | null), field: `${field}.${key}`, format });
    // t is baseline minus comparison; the study's one-sided p is its lower tail. T.TEST's one-tailed
    // p is the tail beyond the observed t, so the lower tail is that p when t < 0, else 1 minus it.
    const lowerTail = (t: string, type: 2 | 3): string => `IF(${t}<0,_xlfn.T.TEST(${rb},${rc},1,${type}),1-_xlfn.T.TEST(${rb},${rc},1,${type}))`;
    const F = row('F (baseline variance / comparison variance)', `_xlfn.VAR.S(${rb})/_xlfn.VAR.S(${rc})`, 'F', FORMAT.figure);
    const pF = row('p of F, two-sided (F.TEST)', `_xlfn.F.TEST(${rb},${rc})`, 'p_F', FORMAT.p);
    void F;
    const tPooled = row('t, pooled variance', `(${b.mean}-${c.mean})/SQRT(${pooledVariance}*(1/${b.n}+1/${c.n}))`, 't_pooled', FORMAT.figure);
    row('Degrees of freedom, pooled', `${b.n}+${c.n}-2`, 'df_pooled', FORMAT.figure);
    const pPooled = row('p, pooled, two-sided (T.TEST type 2)', `_xlfn.T.TEST(${rb},${rc},2,2)`, 'p_pooled_two_sided', FORMAT.p);
    row('p, pooled, one-sided (H1: comparison higher)', lowerTail(tPooled, 2), 'p_pooled_one_sided', FORMAT.p);
    const welchSe = `${b.sd}^2/${b.n}+${c.sd}^2/${c.n}`;
    const tWelch = row('t, Welch', `(${b.mean}-${c.mean})/SQRT(${welchSe})`, 't_welch', FORMAT.figure);
    row(
      'Degrees of freedom, Welch',
      `(${welchSe})^2/((${b.sd}^2/${b.n})^2/(${b.n}-1)+(${c.sd}^2/${c.n})^2/(${c.n}-1))`,
      'df_welch',
      FORMAT.figure,
    );
    const pWelch = row('p, Welch, two-sided (T.TEST type 3)', `_xlfn.T.TEST(${rb},${rc},2,3)`, 'p_welch_two_sided', FORMAT.p);
    row('p, Welch, one-sided (H1: comparison higher)', lowerTail(tWelch, 3), 'p_welch_one_sided', FORMAT.p);
    const chosen = figures.add({
      part,
      figure: 'Chosen test (pooled when p of F >= alpha)',
      formula: live(`IF(${pF}>=alpha,"pooled","welch")`),
      value: test.chosen,
      field: `${field}.chosen`,
      format: '@',
    });
    row("Chosen test's p, two-sided", `IF(${chosen}="pooled",${pPooled},${pWelch})`, 'p_two_sided', FORMAT.p);
    row('Mean difference (comparison - baseline), minutes', `${c.mean}-${b.mean}`, 'mean_difference', FORMAT.minutes);
    row("Cohen's d (difference / pooled SD)", `(${c.mean}-${b.mean})/SQRT(${pooledVariance})`, 'cohens_d', FORMAT.figure);
  }
  return figures.rows;
}

function correlationRows(statistics: EngagementStatistics, sheet: DataSheet): FigureRow[] {
  const figures = new FigureRows();
  const live = (formula: string): string | null => (sheet.sampled ? null : formula);
  const [minutes, certificates] = [sheet.range('B'), sheet.range('C')];
  const part = 'Minutes watched and certificates issued';
  const { correlation, regression } = statistics;
  const n = figures.add({ part, figure: 'n (students)', formula: live(`COUNT(${minutes})`), value: correlation.n, field: 'correlation.n', format: FORMAT.count });
  const r = figures.add({ part, figure: "Pearson's r (CORREL)", formula: live(`CORREL(${minutes},${certificates})`), value: correlation.pearson, field: 'correlation.pearson', format: FORMAT.figure });
  const fisherHalf = `_xlfn.NORM.S.INV(0.975)/SQRT(${n}-3)`;
  figures.add({ part, figure: "95% CI of r (Fisher's z), low", formula: live(`TANH(ATANH(${r})-${fisherHalf})`), value: correlation.pearson_ci95?.[0] ?? null, field: 'correlation.pearson_ci95[0]', format: FORMAT.figure });
  figures.add({ part, figure: "95% CI of r (Fisher's z), high", formula: live(`TANH(ATANH(${r})+${fisherHalf})`), value: correlation.pearson_ci95?.[1] ?? null, field: 'correlation.pearson_ci95[1]', format: FORMAT.figure });
  const line = 'Certificates on minutes, all students';
  figures.add({ part: line, figure: 'R² (RSQ)', formula: live(`RSQ(${certificates},${minutes})`), value: regression.full.r2, field: 'regression.full.r2', format: FORMAT.figure });
  const slope = figures.add({ part: line, figure: 'Slope, certificates per minute (SLOPE)', formula: live(`SLOPE(${certificates},${minutes})`), value: regression.full.slope, field: 'regression.full.slope', format: FORMAT.p });
  const intercept = figures.add({ part: line, figure: 'Intercept (INTERCEPT)', formula: live(`INTERCEPT(${certificates},${minutes})`), value: regression.full.intercept, field: 'regression.full.intercept', format: FORMAT.figure });
  figures.add({
    part: line,
    figure: 'Predicted certificates at predict_minutes',
    formula: live(`${intercept}+${slope}*predict_minutes`),
    value: regression.prediction.certificates,
    field: 'regression.prediction.certificates',
    format: FORMAT.figure,
  });
  return figures.rows;
}

function probabilityRows(statistics: EngagementStatistics, sheet: DataSheet): FigureRow[] {
  const figures = new FigureRows();
  const live = (formula: string): string | null => (sheet.sampled ? null : formula);
  const [ids, baseline, comparison] = [sheet.range('A'), sheet.range('B'), sheet.range('C')];
  const p = statistics.probabilities;
  const part = `Viewers of ${statistics.periods.baseline} (A) or ${statistics.periods.comparison} (B)`;
  const count = (figure: string, formula: string, key: keyof typeof p): string =>
    figures.add({ part, figure, formula: live(formula), value: p[key] as number, field: `probabilities.${key}`, format: FORMAT.count });
  const share = (figure: string, formula: string, key: keyof typeof p): string =>
    figures.add({ part, figure, formula: live(formula), value: p[key] as number | null, field: `probabilities.${key}`, format: FORMAT.share });
  const nAny = count('Students who watched in either period', `COUNT(${ids})`, 'n_any');
  const nA = count('Watched in the baseline period', `COUNTIFS(${baseline},1)`, 'n_baseline');
  const nB = count('Watched in the comparison period', `COUNTIFS(${comparison},1)`, 'n_comparison');
  const nBoth = count('Watched in both', `COUNTIFS(${baseline},1,${comparison},1)`, 'n_both');
  const pA = share('P(A)', `${nA}/${nAny}`, 'p_baseline');
  const pB = share('P(B)', `${nB}/${nAny}`, 'p_comparison');
  share('P(A ∩ B)', `${nBoth}/${nAny}`, 'p_both');
  share('P(A) × P(B)', `${pA}*${pB}`, 'p_product');
  share('P(A | B)', `${nBoth}/${nB}`, 'p_baseline_given_comparison');
  share('P(B | A)', `${nBoth}/${nA}`, 'p_comparison_given_baseline');
  return figures.rows;
}

/** One row per distinct viewer: id, watched in the baseline period (0/1), in the comparison period (0/1). */
function viewerColumns(viewers: Record<PeriodRole, ArrayLike<number>>): { ids: Float64Array; baseline: Uint8Array; comparison: Uint8Array } {
  const a = viewers.baseline;
  const b = viewers.comparison;
  // Typed columns sized for the worst case (no one in both): millions of viewers stay out of the heap.
  const ids = new Float64Array(a.length + b.length);
  const inA = new Uint8Array(a.length + b.length);
  const inB = new Uint8Array(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const fromA = i < a.length && a[i] === next;
    const fromB = j < b.length && b[j] === next;
    ids[n] = next;
    inA[n] = fromA ? 1 : 0;
    inB[n] = fromB ? 1 : 0;
    n += 1;
    if (fromA) i += 1;
    if (fromB) j += 1;
  }
  return { ids: ids.subarray(0, n), baseline: inA.subarray(0, n), comparison: inB.subarray(0, n) };
}

function writeAboutSheet(workbook: Writer, input: EngagementWorkbookInput, sampledSheets: readonly string[], maxRows: number): void {
  const sheet = workbook.addWorksheet('About');
  sheet.getColumn(1).width = 28;
  sheet.getColumn(2).width = 100;
  const { statistics } = input;
  const lines: [string, string | number][] = [
    ['Engagement study', 'Cleaned cohorts, minutes and certificates, and the study\'s figures as live Excel formulas.'],
    ['Baseline period', statistics.periods.baseline],
    ['Comparison period', statistics.periods.comparison],
    ['Significance level (alpha)', statistics.alpha],
    ['Prediction at minutes', input.predictMinutes],
    [
      'How to read',
      'On "Hypothesis tests", "Correlation" and "Probabilities" each figure is a formula over the data sheets (column C, cached with the ' +
        "workflow's value) beside the workflow's own figure from statistics.json (column D). After a recalculation both columns should agree.",
    ],
    ['Not here', 'Bootstrap intervals, the Mann-Whitney test, chi-square and the train/test regression have no Excel function: see statistics.json.'],
  ];
  if (sampledSheets.length > 0) {
    lines.push([
      'Sampled sheets',
      `${sampledSheets.join(', ')} hold a seeded random sample (seed ${input.seed}) of ${formatCount(maxRows)} rows: the data exceed a sheet's rows. ` +
        "Figures that depend on them are the workflow's, computed on every row; their formula cells say so instead of describing the sample.",
    ]);
  }
  for (const [label, value] of lines) {
    const row = sheet.addRow([label, value]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  sheet.commit();
}

// The id and minutes columns of the data sheets, formatted alike on every sheet.
const studentIdColumn = (values: ArrayLike<number>) => ({ header: 'student_id', values, format: '0', width: 12 });
const minutesColumn = (values: ArrayLike<number>) => ({ header: 'minutes_watched', values, format: FORMAT.minutes, width: 18 });

/** The .xlsx bytes, every date in them documentDate. */
export async function buildEngagementWorkbook(input: EngagementWorkbookInput): Promise<Buffer> {
  const maxRows = input.maxDataRows ?? EXCEL_MAX_DATA_ROWS;
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  workbook.creator = 'engagement-workflow';
  workbook.lastModifiedBy = 'engagement-workflow';
  workbook.created = input.documentDate;
  workbook.modified = input.documentDate;

  const cohort = (role: PeriodRole, group: PaidGroup): WorkbookCohort => {
    const found = input.cohorts.find((candidate) => candidate.role === role && candidate.group === group);
    if (!found) throw new Error(`workbook: no ${role} ${group} cohort given`);
    return found;
  };
  const cohortSheets = { baseline: {}, comparison: {} } as Record<PeriodRole, Record<PaidGroup, DataSheet>>;
  for (const role of ROLES) for (const group of GROUPS) cohortSheets[role][group] = planDataSheet(`${ROLE_TITLE[role]} ${group}`, cohort(role, group).minutes.length, maxRows);
  const mc = input.minutesAndCertificates;
  const mcSheet = planDataSheet('Minutes & certificates', mc.minutes.length, maxRows);
  const viewers = viewerColumns(input.viewers);
  const viewerSheet = planDataSheet('Viewers', viewers.ids.length, maxRows);
  const dataSheets = [...ROLES.flatMap((role) => GROUPS.map((group) => cohortSheets[role][group])), mcSheet, viewerSheet];

  writeAboutSheet(workbook, input, dataSheets.filter((sheet) => sheet.sampled).map((sheet) => sheet.name), maxRows);
  for (const role of ROLES) {
    for (const group of GROUPS) {
      const { studentIds, minutes } = cohort(role, group);
      await writeDataSheet(
        workbook,
        cohortSheets[role][group],
        [
          studentIdColumn(studentIds),
          minutesColumn(minutes),
        ],
        maxRows,
        input.seed,
      );
    }
  }
  await writeDataSheet(
    workbook,
    mcSheet,
    [
      studentIdColumn(mc.studentIds),
      minutesColumn(mc.minutes),
      { header: 'certificates_issued', values: mc.certificates, format: FORMAT.count, width: 20 },
    ],
    maxRows,
    input.seed,
  );
  await writeDataSheet(
    workbook,
    viewerSheet,
    [
      studentIdColumn(viewers.ids),
      { header: `watched_${input.statistics.periods.baseline}`, values: viewers.baseline, format: '0', width: 20 },
      { header: `watched_${input.statistics.periods.comparison}`, values: viewers.comparison, format: '0', width: 20 },
    ],
    maxRows,
    input.seed,
  );
  writeFigureSheet(workbook, 'Hypothesis tests', [['alpha', input.statistics.alpha]], hypothesisRows(input.statistics, cohortSheets));
  writeFigureSheet(workbook, 'Correlation', [['predict_minutes', input.predictMinutes]], correlationRows(input.statistics, mcSheet));
  writeFigureSheet(workbook, 'Probabilities', [], probabilityRows(input.statistics, viewerSheet));
  await workbook.commit();
  return setZipEntryDates(Buffer.concat(chunks), input.documentDate);
}
