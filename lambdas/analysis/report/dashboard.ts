// Builds the run's report: every chart as SVG, PNG and Vega-Lite spec under report/charts/, plus
// report/index.html, one self-contained page (the Vega runtime, compiled chart specs, CSS and JS
// inline; no network) with the key findings, live charts that follow the period, plan and segment
// filters, tables of the main figures, data quality per input file and links to every result file.
import { studyResultKey } from '../../contracts/layout';
import type { ObjectStore } from '../../io/object-store';
import { loadRunResults, type RunFacts, type RunResults } from '../../steps/read-run-results';
import { vegaBrowserRuntime } from '../../steps/vega-runtime';
import { compileSpec, renderPng, renderSvg } from './render';
import type { ChartResult, SkippedChart } from './charts/chart';
import { engagementCharts } from './charts/engagement';
import { moocCharts } from './charts/mooc';
import { dataQualityFindings, engagementFindings, moocFindings } from './findings';
import { renderDashboardHtml, type RenderedChart } from './dashboard-page';
import { escapeHtml } from './html';
import { historySection, type HistoryInput } from './history-section';

export { escapeHtml, renderDashboardHtml };

export interface BuiltReport {
  /** Keys written, relative to the bucket. */
  files: string[];
  /** Charts left out and files that could not be read, in plain words. */
  notes: string[];
}

export async function buildReport(store: ObjectStore, runId: string, facts?: RunFacts, history?: HistoryInput): Promise<BuiltReport> {
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
    rendered.push({ chart, vegaSpec: compileSpec(chart.spec) });
  }
  const historyPart = await historySection(history);
  const findings = [...historyPart.findings, ...dataQualityFindings(results), ...engagementFindings(results), ...moocFindings(results)];
  const findingsKey = studyResultKey(runId, 'report', 'findings.json');
  await store.put(findingsKey, JSON.stringify({ run_id: runId, findings, notes }, null, 2) + '\n', 'application/json');
  files.push(findingsKey);
  const html = renderDashboardHtml(results, rendered, charts.filter((chart): chart is SkippedChart => chart.kind === 'skipped'), findings, vegaBrowserRuntime(), historyPart.html);
  const indexKey = studyResultKey(runId, 'report', 'index.html');
  await store.put(indexKey, html, 'text/html; charset=utf-8');
  files.push(indexKey);
  return { files, notes };
}

export function chartsFor(results: RunResults): ChartResult[] {
  return [...(results.engagement ? engagementCharts(results.engagement) : []), ...(results.mooc ? moocCharts(results.mooc) : [])];
}
