// The findings' sentences against figures computed independently: the engagement headlines against
// scipy/statsmodels (test/fixtures/stats/make_stats_reference.py), the MOOC headlines against pandas
// on the real act-mooc data (test/fixtures/mooc/make_mooc_reference.py). A headline that contradicts
// its own numbers (e.g. "not a significant rise" for a significant fall) fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../../lambdas/tabular/csv';
import { analyzeMoocDescriptive } from '../../../lambdas/analysis/mooc/analyze';
import { dataQualityFindings, engagementFindings, moocFindings, type Finding } from '../../../lambdas/analysis/report/findings';
import type { RunResults } from '../../../lambdas/contracts/run-results';
import type { StatisticsAsRead } from '../../../lambdas/contracts/engagement-statistics';
import { cleanCohorts, cohortFigures, computeEngagementStatistics } from '../../../lambdas/analysis/stats/engagement-statistics';
import { buildReport } from '../../../lambdas/steps/build-report';
import { moocData, itRequiring } from '../../support/requirements';
import { loadReal, reference as moocReference } from '../mooc/helpers';
import { fixtureStore } from './fixture-run';
import { loadStatsCase } from '../../support/stats-case';

const STATS = join(__dirname, '../../fixtures/stats');
const statsReference = JSON.parse(readFileSync(join(STATS, 'stats_reference.json'), 'utf8'));

function resultsWith(parts: Partial<RunResults>): RunResults {
  return { runId: 'r1', files: [], notes: [], ...parts };
}

