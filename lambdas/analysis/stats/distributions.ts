// Distribution functions accurate to a few units in the last place, so p-values and interval
// bounds agree with scipy to ~1e-12. jStat's own cdfs stop their continued fraction at a relative
// change of 3e-7 (betacf) and cap it at 100 terms, which is off by ~1e-7 already for a few hundred
// students and worse for millions; jStat still gives the starting points of the quantile searches.
import { jStat } from 'jstat';

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export interface Tails {
  /** P(X <= x) */
  lower: number;
  /** P(X > x) */
  upper: number;
}

/**
 * Regularized incomplete beta I_x(a, b) and its complement, each computed directly on the side
 * where it is small, so tiny tail probabilities keep their relative precision. `y` = 1 - x, passed
 * separately when the caller knows it more precisely than 1 - x.
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x): Tails {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  const logFront = logBetaFront(x, y, a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
  return { lower: 1 - upper, upper };
}

/**
 * ln[x^a y^b / B(a, b)] without the cancellation of ln Γ terms near 1e7 that millions of degrees of
 * freedom bring: Stirling's form splits off the large parts, which then combine into log1p terms.
 */
function logBetaFront(x: number, y: number, a: number, b: number): number {
  const s = a + b;
  const delta = x * b - y * a; // x (a + b) - a
  return (
    a * Math.log1p(delta / a) +
    b * Math.log1p(-delta / b) +
    0.5 * Math.log((a / s) * b) -
    0.5 * Math.log(2 * Math.PI) +
    stirlingCorrection(s) -
    stirlingCorrection(a) -
    stirlingCorrection(b)
  );
}

/** ln Γ(z) minus Stirling's approximation (z - 1/2) ln z - z + ln(2π)/2. */
function stirlingCorrection(z: number): number {
  if (z < 10) return logGamma(z) - ((z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI));
  const r = 1 / z;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156)))))))
  );
}

/** Continued fraction of I_x(a, b) by the modified Lentz method. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  // The number of terms grows like sqrt(max(a, b)); millions of degrees of freedom need a few thousand.
  const maxTerms = 1000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
  for (let m = 1; m <= maxTerms; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) return h;
  }
  return h;
}

/** Tails of Student's t with `df` degrees of freedom at `t`. */
export function studentT(t: number, df: number): Tails {
  if (Number.isNaN(t)) return { lower: NaN, upper: NaN };
  if (t === Infinity) return { lower: 1, upper: 0 };
  if (t === -Infinity) return { lower: 0, upper: 1 };
  if (t === 0) return { lower: 0.5, upper: 0.5 };
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2)
  const both = incompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).lower;
  const tail = both / 2;
  return t < 0 ? { lower: tail, upper: 1 - tail } : { lower: 1 - tail, upper: tail };
}

function studentTDensity(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/** Quantile of Student's t: jStat's estimate polished by Newton steps on the accurate cdf. */
export function studentTQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  let t = jStat.studentt.inv(p, df);
  if (!Number.isFinite(t)) t = p < 0.5 ? -1 : 1;
  for (let i = 0; i < 100; i++) {
    const tails = studentT(t, df);
    // Work on the smaller tail so the residual keeps its precision.
    const residual = p < 0.5 ? tails.lower - p : 1 - p - tails.upper;
    const step = residual / studentTDensity(t, df);
    t -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(t)) break;
  }
  return t;
}

/** Tails of the F distribution with (d1, d2) degrees of freedom at `f`. */
export function fisherF(f: number, d1: number, d2: number): Tails {
  if (f <= 0) return { lower: 0, upper: 1 };
  if (f === Infinity) return { lower: 1, upper: 0 };
  const denominator = d1 * f + d2;
  return incompleteBeta((d1 * f) / denominator, d1 / 2, d2 / 2, d2 / denominator);
}

// Chebyshev coefficients of erfc (Numerical Recipes 3rd ed., Erf::erfccheb), near full double precision.
const ERFC_CHEB = [
  -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4,
  3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6, 1.5626441722e-8,
  -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12,
  -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
];

/** Complementary error function, computed directly (no 1 - erf cancellation in the tail). */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  const t = 2 / (2 + x);
  const ty = 4 * t - 2;
  let d = 0;
  let dd = 0;
  for (let j = ERFC_CHEB.length - 1; j > 0; j--) {
    const previous = d;
    d = ty * d - dd + ERFC_CHEB[j]!;
    dd = previous;
  }
  return t * Math.exp(-x * x + 0.5 * (ERFC_CHEB[0]! + ty * d) - dd);
}

export function standardNormal(z: number): Tails {
  const lower = 0.5 * erfc(-z / Math.SQRT2);
  const upper = 0.5 * erfc(z / Math.SQRT2);
  return { lower, upper };
}

/** Standard normal quantile: jStat's estimate polished by Newton steps. */
export function standardNormalQuantile(p: number): number {
  let z = jStat.normal.inv(p, 0, 1);
  for (let i = 0; i < 20; i++) {
    const tails = standardNormal(z);
    const residual = p < 0.5 ? tails.lower - p : 1 - p - tails.upper;
    const step = residual / (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI));
    z -= step;
    if (Math.abs(step) <= 1e-16 * Math.abs(z)) break;
  }
  return z;
}

/** Upper tail of chi-square with 1 degree of freedom: P(X > x) = erfc(sqrt(x / 2)). */
export function chiSquare1Sf(x: number): number {
  if (x <= 0) return 1;
  return erfc(Math.sqrt(x / 2));
}
