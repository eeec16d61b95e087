// The dashboard in a real browser (Debian's chromium through playwright-core), built as the workflow
// builds it (before the manifest exists), opened from disk and served over http: no console errors
// and no request leaves the run folder; each filter changes the marks the affected charts draw
// (counted in the live Vega views), by the figures the fixture script computed with pandas; no
// horizontal overflow at 1400, 800 and 390 px; tooltips; a print layout; the header reads the run's
// status from manifest.json when served and says why it cannot when opened from disk. Screenshots
// and a printed PDF are saved under test-artifacts/dashboard/ (git-ignored) for a person to look at.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildReport } from '../../../lambdas/steps/build-report';
import { runLocalWorkflow } from '../../../lib/local/local-runner';
import { generateEngagementData } from '../../../lib/synthetic/synthetic-files';
import { FIXTURE, fixtureStore } from './fixture-run';
import { describeRequiring, executable } from '../../support/requirements';
import { serveFolder } from '../../support/static-server';

// What the callbacks given to page.evaluate use of the page (the project compiles without the DOM library).
declare const window: Record<string, unknown>;
declare const document: { body: { getAttribute(name: string): string | null }; documentElement: { scrollWidth: number; clientWidth: number } };
declare function getComputedStyle(node: unknown): { breakInside: string };

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/dashboard');
const statistics = JSON.parse(FIXTURE.files['engagement/statistics.json']!) as { periods: { baseline: string; comparison: string } };
const manifest = JSON.parse(FIXTURE.files['manifest.json']!) as { status: string; started_at: string; finished_at: string };
const { baseline, comparison } = statistics.periods;
const SEGMENTS = Object.keys(FIXTURE.expected.segment_sizes).sort();

interface DrawnMark {
  marktype: string;
  name: string | null;
  data: Record<string, unknown>[];
}

/** Every mark the chart's live Vega view draws, with the data of its items, read from its scenegraph. */
async function marksOf(page: Page, chart: string): Promise<DrawnMark[]> {
  return page.evaluate((name) => {
    const views = window.dashboardViews as Record<string, { view: { scenegraph(): { root: unknown } } }>;
    const found: { marktype: string; name: string | null; data: Record<string, unknown>[] }[] = [];
    const visit = (node: { marktype?: string; role?: string; name?: string; items?: unknown[] } | undefined): void => {
      if (!node || !node.items) return;
      if (node.marktype && node.marktype !== 'group' && node.role === 'mark') {
        found.push({ marktype: node.marktype, name: node.name ?? null, data: node.items.map((item) => ({ ...((item as { datum?: object }).datum ?? {}) })) });
        return;
      }
      for (const item of node.items) {
        const group = item as { items?: unknown[] };
        if (node.marktype === 'group') group.items?.forEach((child) => visit(child as never));
        else visit(item as never);
      }
    };
    visit(views[name]!.view.scenegraph().root as never);
    return found;
  }, chart);
}

async function items(page: Page, chart: string, marktype: string): Promise<Record<string, unknown>[]> {
  return (await marksOf(page, chart)).filter((mark) => mark.marktype === marktype).flatMap((mark) => mark.data);
}

async function choose(page: Page, filter: 'period' | 'plan' | 'segment', value: string): Promise<void> {
  await page.selectOption(`#filter-${filter}`, value);
  // The script marks the body once every view has run with the new filter state.
  await page.waitForFunction(([key, wanted]) => JSON.parse(document.body.getAttribute('data-drawn') ?? '{}')[key] === wanted, [filter, value] as const);
}

