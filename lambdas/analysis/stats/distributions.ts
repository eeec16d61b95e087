// The t, F and normal distributions from @stdlib. Against scipy (test/fixtures/stats) the t and
// normal tails agree to ~1e-14 relative, F to ~1e-12 up to thousands of degrees of freedom and to
// ~5e-10 at millions. stdlib gives lower-tail cdfs only, and 1 - cdf rounds to 0 once a p-value
// falls below ~1e-16; every upper tail here is therefore taken as a lower tail of a mirrored
// variable (t by symmetry, F by swapping its degrees of freedom, normal by symmetry), so tiny
// p-values keep their relative precision (tested against scipy down to ~1e-300).
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface Tails {
  /** P(X <= x) */
  lower: number;
  /** P(X > x) */
  upper: number;
}

/** Tails of Student's t with `df` degrees of freedom at `t`. */
export function studentT(t: number, df: number): Tails {
  return { lower: tCdf(t, df), upper: tCdf(-t, df) };
}

/** Quantile of Student's t with `df` degrees of freedom. */
export function studentTQuantile(p: number, df: number): number {
  return tQuantile(p, df);
}

/** Tails of the F distribution with (d1, d2) degrees of freedom at `f`: P(F(d1, d2) > f) = P(F(d2, d1) < 1/f). */
export function fisherF(f: number, d1: number, d2: number): Tails {
  if (f <= 0) return { lower: 0, upper: 1 };
  return { lower: fCdf(f, d1, d2), upper: fCdf(1 / f, d2, d1) };
}

export function standardNormal(z: number): Tails {
  return { lower: normalCdf(z, 0, 1), upper: normalCdf(-z, 0, 1) };
}

export function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Upper tail of chi-square with 1 degree of freedom: X = Z², so P(X > x) = 2 P(Z < -sqrt(x)). */
export function chiSquare1Sf(x: number): number {
  if (x <= 0) return 1;
  return 2 * normalCdf(-Math.sqrt(x), 0, 1);
}

/**
 * Two-sided p of Pearson's r under H0 with n - 2 df. scipy.stats.pearsonr takes it from a beta
 * distribution; the same probability is the t test of t = r sqrt((n - 2) / (1 - r²)), which stdlib has.
 */
export function pearsonPValue(r: number, n: number): number {
  const absR = Math.abs(r);
  if (absR === 1) return 0;
  const t = absR * Math.sqrt((n - 2) / ((1 - absR) * (1 + absR)));
  return Math.min(1, 2 * tCdf(-t, n - 2));
}