/** The p-value as the findings must write it, restated here so the test does not lean on the formatter it checks. */
function expectedP(p: number): string {
  if (p < 1e-16) return 'p < 1e-16';
  return p < 0.001 ? `p = ${p.toExponential(1)}` : `p = ${p.toFixed(3)}`;
}
const signed = (value: number, digits = 1): string => `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;

async function statisticsOfCase(name: string): Promise<StatisticsAsRead> {
  const { files, raw, minutesAndCertificates } = await loadStatsCase(name);
  const { statistics } = computeEngagementStatistics(
    { periods: files.periods, cohorts: cleanCohorts(raw, statsReference.q), minutesAndCertificates },
    { alpha: statsReference.alpha, seed: statsReference.seed },
  );
  return JSON.parse(JSON.stringify(statistics)) as StatisticsAsRead;
}

const allText = (findings: Finding[]): string => findings.map((finding) => `${finding.headline} ${finding.detail}`).join('\n');

describe.each(Object.keys(statsReference.cases))('engagement findings against scipy/statsmodels, case %s', (name) => {
  const expected = statsReference.cases[name];

  it('each comparison names the direction, two-sided significance, size, change with its CI, and the rank test', async () => {
    const statistics = await statisticsOfCase(name);
    const findings = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } }));
    for (const plan of ['free', 'paid'] as const) {
      const want = expected.tests[plan];
      const finding = findings.find((candidate) => candidate.tags?.plan === plan)!;
      const { headline, detail } = finding;
      const [low, high] = want.mean_difference_ci95 as [number, number];
      if (want.significant_change) {
        expect(headline).toContain(`engagement ${want.direction} significantly from`);
        expect(headline).toContain(`${signed(want.mean_difference)} minutes per student on average (95% CI ${signed(low)} to ${signed(high)})`);
        expect(headline).toContain(want.effect_size === 'negligible' ? `but small against how much students differ (Cohen's d = ${want.cohens_d.toFixed(2)}, negligible by Cohen's scale)` : `a ${want.effect_size} effect (Cohen's d = ${want.cohens_d.toFixed(2)})`);
      } else {
        expect(headline).toContain(`no significant change in engagement`);
        expect(headline).toContain(`the mean ${want.direction} by ${Math.abs(want.mean_difference).toFixed(1)} minutes, 95% CI of the change ${signed(low)} to ${signed(high)}`);
      }
      expect(headline).toContain(`two-sided ${expectedP(want.p_two_sided)}`);
      expect(headline).toContain(want.rank_test_agrees ? 'the rank test agrees' : `the rank test disagrees (Mann–Whitney ${expectedP(want.mann_whitney.p_two_sided)})`);
      // The study's one-sided test stays, as a detail.
      const oneSided = want.chosen === 'pooled' ? want.p_pooled_one_sided : want.p_welch_one_sided;
      expect(detail).toContain(`the study's one-sided test of a rise: one-${expectedP(oneSided)}`.replace('one-p', 'one-sided p'));
      expect(detail).toContain(want.reject_h0 ? 'a rise at the 5% level' : 'no evidence of a rise');
      if (want.reject_h0 && !want.significant_change) expect(detail).toContain('by that one-sided rule only: the two-sided test above finds no significant change');
      else expect(detail).not.toContain('one-sided rule only');
      expect(detail).toContain(`rank-biserial r = ${want.mann_whitney.rank_biserial.toFixed(3)}`);
      expect(detail).toMatch(/percentile bootstrap 95% CI of the change [-+]\d+\.\d{2} to [-+]\d+\.\d{2} \(2,000 resamples, seed 42\)/);
    }
  });

  it('the correlation names Pearson and Spearman and says when a few students drive the line', async () => {
    const statistics = await statisticsOfCase(name);
    const all = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } }));
    const finding = all.find((candidate) => candidate.headline.includes('correlation'))!;
    const prediction = all.find((candidate) => candidate.headline.startsWith(`A student who earned a certificate in ${statistics.periods.comparison} and watched`))!;
    const { pearson, spearman, n } = expected.correlation;
    const influence = expected.regression.influence;
    // A Pearson–Spearman gap says the line is driven by a few students; Cook's distance above 4/n
    // alone (a screening rule) says it may be, with how many students it flags.
    const disagree = Math.abs(pearson - spearman) > 0.2;
    expect(finding.headline).toContain(
      disagree ? `rank correlation (Spearman ρ = ${spearman.toFixed(3)}; Pearson r = ${pearson.toFixed(3)}` : `Pearson r = ${pearson.toFixed(3)}, Spearman ρ = ${spearman.toFixed(3)}`,
    );
    const flagged = influence.n_above_threshold;
    const screened = `${flagged} of ${n} students (${((flagged / n) * 100).toFixed(1)}%) are above 4/n, the screening cut-off for Cook's distance; the largest is ${influence.max_cooks_distance.toFixed(3)}`;
    if (disagree) expect(finding.headline).toContain(`the straight line is driven by a few students (Pearson and Spearman differ by ${Math.abs(pearson - spearman).toFixed(3)}`);
    else if (flagged > 0) expect(finding.headline).toContain(`the straight line may be driven by a few students (${screened})`);
    else expect(finding.headline).not.toContain('driven by a few students');
    if (flagged > 0) expect(finding.headline).toContain(screened);
    expect(prediction.headline.includes(disagree ? 'by a line that a few students drive' : 'by a line that a few students may drive'), prediction.headline).toBe(disagree || flagged > 0);
    // When the two disagree, the strength word comes from Spearman.
    const r = Math.abs(pearson - spearman) > 0.2 ? spearman : pearson;
    const strength = Math.abs(r) >= 0.5 ? 'strong' : Math.abs(r) >= 0.3 ? 'moderate' : Math.abs(r) >= 0.1 ? 'weak' : 'negligible';
    expect(finding.headline).toContain(`a ${strength} ${r >= 0 ? 'positive' : 'negative'} ${disagree ? 'rank ' : ''}correlation`);
    expect(finding.detail).toContain(`largest ${influence.max_cooks_distance.toFixed(3)} (student ${influence.max_cooks_distance_student_id})`);
  });
});

