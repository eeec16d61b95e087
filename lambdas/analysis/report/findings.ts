// The key findings in plain language, each with the numbers behind it. Every sentence must agree
// with its own figures: a comparison names the direction and whether the change is significant in
// either direction (the study's one-sided test of a rise stays a detail), with its size; a
// correlation says when a few students drive it; MOOC times are relative, so no weekday is named.
import type { RunResults } from '../../contracts/run-results';
import type { CohortStatistics, GroupTestAsRead, StatisticsAsRead } from '../../contracts/engagement-statistics';
import { orderedCohorts } from './charts/engagement';
import { dropoutCounts, findColumn, survivalCurve, targetDropoutRates, testSplitRoc } from './charts/mooc';
import {
  effectSizeOfCohensD,
  formatCount,
  formatFigure,
  formatInterval,
  formatPercent,
  formatPValue,
  formatSigned,
  isNumber,
} from '../figure-format';
import { describeQuarantinedFile, quarantineHeadline, quarantinedFiles } from './data-quality-findings';

export interface Finding {
  /** history: what this run is next to the previous one (e.g. a repeat of it). */
  study: 'history' | 'data quality' | 'engagement' | 'mooc';
  /** A short plain sentence. */
  headline: string;
  /** The figures behind it. */
  detail: string;
  tags?: { plan?: 'free' | 'paid' };
  /** Files the finding points to, relative to report/ (the dashboard makes them links). */
  links?: { label: string; href: string }[];
}

/** Pearson and Spearman further apart than this: the linear fit follows a few extreme students. */
export const RANK_DISAGREEMENT = 0.2;
const DRIVEN_BY_FEW = 'the straight line is driven by a few students';
const MAYBE_DRIVEN_BY_FEW = 'the straight line may be driven by a few students';

/** The first finding when rows were quarantined: which files, how many rows, why, and where they are. */
export function dataQualityFindings(results: RunResults): Finding[] {
  const files = quarantinedFiles(results.dataQuality);
  if (files.length === 0) return [];
  return [
    {
      study: 'data quality',
      headline: quarantineHeadline(files),
      // The findings are shown from report/, so the quarantine files are one folder up.
      detail: files.map((file) => describeQuarantinedFile(file, '../')).join('. ') + '.',
      links: files.flatMap((file) => (file.quarantineFile ? [{ label: file.quarantineFile, href: `../${file.quarantineFile}` }] : [])),
    },
  ];
}

export function chosenPValues(test: GroupTestAsRead): { twoSided: number | null; oneSided: number | null } {
  const welch = test.chosen === 'welch';
  const oneSided = welch ? test.p_welch_one_sided : test.chosen === 'pooled' ? test.p_pooled_one_sided : null;
  let twoSided = isNumber(test.p_two_sided) ? test.p_two_sided : welch ? test.p_welch_two_sided : test.chosen === 'pooled' ? test.p_pooled_two_sided : null;
  // Older statistics.json files have only the one-sided p; t is symmetric, so the two-sided p follows from it.
  if (!isNumber(twoSided) && isNumber(oneSided)) twoSided = Math.min(1, 2 * Math.min(oneSided, 1 - oneSided));
  return { twoSided: isNumber(twoSided) ? twoSided : null, oneSided: isNumber(oneSided) ? oneSided : null };
}

function rankClause(test: GroupTestAsRead): string {
  const rank = test.mann_whitney;
  if (!rank || !isNumber(rank.p_two_sided) || typeof test.rank_test_agrees !== 'boolean') return '';
  return test.rank_test_agrees ? '; the rank test agrees' : `; the rank test disagrees (Mann–Whitney ${formatPValue(rank.p_two_sided)})`;
}

