// Turns Vega-Lite specs into SVG (vega's headless View, no browser, no canvas) and SVG into PNG
// (resvg, a Rust rasterizer shipped as a prebuilt binary inside its npm package). Text in PNGs
// needs real font files: we give resvg the DejaVu TTFs from the dejavu-fonts-ttf package, so PNGs
// look the same on a laptop, in CI and in a Lambda (which has no system fonts).
import path from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export function compileSpec(spec: TopLevelSpec): vega.Spec {
  return vegaLite.compile(spec).spec;
}

/** Renders a Vega-Lite spec to an SVG document string; `compiled` saves compiling it again when the caller has it. */
export async function renderSvg(spec: TopLevelSpec, compiled: vega.Spec = compileSpec(spec)): Promise<string> {
  // Loader with no file or network access: every chart carries its data inline.
  const loader = vega.loader({ mode: 'http' });
  loader.load = () => Promise.reject(new Error('charts must carry inline data'));
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return renumberSvgIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers gradients and clip paths with process-wide counters, so the same chart would get
 * other ids in another run. Renumbering them per SVG keeps re-runs byte-identical.
 */
export function renumberSvgIds(svg: string): string {
  const renamed = new Map<string, string>();
  return svg.replace(/\b(gradient_|clip)(\d+)\b/g, (_whole, kind: string, number: string) => {
    const key = kind + number;
    let id = renamed.get(key);
    if (!id) {
      id = `${kind}${[...renamed.keys()].filter((existing) => existing.startsWith(kind)).length}`;
      renamed.set(key, id);
    }
    return id;
  });
}

let bundledFontFiles: string[] | undefined;

/** The DejaVu Sans files of the dejavu-fonts-ttf package (regular and bold). */
export function bundledFonts(): string[] {
  if (!bundledFontFiles) {
    const folder = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    bundledFontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((file) => path.join(folder, file));
  }
  return bundledFontFiles;
}

export interface PngOptions {
  /** Pixels per SVG unit (2 = crisp on high-density screens). */
  scale?: number;
  /** Font files to use instead of the bundled DejaVu set. */
  fontFiles?: string[];
}

/**
 * Parses and rasterizes on a libuv worker thread (resvg's own async entry), so the report draws the
 * next chart's SVG meanwhile; the PNG encoding (asPng, about a third of the work) stays on the
 * calling thread. Same renderer, so the same bytes as a synchronous render.
 */
export async function renderPng(svg: string, options: PngOptions = {}): Promise<Buffer> {
  const image = await renderAsync(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      fontFiles: options.fontFiles ?? bundledFonts(),
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return image.asPng();
}
