// Step 8: predict certificates issued from minutes watched with a straight line.
import { accurateSum, mean } from './descriptive';
import { seededTestMask } from './seeded-shuffle';
import type { InfluenceStatistics, RegressionStatistics, WithNotes } from '../../contracts/engagement-statistics';

export interface LineFit {
  intercept: number;
  slope: number;
  n: number;
  meanX: number;
  sxx: number;
}

/**
 * OLS line from centred sums: slope = Σ(x - x̄)(y - ȳ) / Σ(x - x̄)², intercept = ȳ - slope x̄. Centred
 * and compensated, because the raw-sum form n Σx² - (Σx)² loses digits when minutes run into the
 * thousands over millions of rows.
 */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LineFit | null {
  const n = x.length;
  if (n < 2) return null;
  const meanX = mean(x);
  const meanY = mean(y);
  const sxx = accurateSum(x, (xi) => (xi - meanX) * (xi - meanX));
  if (sxx === 0) return null;
  const sxy = accurateSum(x, (xi, i) => (xi - meanX) * (y[i]! - meanY));
  const slope = sxy / sxx;
  return { intercept: meanY - slope * meanX, slope, n, meanX, sxx };
}

const predict = (fit: LineFit, x: number): number => fit.intercept + fit.slope * x;

/** 1 - SSE/SST over the given rows; NaN when y is constant there. */
function rSquared(fit: LineFit, x: ArrayLike<number>, y: ArrayLike<number>, rows: Uint32Array): number {
  const my = accurateSum(rows, (i) => y[i]!) / rows.length;
  const sse = accurateSum(rows, (i) => (y[i]! - predict(fit, x[i]!)) ** 2);
  const sst = accurateSum(rows, (i) => (y[i]! - my) ** 2);
  return sst === 0 ? NaN : 1 - sse / sst;
}

/** Step 8 as statistics.json holds it (contracts RegressionStatistics), its notes not yet joined. */
export type RegressionResult = WithNotes<RegressionStatistics>;

/**
 * How much single students move the full line: Cook's distance of each, as statsmodels'
 * OLSInfluence.cooks_distance. A handful above 4/n means the line (and Pearson's r) rests on them.
 * D_i = e_i² / (2 s²) · h_i / (1 - h_i)², h_i = 1/n + (x_i - x̄)² / Sxx, s² = SSE / (n - 2).
 */
function cooksDistances(fit: LineFit, x: ArrayLike<number>, y: ArrayLike<number>, studentIds: ArrayLike<number>, sse: number): InfluenceStatistics {
  const n = x.length;
  const threshold = 4 / n;
  const s2 = sse / (n - 2);
  let max = -Infinity;
  let maxAt = -1;
  let above = 0;
  for (let i = 0; i < n; i++) {
    const residual = y[i]! - predict(fit, x[i]!);
    const dx = x[i]! - fit.meanX;
    const leverage = 1 / n + (dx * dx) / fit.sxx;
    const distance = ((residual * residual) / (2 * s2)) * (leverage / ((1 - leverage) * (1 - leverage)));
    if (distance > threshold) above += 1;
    if (distance > max) {
      max = distance;
      maxAt = i;
    }
  }
  if (!Number.isFinite(max)) return { cooks_distance_threshold: threshold, max_cooks_distance: null, max_cooks_distance_student_id: null, n_above_threshold: null };
  return { cooks_distance_threshold: threshold, max_cooks_distance: max, max_cooks_distance_student_id: studentIds[maxAt]!, n_above_threshold: above };
}

export interface PredictionRows {
  studentIds: Float64Array;
  minutes: Float64Array;
  actual: Float64Array;
  /** From the model fitted on the training part. NaN when that model is undefined. */
  predicted: Float64Array;
  /** 1 = test, 0 = train */
  isTest: Uint8Array;
}

export interface RegressionOptions {
  seed?: number;
  testFraction?: number;
  predictMinutes?: number;
}

const nullIfNaN = (value: number): number | null => (Number.isFinite(value) ? value : null);

function rowsWhere(mask: Uint8Array, value: 0 | 1): Uint32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === value) count += 1;
  const rows = new Uint32Array(count);
  let next = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === value) rows[next++] = i;
  return rows;
}

function pick(values: ArrayLike<number>, rows: Uint32Array): Float64Array {
  const picked = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) picked[k] = values[rows[k]!]!;
  return picked;
}

