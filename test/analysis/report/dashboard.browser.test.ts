// The dashboard in a real browser (Debian's chromium through playwright-core), opened from disk:
// no console errors, every chart drawn with a nonzero box, filters hide and show charts.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildReport } from '../../../lambdas/analysis/report/dashboard';
import { FIXTURE, fixtureStore } from './fixture-run';
import { describeRequiring, executable } from '../../support/requirements';

const CHROMIUM = '/usr/bin/chromium';

describeRequiring([executable(CHROMIUM, 'apt-get install -y chromium fonts-dejavu-core')], 'dashboard in chromium', () => {
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
  let indexUrl: string;
  let tempDir: string;

  beforeAll(async () => {
    const { store, runId, dir } = await fixtureStore();
    await buildReport(store, runId);
    indexUrl = pathToFileURL(path.join(dir, runId, 'report', 'index.html')).href;
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-browser-'));
    context = await chromium.launchPersistentContext(path.join(tempDir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('loads without console errors, draws every chart and filters by period and plan', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
    await page.goto(indexUrl, { waitUntil: 'load' });

    const charts = page.locator('figure.chart');
    const total = await charts.count();
    expect(total).toBe(15);
    for (let i = 0; i < total; i++) {
      const box = await charts.nth(i).locator('svg').first().boundingBox();
      expect(box, `chart ${i}`).not.toBeNull();
      expect(box!.width).toBeGreaterThan(50);
      expect(box!.height).toBeGreaterThan(50);
    }

    const { baseline } = JSON.parse(FIXTURE.files['engagement/statistics.json']!).periods as { baseline: string };
    await page.selectOption('#filter-period', baseline);
    await page.selectOption('#filter-plan', 'paid');
    // Of the four per-cohort histograms only the baseline paid one stays; untagged charts stay too.
    await expect.poll(() => page.locator('figure.chart[data-period]:visible').count()).toBe(1);
    expect(await page.locator(`figure.chart[data-period="${baseline}"][data-plan="paid"]`).isVisible()).toBe(true);
    expect(await page.locator('#shown-charts').textContent()).toBe(String(total - 3));
    expect(await page.locator('tr[data-plan="free"]:visible').count()).toBe(0);

    await page.selectOption('#filter-segment', { index: 1 });
    expect(await page.locator('tr[data-segment]:visible').count()).toBe(1);

    await page.screenshot({ path: path.join(tempDir, 'dashboard.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