function comparisonFinding(
  plan: 'free' | 'paid',
  before: CohortStatistics & { mean: number },
  after: CohortStatistics & { mean: number },
  test: GroupTestAsRead | undefined,
  periods: { baseline: string; comparison: string },
  alpha: number,
): Finding {
  const who = plan === 'free' ? 'Free students' : 'Paying students';
  const { baseline, comparison } = periods;
  const difference = after.mean - before.mean;
  const direction = difference > 0 ? 'rose' : difference < 0 ? 'fell' : 'unchanged';
  const { twoSided, oneSided } = test ? chosenPValues(test) : { twoSided: null, oneSided: null };
  const testName = test?.chosen === 'welch' ? 'Welch t-test' : test?.chosen === 'pooled' ? 'pooled t-test' : 't-test';
  const change = `${formatSigned(difference, 1)} minutes per student on average (95% CI ${formatInterval(test?.mean_difference_ci95, 1, true)})`;
  const d = test?.cohens_d;
  const size = isNumber(d) ? effectSizeOfCohensD(d) : null;
  const sizeText = size === null ? '' : size === 'negligible' ? `, but small against how much students differ (Cohen's d = ${formatFigure(d)}, negligible by Cohen's scale)` : `, a ${size} effect (Cohen's d = ${formatFigure(d)})`;
  let headline: string;
  if ((twoSided === null || !test) && typeof test?.conclusion === 'string' && test.conclusion !== '') {
    // The test's own sentence says why there is no result (too few students, no spread to test).
    headline = test.conclusion;
  } else if (twoSided === null || !test) {
    headline = `${who}: engagement ${direction === 'unchanged' ? 'did not change' : direction} from ${baseline} to ${comparison} (${formatSigned(difference, 1)} minutes per student on average); no test result.`;
  } else if (twoSided < alpha) {
    headline = `${who}: engagement ${direction} significantly from ${baseline} to ${comparison}: ${change}${sizeText}; ${testName}, two-sided ${formatPValue(twoSided)}${rankClause(test)}.`;
  } else {
    const moved = direction === 'unchanged' ? 'the mean did not move' : `the mean ${direction} by ${formatFigure(Math.abs(difference), 1)} minutes`;
    headline = `${who}: no significant change in engagement from ${baseline} to ${comparison} (${moved}, 95% CI of the change ${formatInterval(test.mean_difference_ci95, 1, true)}; ${testName}, two-sided ${formatPValue(twoSided)})${rankClause(test)}.`;
  }
  const cohort = (stats: CohortStatistics & { mean: number }) => `${formatFigure(stats.mean)} (95% CI ${formatInterval(stats.ci95_t)}, n = ${stats.n_after ?? 'n/a'})`;
  const parts = [`Mean minutes watched ${cohort(before)} → ${cohort(after)}, a change of ${formatSigned(difference)} minutes`];
  if (before.mean !== 0) parts[0] += ` (${formatSigned((difference / before.mean) * 100, 1)}%)`;
  if (test) {
    parts.push(`${testName} chosen by the F-test of equal variances (${formatPValue(test.p_F, 'F-test p')}); two-sided ${formatPValue(twoSided)}; 95% CI of the change ${formatInterval(test.mean_difference_ci95, 2, true)}`);
    parts.push(`Cohen's d = ${formatFigure(d)}${size ? ` (${size}; |d| < 0.2 negligible, < 0.5 small, < 0.8 medium, else large)` : ''}`);
    parts.push(
      `the study's one-sided test of a rise: ${formatPValue(oneSided, 'one-sided p')}, ` +
        (test.reject_h0 === true
          ? `a rise at the ${Number((alpha * 100).toPrecision(6))}% level` +
            // The headline rests on the two-sided test; a one-sided p below alpha beside it is no contradiction, but reads as one unless said.
            (twoSided !== null && twoSided >= alpha ? ' by that one-sided rule only: the two-sided test above finds no significant change' : '')
          : test.reject_h0 === false
            ? 'no evidence of a rise'
            : 'no result'),
    );
    const rank = test.mann_whitney;
    if (rank && isNumber(rank.p_two_sided)) {
      parts.push(
        `Mann–Whitney U rank test (minutes are heavy-tailed): two-sided ${formatPValue(rank.p_two_sided)}, rank-biserial r = ${formatFigure(rank.rank_biserial, 3)}` +
          (typeof test.rank_test_agrees === 'boolean' ? `, which ${test.rank_test_agrees ? 'agrees' : 'disagrees'} with the t-test` : ''),
      );
    }
    const boot = test.bootstrap;
    if (boot && boot.mean_difference_ci95) {
      parts.push(`percentile bootstrap 95% CI of the change ${formatInterval(boot.mean_difference_ci95, 2, true)} (${formatCount(boot.resamples)} resamples, seed ${boot.seed ?? 'n/a'})`);
    }
  }
  return { study: 'engagement', headline, detail: parts.join('; ') + '.', tags: { plan } };
}

