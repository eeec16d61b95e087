// The key findings in plain language, each with the numbers behind it.
import type { RunResults } from './run-results';
import { fmt, isNumber, orderedCohorts } from './charts/engagement';
import { dropoutCounts, findColumn, survivalCurve, targetDropoutRates, testSplitRoc } from './charts/mooc';

export interface Finding {
  study: 'engagement' | 'mooc';
  /** A short plain sentence. */
  headline: string;
  /** The figures behind it. */
  detail: string;
  tags?: { plan?: 'free' | 'paid' };
}

function pValue(p: number | null | undefined): string {
  if (!isNumber(p)) return 'n/a';
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}

function percent(value: number | null | undefined, digits = 1): string {
  return isNumber(value) ? `${(value * 100).toFixed(digits)}%` : 'n/a';
}

export function engagementFindings(results: RunResults): Finding[] {
  const statistics = results.engagement?.statistics;
  if (!statistics) return [];
  const findings: Finding[] = [];
  const { baseline, comparison } = statistics.periods;
  const cohorts = orderedCohorts(statistics);
  for (const plan of ['free', 'paid'] as const) {
    const before = cohorts.find((cohort) => cohort.period === baseline && cohort.plan === plan)?.stats;
    const after = cohorts.find((cohort) => cohort.period === comparison && cohort.plan === plan)?.stats;
    const test = statistics.tests?.[plan];
    if (!before || !after || !isNumber(before.mean) || !isNumber(after.mean)) continue;
    const change = before.mean !== 0 ? (after.mean - before.mean) / before.mean : NaN;
    const direction = after.mean > before.mean ? 'rose' : after.mean < before.mean ? 'fell' : 'did not change';
    const chosen = test?.chosen ?? 'pooled';
    const p = chosen === 'welch' ? test?.p_welch_one_sided : test?.p_pooled_one_sided;
    const sure =
      test?.reject_h0 === true
        ? `a significant rise at the 5% level (one-sided p = ${pValue(p)})`
        : test?.reject_h0 === false
          ? `not a significant rise (one-sided p = ${pValue(p)})`
          : 'no test result';
    findings.push({
      study: 'engagement',
      headline: `${plan === 'free' ? 'Free' : 'Paying'} students: engagement ${direction} from ${baseline} to ${comparison}, ${sure}.`,
      detail:
        `Mean minutes watched ${fmt(before.mean)} (95% CI ${fmt(before.ci95_t?.[0])}–${fmt(before.ci95_t?.[1])}, n = ${before.n_after ?? 'n/a'}) → ` +
        `${fmt(after.mean)} (95% CI ${fmt(after.ci95_t?.[0])}–${fmt(after.ci95_t?.[1])}, n = ${after.n_after ?? 'n/a'})` +
        (Number.isFinite(change) ? `, a change of ${(change * 100).toFixed(1)}%` : '') +
        (test ? `; ${chosen} t test (F test p = ${pValue(test.p_F)}), Cohen's d = ${fmt(test.cohens_d)}` : '') +
        (test?.conclusion ? `. ${test.conclusion}` : '.'),
      tags: { plan },
    });
  }
  const correlation = statistics.correlation;
  if (correlation && isNumber(correlation.pearson)) {
    const r = correlation.pearson;
    const strength = Math.abs(r) >= 0.5 ? 'strong' : Math.abs(r) >= 0.3 ? 'moderate' : Math.abs(r) >= 0.1 ? 'weak' : 'negligible';
    findings.push({
      study: 'engagement',
      headline: `${r >= 0.1 ? 'Students who watch more earn more certificates' : r <= -0.1 ? 'Students who watch more earn fewer certificates' : 'Minutes watched say little about certificates'}: a ${strength} ${r >= 0 ? 'positive' : 'negative'} correlation (r = ${fmt(r, 3)}).`,
      detail: `Pearson r = ${fmt(r, 3)} (95% CI ${fmt(correlation.pearson_ci95?.[0], 3)}–${fmt(correlation.pearson_ci95?.[1], 3)}, p = ${pValue(correlation.p)}, n = ${correlation.n ?? 'n/a'}); Spearman ρ = ${fmt(correlation.spearman, 3)}.`,
    });
  }
  const regression = statistics.regression;
  if (regression?.full && isNumber(regression.full.slope) && regression.prediction && isNumber(regression.prediction.certificates)) {
    findings.push({
      study: 'engagement',
      headline: `A student who watches ${fmt(regression.prediction.minutes, 0)} minutes is expected to earn about ${fmt(regression.prediction.certificates, 2)} certificates.`,
      detail: `Linear fit: certificates = ${fmt(regression.full.intercept, 4)} + ${fmt(regression.full.slope, 6)} × minutes, R² = ${fmt(regression.full.r2, 3)}, n = ${regression.full.n ?? 'n/a'}.`,
    });
  }
  const probabilities = statistics.probabilities;
  if (probabilities && isNumber(probabilities.p_both)) {
    findings.push({
      study: 'engagement',
      headline:
        `${percent(probabilities.p_both)} of students who watched in either period watched in both; ` +
        (probabilities.independent === true
          ? 'watching in one period tells little about the other (consistent with independence).'
          : probabilities.independent === false
            ? 'watching in one period and the other are not independent.'
            : 'independence was not assessed.'),
      detail:
        `P(${baseline}) = ${percent(probabilities.p_baseline)}, P(${comparison}) = ${percent(probabilities.p_comparison)}, P(both) = ${percent(probabilities.p_both)} ` +
        `vs P·P = ${percent(probabilities.p_product)} (χ² p = ${pValue(probabilities.chi2_p)}); P(${baseline} | ${comparison}) = ${percent(probabilities.p_baseline_given_comparison)}, ` +
        `P(${comparison} | ${baseline}) = ${percent(probabilities.p_comparison_given_baseline)}; ${probabilities.n_any ?? 'n/a'} students.`,
    });
  }
  return findings;
}