describe('a significant fall is called a significant fall', () => {
  it('the platform-like case: paying students fell strongly, which the one-sided test of a rise cannot see', async () => {
    const want = statsReference.cases.fall.tests.paid;
    expect(want.direction).toBe('fell');
    expect(want.significant_change).toBe(true);
    const statistics = await statisticsOfCase('fall');
    const headline = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).find((finding) => finding.tags?.plan === 'paid')!.headline;
    expect(headline).toMatch(/^Paying students: engagement fell significantly from 2021Q2 to 2022Q2/);
    expect(headline).not.toMatch(/rise|rose/);
  });

  it('hand-made cohorts: every comparison student watched 50 minutes less', () => {
    const baseline = Array.from({ length: 40 }, (_, i) => 200 + (i % 10) * 5);
    const comparison = baseline.map((minutes) => minutes - 50);
    const cohort = (minutes: number[]) => ({ removal: { q: 0.99, cutoff: 1000, nBefore: minutes.length, nAfter: minutes.length, kept: { minutes: Float64Array.from(minutes) } } });
    const periods = { baseline: '2021Q2', comparison: '2022Q2' };
    const figures = cohortFigures({ periods, cohorts: { baseline: { free: cohort(baseline), paid: cohort(baseline) }, comparison: { free: cohort(baseline), paid: cohort(comparison) } } });
    const statistics = JSON.parse(JSON.stringify({ periods, alpha: 0.05, cohorts: figures.cohorts, tests: figures.tests })) as StatisticsAsRead;
    const findings = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } }));
    const paid = findings.find((finding) => finding.tags?.plan === 'paid')!;
    expect(paid.headline).toContain('engagement fell significantly');
    expect(paid.headline).toContain('-50.0 minutes per student on average');
    expect(paid.headline).toContain('a large effect');
    expect(paid.detail).toContain('no evidence of a rise');
    const free = findings.find((finding) => finding.tags?.plan === 'free')!;
    expect(free.headline).toContain('no significant change in engagement');
    expect(free.headline).toContain('the mean did not move');
  });

  it('hand-made cohorts: a rise the one-sided rule passes and the two-sided test does not is said to be both', () => {
    // Values 200..245 (sd 14.5, n 40 each): a shift of 6 minutes gives t = 1.85, one-sided p 0.034, two-sided 0.068.
    const baseline = Array.from({ length: 40 }, (_, i) => 200 + (i % 10) * 5);
    const comparison = baseline.map((minutes) => minutes + 6);
    const cohort = (minutes: number[]) => ({ removal: { q: 0.99, cutoff: 1000, nBefore: minutes.length, nAfter: minutes.length, kept: { minutes: Float64Array.from(minutes) } } });
    const periods = { baseline: '2021Q2', comparison: '2022Q2' };
    const figures = cohortFigures({ periods, cohorts: { baseline: { free: cohort(baseline), paid: cohort(baseline) }, comparison: { free: cohort(baseline), paid: cohort(comparison) } } });
    const statistics = JSON.parse(JSON.stringify({ periods, alpha: 0.05, cohorts: figures.cohorts, tests: figures.tests })) as StatisticsAsRead;
    const test = (statistics.tests as Record<string, { p_two_sided: number; reject_h0: boolean }>).paid!;
    expect(test.p_two_sided).toBeGreaterThan(0.05);
    expect(test.reject_h0).toBe(true);
    const paid = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).find((finding) => finding.tags?.plan === 'paid')!;
    expect(paid.headline).toContain('no significant change in engagement');
    expect(paid.detail).toContain('a rise at the 5% level by that one-sided rule only: the two-sided test above finds no significant change');
  });
});

