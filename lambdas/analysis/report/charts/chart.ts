// What every chart builder returns: a Vega-Lite spec plus what the dashboard needs to place it, or
// the reason it could not be drawn from this run's results.
import type { TopLevelSpec } from 'vega-lite';

export type ChartStudy = 'engagement' | 'mooc';

export interface ChartTags {
  /** Period label the chart is about (dashboard period filter). */
  period?: string;
  /** 'free' | 'paid' (dashboard plan filter). */
  plan?: 'free' | 'paid';
}

/** The dashboard's filters; a chart that lists one redraws its data when that filter changes. */
export type FilterName = 'period' | 'plan' | 'segment';

/** Value of every filter signal that keeps all data (also what the saved SVG and PNG show). */
export const ALL = 'all';

/** The Vega signal a filter sets: `filter_period` etc. */
export function filterSignal(filter: FilterName): string {
  return `filter_${filter}`;
}

/**
 * Vega-Lite params (one variable per filter, 'all' by default) and the filter transform that keeps
 * the rows whose field matches each filter. The dashboard sets the signals; a saved spec opened
 * elsewhere draws all rows, as the SVG and PNG do.
 */
export function filteredBy(fields: Partial<Record<FilterName, string>>): {
  filters: FilterName[];
  params: { name: string; value: string }[];
  transform: { filter: string }[];
} {
  const filters = (Object.keys(fields) as FilterName[]).sort();
  const test = filters
    .map((filter) => `(${filterSignal(filter)} === '${ALL}' || datum[${JSON.stringify(fields[filter])}] === ${filterSignal(filter)})`)
    .join(' && ');
  return { filters, params: filters.map((filter) => ({ name: filterSignal(filter), value: ALL })), transform: [{ filter: test }] };
}

export interface Chart {
  kind: 'chart';
  /** File stem under report/charts/, e.g. engagement_means_ci. */
  name: string;
  study: ChartStudy;
  title: string;
  /** One or two sentences saying how to read the chart. */
  caption: string;
  spec: TopLevelSpec;
  tags?: ChartTags;
  /** Filters whose signals the spec declares (see filteredBy); none when the data has no such field. */
  filters?: FilterName[];
}

export interface SkippedChart {
  kind: 'skipped';
  name: string;
  study: ChartStudy;
  note: string;
}

export type ChartResult = Chart | SkippedChart;

export const CHART_WIDTH = 430;
export const CHART_HEIGHT = 260;

export const COLORS = {
  baseline: '#9aa5b1',
  comparison: '#2f6fb0',
  free: '#7aa974',
  paid: '#d08c2c',
  before: '#b9c2cc',
  after: '#2f6fb0',
  stay: '#4e9a6a',
  dropout: '#c8553d',
};

/** Common look: plain font so PNG text matches the fonts the renderer ships. */
export const BASE_CONFIG = {
  font: 'DejaVu Sans, sans-serif',
  view: { stroke: null },
  // Vega thins out tick labels that overlap, not ones that touch: those ran together (251398). 4 px apart, or one goes.
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260, labelSeparation: 4 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  title: { fontSize: 14, anchor: 'start' as const },
};

export function skipped(name: string, study: ChartStudy, note: string): SkippedChart {
  return { kind: 'skipped', name, study, note };
}

export function planOf(paid: 0 | 1): 'free' | 'paid' {
  return paid === 1 ? 'paid' : 'free';
}
