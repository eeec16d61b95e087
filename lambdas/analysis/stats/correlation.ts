// Step 6: how minutes watched and certificates issued move together, over every student
// (students with 0 minutes included).
import { pearsonPValue, standardNormalQuantile } from './distributions';
import { accurateSum, mean } from './descriptive';
import { averageRanks } from './ranks';
import type { CorrelationStatistics, WithNotes } from '../../contracts/engagement-statistics';

/** Step 6 as statistics.json holds it (contracts CorrelationStatistics), its notes not yet joined. */
export type CorrelationResult = WithNotes<CorrelationStatistics>;

/** Pearson's r from centred cross products, clipped to [-1, 1] as scipy does; NaN if a variable is constant. */
export function pearsonR(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  const sxy = accurateSum(x, (xi, i) => (xi - mx) * (y[i]! - my));
  const sxx = accurateSum(x, (xi) => (xi - mx) * (xi - mx));
  const syy = accurateSum(y, (yi) => (yi - my) * (yi - my));
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** 95% interval of r by Fisher's z transform: tanh(atanh(r) ± z_0.975 / sqrt(n - 3)). */
export function fisherInterval(r: number, n: number, confidence = 0.95): [number, number] {
  const z = Math.atanh(r);
  const half = standardNormalQuantile(1 - (1 - confidence) / 2) / Math.sqrt(n - 3);
  return [Math.tanh(z - half), Math.tanh(z + half)];
}

export function correlateMinutesAndCertificates(minutes: ArrayLike<number>, certificates: ArrayLike<number>): CorrelationResult {
  const n = minutes.length;
  const notes: string[] = [];
  const result: CorrelationResult = { n, pearson: null, pearson_ci95: null, p: null, spearman: null, notes };
  if (n < 3) {
    notes.push(`correlation needs at least 3 students, minutes_and_certificates has ${n}`);
    return result;
  }
  const constant = [
    [minutes, 'every student has the same minutes_watched'],
    [certificates, 'every student has the same certificates_issued (e.g. no certificates at all)'],
  ] as const;
  for (const [values, why] of constant) {
    let allEqual = true;
    for (let i = 1; i < n && allEqual; i++) allEqual = values[i] === values[0];
    if (allEqual) notes.push(`${why}: correlation is undefined`);
  }
  if (notes.length > 0) return result;
  const r = pearsonR(minutes, certificates);
  result.pearson = r;
  result.p = pearsonPValue(r, n);
  if (n > 3) result.pearson_ci95 = fisherInterval(r, n);
  else notes.push('the Fisher interval needs at least 4 students');
  result.spearman = pearsonR(averageRanks(minutes), averageRanks(certificates));
  return result;
}