describe('a period without students', () => {
  it('says the plan could not be compared instead of saying nothing', () => {
    const minutes = Array.from({ length: 30 }, (_, i) => 100 + i);
    const cohort = (values: number[]) => ({ removal: { q: 0.99, cutoff: 1000, nBefore: values.length, nAfter: values.length, kept: { minutes: Float64Array.from(values) } } });
    const periods = { baseline: '2019Q1', comparison: '2022Q2' };
    const figures = cohortFigures({ periods, cohorts: { baseline: { free: cohort([]), paid: cohort(minutes) }, comparison: { free: cohort(minutes), paid: cohort(minutes) } } });
    const statistics = JSON.parse(JSON.stringify({ periods, alpha: 0.05, cohorts: figures.cohorts, tests: figures.tests })) as StatisticsAsRead;
    const headlines = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).map((finding) => finding.headline);
    expect(headlines).toContain('Free students could not be compared between 2019Q1 and 2022Q2: no free student watched in 2019Q1.');
    // Tagged with its plan, so the plan filter hides it with the plan's other figures.
    const free = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).find((finding) => finding.headline.startsWith('Free students could not'))!;
    expect(free.tags).toEqual({ plan: 'free' });
    expect(headlines.some((headline) => headline.startsWith('Paying students: no significant change'))).toBe(true);
  });

  it('a period left with one student after outlier removal gets the test\'s reason, not a direction without a test', () => {
    const minutes = Array.from({ length: 30 }, (_, i) => 100 + i);
    const cohort = (values: number[], nBefore = values.length) => ({ removal: { q: 0.99, cutoff: 1000, nBefore, nAfter: values.length, kept: { minutes: Float64Array.from(values) } } });
    const periods = { baseline: '2021Q2', comparison: '2022Q2' };
    const figures = cohortFigures({ periods, cohorts: { baseline: { free: cohort(minutes), paid: cohort([40], 2) }, comparison: { free: cohort(minutes), paid: cohort(minutes) } } });
    const statistics = JSON.parse(JSON.stringify({ periods, alpha: 0.05, cohorts: figures.cohorts, tests: figures.tests })) as StatisticsAsRead;
    const paid = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).find((finding) => finding.tags?.plan === 'paid')!;
    expect(paid.headline).toBe('Paid students could not be compared between 2021Q2 and 2022Q2: 2021Q2 has 1 student after outlier removal.');
    expect(paid.headline).not.toMatch(/rose|fell/);
  });
});

describe('a correlation on few students', () => {
  const statisticsWith = (correlation: object, certificates = 2.5): StatisticsAsRead =>
    JSON.parse(
      JSON.stringify({
        periods: { baseline: '2021Q2', comparison: '2022Q2' },
        alpha: 0.05,
        cohorts: {},
        tests: {},
        correlation: { n: 9, pearson_ci95: [-0.8, 0.4], ...correlation },
        regression: { full: { intercept: 1, slope: -0.01, r2: 0.17, n: 9 }, prediction: { minutes: 1200, certificates }, influence: { n_above_threshold: 0 } },
      }),
    ) as StatisticsAsRead;
  const headlines = (statistics: StatisticsAsRead): string[] => engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).map((finding) => finding.headline);

  it('reads a Pearson r of the other sign than Spearman as such, with the direction of the ranks', () => {
    const [correlation] = headlines(statisticsWith({ pearson: -0.412, p: 0.31, spearman: 0.441 }));
    expect(correlation).toMatch(/^Students who watch more earn more certificates: a moderate positive rank correlation \(Spearman ρ = 0\.441; Pearson r = -0\.412, of the other sign\); the straight line is driven by a few students/);
  });

  it('does not call a correlation its test cannot tell from chance a finding', () => {
    const [correlation] = headlines(statisticsWith({ pearson: 0.35, p: 0.36, spearman: 0.3 }));
    expect(correlation).toBe('Minutes watched and certificates show no significant correlation: a moderate positive correlation that could be chance (Pearson r = 0.350, p = 0.360, Spearman ρ = 0.300).');
  });

  it('says a prediction from a line that could be chance is so', () => {
    const [, prediction] = headlines(statisticsWith({ pearson: 0.35, p: 0.36, spearman: 0.3 }));
    expect(prediction).toBe('A student who earned a certificate in 2022Q2 and watched 1200 minutes is expected to have earned about 2.50 there, by a line that could be chance (Pearson p = 0.360; see the correlation).');
  });

  it('calls a prediction below zero certificates what it is, not an expectation', () => {
    const [, prediction] = headlines(statisticsWith({ pearson: -0.6, p: 0.01, spearman: -0.55 }, -19.513));
    expect(prediction).toBe('The straight line of certificates on minutes gives -19.51 certificates at 1200 minutes: fewer than none, so it does not describe students who watch that much.');
  });
});

describe('a correlation that is undefined', () => {
  it('is named with its reason instead of left out', () => {
    const statistics = JSON.parse(
      JSON.stringify({ periods: { baseline: '2021Q2', comparison: '2022Q2' }, alpha: 0.05, cohorts: {}, tests: {}, correlation: { n: 9, pearson: null, spearman: null, note: 'every student has the same certificates_issued (e.g. no certificates at all): correlation is undefined' } }),
    ) as StatisticsAsRead;
    const headlines = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).map((finding) => finding.headline);
    expect(headlines).toEqual(['Minutes watched and certificates could not be related: every student has the same certificates_issued (e.g. no certificates at all): correlation is undefined.']);
  });
});