export function moocFindings(results: RunResults): Finding[] {
  const mooc = results.mooc;
  if (!mooc) return [];
  const findings: Finding[] = [];
  const counts = dropoutCounts(mooc);
  if (counts) {
    const total = counts.stayed + counts.droppedOut;
    findings.push({
      study: 'mooc',
      headline: `${percent(total > 0 ? counts.droppedOut / total : null)} of learners dropped out.`,
      detail: `${counts.droppedOut} of ${total} users dropped out, ${counts.stayed} stayed (from ${counts.source}).`,
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
        findings.push({
          study: 'mooc',
          headline: `Half the learners stop before about ${half.threshold} actions; only a fifth reach ${fifth?.threshold ?? 'n/a'}.`,
          detail: `From ${mooc.userFeatures.header[column]} of ${values.length} users in user_features.csv.`,
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
      findings.push({
        study: 'mooc',
        headline: `Drop-out is highest in target category ${top.category} (${percent(top.rate)}) and lowest in ${bottom.category} (${percent(bottom.rate)}).`,
        detail: sorted.map((rate) => `${rate.category}: ${percent(rate.rate)}`).join(', ') + '.',
      });
    }
  }
  const modelAuc = typeof mooc.model?.auc_test === 'number' ? (mooc.model.auc_test as number) : undefined;
  const roc = mooc.predictions ? testSplitRoc(mooc.predictions) : undefined;
  const auc = modelAuc ?? roc?.auc;
  if (isNumber(auc)) {
    const quality = auc >= 0.8 ? 'well' : auc >= 0.7 ? 'fairly well' : auc >= 0.6 ? 'somewhat' : 'barely';
    findings.push({
      study: 'mooc',
      headline: `The drop-out model ranks ${quality} who will leave: test AUC ${auc.toFixed(3)}.`,
      detail:
        `AUC on the held-out test rows ${auc.toFixed(3)}` +
        (typeof mooc.model?.auc_val === 'number' ? `, validation ${(mooc.model.auc_val as number).toFixed(3)}` : '') +
        (roc ? `; ROC from ${roc.n} test rows of dropout_predictions.csv gives ${roc.auc.toFixed(3)}.` : '.'),
    });
  }
  if (mooc.hourWeekday) {
    const table = mooc.hourWeekday;
    const weekday = findColumn(table.header, ['weekday', 'day_of_week', 'dow']);
    const hour = findColumn(table.header, ['hour', 'hour_of_day']);
    const actions = findColumn(table.header, ['actions', 'n_actions', 'action_count']);
    if (weekday >= 0 && hour >= 0 && actions >= 0 && table.rows.length > 0) {
      const peak = table.rows.reduce((best, row) => (Number(row[actions]) > Number(best[actions]) ? row : best));
      findings.push({
        study: 'mooc',
        headline: `Activity peaks on weekday ${peak[weekday]} at hour ${peak[hour]}.`,
        detail: `${Number(peak[actions]).toLocaleString('en-US')} actions in that hour-of-week cell (hour_weekday_activity.csv).`,
      });
    }
  }
  return findings;
}
