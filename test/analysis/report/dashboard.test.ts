// buildReport writes every chart (SVG, PNG, spec) and one self-contained index.html with the
// findings' numbers from statistics.json, links to every result file, and notes for missing studies.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDashboardHtml } from '../../../lambdas/analysis/report/dashboard';
import { buildReport } from '../../../lambdas/steps/build-report';
import { FIXTURE, fixtureStore } from './fixture-run';

const statistics = JSON.parse(FIXTURE.files['engagement/statistics.json']!);
const CHART_NAMES = [
  'engagement_means_ci',
  'engagement_minutes_boxplot',
  'engagement_minutes_vs_certificates',
  'engagement_probabilities',
  ...FIXTURE.expected.cohort_order.map((label) => `engagement_minutes_${label.replace(' ', '_')}`),
  'mooc_daily_activity',
  'mooc_dropout_vs_stay',
  'mooc_activity_heatmap',
  'mooc_dropoff_curve',
  'mooc_segment_profiles',
  'mooc_dropout_by_target',
  'mooc_dropout_roc',
];

describe('buildReport', () => {
  it('writes each chart as svg, png and vl.json, and a self-contained dashboard with every chart', async () => {
    const { store, runId, dir } = await fixtureStore();
    const { files, notes } = await buildReport(store, runId);
    expect(notes).toEqual([]);
    for (const name of CHART_NAMES) {
      for (const extension of ['svg', 'png', 'vl.json']) expect(files).toContain(`results/${runId}/report/charts/${name}.${extension}`);
    }
    const html = readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8');
    // Each chart is a live view: its spec compiled to Vega sits in the page, beside a link to its SVG.
    for (const name of CHART_NAMES) {
      const figure = new RegExp(`data-chart="${name}"[^>]*><h3>[^<]*</h3><div class="view"[^>]*></div><script type="application/json" class="spec">(.*?)</script>`).exec(html);
      expect(figure, name).not.toBeNull();
      const spec = JSON.parse(figure![1]!) as { $schema: string; marks: unknown[] };
      expect(spec.$schema, name).toContain('vega/v5');
      expect(spec.marks.length, name).toBeGreaterThan(0);
    }
    expect((html.match(/class="spec"/g) ?? []).length).toBe(CHART_NAMES.length);
    // Offline: no script, stylesheet or font is fetched from elsewhere (the Vega runtime is inline).
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|@import|url\(https?:/);
    expect(html).toContain('vega.View');
    // The only addresses in the page are the $schema identifiers of the specs and SVG/XML namespaces.
    const addresses = new Set([...html.matchAll(/https?:\/\/[^"'\s)]+/g)].map((match) => match[0]));
    for (const address of addresses) expect(address, address).toMatch(/^https:\/\/vega\.github\.io\/schema\/|^http:\/\/www\.w3\.org\//);
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps text from the data inside its script element: a "</script>" in a label cannot end it', () => {
    const spec = { $schema: 'https://vega.github.io/schema/vega/v5.json', data: [{ name: 'x', values: [{ label: '</script><img src=x onerror=alert(1)>' }] }], marks: [] };
    const chart = { kind: 'chart', name: 'odd', study: 'mooc', title: 'odd', caption: 'odd', spec: {} } as const;
    const html = renderDashboardHtml({ runId: 'r', files: [], notes: [] }, [{ chart: chart as never, vegaSpec: spec }], [], [], '/* runtime */');
    const embedded = /<script type="application\/json" class="spec">(.*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(embedded)).toEqual(spec);
    expect(html).not.toContain('<img src=x');
    // Two scripts of the page (runtime, dashboard) and the spec: three openings, three closings.
    expect((html.match(/<script/g) ?? []).length).toBe(3);
    expect((html.match(/<\/script>/g) ?? []).length).toBe(3);
  });

  it('states the findings with the numbers of statistics.json and the MOOC files', async () => {
    const { store, runId, dir } = await fixtureStore();
    await buildReport(store, runId);
    const html = readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8');
    for (const [key, cohort] of Object.entries<{ mean: number; ci95_t: [number, number] }>(statistics.cohorts)) {
      expect(html, key).toContain(`${cohort.mean.toFixed(2)} (95% CI ${cohort.ci95_t[0].toFixed(2)} to ${cohort.ci95_t[1].toFixed(2)}`);
    }
    // t is baseline minus comparison, negative for a rise: the column says so.
    expect(html).toContain('t (baseline − comparison)</th>');
    for (const plan of ['free', 'paid'] as const) {
      const test = statistics.tests[plan];
      expect(html).toContain(`Cohen&#39;s d = ${test.cohens_d.toFixed(2)}`);
      // scipy's two-sided p of the chosen test decides the headline's word, statsmodels' interval its CI.
      const [low, high] = test.mean_difference_ci95 as [number, number];
      const signed = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(1)}`;
      expect(html).toContain(
        test.p_two_sided < 0.05
          ? `engagement ${test.mean_difference > 0 ? 'rose' : 'fell'} significantly`
          : `no significant change in engagement from 2021Q2 to 2022Q2 (the mean ${test.mean_difference > 0 ? 'rose' : 'fell'} by ${Math.abs(test.mean_difference).toFixed(1)} minutes, 95% CI of the change ${signed(low)} to ${signed(high)}`,
      );
      expect(html).toContain(test.rank_test_agrees ? 'the rank test agrees' : 'the rank test disagrees');
      // The tests table states the direction and the two-sided p of the chosen test, as the findings do.
      const row = new RegExp(`<tr data-plan="${plan}">(.*?)</tr>`).exec(html.slice(html.indexOf('<h3>Tests:')))![1]!;
      const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((match) => match[1]);
      expect(cells[1]).toBe(test.mean_difference > 0 ? 'rose' : 'fell');
      expect(test.p_two_sided).toBeGreaterThan(0.001);
      expect(cells[7]).toBe(test.p_two_sided.toFixed(3));
      expect(cells[8]).toBe(test.p_two_sided < 0.05 ? `yes, ${test.mean_difference > 0 ? 'rose' : 'fell'}` : 'no');
    }
    expect(html).toContain(`Pearson r = ${statistics.correlation.pearson.toFixed(3)}`);
    expect(html).toContain(`Spearman ρ = ${statistics.correlation.spearman.toFixed(3)}`);
    const influence = statistics.regression.influence;
    expect(html).toContain(`${influence.n_above_threshold} of ${statistics.correlation.n} students (${((influence.n_above_threshold / statistics.correlation.n) * 100).toFixed(1)}%) are above 4/n, the screening cut-off for Cook&#39;s distance`);
    expect(html).toContain(`${(statistics.probabilities.p_both * 100).toFixed(1)}% of students who watched in either period watched in both`);
    expect(html).toContain(`expected to have earned about ${statistics.regression.prediction.certificates.toFixed(2)} there`);
    const dropoutShare = (FIXTURE.expected.dropouts / (FIXTURE.expected.dropouts + FIXTURE.expected.stayers)) * 100;
    expect(html).toContain(`${dropoutShare.toFixed(1)}% of learners dropped out`);
    expect(html).toContain(`test AUC ${FIXTURE.expected.auc_test.toFixed(3)}`);
    expect(html).toContain(`day ${FIXTURE.expected.peak.cycle_day} of the data&#39;s 7-day cycle at hour ${FIXTURE.expected.peak.hour}`);
    expect(html).not.toMatch(/weekday \d|peaks on (Mon|Tue|Wed|Thu|Fri|Sat|Sun)/);
    const [topCategory, topRate] = Object.entries(FIXTURE.expected.target_rates).sort((a, b) => b[1] - a[1])[0]!;
    expect(html).toContain(`highest in target category ${topCategory} (${(topRate * 100).toFixed(1)}%`);
    expect(html).toContain('a target category is a group of similar course items');
  });

  it('links every result file relatively and shows the data-quality notes', async () => {
    const { store, runId, dir } = await fixtureStore();
    await buildReport(store, runId);
    const html = readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8');
    for (const key of Object.keys(FIXTURE.files)) expect(html, key).toContain(`href="../${key}"`);
    // Data quality is a table: one row per input file, the quarantined one linking its quarantine file.
    expect(html).toMatch(/<tr class="quarantined"><td>engagement<\/td><td class="text">student_purchases\.csv<\/td><td>250<\/td><td>248<\/td><td>2<\/td>.*?refund before purchase \(2\).*?<a href="\.\.\/quarantine\/student_purchases\.csv">/);
    expect(html).not.toContain('<pre>{');
    expect(html).toMatch(/id="filter-period"[\s\S]*id="filter-plan"[\s\S]*id="filter-segment"/);
  });

  it('shows a first bad row the SQL checks give by its fields, and counts among the data-quality notes', async () => {
    const { store, runId, dir } = await fixtureStore({
      edit: (files) => {
        const quality = JSON.parse(files['data_quality.json']!);
        const purchases = quality.files.find((file: { file: string }) => file.file === 'student_purchases.csv');
        purchases.first_bad_row = { line: null, reason: 'refund before purchase', values: { purchase_id: '17', date_refunded: '2021-01-02' } };
        quality.notes = { mooc: { duplicateActionIds: { repeatedIds: 15024, extraRows: 15116, idsByTimesSeen: { '2': 14932 } }, timestampDecreases: 0 } };
        files['data_quality.json'] = JSON.stringify(quality);
      },
    });
    await buildReport(store, runId);
    const html = readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8');
    expect(html).toContain('<td class="text">purchase_id=17, date_refunded=2021-01-02</td>');
    expect(html).toContain('<li>mooc · duplicateActionIds: 15,024 ACTIONIDs are on more than one row (15,116 rows beyond their first); each row is kept as an action</li>');
    expect(html).toContain('<li>mooc · timestampDecreases: 0</li>');
  });

  it('gives the regression line of the train split with how it scores on the held-out test split', () => {
    const split = { seed: 42, test_fraction: 0.2, n_train: 32, n_test: 8, intercept: -0.0713, slope: 0.0026817, r2_train: 0.68, r2_test: 0.5123, mae_test: 0.41234, rmse_test: 0.55871 };
    const withSplit = { ...statistics, regression: { ...statistics.regression, split } };
    const html = renderDashboardHtml({ runId: 'r', files: [], notes: [], engagement: { statistics: withSplit, cohorts: [] } }, [], [], [], '');
    const cells = [split.intercept.toFixed(4), split.slope.toFixed(6), 'n/a', split.r2_test.toFixed(4), split.mae_test.toFixed(4), split.rmse_test.toFixed(4), String(split.n_test)];
    expect(html).toContain(`<tr><td>test split (the train line)</td>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`);
  });

  it('says that a run from period files checked no input file, instead of an empty table under check rules', async () => {
    const { store, runId, dir } = await fixtureStore({
      edit: (files) => (files['data_quality.json'] = JSON.stringify({ run_id: 'x', status: 'passed', max_bad_row_share: 0.01, data_range: { start: '1970-01-01', end: '2100-12-31' }, files: [], notes: {} })),
    });
    await buildReport(store, runId);
    const section = /<section id="data-quality">(.*?)<\/section>/.exec(readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8'))![1]!;
    expect(section).toContain('No input file was checked in this run: it started from period files (engagement stats)');
    expect(section).not.toMatch(/<table|check passed/);
  });

  it('writes the MOOC model figures with thousands separators and fixed places', async () => {
    const { store, runId, dir } = await fixtureStore({
      edit: (files) => (files['mooc/dropout_model.json'] = JSON.stringify({ ...JSON.parse(files['mooc/dropout_model.json']!), n_train_sampled: 329399, span: 1720256.12, protocol: 'rows in time order; first 80% train' })),
    });
    await buildReport(store, runId);
    const html = readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8');
    expect(html).toContain('<tr><th scope="row">n_train_sampled</th><td>329,399</td></tr>');
    expect(html).toContain('<tr><th scope="row">span</th><td>1,720,256.1200</td></tr>');
    expect(html).toContain('<tr><th scope="row">auc_val</th><td>0.8542</td></tr>');
    // A sentence wraps (on a phone it pushed the figures off the screen).
    expect(html).toContain('<tr><th scope="row">protocol</th><td class="text">rows in time order; first 80% train</td></tr>');
  });

  it('leaves out the charts of a study that did not run, with a note', async () => {
    const { store, runId, dir } = await fixtureStore({
      without: (key) => key.startsWith('mooc/'),
      edit: (files) => {
        const manifest = JSON.parse(files['manifest.json']!);
        manifest.studies.mooc = { status: 'skipped', note: 'no MOOC input was uploaded' };
        manifest.outputs = manifest.outputs.filter((output: { key: string }) => !output.key.startsWith('mooc/'));
        files['manifest.json'] = JSON.stringify(manifest);
      },
    });
    const { files, notes } = await buildReport(store, runId);
    expect(files.filter((key) => key.includes('/charts/mooc_'))).toEqual([]);
    expect(files.filter((key) => key.endsWith('engagement_means_ci.svg'))).toHaveLength(1);
    expect(notes.join('\n')).toContain('The MOOC drop-out study did not run in this run (no MOOC input was uploaded)');
    const html = readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8');
    expect(html).toContain('The MOOC drop-out study did not run in this run, so its charts are left out.');
    expect(html).not.toContain('data-chart="mooc_');
  });

  it('shows the periods of the engagement study and its filters, and none in a run without it', () => {
    const periods = { baseline: '2021Q2', comparison: '2022Q2' };
    const withEngagement = renderDashboardHtml({ runId: 'r', files: [], notes: [], periods, engagement: { statistics, cohorts: [] } }, [], [], [], '');
    expect(withEngagement).toContain('Periods: baseline 2021Q2 vs comparison 2022Q2');
    const moocOnly = renderDashboardHtml({ runId: 'r', files: [], notes: [], periods, mooc: {} }, [], [], [], '');
    expect(moocOnly).not.toContain('Periods:');
    // Nor a period or plan filter, which would filter nothing.
    expect(withEngagement).toContain('id="filter-period"');
    expect(moocOnly).not.toMatch(/id="filter-(period|plan)"/);
  });

  it('reports a failed run without statistics instead of stopping', async () => {
    const { store, runId, dir } = await fixtureStore({
      without: (key) => key === 'manifest.json' || key === 'engagement/statistics.json',
      edit: (files) => (files['_FAILED.json'] = JSON.stringify({ state: 'Statistics', error: 'StatesError', cause: 'boom' })),
    });
    const { notes } = await buildReport(store, runId);
    expect(notes.join('\n')).toContain('statistics.json is missing');
    const html = readFileSync(path.join(dir, runId, 'report', 'index.html'), 'utf8');
    expect(html).toContain('The run failed');
    expect(html).toContain('Status <span class="status-failed">failed</span>');
    expect(html).toContain('data-chart="engagement_minutes_boxplot"');
    expect(html).not.toContain('data-chart="engagement_means_ci"');
  });
});