describe('MOOC findings on small or degenerate data', () => {
  const table = (header: string[], rows: (string | number)[][]) => ({ header, rows: rows.map((row) => row.map(String)) });
  const summary = (categories: [string, number][], dropoutUsers: number, stayingUsers: number) => ({
    exploration: { dropout: { dropoutUsers, stayingUsers } },
    targetCategories: { categories: categories.map(([category, share]) => ({ category, dropoutShareOfLastActions: share })) },
  });
  const headlines = (mooc: NonNullable<RunResults['mooc']>) => moocFindings(resultsWith({ mooc })).map((finding) => finding.headline);

  it('names tied categories together, and says when every category is the same', () => {
    expect(headlines({ summary: summary([['0', 0.5], ['1', 0.5], ['2', 0.1], ['3', 0.1]], 1, 1) })).toContain(
      'Drop-out is highest in target categories 0 and 1 (50.0% of learners whose last action was on it) and lowest in categories 2 and 3 (10.0%); a target category is a group of similar course items.',
    );
    // A lone category's share comes with how many learners it rests on.
    const counted = { exploration: { dropout: { dropoutUsers: 3, stayingUsers: 3 } }, targetCategories: { categories: [{ category: '4', dropoutShareOfLastActions: 1, lastActions: 2 }, { category: '0', dropoutShareOfLastActions: 0.25, lastActions: 4 }] } };
    expect(headlines({ summary: counted })).toContain(
      'Drop-out is highest in target category 4 (100.0% of the 2 learners whose last action was on it) and lowest in category 0 (25.0% of 4); a target category is a group of similar course items.',
    );
    expect(headlines({ summary: summary([['0', 0], ['1', 0]], 0, 2) })).toContain(
      'Drop-out is the same in every target category (0.0% of learners whose last action was on it); a target category is a group of similar course items.',
    );
    expect(headlines({ summary: summary([['0', 0.122]], 1, 7) }).join('\n')).toMatch(/^Every target falls in one category \(0\)/m);
  });

  it('writes the shares that hold when "half" and "a fifth" would not, and no share of no learners', () => {
    // Three learners: 3, 189 and 400 actions. 2 of 3 reach 189, 1 of 3 reaches 400.
    const few = headlines({ summary: summary([], 1, 2), userFeatures: table(['USERID', 'n_actions'], [[1, 3], [2, 189], [3, 400]]) });
    expect(few).toContain('33.3% of learners reach 400 actions.');
    expect(few.join('\n')).not.toMatch(/Half the learners|a fifth|n\/a/);
    expect(headlines({ summary: summary([], 0, 0) })).toContain('The MOOC data holds no learners: there is no drop-out to report.');
  });

  it('says how many LABEL 1 rows are not a user\'s last action, and that they do not count', () => {
    const mooc = { summary: { exploration: { dropout: { dropoutUsers: 3, stayingUsers: 7, labelOneRowsNotLastAction: 300 } } } };
    expect(headlines(mooc)).toContain("30.0% of learners dropped out (300 rows carry LABEL 1 without being their user's last action: not counted, as only a user's last action says whether they left).");
  });

  it('calls a model at or below an AUC of 0.5 no better than chance', () => {
    expect(headlines({ model: { auc_test: 0.485 } })).toContain('The drop-out model ranks no better than chance who will leave: test AUC 0.485 (0.5 is a coin toss).');
  });
});

