// Renders the run's report from data the build-report step read (this module touches no store):
// every chart as SVG, PNG and Vega-Lite spec under report/charts/, plus report/index.html, one self-contained page (the Vega runtime, compiled chart specs, CSS and JS
// inline; no network) with the key findings, live charts that follow the period, plan and segment
// filters, tables of the main figures, data quality per input file and links to every result file.
import type { RunResults } from '../../contracts/run-results';
import { compileSpec, renderPng, renderSvg } from './render';
import type { ChartResult, SkippedChart } from './charts/chart';
import { engagementCharts } from './charts/engagement';
import { moocCharts } from './charts/mooc';
import { dataQualityFindings, engagementFindings, moocFindings } from './findings';
import { renderDashboardHtml, type RenderedChart } from './dashboard-page';
import { escapeHtml } from './html';
import { historySection, type HistoryInput } from './history-section';

export { escapeHtml, renderDashboardHtml };

/** One file of report/, relative to it. */
export interface ReportFile {
  file: string;
  body: string | Uint8Array;
  contentType: string;
}

export interface RenderedReport {
  /** In the order they are written. */
  files: ReportFile[];
  /** Charts left out and files that could not be read, in plain words. */
  notes: string[];
}

/** The report of what the build-report step read; `vegaRuntime` is the browser bundle the page inlines, `history` the earlier runs beside this one. */
export async function renderReport(results: RunResults, vegaRuntime: string, history?: HistoryInput): Promise<RenderedReport> {
  const charts = chartsFor(results);
  const rendered: RenderedChart[] = [];
  const files: ReportFile[] = [];
  const notes = [...results.notes];
  const pngs: Promise<void>[] = [];
  for (const chart of charts) {
    if (chart.kind === 'skipped') {
      notes.push(`Chart ${chart.name} left out: ${chart.note}`);
      continue;
    }
    const vegaSpec = compileSpec(chart.spec);
    const svg = await renderSvg(chart.spec, vegaSpec);
    const base = `charts/${chart.name}`;
    const png: ReportFile = { file: `${base}.png`, body: new Uint8Array(), contentType: 'image/png' };
    files.push(
      { file: `${base}.vl.json`, body: JSON.stringify(chart.spec, null, 1) + '\n', contentType: 'application/json' },
      { file: `${base}.svg`, body: svg, contentType: 'image/svg+xml' },
      png,
    );
    // Not awaited here: the PNG rasterizes on a worker thread while the next chart's SVG is drawn.
    const drawn = renderPng(svg).then((body) => void (png.body = body));
    // Handled here too, so a later chart that fails first leaves no unhandled rejection behind.
    drawn.catch(() => undefined);
    pngs.push(drawn);
    rendered.push({ chart, vegaSpec });
  }
  await Promise.all(pngs);
  const historyPart = await historySection(history);
  const findings = [...historyPart.findings, ...dataQualityFindings(results), ...engagementFindings(results), ...moocFindings(results)];
  files.push({ file: 'findings.json', body: JSON.stringify({ run_id: results.runId, findings, notes }, null, 2) + '\n', contentType: 'application/json' });
  const html = renderDashboardHtml(results, rendered, charts.filter((chart): chart is SkippedChart => chart.kind === 'skipped'), findings, vegaRuntime, historyPart.html);
  files.push({ file: 'index.html', body: html, contentType: 'text/html; charset=utf-8' });
  return { files, notes };
}

export function chartsFor(results: RunResults): ChartResult[] {
  return [...(results.engagement ? engagementCharts(results.engagement) : []), ...(results.mooc ? moocCharts(results.mooc) : [])];
}
