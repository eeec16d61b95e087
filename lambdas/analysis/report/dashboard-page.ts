// report/index.html from what buildReport gathered: header, filters, findings, one live Vega view
// per chart (compiled spec inline, drawn by the inlined Vega runtime), tables, data quality and
// result files. Pure: the caller passes the Vega runtime's text.
import type { RunResults } from '../../contracts/run-results';
import type { Chart, SkippedChart } from './charts/chart';
import { segmentProfiles } from './charts/mooc';
import type { Finding } from './findings';
import { figureTables, dataQualitySection, filesSection } from './dashboard-tables';
import { DASHBOARD_STYLE } from './dashboard-style';
import { DASHBOARD_SCRIPT } from './dashboard-script';
import { escapeHtml } from './html';
import { formatCount } from '../figure-format';

export interface RenderedChart {
  chart: Chart;
  /** The chart's Vega-Lite spec compiled to Vega, which the page draws with the Vega runtime. */
  vegaSpec: object;
}

/** JSON inside a <script> element: "<" escaped so no "</script>" in the data can end the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const FILTER_WORDS = { period: 'period', plan: 'plan', segment: 'segment' } as const;

function followsText(chart: Chart): string {
  const filters = chart.filters ?? [];
  if (chart.tags?.period || chart.tags?.plan) return 'Shown when the period and plan filters include this cohort.';
  if (filters.length === 0) return 'The filters do not apply to this chart (its data has no period, plan or segment).';
  return `Redrawn for the ${filters.map((filter) => FILTER_WORDS[filter]).join(' and ')} filter${filters.length > 1 ? 's' : ''}.`;
}

/** Input files and their rows, from data_quality.json (deterministic: the same input gives the same text). */
function inputRowsText(results: RunResults): string {
  const files = (results.dataQuality as { files?: unknown } | undefined)?.files;
  if (!Array.isArray(files) || files.length === 0) return '';
  const entries = (files as { file?: unknown; input_rows?: unknown; quarantined_rows?: unknown }[]).map((file) => {
    const quarantined = typeof file.quarantined_rows === 'number' && file.quarantined_rows > 0 ? ` (${formatCount(file.quarantined_rows)} quarantined)` : '';
    return `${escapeHtml(file.file)} ${formatCount(file.input_rows as number)}${quarantined}`;
  });
  return `<span>Input rows: ${entries.join(', ')}</span>`;
}

function headerHtml(results: RunResults): string {
  const manifest = results.manifest;
  const parts = [`<header><h1>Run ${escapeHtml(results.runId)}</h1>`];
  if (manifest) {
    parts.push(`<p id="run-status">Status <span class="status-${escapeHtml(manifest.status)}">${escapeHtml(manifest.status)}</span> · started ${escapeHtml(manifest.started_at)} · finished ${escapeHtml(manifest.finished_at)}</p>`);
  } else if (results.failed) {
    parts.push(`<p id="run-status">Status <span class="status-failed">failed</span> (see below)</p>`);
  } else {
    // Inside the workflow the report comes before the manifest, and a repeated run must give the
    // same page: the status and times are read from manifest.json when the page is viewed.
    parts.push(
      `<p id="run-status" data-manifest="../manifest.json" data-run-id="${escapeHtml(results.runId)}">Status, start and end times: in <a href="../manifest.json">manifest.json</a>, written when the run ends<span class="why"></span></p>`,
    );
  }
  const facts: string[] = [];
  // Periods belong to the engagement study: a MOOC-only run has none to show.
  if (results.periods && results.engagement) facts.push(`<span>Periods: baseline ${escapeHtml(results.periods.baseline)} vs comparison ${escapeHtml(results.periods.comparison)}</span>`);
  const inputs = inputRowsText(results);
  if (inputs) facts.push(inputs);
  if (facts.length > 0) parts.push(`<p class="run-facts">${facts.join('')}</p>`);
  parts.push(`</header>`);
  return parts.join('');
}

function filtersHtml(results: RunResults, segments: { segment: string }[], chartCount: number): string {
  // Periods and plans are the engagement study's: a MOOC-only run has nothing they would filter.
  const periods = results.engagement ? results.periods : undefined;
  const parts = [`<div class="filters" role="region" aria-label="filters">`];
  if (periods) {
    parts.push(`<label>Period <select id="filter-period"><option value="all">both</option><option value="${escapeHtml(periods.baseline)}">${escapeHtml(periods.baseline)} (baseline)</option><option value="${escapeHtml(periods.comparison)}">${escapeHtml(periods.comparison)} (comparison)</option></select></label>`);
  }
  if (results.engagement) parts.push(`<label>Plan <select id="filter-plan"><option value="all">free and paid</option><option value="free">free</option><option value="paid">paid</option></select></label>`);
  if (segments.length > 0) {
    parts.push(`<label>MOOC segment <select id="filter-segment"><option value="all">all segments</option>${segments.map((segment) => `<option value="${escapeHtml(segment.segment)}">${escapeHtml(segment.segment)}</option>`).join('')}</select></label>`);
  }
  parts.push(`<span class="count"><span id="shown-charts">${chartCount}</span> of ${chartCount} charts shown</span></div>`);
  return parts.join('');
}

