// Builds the run's report: every chart as SVG, PNG and Vega-Lite spec under report/charts/, plus
// report/index.html, one self-contained page (inline SVG, CSS and JS; no network) with the key
// findings, the charts, filters, tables of the main figures, links to every result file and the
// run's data-quality notes.
import { studyResultKey } from '../../contracts/layout';
import type { ObjectStore } from '../../io/object-store';
import { loadRunResults, type RunFacts, type RunResults } from '../../steps/read-run-results';
import { renderPng, renderSvg } from './render';
import type { Chart, ChartResult, SkippedChart } from './charts/chart';
import { engagementCharts, orderedCohorts } from './charts/engagement';
import { moocCharts, segmentProfiles, targetDropoutRates, type SegmentProfile } from './charts/mooc';
import { dataQualityFindings, engagementFindings, moocFindings, type Finding } from './findings';
import { formatFigure as fmt, pValueText } from '../figure-format';

export interface RenderedChart {
  chart: Chart;
  svg: string;
}

export interface BuiltReport {
  /** Keys written, relative to the bucket. */
  files: string[];
  /** Charts left out and files that could not be read, in plain words. */
  notes: string[];
}

export async function buildReport(store: ObjectStore, runId: string, facts?: RunFacts): Promise<BuiltReport> {
  const results = await loadRunResults(store, runId, facts);
  const charts = chartsFor(results);
  const rendered: RenderedChart[] = [];
  const files: string[] = [];
  const notes = [...results.notes];
  for (const chart of charts) {
    if (chart.kind === 'skipped') {
      notes.push(`Chart ${chart.name} left out: ${chart.note}`);
      continue;
    }
    const svg = await renderSvg(chart.spec);
    const base = `charts/${chart.name}`;
    const writes: [string, string | Uint8Array, string][] = [
      [`${base}.vl.json`, JSON.stringify(chart.spec, null, 1) + '\n', 'application/json'],
      [`${base}.svg`, svg, 'image/svg+xml'],
      [`${base}.png`, renderPng(svg), 'image/png'],
    ];
    for (const [file, body, contentType] of writes) {
      const key = studyResultKey(runId, 'report', file);
      await store.put(key, body, contentType);
      files.push(key);
    }
    rendered.push({ chart, svg });
  }
  const findings = [...dataQualityFindings(results), ...engagementFindings(results), ...moocFindings(results)];
  const findingsKey = studyResultKey(runId, 'report', 'findings.json');
  await store.put(findingsKey, JSON.stringify({ run_id: runId, findings, notes }, null, 2) + '\n', 'application/json');
  files.push(findingsKey);
  const html = renderDashboardHtml(results, rendered, charts.filter((chart): chart is SkippedChart => chart.kind === 'skipped'), findings);
  const indexKey = studyResultKey(runId, 'report', 'index.html');
  await store.put(indexKey, html, 'text/html; charset=utf-8');
  files.push(indexKey);
  return { files, notes };
}

export function chartsFor(results: RunResults): ChartResult[] {
  return [...(results.engagement ? engagementCharts(results.engagement) : []), ...(results.mooc ? moocCharts(results.mooc) : [])];
}

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Several SVGs in one page share an id namespace: give each chart's ids its own prefix. */
export function namespaceSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