function strengthOf(r: number): string {
  const size = Math.abs(r);
  return size >= 0.5 ? 'strong' : size >= 0.3 ? 'moderate' : size >= 0.1 ? 'weak' : 'negligible';
}

function correlationFinding(statistics: StatisticsAsRead, alpha: number): Finding | undefined {
  const correlation = statistics.correlation;
  if (!correlation || !isNumber(correlation.pearson)) return undefined;
  const pearson = correlation.pearson;
  const spearman = isNumber(correlation.spearman) ? correlation.spearman : null;
  const influence = statistics.regression?.influence;
  const influential = influence && isNumber(influence.n_above_threshold) ? influence.n_above_threshold : null;
  const disagree = spearman !== null && Math.abs(pearson - spearman) > RANK_DISAGREEMENT;
  // When the two disagree, the rank correlation is the one a few extreme students cannot carry.
  const r = disagree ? spearman! : pearson;
  // Pearson's p is the only test of the two: a line that could be chance is not read as a finding.
  const chance = !disagree && isNumber(correlation.p) && correlation.p >= alpha;
  const lead = chance
    ? 'Minutes watched and certificates show no significant correlation'
    : r >= 0.1
      ? 'Students who watch more earn more certificates'
      : r <= -0.1
        ? 'Students who watch more earn fewer certificates'
        : 'Minutes watched say little about certificates';
  const direction = r >= 0 ? 'positive' : 'negative';
  let headline = disagree
    ? // The strength and direction are the ranks'; the straight line's r is quoted as what it is, of the other sign when it is.
      `${lead}: a ${strengthOf(r)} ${direction} rank correlation (Spearman ρ = ${formatFigure(spearman, 3)}; Pearson r = ${formatFigure(pearson, 3)}${pearson * spearman! < 0 ? ', of the other sign' : ''})`
    : `${lead}: a ${strengthOf(r)} ${direction} correlation${chance ? ' that could be chance' : ''} (Pearson r = ${formatFigure(pearson, 3)}${chance ? `, ${formatPValue(correlation.p)}` : ''}, Spearman ρ = ${formatFigure(spearman, 3)})`;
  const flagged = influential !== null && influential > 0 ? influential : 0;
  // Cook's distance above 4/n is a screening rule: it flags some students in most data sets, so on
  // its own it says the line may be driven by them; a Pearson–Spearman gap shows that it is.
  const screened =
    flagged > 0
      ? `${formatCount(flagged)} of ${formatCount(correlation.n)} students${isNumber(correlation.n) && correlation.n > 0 ? ` (${formatPercent(flagged / correlation.n)})` : ''} ` +
        `are above 4/n, the screening cut-off for Cook's distance${influence && isNumber(influence.max_cooks_distance) ? `; the largest is ${formatFigure(influence.max_cooks_distance, 3)}` : ''}`
      : '';
  if (disagree) {
    headline += `; ${DRIVEN_BY_FEW} (Pearson and Spearman differ by ${formatFigure(Math.abs(pearson - spearman!), 3)}${screened ? `; ${screened}` : ''})`;
  } else if (screened) {
    headline += `; ${MAYBE_DRIVEN_BY_FEW} (${screened})`;
  }
  headline += '.';
  const detail =
    `Pearson r = ${formatFigure(pearson, 3)} (95% CI ${formatInterval(correlation.pearson_ci95, 3)}, ${formatPValue(correlation.p)}, n = ${formatCount(correlation.n)}); Spearman ρ = ${formatFigure(spearman, 3)} (ranks, not moved by a few extreme students)` +
    (influence && isNumber(influence.max_cooks_distance)
      ? `; Cook's distance of the certificates-on-minutes line: largest ${formatFigure(influence.max_cooks_distance, 3)} (student ${influence.max_cooks_distance_student_id ?? 'n/a'}), ${formatCount(influence.n_above_threshold)} above 4/n (n = ${formatCount(correlation.n)})`
      : '') +
    (disagree ? `; Pearson and Spearman differ by more than ${RANK_DISAGREEMENT}, so read the strength from Spearman` : '') +
    '.';
  return { study: 'engagement', headline, detail };
}