export function regressCertificatesOnMinutes(
  studentIds: Float64Array,
  minutes: Float64Array,
  certificates: Float64Array,
  options: RegressionOptions = {},
): { result: RegressionResult; predictions: PredictionRows } {
  const seed = options.seed ?? 42;
  const testFraction = options.testFraction ?? 0.2;
  const predictMinutes = options.predictMinutes ?? 1200;
  const n = minutes.length;
  const notes: string[] = [];

  const full: RegressionResult['full'] = { intercept: null, slope: null, se_intercept: null, se_slope: null, r2: null, n };
  let influence: InfluenceStatistics = { cooks_distance_threshold: n > 0 ? 4 / n : null, max_cooks_distance: null, max_cooks_distance_student_id: null, n_above_threshold: null };
  const fit = fitLine(minutes, certificates);
  const all = new Uint32Array(n).map((_, i) => i);
  if (!fit) {
    notes.push(n < 2 ? `regression needs at least 2 students, got ${n}` : 'every student has the same minutes_watched: the slope is undefined');
  } else {
    full.intercept = fit.intercept;
    full.slope = fit.slope;
    full.r2 = nullIfNaN(rSquared(fit, minutes, certificates, all));
    if (full.r2 === null) notes.push('every student has the same certificates_issued (e.g. none issued): R² is undefined');
    if (n > 2) {
      // Textbook standard errors with residual variance SSE / (n - 2).
      const sse = accurateSum(all, (i) => (certificates[i]! - predict(fit, minutes[i]!)) ** 2);
      const s2 = sse / (n - 2);
      full.se_slope = Math.sqrt(s2 / fit.sxx);
      full.se_intercept = Math.sqrt(s2 * (1 / n + (fit.meanX * fit.meanX) / fit.sxx));
      if (sse > 0) influence = cooksDistances(fit, minutes, certificates, studentIds, sse);
      else notes.push("every student lies on the line: Cook's distances are undefined");
    } else notes.push("standard errors and Cook's distances need at least 3 students");
  }

  const isTest = n > 0 ? seededTestMask(n, testFraction, seed) : new Uint8Array(0);
  const trainRows = rowsWhere(isTest, 0);
  const testRows = rowsWhere(isTest, 1);
  const split: RegressionResult['split'] = {
    seed,
    test_fraction: testFraction,
    n_train: trainRows.length,
    n_test: testRows.length,
    intercept: null,
    slope: null,
    r2_train: null,
    r2_test: null,
    mae_test: null,
    rmse_test: null,
  };
  const trainFit = fitLine(pick(minutes, trainRows), pick(certificates, trainRows));
  const predicted = new Float64Array(n).fill(NaN);
  if (!trainFit) {
    notes.push(`the training part (${trainRows.length} students) cannot fit a line`);
  } else {
    split.intercept = trainFit.intercept;
    split.slope = trainFit.slope;
    for (let i = 0; i < n; i++) predicted[i] = predict(trainFit, minutes[i]!);
    split.r2_train = nullIfNaN(rSquared(trainFit, minutes, certificates, trainRows));
    if (split.r2_train === null) notes.push('every training student has the same certificates_issued: train R² is undefined');
    if (testRows.length > 0) {
      split.r2_test = nullIfNaN(rSquared(trainFit, minutes, certificates, testRows));
      if (split.r2_test === null) notes.push('every test student has the same certificates_issued: test R² is undefined');
      split.mae_test = accurateSum(testRows, (i) => Math.abs(certificates[i]! - predicted[i]!)) / testRows.length;
      split.rmse_test = Math.sqrt(accurateSum(testRows, (i) => (certificates[i]! - predicted[i]!) ** 2) / testRows.length);
    }
  }

  const prediction = { minutes: predictMinutes, certificates: fit ? predict(fit, predictMinutes) : null };
  return {
    result: { full, split, prediction, influence, notes },
    predictions: { studentIds, minutes, actual: certificates, predicted, isTest },
  };
}

/** regression_predictions.csv: student_id, minutes_watched, actual, predicted, split. */
export function* formatPredictionsCsvChunks(rows: PredictionRows, rowsPerChunk = 10000): Generator<string> {
  let chunk = 'student_id,minutes_watched,actual,predicted,split\n';
  for (let i = 0; i < rows.minutes.length; i++) {
    const predicted = Number.isFinite(rows.predicted[i]!) ? String(rows.predicted[i]) : '';
    chunk += `${rows.studentIds[i]},${rows.minutes[i]},${rows.actual[i]},${predicted},${rows.isTest[i] ? 'test' : 'train'}\n`;
    if ((i + 1) % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
