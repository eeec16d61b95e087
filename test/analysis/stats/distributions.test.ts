import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { chiSquare1Sf, fisherF, pearsonPValue, standardNormal, standardNormalQuantile, studentT, studentTQuantile } from '../../../lambdas/analysis/stats/distributions';
import { expectClose } from './close';

interface Grid {
  t: { t: number; df: number; lower: number; upper: number }[];
  t_quantile: { df: number; q975: number }[];
  f: { f: number; d1: number; d2: number; lower: number; upper: number }[];
  chi2_1: { x: number; sf: number }[];
  pearson_p: { r: number; n: number; p: number }[];
  norm_q975: number;
}

const grid = (JSON.parse(readFileSync(join(__dirname, '../../fixtures/stats/stats_reference.json'), 'utf8')) as { distributions: Grid })
  .distributions;

describe('distribution functions against scipy', () => {
  it('Student t tails, both sides, up to millions of degrees of freedom', () => {
    for (const c of grid.t) {
      const tails = studentT(c.t, c.df);
      expectClose(tails.lower, c.lower, 1e-9, `t.cdf(${c.t}, ${c.df})`);
      expectClose(tails.upper, c.upper, 1e-9, `t.sf(${c.t}, ${c.df})`);
    }
  });
  it('Student t 0.975 quantile', () => {
    for (const c of grid.t_quantile) expectClose(studentTQuantile(0.975, c.df), c.q975, 1e-10, `t.ppf(0.975, ${c.df})`);
  });
  it('F tails', () => {
    for (const c of grid.f) {
      const tails = fisherF(c.f, c.d1, c.d2);
      expectClose(tails.lower, c.lower, 1e-9, `f.cdf(${c.f}, ${c.d1}, ${c.d2})`);
      expectClose(tails.upper, c.upper, 1e-9, `f.sf(${c.f}, ${c.d1}, ${c.d2})`);
    }
  });
  it('chi-square (1 df) upper tail, normal quantile, Pearson p', () => {
    for (const c of grid.chi2_1) expectClose(chiSquare1Sf(c.x), c.sf, 1e-12, `chi2.sf(${c.x}, 1)`);
    expectClose(standardNormalQuantile(0.975), grid.norm_q975, 1e-15, 'norm.ppf(0.975)');
    for (const c of grid.pearson_p) expectClose(pearsonPValue(c.r, c.n), c.p, 1e-9, `pearson p(r=${c.r}, n=${c.n})`);
  });
});

interface FarTails {
  t: { t: number; df: number; lower: number; upper: number }[];
  f: { f: number; d1: number; d2: number; lower: number; upper: number }[];
  normal: { z: number; lower: number; upper: number }[];
  chi2_1: { x: number; sf: number }[];
  pearson_p: { r: number; n: number; p: number }[];
}

const far = JSON.parse(readFileSync(join(__dirname, '../../fixtures/stats/far_tails.json'), 'utf8')) as FarTails;

// 1 - cdf would round these to 0 (or to 1e-16 noise): each small tail must keep its relative precision.
describe('far tails (p of 1e-16 and far below) against scipy', () => {
  it('Student t, both tails', () => {
    for (const c of far.t) {
      const tails = studentT(c.t, c.df);
      expectClose(tails.lower, c.lower, 1e-11, `t.cdf(${c.t}, ${c.df})`);
      expectClose(tails.upper, c.upper, 1e-11, `t.sf(${c.t}, ${c.df})`);
    }
  });
  it('F, both tails', () => {
    for (const c of far.f) {
      const tails = fisherF(c.f, c.d1, c.d2);
      expectClose(tails.lower, c.lower, 1e-10, `f.cdf(${c.f}, ${c.d1}, ${c.d2})`);
      expectClose(tails.upper, c.upper, 1e-10, `f.sf(${c.f}, ${c.d1}, ${c.d2})`);
    }
  });
  it('standard normal, chi-square (1 df) and Pearson p', () => {
    for (const c of far.normal) {
      const tails = standardNormal(c.z);
      expectClose(tails.lower, c.lower, 1e-12, `norm.cdf(${c.z})`);
      expectClose(tails.upper, c.upper, 1e-12, `norm.sf(${c.z})`);
    }
    for (const c of far.chi2_1) expectClose(chiSquare1Sf(c.x), c.sf, 1e-12, `chi2.sf(${c.x}, 1)`);
    for (const c of far.pearson_p) expectClose(pearsonPValue(c.r, c.n), c.p, 1e-11, `pearson p(r=${c.r}, n=${c.n})`);
  });
});