export function engagementFindings(results: RunResults): Finding[] {
  const statistics = results.engagement?.statistics;
  if (!statistics) return [];
  const findings: Finding[] = [];
  const alpha = isNumber(statistics.alpha) ? statistics.alpha : 0.05;
  const { baseline, comparison } = statistics.periods;
  const cohorts = orderedCohorts(statistics);
  for (const plan of ['free', 'paid'] as const) {
    const before = cohorts.find((cohort) => cohort.period === baseline && cohort.plan === plan)?.stats;
    const after = cohorts.find((cohort) => cohort.period === comparison && cohort.plan === plan)?.stats;
    if (!before || !after || !isNumber(before.mean) || !isNumber(after.mean)) {
      // A period without students of the plan (no data there, or all removed): say so, not nothing.
      const conclusion = statistics.tests?.[plan]?.conclusion;
      const unwatched = [
        [baseline, before],
        [comparison, after],
      ].flatMap(([period, stats]) => ((stats as CohortStatistics | undefined)?.n_before === 0 ? [period as string] : []));
      const who = plan === 'free' ? 'Free students' : 'Paying students';
      const headline =
        unwatched.length > 0
          ? `${who} could not be compared between ${baseline} and ${comparison}: no ${plan === 'free' ? 'free' : 'paying'} student watched in ${unwatched.join(' or in ')}.`
          : conclusion;
      if (typeof headline === 'string' && headline !== '') {
        findings.push({ study: 'engagement', headline, detail: `Choose periods the input covers (--baseline, --comparison); data_quality.json counts any rows left out of the input.`, tags: { plan } });
      }
      continue;
    }
    findings.push(comparisonFinding(plan, before as CohortStatistics & { mean: number }, after as CohortStatistics & { mean: number }, statistics.tests?.[plan], statistics.periods, alpha));
  }
  const correlation = correlationFinding(statistics, alpha);
  if (correlation) findings.push(correlation);
  else if (typeof statistics.correlation?.note === 'string' && statistics.correlation.note !== '') {
    findings.push({
      study: 'engagement',
      headline: `Minutes watched and certificates could not be related: ${statistics.correlation.note}.`,
      detail: `From minutes_and_certificates.csv (n = ${formatCount(statistics.correlation.n)}); no correlation or regression line is reported.`,
    });
  }
  const regression = statistics.regression;
  if (regression?.full && isNumber(regression.full.slope) && regression.prediction && isNumber(regression.prediction.certificates)) {
    const pearsonP = statistics.correlation?.p;
    // A line whose correlation could be chance predicts nothing; the number is still given, said so.
    const chance = isNumber(pearsonP) && pearsonP >= alpha ? `, by a line that could be chance (Pearson ${formatPValue(pearsonP)}; see the correlation)` : undefined;
    const driven =
      chance ??
      (correlation?.headline.includes(DRIVEN_BY_FEW)
        ? ', by a line that a few students drive (see the correlation)'
        : correlation?.headline.includes(MAYBE_DRIVEN_BY_FEW)
          ? ', by a line that a few students may drive (see the correlation)'
          : '');
    const minutes = formatFigure(regression.prediction.minutes, 0);
    const certificates = formatFigure(regression.prediction.certificates, 2);
    findings.push({
      study: 'engagement',
      headline:
        regression.prediction.certificates < 0
          ? // A count below zero is no expectation: the line does not reach that far.
            `The straight line of certificates on minutes gives ${certificates} certificates at ${minutes} minutes: fewer than none, so it does not describe students who watch that much${driven}.`
          : // The line is fitted on minutes_and_certificates, students with at least one certificate of the comparison period.
            `A student who earned a certificate in ${comparison} and watched ${minutes} minutes is expected to have earned about ${certificates} there${driven}.`,
      detail: `Linear fit: certificates = ${formatFigure(regression.full.intercept, 4)} + ${formatFigure(regression.full.slope, 6)} × minutes, R² = ${formatFigure(regression.full.r2, 3)}, n = ${regression.full.n ?? 'n/a'}.`,
    });
  }
  const probabilities = statistics.probabilities;
  const unwatchedPeriods = probabilities
    ? [
        [baseline, probabilities.p_baseline],
        [comparison, probabilities.p_comparison],
      ].flatMap(([period, share]) => (share === 0 ? [period as string] : []))
    : [];
  if (probabilities && unwatchedPeriods.length > 0) {
    // With nobody watching in a period, "watched in both" is 0% by necessity, not a finding.
    findings.push({
      study: 'engagement',
      headline: `Watching in both periods could not be compared: no student watched in ${unwatchedPeriods.join(' or in ')}.`,
      detail: `P(${baseline}) = ${formatPercent(probabilities.p_baseline)}, P(${comparison}) = ${formatPercent(probabilities.p_comparison)}; ${probabilities.n_any ?? 'n/a'} students.`,
    });
  } else if (probabilities && isNumber(probabilities.p_both)) {
    findings.push({
      study: 'engagement',
      // No claim of (in)dependence: among students counted only when they watched, P(both) falls
      // short of P(baseline) P(comparison) by construction (statistics.json probabilities.method),
      // so the test's verdict says how the population was chosen, not how the periods relate.
      headline:
        `${formatPercent(probabilities.p_both)} of students who watched in either period watched in both` +
        (isNumber(probabilities.p_comparison_given_baseline) ? `: ${formatPercent(probabilities.p_comparison_given_baseline)} of ${baseline}'s viewers watched again in ${comparison}.` : '.'),
      detail:
        `P(${baseline}) = ${formatPercent(probabilities.p_baseline)}, P(${comparison}) = ${formatPercent(probabilities.p_comparison)}, P(both) = ${formatPercent(probabilities.p_both)} ` +
        `vs P·P = ${formatPercent(probabilities.p_product)} (${formatPValue(probabilities.chi2_p, 'χ² p')}); P(${baseline} | ${comparison}) = ${formatPercent(probabilities.p_baseline_given_comparison)}, ` +
        `P(${comparison} | ${baseline}) = ${formatPercent(probabilities.p_comparison_given_baseline)}; ${probabilities.n_any ?? 'n/a'} students. ` +
        'Only students who watched in a period are counted, so P(both) is below P·P whatever the periods have to do with each other and the χ² test rejects independence by construction: it is no evidence of a link.',
    });
  }
  return findings;
}