describe('the watch probabilities', () => {
  it('state who came back, and claim no dependence the viewer-only population makes by construction', async () => {
    const statistics = await statisticsOfCase('fall');
    const want = statsReference.cases.fall.probabilities;
    const finding = engagementFindings(resultsWith({ engagement: { statistics, cohorts: [] } })).find((candidate) => candidate.headline.includes('watched in both'))!;
    expect(finding.headline).toBe(
      `${(want.p_both * 100).toFixed(1)}% of students who watched in either period watched in both: ${(want.p_comparison_given_baseline * 100).toFixed(1)}% of 2021Q2's viewers watched again in 2022Q2.`,
    );
    expect(finding.detail).toContain('the χ² test rejects independence by construction: it is no evidence of a link');
  });

  it('with nobody watching in a period, say it could not be compared rather than "0.0% watched in both"', async () => {
    const statistics = await statisticsOfCase('fall');
    const empty = JSON.parse(JSON.stringify(statistics)) as StatisticsAsRead;
    Object.assign(empty.probabilities!, { p_comparison: 0, p_both: 0, p_product: 0, p_comparison_given_baseline: 0, chi2_p: null });
    const text = allText(engagementFindings(resultsWith({ engagement: { statistics: empty, cohorts: [] } })));
    expect(text).toContain('Watching in both periods could not be compared: no student watched in 2022Q2.');
    expect(text).not.toContain('watched in both:');
    expect(text).not.toContain('by construction');
  });
});

describe('p-values are written one way', () => {
  it('below 1e-16 as a bound, below 0.001 in e-notation, else three decimals; never 0.00e+0', async () => {
    const statistics = await statisticsOfCase('fall');
    const tiny = JSON.parse(JSON.stringify(statistics)) as StatisticsAsRead;
    tiny.probabilities!.chi2_p = 0;
    tiny.correlation!.p = 1.79e-4;
    const text = allText(engagementFindings(resultsWith({ engagement: { statistics: tiny, cohorts: [] } })));
    expect(text).toContain('χ² p < 1e-16');
    expect(text).toContain('p = 1.8e-4');
    expect(text).not.toMatch(/e\+0|0\.00018|1\.79e-4|p = 0\.0000/);
    for (const match of text.matchAll(/\bp (=|<) ([^\s,;)]+)/g)) {
      expect(match[2], match[0]).toMatch(match[1] === '<' ? /^1e-16$/ : /^(\d\.\d{3}|\d\.\de-\d+|n\/a)$/);
    }
  });
});

describe('data quality', () => {
  const dataQuality = {
    status: 'passed',
    files: [
      { study: 'engagement', file: 'student_info.csv', input_rows: 5000, accepted_rows: 5000, quarantined_rows: 0, reasons: {}, quarantine_file: null },
      {
        study: 'engagement',
        file: 'student_purchases.csv',
        input_rows: 12000,
        accepted_rows: 11980,
        quarantined_rows: 20,
        reasons: { 'plan_id not in 0..3': 5, 'refund before purchase': 15 },
        quarantine_file: 'results/r1/quarantine/student_purchases.csv',
      },
    ],
  };

  it('quarantined rows come first: how many, of which file, why, and the quarantine file relative to the report', () => {
    const [finding, ...rest] = dataQualityFindings(resultsWith({ dataQuality }));
    expect(rest).toEqual([]);
    expect(finding!.study).toBe('data quality');
    expect(finding!.headline).toBe('20 input rows were quarantined and left out of the analysis (20 in student_purchases.csv).');
    expect(finding!.detail).toBe(
      'student_purchases.csv: 20 of 12,000 rows (0.17%) quarantined: refund before purchase (15), plan_id not in 0..3 (5); see ../quarantine/student_purchases.csv.',
    );
    expect(finding!.links).toEqual([{ label: 'quarantine/student_purchases.csv', href: '../quarantine/student_purchases.csv' }]);
  });

  it('the dashboard lists them first and links the quarantine file relative to report/', async () => {
    const { store, runId, dir } = await fixtureStore({ edit: (files) => (files['data_quality.json'] = JSON.stringify(dataQuality)) });
    await buildReport(store, runId);
    const html = readFileSync(join(dir, runId, 'report', 'index.html'), 'utf8');
    const findings = html.slice(html.indexOf('<section id="findings"'));
    expect(findings).toMatch(/^<section id="findings" class="alert"><h2>Key findings<\/h2><h3>Data quality: rows left out<\/h3><ul class="findings"><li>20 input rows were quarantined/);
    expect(findings).toContain('see <a href="../quarantine/student_purchases.csv">../quarantine/student_purchases.csv</a>');
    const written = JSON.parse(readFileSync(join(dir, runId, 'report', 'findings.json'), 'utf8')) as { findings: Finding[] };
    expect(written.findings[0]!.study).toBe('data quality');
  });

  it('says nothing when nothing was quarantined', () => {
    const clean = { ...dataQuality, files: [dataQuality.files[0]] };
    expect(dataQualityFindings(resultsWith({ dataQuality: clean }))).toEqual([]);
    expect(dataQualityFindings(resultsWith({}))).toEqual([]);
  });
});