describeRequiring([executable(CHROMIUM, 'apt-get install -y chromium fonts-dejavu-core')], 'dashboard in chromium', () => {
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
  let runDir: string;
  let fileUrl: string;
  let server: Awaited<ReturnType<typeof serveFolder>>;
  const problems: string[] = [];

  beforeAll(async () => {
    const { store, runId, dir } = await fixtureStore();
    // As the workflow does: facts from the state payload, so nothing of the manifest is baked in.
    await buildReport(store, runId, { periods: statistics.periods, studies: { engagement: { run: true }, mooc: { run: true } } });
    runDir = path.join(dir, runId);
    fileUrl = pathToFileURL(path.join(runDir, 'report', 'index.html')).href;
    server = await serveFolder(runDir);
    mkdirSync(ARTIFACTS, { recursive: true });
    const profile = mkdtempSync(path.join(os.tmpdir(), 'dashboard-browser-'));
    context = await chromium.launchPersistentContext(path.join(profile, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1400, height: 900 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  async function open(url: string, width = 1400): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${url}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${url}: ${String(error)}`));
    page.on('request', (request) => {
      // Offline: the page may only load files of the run folder (links are not followed here).
      const requested = request.url();
      const inRun = requested.startsWith(server.url) || (requested.startsWith('file:') && fileURLToPath(requested).startsWith(runDir));
      if (!inRun && !requested.startsWith('data:')) problems.push(`request outside the run folder: ${requested}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(() => window.dashboardReady as Promise<void>);
    return page;
  }

  it('draws every chart as a live view with marks, without console errors', async () => {
    const page = await open(fileUrl);
    const charts = page.locator('figure.chart');
    expect(await charts.count()).toBe(15);
    for (let i = 0; i < 15; i++) {
      const box = await charts.nth(i).locator('.view svg').first().boundingBox();
      expect(box, `chart ${i}`).not.toBeNull();
      expect(box!.width).toBeGreaterThan(50);
      expect(box!.height).toBeGreaterThan(50);
    }
    const names = await charts.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-chart')!));
    for (const name of names) expect((await marksOf(page, name)).some((mark) => mark.data.length > 0), name).toBe(true);
    expect(problems).toEqual([]);
  });

  it('no two tick labels an axis shows touch, measured with the fonts the browser draws them in', async () => {
    // Generated data whose histograms' log-scale bin labels (251, 398) ran together, and the fixture's.
    const generated = mkdtempSync(path.join(os.tmpdir(), 'dashboard-labels-'));
    try {
      await generateEngagementData({ outDir: path.join(generated, 'input'), students: 2000, seed: 7 });
      const run = await runLocalWorkflow({ inputDir: path.join(generated, 'input'), outDir: path.join(generated, 'out'), runId: 'labels', retryWaitMs: 1 });
      expect(run.status).toBe('succeeded');
      expect(await touchingLabels(await open(fileUrl))).toEqual([]);
      // Not through open(): its checks keep requests inside the fixture's run folder.
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(run.runDir, 'report', 'index.html')).href, { waitUntil: 'load' });
      await page.evaluate(() => window.dashboardReady as Promise<void>);
      expect(await touchingLabels(page)).toEqual([]);
    } finally {
      rmSync(generated, { recursive: true, force: true });
    }
  }, 120_000);

  async function touchingLabels(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const views = window.dashboardViews as Record<string, { view: { scenegraph(): { root: unknown } } }>;
      type Item = { text?: string; opacity?: number; angle?: number; bounds: { x1: number; x2: number; y1: number; y2: number }; items?: unknown[] };
      const found: string[] = [];
      const visit = (node: { marktype?: string; role?: string; items?: Item[] } | undefined, chart: string): void => {
        if (!node?.items) return;
        if (node.marktype === 'text' && node.role === 'axis-label') {
          const shown = node.items.filter((item) => item.opacity !== 0 && item.text !== '' && !item.angle);
          for (let a = 0; a < shown.length; a++) {
            for (let b = a + 1; b < shown.length; b++) {
              const [p, q] = [shown[a]!.bounds, shown[b]!.bounds];
              const gap = Math.max(q.x1 - p.x2, p.x1 - q.x2, q.y1 - p.y2, p.y1 - q.y2);
              if (gap < 2) found.push(`${chart}: "${shown[a]!.text}" and "${shown[b]!.text}" ${gap.toFixed(1)} px apart`);
            }
          }
          return;
        }
        for (const item of node.items) visit(item as never, chart);
      };
      for (const [name, entry] of Object.entries(views)) visit(entry.view.scenegraph().root as never, name);
      return found;
    });
  }

  it('period and plan filters redraw the means and box plots with the chosen cohorts only', async () => {
    const page = await open(fileUrl);
    const removed = FIXTURE.expected.removed_per_cohort;
    const cohortsOf = (data: Record<string, unknown>[]) => [...new Set(data.map((datum) => datum.cohort as string))].sort();
    const scatterBefore = (await items(page, 'engagement_minutes_vs_certificates', 'symbol')).length;

    expect(cohortsOf(await items(page, 'engagement_means_ci', 'rect'))).toEqual([...FIXTURE.expected.cohort_order].sort());
    expect(await items(page, 'engagement_minutes_boxplot', 'rule')).toHaveLength(8);
    expect(await items(page, 'engagement_minutes_boxplot', 'symbol')).toHaveLength(Object.values(removed).reduce((a, b) => a + b, 0));

    await choose(page, 'period', baseline);
    expect(cohortsOf(await items(page, 'engagement_means_ci', 'rect'))).toEqual([`${baseline} free`, `${baseline} paid`]);
    expect(await items(page, 'engagement_minutes_boxplot', 'rule')).toHaveLength(4);
    expect(await items(page, 'engagement_minutes_boxplot', 'symbol')).toHaveLength(removed[`${baseline} free`]! + removed[`${baseline} paid`]!);

    await choose(page, 'plan', 'paid');
    const means = await items(page, 'engagement_means_ci', 'rect');
    expect(cohortsOf(means)).toEqual([`${baseline} paid`]);
    expect(await items(page, 'engagement_minutes_boxplot', 'rule')).toHaveLength(2);
    const dots = await items(page, 'engagement_minutes_boxplot', 'symbol');
    expect(dots).toHaveLength(removed[`${baseline} paid`]!);
    expect(new Set(dots.map((datum) => datum.cohort))).toEqual(new Set([`${baseline} paid`]));
    // Of the four per-cohort histograms only the chosen cohort's stays; untagged charts stay too.
    expect(await page.locator('figure.chart[data-period]:visible').count()).toBe(1);
    expect(await page.locator(`figure.chart[data-period="${baseline}"][data-plan="paid"]`).isVisible()).toBe(true);
    expect(await page.locator('#shown-charts').textContent()).toBe('12');
    expect(await page.locator('tr[data-plan="free"]:visible').count()).toBe(0);
    // Charts whose data has no period or plan are not changed.
    expect(await items(page, 'engagement_minutes_vs_certificates', 'symbol')).toHaveLength(scatterBefore);

    await choose(page, 'period', comparison);
    expect(cohortsOf(await items(page, 'engagement_means_ci', 'rect'))).toEqual([`${comparison} paid`]);
    await choose(page, 'plan', 'all');
    await choose(page, 'period', 'all');
    expect(await items(page, 'engagement_means_ci', 'rect')).toHaveLength(4);
    await page.screenshot({ path: path.join(ARTIFACTS, 'filters-all.png'), fullPage: true });
    // Every chart had data for every choice above: none said otherwise.
    expect(await page.locator('.empty-note:visible').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('back from a result file, the charts and tables follow the filters the browser restored', async () => {
    const page = await open(fileUrl);
    await choose(page, 'plan', 'paid');
    await page.locator('a[href="../engagement/statistics.json"]').first().click();
    await page.waitForURL(/statistics\.json$/);
    await page.goBack({ waitUntil: 'load' });
    await page.evaluate(() => window.dashboardReady as Promise<void>);
    const plan = await page.locator('#filter-plan').inputValue();
    await page.waitForFunction((wanted) => JSON.parse(document.body.getAttribute('data-drawn') ?? '{}').plan === wanted, plan);
    const cohorts = [...new Set((await items(page, 'engagement_means_ci', 'rect')).map((datum) => datum.cohort as string))];
    expect(cohorts.every((cohort) => plan === 'all' || cohort.endsWith(` ${plan}`))).toBe(true);
    expect(await page.locator('tr[data-plan="free"]:visible').count()).toBe(plan === 'paid' ? 0 : await page.locator('tr[data-plan="free"]').count());
    expect(problems).toEqual([]);
  });

  it('a chart the filters leave without data says so instead of showing empty axes', async () => {
    // A run whose comparison period had no students: its cohorts are not in statistics.json.
    const { store, runId, dir } = await fixtureStore({
      edit: (files) => {
        const stats = JSON.parse(files['engagement/statistics.json']!);
        for (const key of Object.keys(stats.cohorts)) if (key.startsWith(comparison)) delete stats.cohorts[key];
        files['engagement/statistics.json'] = JSON.stringify(stats);
      },
    });
    await buildReport(store, runId, { periods: statistics.periods, studies: { engagement: { run: true }, mooc: { run: true } } });
    // Its own page: `open` watches for requests outside the shared fixture's run folder.
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(pathToFileURL(path.join(dir, runId, 'report', 'index.html')).href, { waitUntil: 'load' });
    await page.evaluate(() => window.dashboardReady as Promise<void>);
    const note = page.locator('#chart-engagement_means_ci .empty-note');
    await choose(page, 'period', comparison);
    expect(await note.textContent()).toBe(`No data for period ${comparison} in this chart.`);
    expect(await note.isVisible()).toBe(true);
    await choose(page, 'period', baseline);
    expect(await note.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the segment filter redraws the segment profiles and the drop-off curve with that segment only', async () => {
    const page = await open(fileUrl);
    const curve = async () => (await items(page, 'mooc_dropoff_curve', 'line')).map((datum) => [datum.threshold, datum.share]);
    const expectedCurve = (points: { threshold: number; share: number }[]) => points.map((point) => [point.threshold, expect.closeTo(point.share, 12)]);

    const allCells = await items(page, 'mooc_segment_profiles', 'rect');
    expect(new Set(allCells.map((datum) => datum.segment))).toEqual(new Set(SEGMENTS));
    const featuresPerSegment = allCells.length / SEGMENTS.length;
    expect(await curve()).toEqual(expectedCurve(FIXTURE.expected.survival));
    for (const segment of SEGMENTS) {
      await choose(page, 'segment', segment);
      const cells = await items(page, 'mooc_segment_profiles', 'rect');
      expect(cells.map((datum) => datum.segment)).toEqual(Array(featuresPerSegment).fill(segment));
      const checked = cells.filter((cell) => FIXTURE.expected.segment_means[segment]![cell.feature as string] !== undefined);
      expect(checked.length).toBeGreaterThanOrEqual(3);
      for (const cell of checked) expect(cell.value as number).toBeCloseTo(FIXTURE.expected.segment_means[segment]![cell.feature as string]!, 9);
      expect(await curve()).toEqual(expectedCurve(FIXTURE.expected.segment_survival[segment]!));
      expect(await page.locator('tr[data-segment]:visible').count()).toBe(1);
    }
    expect(problems).toEqual([]);
  });

  it('fits 1400, 1280, 800 and 390 px without horizontal overflow: two columns of charts on a wide screen, one on a phone', async () => {
    for (const width of [1400, 1280, 800, 390]) {
      const page = await open(fileUrl, width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
      // Tables scroll inside their box: none reaches past the page.
      const widest = await page.locator('.table-scroll').evaluateAll((boxes) => Math.max(...boxes.map((box) => box.getBoundingClientRect().right)));
      expect(widest, `${width} px`).toBeLessThanOrEqual(width);
      const columns = await page.locator('#engagement-charts figure.chart').evaluateAll((figures) => new Set(figures.map((figure) => Math.round(figure.getBoundingClientRect().left))).size);
      if (width >= 1280) expect(columns, `${width} px`).toBeGreaterThanOrEqual(2);
      // Each chart fits its card: no drawing reaches past the figure that holds it.
      const pastCard = await page.locator('figure.chart').evaluateAll((figures) =>
        figures.filter((figure) => (figure.querySelector('.view svg')?.getBoundingClientRect().right ?? 0) > figure.getBoundingClientRect().right + 1).map((figure) => figure.id),
      );
      expect(pastCard, `${width} px`).toEqual([]);
      if (width === 390) expect(columns).toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${width}.png`), fullPage: true });
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it('shows a tooltip with the figures of the mark under the pointer', async () => {
    const page = await open(fileUrl);
    const bar = page.locator('#chart-engagement_means_ci g.mark-rect path').first();
    await bar.scrollIntoViewIfNeeded();
    await bar.hover();
    const tooltip = page.locator('#tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    const text = await tooltip.textContent();
    expect(text).toContain('mean');
    expect(text).toMatch(new RegExp(`${baseline} free`));
    await page.screenshot({ path: path.join(ARTIFACTS, 'tooltip.png') });
    expect(problems).toEqual([]);
  });

  it('says on the first screen which rows of which file were quarantined and why, with a working link', async () => {
    const page = await open(fileUrl, 1400);
    const alert = page.locator('#findings');
    const box = await alert.boundingBox();
    expect(box!.y).toBeLessThan(900);
    const first = await alert.locator('li').first().textContent();
    expect(first).toContain('2 input rows were quarantined');
    expect(first).toContain('student_purchases.csv: 2 of 250 rows');
    expect(first).toContain('refund before purchase (2)');
    const href = await alert.locator('a[href$="student_purchases.csv"]').first().getAttribute('href');
    expect(existsSync(path.join(runDir, 'report', href!))).toBe(true);
    // The data-quality section is a table with one row per input file.
    expect(await page.locator('#data-quality table tbody tr').count()).toBe(2);
    expect(await page.locator('#data-quality table tr.quarantined td').allTextContents()).toEqual(expect.arrayContaining(['student_purchases.csv', '250', '248', '2']));
    expect(problems).toEqual([]);
  });

  it('header: served over http it shows the status and times from manifest.json; from disk it says why not', async () => {
    const served = await open(`${server.url}/report/index.html`);
    await expect.poll(() => served.locator('#run-status').textContent()).toContain(manifest.status);
    const status = await served.locator('#run-status').textContent();
    expect(status).toContain(manifest.started_at);
    expect(status).toContain(manifest.finished_at);
    const facts = await served.locator('header .run-facts').textContent();
    expect(facts).toContain(`baseline ${baseline} vs comparison ${comparison}`);
    expect(facts).toContain('student_purchases.csv 250 (2 quarantined)');

    const fromDisk = await open(fileUrl);
    const diskStatus = await fromDisk.locator('#run-status').textContent();
    expect(diskStatus).toContain('opened from disk');
    expect(diskStatus).not.toContain(manifest.started_at);
    expect(await fromDisk.locator('#run-status a').getAttribute('href')).toBe('../manifest.json');
    // The page itself holds no time of the run: a repeated run gives the same bytes.
    const html = readFileSync(path.join(runDir, 'report', 'index.html'), 'utf8');
    expect(html).not.toContain(manifest.started_at);
    expect(problems).toEqual([]);
  });

  it('header: served before manifest.json exists (the run still going), it says the status is not written yet', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'dashboard-no-manifest-'));
    cpSync(runDir, copy, { recursive: true });
    rmSync(path.join(copy, 'manifest.json'));
    const early = await serveFolder(copy);
    try {
      const page = await context.newPage();
      await page.goto(`${early.url}/report/index.html`, { waitUntil: 'load' });
      await expect.poll(() => page.locator('#run-status').textContent()).toBe('Status, start and end times: manifest.json could not be read (not written yet: the run is still going, or it failed before publishing)');
      expect(await page.locator('#run-status a').getAttribute('href')).toBe('../manifest.json');
      await page.close();
    } finally {
      await early.close();
    }
  });

  it('prints the findings and every chart, without the filters, tooltips or file list', async () => {
    const page = await open(fileUrl);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#findings').isVisible()).toBe(true);
    expect(await page.locator('figure.chart:visible').count()).toBe(15);
    expect(await page.locator('#files').isVisible()).toBe(false);
    expect(await page.locator('figure.chart .downloads').first().isVisible()).toBe(false);
    const breakInside = await page.locator('figure.chart').first().evaluate((node) => getComputedStyle(node).breakInside);
    expect(breakInside).toBe('avoid');
    // On an A4 page's width (about 720 CSS px inside its margins) every table fits: printing has no scroll bar.
    await page.setViewportSize({ width: 720, height: 1000 });
    const overflowing = await page.evaluate(() => {
      const width = (document as unknown as { documentElement: { clientWidth: number } }).documentElement.clientWidth;
      const tables = (document as unknown as { querySelectorAll(selector: string): ArrayLike<{ id: string; closest(selector: string): { id: string } | null; getBoundingClientRect(): { right: number } }> }).querySelectorAll('table');
      return Array.from(tables)
        .filter((table) => table.getBoundingClientRect().right > width + 1)
        .map((table) => `${table.closest('section')?.id ?? '?'}: right edge ${Math.round(table.getBoundingClientRect().right)} px of ${width}`);
    });
    expect(overflowing).toEqual([]);
    await page.pdf({ path: path.join(ARTIFACTS, 'dashboard-print.pdf'), format: 'A4', printBackground: false });
    expect(problems).toEqual([]);
  });
});