function chartFigure({ chart, vegaSpec }: RenderedChart): string {
  const tags = `${chart.tags?.period ? ` data-period="${escapeHtml(chart.tags.period)}"` : ''}${chart.tags?.plan ? ` data-plan="${chart.tags.plan}"` : ''}`;
  const name = escapeHtml(chart.name);
  return (
    `<figure class="chart" id="chart-${name}" data-chart="${name}" data-filters="${(chart.filters ?? []).join(' ')}"${tags}><h3>${escapeHtml(chart.title)}</h3>` +
    `<div class="view" role="img" aria-label="${escapeHtml(chart.title)}"></div><script type="application/json" class="spec">${scriptJson(vegaSpec)}</script>` +
    `<noscript><img src="charts/${name}.svg" alt="${escapeHtml(chart.title)}" style="max-width:100%"></noscript>` +
    `<figcaption>${escapeHtml(chart.caption)} <span class="follows">${escapeHtml(followsText(chart))}</span> <span class="downloads"><a href="charts/${name}.png">PNG</a> · <a href="charts/${name}.svg">SVG</a> · <a href="charts/${name}.vl.json">Vega-Lite spec</a></span></figcaption></figure>`
  );
}

export function renderDashboardHtml(results: RunResults, charts: RenderedChart[], skippedCharts: SkippedChart[], findings: Finding[], vegaRuntime: string, historyHtml = ''): string {
  const segments = results.mooc ? (segmentProfiles(results.mooc) ?? []) : [];
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<link rel="icon" href="data:,"><title>Run ${escapeHtml(results.runId)} – engagement workflow report</title><style>${DASHBOARD_STYLE}</style></head><body>`);
  parts.push(headerHtml(results));
  parts.push(filtersHtml(results, segments, charts.length));
  parts.push(`<main>`);

  if (results.failed) {
    parts.push(`<section class="alert"><h2>The run failed</h2><p>${escapeHtml(results.failed.state ?? '')}: ${escapeHtml(results.failed.error ?? '')}</p><pre>${escapeHtml(results.failed.cause ?? '')}</pre></section>`);
  }

  // Findings: the data-quality one first, so quarantined rows are on the first screen.
  parts.push(`<section id="findings"${findings.some((finding) => finding.study === 'data quality') ? ' class="alert"' : ''}><h2>Key findings</h2>`);
  if (findings.length === 0) parts.push(`<p class="note">No findings: the statistics of this run are missing.</p>`);
  const findingHeadings = { history: 'Since the previous run', 'data quality': 'Data quality: rows left out', engagement: 'Engagement: did students watch more?', mooc: 'MOOC: who drops out and when?' } as const;
  for (const study of ['history', 'data quality', 'engagement', 'mooc'] as const) {
    const own = findings.filter((finding) => finding.study === study);
    if (own.length === 0) continue;
    parts.push(`<h3>${findingHeadings[study]}</h3><ul class="findings">`);
    for (const finding of own) {
      // A file the detail names (e.g. ../quarantine/x.csv) becomes a link where it is named.
      const detail = (finding.links ?? []).reduce((html, link) => html.split(escapeHtml(link.href)).join(`<a href="${escapeHtml(link.href)}">${escapeHtml(link.href)}</a>`), escapeHtml(finding.detail));
      parts.push(`<li${finding.tags?.plan ? ` data-plan="${finding.tags.plan}"` : ''}>${escapeHtml(finding.headline)}<span class="detail">${detail}</span></li>`);
    }
    parts.push(`</ul>`);
  }
  parts.push(`</section>`);

  for (const study of ['engagement', 'mooc'] as const) {
    const own = charts.filter((rendered) => rendered.chart.study === study);
    const ownSkipped = skippedCharts.filter((chart) => chart.study === study);
    const ran = study === 'engagement' ? results.engagement : results.mooc;
    parts.push(`<section id="${study}-charts"><h2>${study === 'engagement' ? 'Engagement charts' : 'MOOC drop-out charts'}</h2>`);
    if (!ran) parts.push(`<p class="note">The ${study === 'engagement' ? 'engagement' : 'MOOC drop-out'} study did not run in this run, so its charts are left out.</p>`);
    parts.push(`<div class="grid">${own.map(chartFigure).join('')}</div>`);
    if (ownSkipped.length > 0) {
      parts.push(`<ul class="note">${ownSkipped.map((chart) => `<li>${escapeHtml(chart.name)} left out: ${escapeHtml(chart.note)}</li>`).join('')}</ul>`);
    }
    parts.push(`</section>`);
  }

  parts.push(figureTables(results, segments));
  parts.push(historyHtml);
  parts.push(dataQualitySection(results));
  parts.push(filesSection(results));
  parts.push(`</main><div id="tooltip" role="tooltip" hidden></div>`);
  parts.push(`<script>${vegaRuntime}</script><script>${DASHBOARD_SCRIPT}</script></body></html>\n`);
  return parts.join('');
}