describe('MOOC activity of an earlier run', () => {
  it('hour_weekday_activity.csv with a weekday column is still read, and still not called a weekday', async () => {
    const { store, runId, dir } = await fixtureStore({
      edit: (files) => {
        files['mooc/hour_weekday_activity.csv'] = files['mooc/hour_cycle_day_activity.csv']!.replace(/^cycle_day,/, 'weekday,');
        delete files['mooc/hour_cycle_day_activity.csv'];
      },
    });
    await buildReport(store, runId);
    const written = JSON.parse(readFileSync(join(dir, runId, 'report', 'findings.json'), 'utf8')) as { findings: Finding[] };
    const { cycle_day: day, hour } = JSON.parse(readFileSync(join(__dirname, '../../fixtures/report/report_run.json'), 'utf8')).expected.peak;
    expect(written.findings.map((finding) => finding.headline)).toContain(
      `Activity peaks on day ${day} of the data's 7-day cycle at hour ${hour} (times count from the start of the data: the weekday and time zone are unknown).`,
    );
  });
});

describe('MOOC findings on the real act-mooc data, against pandas', () => {
  itRequiring(
    [moocData()],
    'drop-out share, drop-off points, the busiest cell as a day of the 7-day cycle, and what a target category is',
    async () => {
      const want = moocReference.real.findings;
      const { summary, files } = analyzeMoocDescriptive(await loadReal(), { seed: 42 });
      const table = (file: string) => readCsvTable([files[file]!], file);
      const mooc = {
        summary: summary as Record<string, unknown>,
        hourCycleDay: await table('hour_cycle_day_activity.csv'),
        targetCategories: await table('target_categories.csv'),
        userFeatures: await table('user_features.csv'),
      };
      const findings = moocFindings(resultsWith({ mooc }));
      const text = allText(findings);
      expect(text).toContain(`${(want.dropoutRate * 100).toFixed(1)}% of learners dropped out.`);
      expect(text).toContain(`Half the learners stop before about ${want.halfStopBefore} actions; only a fifth reach ${want.fifthReach}.`);
      expect(text).toContain(`Activity peaks on day ${want.peakCycleDay} of the data's 7-day cycle at hour ${want.peakHour}`);
      expect(text).toContain(`${want.peakActions.toLocaleString('en-US')} actions in that cell`);
      expect(text).not.toMatch(/weekday \d|(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day/);
      // Category rates summed per category from the per-target file, apart from the summary the finding reads.
      const { header, rows } = mooc.targetCategories;
      const [category, last, dropped] = ['category', 'last_actions', 'dropout_last_actions'].map((name) => header.indexOf(name)) as [number, number, number];
      const sums = new Map<string, [number, number]>();
      for (const row of rows) {
        const entry = sums.get(row[category]!) ?? [0, 0];
        sums.set(row[category]!, [entry[0] + Number(row[dropped]), entry[1] + Number(row[last])]);
      }
      const rates = [...sums].filter(([, [, n]]) => n > 0).map(([name, [d, n]]) => [name, d / n] as const).sort((a, b) => b[1] - a[1]);
      const [top, bottom] = [rates[0]!, rates[rates.length - 1]!];
      const categoryFinding = findings.find((finding) => finding.headline.includes('target category'))!;
      const learners = (name: string) => sums.get(name)![1].toLocaleString('en-US');
      expect(categoryFinding.headline).toContain(
        `highest in target category ${top[0]} (${(top[1] * 100).toFixed(1)}% of the ${learners(top[0])} learners whose last action was on it) and lowest in category ${bottom[0]} (${(bottom[1] * 100).toFixed(1)}% of ${learners(bottom[0])})`,
      );
      expect(categoryFinding.detail).toMatch(/^A target is a course item learners act on \(TARGETID/);
    },
    300_000,
  );
});