/** What a target category is, for the finding's detail (docs/mooc-summary.md says the same). */
export const TARGET_CATEGORY_MEANING =
  'A target is a course item learners act on (TARGETID in the act-mooc data); a target category is a group of targets that k-means puts together ' +
  "by popularity (log of actions), mean position in learners' action sequences and the drop-out share of the last actions on them, " +
  'numbered by ascending drop-out share. Drop-out is one of the clustering inputs, so the ordering describes where learners left, not why';

interface CategoryProfile {
  category: string;
  targets?: number;
  actions?: number;
  meanPosition?: number;
}

function categoryProfiles(mooc: NonNullable<RunResults['mooc']>): Map<string, CategoryProfile> {
  const entries = (mooc.summary as { targetCategories?: { categories?: unknown } } | undefined)?.targetCategories?.categories;
  const profiles = new Map<string, CategoryProfile>();
  if (!Array.isArray(entries)) return profiles;
  for (const entry of entries as Record<string, unknown>[]) {
    const number = (key: string) => (isNumber(entry[key]) ? (entry[key] as number) : undefined);
    profiles.set(String(entry.category), { category: String(entry.category), targets: number('targets'), actions: number('actions'), meanPosition: number('meanPosition') });
  }
  return profiles;
}

function describeCategory(profile: CategoryProfile | undefined): string {
  if (!profile || profile.targets === undefined) return '';
  return ` (${formatCount(profile.targets)} target${profile.targets === 1 ? '' : 's'}, ${formatCount(profile.actions)} actions${
    profile.meanPosition !== undefined ? `, mean position ${formatFigure(profile.meanPosition, 2)} of the way through learners' sequences` : ''
  })`;
}

export function moocFindings(results: RunResults): Finding[] {
  const mooc = results.mooc;
  if (!mooc) return [];
  const findings: Finding[] = [];
  const counts = dropoutCounts(mooc);
  if (counts) {
    const total = counts.stayed + counts.droppedOut;
    // act-mooc's LABEL 1 marks a user's last action; elsewhere the data contradicts itself, and the count says how often.
    const stray = (mooc.summary as { exploration?: { dropout?: { labelOneRowsNotLastAction?: unknown } } } | undefined)?.exploration?.dropout?.labelOneRowsNotLastAction;
    const strayText = isNumber(stray) && stray > 0 ? ` (${formatCount(stray)} row${stray === 1 ? '' : 's'} carry LABEL 1 without being their user's last action: not counted, as only a user's last action says whether they left)` : '';
    findings.push({
      study: 'mooc',
      headline: total > 0 ? `${formatPercent(counts.droppedOut / total)} of learners dropped out${strayText}.` : 'The MOOC data holds no learners: there is no drop-out to report.',
      detail: `${formatCount(counts.droppedOut)} of ${formatCount(total)} users dropped out (their last action carries LABEL 1), ${formatCount(counts.stayed)} stayed (from ${counts.source}).`,
    });
  }
  if (mooc.userFeatures) {
    const column = findColumn(mooc.userFeatures.header, ['n_actions', 'actions', 'num_actions', 'action_count', /actions/i]);
    if (column >= 0) {
      const values = mooc.userFeatures.rows.map((row) => Number(row[column])).filter((value) => value > 0);
      const curve = survivalCurve(values);
      const half = curve.find((point) => point.share <= 0.5);
      const fifth = curve.find((point) => point.share <= 0.2);
      if (half) {
        // "Half" and "a fifth" only where the shares are near them: with few learners the steps are coarse.
        const near = (share: number, target: number) => Math.abs(share - target) <= 0.05;
        const halfText = near(half.share, 0.5) ? `Half the learners stop before about ${formatCount(half.threshold)} actions` : `${formatPercent(half.share)} of learners reach ${formatCount(half.threshold)} actions`;
        const fifthText = !fifth || fifth === half ? '' : near(fifth.share, 0.2) ? `; only a fifth reach ${formatCount(fifth.threshold)}` : `; ${formatPercent(fifth.share)} reach ${formatCount(fifth.threshold)}`;
        findings.push({
          study: 'mooc',
          headline: `${halfText}${fifthText}.`,
          detail: `From ${mooc.userFeatures.header[column]} of ${formatCount(values.length)} users in user_features.csv: ${formatPercent(half.share)} reach ${formatCount(half.threshold)} actions${fifth ? `, ${formatPercent(fifth.share)} reach ${formatCount(fifth.threshold)}` : ''}.`,
        });
      }
    }
  }
  {
    const rates = targetDropoutRates(mooc)?.filter((rate) => Number.isFinite(rate.rate));
    if (rates && rates.length > 0) {
      const sorted = [...rates].sort((a, b) => b.rate - a.rate);
      const top = sorted[0]!;
      const bottom = sorted[sorted.length - 1]!;
      const profiles = categoryProfiles(mooc);
      const named = (rate: number) => {
        const categories = sorted.filter((entry) => entry.rate === rate).map((entry) => entry.category);
        return categories.length === 1 ? `category ${categories[0]}` : `categories ${categories.slice(0, -1).join(', ')} and ${categories.at(-1)}`;
      };
      const meaning = 'a target category is a group of similar course items';
      // How many learners a lone category's share rests on: 100% of 2 learners is no pattern.
      const countOf = (rate: number): number | undefined => {
        const categories = sorted.filter((entry) => entry.rate === rate);
        return categories.length === 1 ? categories[0]!.lastActions : undefined;
      };
      const topCount = countOf(top.rate);
      const bottomCount = countOf(bottom.rate);
      const topLearners = topCount === undefined ? 'learners' : `the ${formatCount(topCount)} learner${topCount === 1 ? '' : 's'}`;
      const headline =
        sorted.length === 1
          ? `Every target falls in one category (${top.category}): drop-out is ${formatPercent(top.rate)} of learners whose last action was on it; ${meaning}.`
          : top.rate === bottom.rate
            ? `Drop-out is the same in every target category (${formatPercent(top.rate)} of learners whose last action was on it); ${meaning}.`
            : `Drop-out is highest in target ${named(top.rate)} (${formatPercent(top.rate)} of ${topLearners} whose last action was on it) and lowest in ${named(bottom.rate)} (${formatPercent(bottom.rate)}${bottomCount === undefined ? '' : ` of ${formatCount(bottomCount)}`}); ${meaning}.`;
      findings.push({
        study: 'mooc',
        headline,
        detail:
          `${TARGET_CATEGORY_MEANING}. Drop-out share of last actions by category: ` +
          sorted.map((rate) => `${rate.category}: ${formatPercent(rate.rate)}${describeCategory(profiles.get(rate.category))}`).join(', ') +
          '.',
      });
    }
  }
  const modelAuc = typeof mooc.model?.auc_test === 'number' ? (mooc.model.auc_test as number) : undefined;
  const roc = mooc.predictions ? testSplitRoc(mooc.predictions) : undefined;
  const auc = modelAuc ?? roc?.auc;
  if (isNumber(auc)) {
    const quality = auc >= 0.8 ? 'well' : auc >= 0.7 ? 'fairly well' : auc >= 0.6 ? 'somewhat' : auc > 0.5 ? 'barely' : 'no better than chance';
    findings.push({
      study: 'mooc',
      headline: `The drop-out model ranks ${quality} who will leave: test AUC ${formatFigure(auc, 3)}${auc <= 0.5 ? ' (0.5 is a coin toss)' : ''}.`,
      detail:
        `AUC on the held-out test rows ${formatFigure(auc, 3)}` +
        (typeof mooc.model?.auc_val === 'number' ? `, validation ${formatFigure(mooc.model.auc_val as number, 3)}` : '') +
        (roc ? `; ROC from ${formatCount(roc.n)} test rows of dropout_predictions.csv gives ${formatFigure(roc.auc, 3)}.` : '.'),
    });
  }
  const peak = activityPeak(mooc.hourCycleDay);
  if (peak) {
    findings.push({
      study: 'mooc',
      headline: `Activity peaks on day ${peak.day} of the data's 7-day cycle at hour ${peak.hour} (times count from the start of the data: the weekday and time zone are unknown).`,
      detail:
        `${formatCount(peak.actions)} actions in that cell of hour_cycle_day_activity.csv. act-mooc timestamps are seconds since the start of the data, so ` +
        `day ${peak.day} means days ${peak.day}, ${peak.day + 7}, ${peak.day + 14}, … counted from the first day (floor(t / 86400) mod 7) and hour ${peak.hour} is floor((t mod 86400) / 3600); ` +
        'no calendar weekday or local time can be read from them.',
    });
  }
  return findings;
}

/** The busiest (day of the 7-day cycle, hour) cell of hour_cycle_day_activity.csv. */
export function activityPeak(table: NonNullable<RunResults['mooc']>['hourCycleDay']): { day: number; hour: number; actions: number } | undefined {
  if (!table || table.rows.length === 0) return undefined;
  const day = findColumn(table.header, ['cycle_day', 'weekday', 'day_of_week', 'dow']);
  const hour = findColumn(table.header, ['hour', 'hour_of_day']);
  const actions = findColumn(table.header, ['actions', 'n_actions', 'action_count']);
  if (day < 0 || hour < 0 || actions < 0) return undefined;
  const peak = table.rows.reduce((best, row) => (Number(row[actions]) > Number(best[actions]) ? row : best));
  return { day: Number(peak[day]), hour: Number(peak[hour]), actions: Number(peak[actions]) };
}
