// The dashboard's History section: this run's headline figures after those of the earlier
// succeeded runs of the same results root (read from their result tables at BuildReport time), as
// lines and as a table, and the finding that says when this run only repeats the previous one.
import type { TopLevelSpec } from 'vega-lite';
import { historyTable, type RunHeadline } from '../run-history';
import { BASE_CONFIG, CHART_HEIGHT, CHART_WIDTH } from './charts/chart';
import type { Finding } from './findings';
import { escapeHtml, scrollingTable } from './html';
import { renderSvg } from './render';

export interface HistoryInput {
  previous: RunHeadline[];
  current: RunHeadline;
  withoutTables: string[];
  /** Earlier runs left out because a result table could not be read: "<runId>: <why>". */
  unreadable?: string[];
}

export interface HistorySection {
  html: string;
  findings: Finding[];
}


export async function historySection(history: HistoryInput | undefined): Promise<HistorySection> {
  if (!history) return { html: '', findings: [] };
  const runs = [...history.previous, history.current];
  const parts = [`<section id="history"><h2>History</h2>`];
  if (history.previous.length === 0) {
    parts.push(`<p class="note">No earlier succeeded run in this results folder has result tables: the history starts with this run.</p>`);
  } else {
    parts.push(`<p class="note">This run (last) after the ${history.previous.length} earlier succeeded run(s) of this results folder, oldest first.</p>`);
    // Drawn as static SVG, not as a live chart: the period, plan and segment filters are this run's,
    // and the page's chart counter counts this run's charts only.
    const specs = { means: meansSpec(runs), rates: ratesSpec(runs) };
    for (const [name, spec] of Object.entries(specs)) {
      // Inline SVGs share the page's ids: each gets its own prefix for the clip paths and gradients it defines.
      if (spec) parts.push(`<figure class="history-chart table-scroll">${(await renderSvg(spec)).replace(/\b(gradient_|clip)(\d+)\b/g, `history-${name}-$1$2`)}</figure>`);
    }
  }
  if (history.current.repeatOf) {
    parts.push(`<p><strong>${escapeHtml(repeatHeadline(history.current))}</strong></p>`);
  }
  const table = historyTable(runs);
  const head = `<thead><tr>${table.header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead>`;
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  parts.push(scrollingTable(`${head}<tbody>${body}</tbody>`));
  if (history.withoutTables.length > 0) {
    parts.push(`<p class="note">Left out (written before runs had result tables): ${escapeHtml(history.withoutTables.join(', '))}.</p>`);
  }
  if (history.unreadable?.length) {
    parts.push(`<p class="note">Left out (a result table could not be read): ${escapeHtml(history.unreadable.join('; '))}.</p>`);
  }
  parts.push(`</section>`);
  return { html: parts.join(''), findings: repeatFindings(history.current) };
}

function repeatHeadline(run: RunHeadline): string {
  return `This run repeats run ${run.repeatOf}: the same periods (${run.baseline} vs ${run.comparison}), the same analysis options and the same input files (rows and sha256), so its figures are that run's, not news.`;
}

function repeatFindings(run: RunHeadline): Finding[] {
  if (!run.repeatOf) return [];
  return [
    {
      study: 'history',
      headline: repeatHeadline(run),
      detail: `Run ${run.repeatOf} compared the same quarters on input files with the same rows and sha256. The monthly schedule compares the latest complete quarter with the same quarter a year earlier, so until a new quarter is complete or the input changes, its runs find the same.`,
    },
  ];
}

/** One line per cohort (plan x period role): mean minutes after outlier removal, run by run. */
function meansSpec(runs: RunHeadline[]): TopLevelSpec | undefined {
  const values = seriesValues(runs, 'minutes', (run) =>
    (['free', 'paid'] as const).flatMap((plan) => [
      [`${plan}, baseline`, run.plans[plan]?.meanBaseline ?? null],
      [`${plan}, comparison`, run.plans[plan]?.meanComparison ?? null],
    ]),
  );
  if (values.length === 0) return undefined;
  return lineSpec('Mean minutes watched per cohort, run by run', values, 'minutes', 'mean minutes (after outlier removal)', runs);
}

/** Correlation, MOOC drop-out rate and test AUC, run by run. */
function ratesSpec(runs: RunHeadline[]): TopLevelSpec | undefined {
  const values = seriesValues(runs, 'value', (run) => [
    ['Pearson r (minutes, certificates)', run.pearson],
    ['MOOC drop-out rate', run.dropoutRate],
    ['drop-out model test AUC', run.aucTest],
  ]);
  if (values.length === 0) return undefined;
  return lineSpec('Correlation, drop-out rate and AUC, run by run', values, 'value', 'value', runs);
}

/**
 * Every run's value of each series some run has, null where a run lacks it: the line breaks there
 * rather than joining the runs on either side, as if the run between had the figure.
 */
function seriesValues(runs: RunHeadline[], field: string, figuresOf: (run: RunHeadline) => [string, number | null][]): Record<string, unknown>[] {
  const figures = runs.map((run) => figuresOf(run));
  const present = new Set(figures.flatMap((pairs) => pairs.filter(([, value]) => value !== null).map(([series]) => series)));
  return runs.flatMap((run, index) => figures[index]!.filter(([series]) => present.has(series)).map(([series, value]) => ({ run: run.runId, series, [field]: value })));
}

function lineSpec(title: string, values: Record<string, unknown>[], field: string, axisTitle: string, runs: RunHeadline[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: BASE_CONFIG,
    data: { values },
    mark: { type: 'line', point: true, invalid: 'break-paths-filter-domains' },
    encoding: {
      // Every run on the axis, in order, also those without this figure (no point there).
      x: { field: 'run', type: 'ordinal', title: 'run', sort: runs.map((run) => run.runId), scale: { domain: runs.map((run) => run.runId) }, axis: { labelAngle: -30 } },
      y: { field, type: 'quantitative', title: axisTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}