const STYLE = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;color:#1d2430;background:#f5f6f8;line-height:1.45}
header{background:#1f3b57;color:#fff;padding:16px 28px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:12px 28px 40px}
section{background:#fff;border-radius:6px;padding:14px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:18px;margin:4px 0 10px}h3{font-size:15px;margin:4px 0}
.filters{position:sticky;top:0;z-index:2;display:flex;gap:18px;flex-wrap:wrap;align-items:center;background:#e9edf2;padding:8px 14px;border-radius:6px}
.filters label{font-size:13px}.filters select{margin-left:4px}
ul.findings{padding-left:18px}ul.findings li{margin:8px 0}.detail{display:block;font-size:12.5px;color:#4a5563}
.charts{display:flex;flex-wrap:wrap;gap:14px}figure.chart{margin:0;border:1px solid #e3e7ec;border-radius:6px;padding:8px;background:#fff;max-width:100%;overflow-x:auto}
figure.chart figcaption{font-size:12.5px;color:#4a5563;max-width:640px}figure.chart .downloads{font-size:12px}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 12px}th,td{border-bottom:1px solid #e3e7ec;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f0f3f6}.note{color:#8a4b08}pre{background:#f3f4f6;padding:8px;overflow-x:auto;font-size:12px}
.hidden{display:none!important}.status-failed{color:#b3261e;font-weight:bold}.status-succeeded{color:#1e7b34;font-weight:bold}
`;

// Hides every element tagged with a period, plan or segment that the filters exclude.
const SCRIPT = `
(function(){
  var selects = {period: document.getElementById('filter-period'), plan: document.getElementById('filter-plan'), segment: document.getElementById('filter-segment')};
  function apply(){
    var nodes = document.querySelectorAll('[data-period],[data-plan],[data-segment]');
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i], show = true;
      for (var key in selects) {
        var select = selects[key]; var tag = node.getAttribute('data-' + key);
        if (select && tag !== null && select.value !== 'all' && select.value !== tag) show = false;
      }
      node.classList.toggle('hidden', !show);
    }
    var shown = document.querySelectorAll('figure.chart:not(.hidden)').length;
    var counter = document.getElementById('shown-charts'); if (counter) counter.textContent = String(shown);
  }
  for (var key in selects) if (selects[key]) selects[key].addEventListener('change', apply);
  apply();
})();
`;

export function renderDashboardHtml(results: RunResults, charts: RenderedChart[], skippedCharts: SkippedChart[], findings: Finding[]): string {
  const manifest = results.manifest;
  const status = manifest?.status ?? (results.failed ? 'failed' : 'unknown');
  const periods = results.periods;
  const segments = results.mooc ? (segmentProfiles(results.mooc) ?? []) : [];
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<link rel="icon" href="data:,"><title>Run ${escapeHtml(results.runId)} – engagement workflow report</title><style>${STYLE}</style></head><body>`);
  // The workflow builds the report just before it writes the manifest: no status to show yet then.
  const statusText = status === 'unknown' ? 'Results of the run' : `Status <span class="status-${escapeHtml(status)}">${escapeHtml(status)}</span>`;
  parts.push(`<header><h1>Run ${escapeHtml(results.runId)}</h1><p>${statusText}`);
  if (manifest) parts.push(` · started ${escapeHtml(manifest.started_at)} · finished ${escapeHtml(manifest.finished_at)}`);
  if (periods) parts.push(` · baseline ${escapeHtml(periods.baseline)} vs comparison ${escapeHtml(periods.comparison)}`);
  parts.push(`</p></header><main>`);

  // Filters
  parts.push(`<div class="filters" role="region" aria-label="filters">`);
  if (periods) {
    parts.push(`<label>Period <select id="filter-period"><option value="all">both</option><option value="${escapeHtml(periods.baseline)}">${escapeHtml(periods.baseline)} (baseline)</option><option value="${escapeHtml(periods.comparison)}">${escapeHtml(periods.comparison)} (comparison)</option></select></label>`);
  }
  if (results.engagement) parts.push(`<label>Plan <select id="filter-plan"><option value="all">free and paid</option><option value="free">free</option><option value="paid">paid</option></select></label>`);
  if (segments.length > 0) {
    parts.push(`<label>Segment <select id="filter-segment"><option value="all">all segments</option>${segments.map((segment) => `<option value="${escapeHtml(segment.segment)}">${escapeHtml(segment.segment)}</option>`).join('')}</select></label>`);
  }
  parts.push(`<span style="font-size:13px"><span id="shown-charts">${charts.length}</span> of ${charts.length} charts shown</span></div>`);

  if (results.failed) {
    parts.push(`<section><h2 class="status-failed">The run failed</h2><p>${escapeHtml(results.failed.state ?? '')}: ${escapeHtml(results.failed.error ?? '')}</p><pre>${escapeHtml(results.failed.cause ?? '')}</pre></section>`);
  }

  // Findings
  parts.push(`<section id="findings"><h2>Key findings</h2>`);
  if (findings.length === 0) parts.push(`<p class="note">No findings: the statistics of this run are missing.</p>`);
  const findingHeadings = { 'data quality': 'Data quality: rows left out', engagement: 'Engagement: did students watch more?', mooc: 'MOOC: who drops out and when?' } as const;
  for (const study of ['data quality', 'engagement', 'mooc'] as const) {
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

  // Charts
  for (const study of ['engagement', 'mooc'] as const) {
    const own = charts.filter((rendered) => rendered.chart.study === study);
    const ownSkipped = skippedCharts.filter((chart) => chart.study === study);
    const ran = study === 'engagement' ? results.engagement : results.mooc;
    parts.push(`<section id="${study}-charts"><h2>${study === 'engagement' ? 'Engagement charts' : 'MOOC drop-out charts'}</h2>`);
    if (!ran) parts.push(`<p class="note">The ${study === 'engagement' ? 'engagement' : 'MOOC drop-out'} study did not run in this run, so its charts are left out.</p>`);
    parts.push(`<div class="charts">`);
    for (const { chart, svg } of own) {
      const tags = `${chart.tags?.period ? ` data-period="${escapeHtml(chart.tags.period)}"` : ''}${chart.tags?.plan ? ` data-plan="${chart.tags.plan}"` : ''}`;
      parts.push(
        `<figure class="chart" id="chart-${escapeHtml(chart.name)}" data-chart="${escapeHtml(chart.name)}"${tags}><h3>${escapeHtml(chart.title)}</h3>${namespaceSvgIds(svg, chart.name)}` +
          `<figcaption>${escapeHtml(chart.caption)} <span class="downloads"><a href="charts/${escapeHtml(chart.name)}.png">PNG</a> · <a href="charts/${escapeHtml(chart.name)}.svg">SVG</a> · <a href="charts/${escapeHtml(chart.name)}.vl.json">Vega-Lite spec</a></span></figcaption></figure>`,
      );
    }
    parts.push(`</div>`);
    if (ownSkipped.length > 0) {
      parts.push(`<ul class="note">${ownSkipped.map((chart) => `<li>${escapeHtml(chart.name)} left out: ${escapeHtml(chart.note)}</li>`).join('')}</ul>`);
    }
    parts.push(`</section>`);
  }

  parts.push(figureTables(results, segments));
  parts.push(dataQualitySection(results));
  parts.push(filesSection(results));
  parts.push(`</main><script>${SCRIPT}</script></body></html>\n`);
  return parts.join('');
}

function figureTables(results: RunResults, segments: SegmentProfile[]): string {
  const parts: string[] = [`<section id="tables"><h2>Main figures</h2>`];
  const statistics = results.engagement?.statistics;
  if (statistics) {
    parts.push(`<h3>Cohorts (minutes watched)</h3><table><thead><tr><th>cohort</th><th>students</th><th>outlier cut-off</th><th>kept</th><th>mean</th><th>median</th><th>sd</th><th>95% CI (t)</th><th>95% CI (z)</th></tr></thead><tbody>`);
    for (const { period, plan, stats } of orderedCohorts(statistics)) {
      parts.push(
        `<tr data-period="${escapeHtml(period)}" data-plan="${plan}"><td>${escapeHtml(period)} ${plan}</td><td>${stats.n_before ?? 'n/a'}</td><td>${fmt(stats.cutoff)}</td><td>${stats.n_after ?? 'n/a'}</td>` +
          `<td>${fmt(stats.mean)}</td><td>${fmt(stats.median)}</td><td>${fmt(stats.sd)}</td><td>${fmt(stats.ci95_t?.[0])} – ${fmt(stats.ci95_t?.[1])}</td><td>${fmt(stats.ci95_z?.[0])} – ${fmt(stats.ci95_z?.[1])}</td></tr>`,
      );
    }
    parts.push(`</tbody></table>`);
    parts.push(`<h3>Tests (H₀: the comparison mean is not higher)</h3><table><thead><tr><th>plan</th><th>F</th><th>p(F)</th><th>test used</th><th>t</th><th>df</th><th>p (one-sided)</th><th>Cohen's d</th><th>reject H₀</th></tr></thead><tbody>`);
    for (const plan of ['free', 'paid'] as const) {
      const test = statistics.tests?.[plan];
      if (!test) continue;
      const welch = test.chosen === 'welch';
      parts.push(
        `<tr data-plan="${plan}"><td>${plan}</td><td>${fmt(test.F, 3)}</td><td>${escapeHtml(pValueText(test.p_F))}</td><td>${escapeHtml(test.chosen ?? 'n/a')}</td><td>${fmt(welch ? test.t_welch : test.t_pooled, 3)}</td>` +
          `<td>${fmt(welch ? test.df_welch : test.df_pooled, 1)}</td><td>${escapeHtml(pValueText(welch ? test.p_welch_one_sided : test.p_pooled_one_sided))}</td><td>${fmt(test.cohens_d, 3)}</td><td>${test.reject_h0 === null ? 'n/a' : test.reject_h0 ? 'yes' : 'no'}</td></tr>`,
      );
    }
    parts.push(`</tbody></table>`);
    const regression = statistics.regression;
    if (regression?.full) {
      parts.push(`<h3>Regression of certificates on minutes</h3><table><thead><tr><th>fit</th><th>intercept</th><th>slope</th><th>se(slope)</th><th>R²</th><th>n</th></tr></thead><tbody>`);
      for (const [label, fit] of [['all students', regression.full], ['train split', regression.split]] as const) {
        if (fit) parts.push(`<tr><td>${label}</td><td>${fmt(fit.intercept, 4)}</td><td>${fmt(fit.slope, 6)}</td><td>${fmt(fit.se_slope, 6)}</td><td>${fmt(fit.r2, 4)}</td><td>${fit.n ?? 'n/a'}</td></tr>`);
      }
      parts.push(`</tbody></table>`);
    }
  }
  if (segments.length > 0) {
    const features = Object.keys(segments[0]!.features);
    parts.push(`<h3>MOOC segments</h3><table><thead><tr><th>segment</th><th>users</th>${features.map((feature) => `<th>${escapeHtml(feature)}</th>`).join('')}</tr></thead><tbody>`);
    for (const segment of segments) {
      parts.push(
        `<tr data-segment="${escapeHtml(segment.segment)}"><td>${escapeHtml(segment.segment)}</td><td>${Number.isFinite(segment.users) ? segment.users : 'n/a'}</td>${features.map((feature) => `<td>${fmt(segment.features[feature], 3)}</td>`).join('')}</tr>`,
      );
    }
    parts.push(`</tbody></table>`);
  }
  const rates = results.mooc ? targetDropoutRates(results.mooc) : undefined;
  if (rates && rates.length > 0) {
    parts.push(`<h3>MOOC drop-out by target category</h3><table><thead><tr><th>category</th><th>last actions</th><th>drop-out share</th></tr></thead><tbody>`);
    for (const rate of rates) parts.push(`<tr><td>${escapeHtml(rate.category)}</td><td>${rate.lastActions ?? 'n/a'}</td><td>${fmt(rate.rate * 100, 1)}%</td></tr>`);
    parts.push(`</tbody></table>`);
  }
  if (results.mooc?.model) {
    parts.push(`<h3>MOOC drop-out model</h3><table><tbody>`);
    for (const [key, value] of Object.entries(results.mooc.model)) {
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') parts.push(`<tr><td>${escapeHtml(key)}</td><td>${escapeHtml(typeof value === 'number' ? +value.toFixed(4) : value)}</td></tr>`);
    }
    parts.push(`</tbody></table>`);
  }
  parts.push(`</section>`);
  return parts.join('');
}

function dataQualitySection(results: RunResults): string {
  const parts = [`<section id="data-quality"><h2>Data quality</h2>`];
  if (results.dataQuality === undefined) parts.push(`<p class="note">This run wrote no data_quality.json.</p>`);
  else parts.push(describeQuality(results.dataQuality));
  const quarantined = results.files.filter((file) => file.key.startsWith('quarantine/'));
  if (quarantined.length > 0) parts.push(`<p>Quarantined rows were set aside in: ${quarantined.map((file) => `<a href="../${escapeHtml(file.key)}">${escapeHtml(file.key)}</a>`).join(', ')}.</p>`);
  if (results.notes.length > 0) parts.push(`<h3>Report notes</h3><ul class="note">${results.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`);
  parts.push(`</section>`);
  return parts.join('');
}

/** data_quality.json belongs to another stage; show lists of notes as lists, the rest as JSON. */
function describeQuality(quality: unknown): string {
  if (quality && typeof quality === 'object' && !Array.isArray(quality)) {
    const rows = Object.entries(quality as Record<string, unknown>).map(([key, value]) => {
      const shown =
        Array.isArray(value) && value.every((item) => typeof item === 'string')
          ? `<ul>${value.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`
          : value !== null && typeof value === 'object'
            ? `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`
            : escapeHtml(value);
      return `<tr><td>${escapeHtml(key)}</td><td style="text-align:left">${shown}</td></tr>`;
    });
    return `<table><tbody>${rows.join('')}</tbody></table>`;
  }
  return `<pre>${escapeHtml(JSON.stringify(quality, null, 2))}</pre>`;
}

function filesSection(results: RunResults): string {
  const files = results.files.filter((file) => !file.key.startsWith('report/'));
  const link = (key: string): string => `<a href="../${escapeHtml(key)}">${escapeHtml(key)}</a>`;
  if (!results.manifest) {
    // Built inside the workflow, before the manifest: sizes and checksums live in manifest.json
    // (listing them here would tie this page's bytes to files with run-time figures in them).
    const rows = files.map((file) => `<tr><td>${link(file.key)}</td></tr>`);
    return `<section id="files"><h2>Result files</h2><p>Rows, sizes and sha256 of every file are in <a href="../manifest.json">manifest.json</a>.</p><table><thead><tr><th>file</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
  }
  const manifestOutputs = new Map(results.manifest.outputs.map((output) => [output.key, output]));
  const rows = files.map((file) => {
    const listed = manifestOutputs.get(file.key);
    return `<tr><td>${link(file.key)}</td><td>${listed?.rows ?? ''}</td><td>${(listed?.bytes ?? file.size).toLocaleString('en-US')}</td><td style="font-family:monospace;font-size:11px">${escapeHtml(listed?.sha256.slice(0, 16) ?? '')}</td></tr>`;
  });
  return `<section id="files"><h2>Result files</h2><table><thead><tr><th>file</th><th>rows</th><th>bytes</th><th>sha256 (start)</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
