import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { pearsonPValue } from '../../../lambdas/analysis/stats/correlation';
import { chiSquare1Sf, fisherF, standardNormalQuantile, studentT, studentTQuantile } from '../../../lambdas/analysis/stats/distributions';
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
