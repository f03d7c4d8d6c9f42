/** The HTML report in real headless Chromium: renders cleanly, charts have data, nothing loads or runs, hostile text stays text. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pct } from '../../src/report/format.js';
import { HTML_CSP, renderHtml } from '../../src/report/html.js';
import type { Report } from '../../src/core/report.js';
import { CANARY, hostileReport, PAYLOADS, twcsReport } from './build-report.js';
import { chromiumMissing, launchChromium } from './chromium.js';
import { colourShare, decodePng, pixelStats } from './png.js';

const missing = chromiumMissing();
if (missing) console.warn(`SKIPPED: ${missing}`);

/** Everything a page did that a self-contained, script-free report must not do. */
interface Visit {
  page: Page;
  url: string;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  dialogs: string[];
}

describe.skipIf(missing !== undefined)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: Report;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-html-'));
    const started = Date.now();
    browser = await launchChromium();
    console.info(`chromium ${browser.version()} launched in ${Date.now() - started} ms`);
    report = await twcsReport();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function visit(name: string, html: string, viewport = { width: 1280, height: 800 }): Promise<Visit> {
    const file = join(dir, name);
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const v: Visit = { page, url, consoleErrors: [], pageErrors: [], requests: [], dialogs: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') v.consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => v.pageErrors.push(e.message));
    page.on('request', (r) => v.requests.push(r.url()));
    page.on('dialog', (d) => {
      v.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    return v;
  }

  it('renders a real analysis with no console or page errors and no network request', async () => {
    const v = await visit('twcs.html', renderHtml(report));
    expect(v.consoleErrors).toEqual([]);
    expect(v.pageErrors).toEqual([]);
    expect(v.dialogs).toEqual([]);
    expect(v.requests).toEqual([v.url]);
    expect(await v.page.title()).toContain('earshot report');
    // The visible headline says what the summary says.
    const rate = await v.page.locator('[data-figure="response-rate"] .value').textContent();
    expect(rate).toBe(pct(report.summary.overall.response.rate));
    // Fits a laptop screen: no horizontal scrolling of the page itself.
    expect(await v.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await v.page.context().close();
    // A narrow window: wide tables scroll inside their own box, the page does not.
    const narrow = await visit('twcs-narrow.html', renderHtml(report), { width: 800, height: 800 });
    expect(await narrow.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
    await narrow.page.context().close();
  });

  it('draws every chart with visible data marks', async () => {
    const v = await visit('charts.html', renderHtml(report));
    const charts = await v.page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const marks = [...svg.querySelectorAll('.mark')].filter((m) => {
          const r = m.getBoundingClientRect();
          return r.width > 0.5 && r.height > 0.5;
        });
        return { id: svg.id, width: box.width, height: box.height, bars: svg.querySelectorAll('g.bar').length, visibleMarks: marks.length };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(['chart-volume', 'chart-reply-times', 'chart-off-hours-rate', 'chart-off-hours-median', 'chart-brands-rate', 'chart-brands-median']);
    for (const c of charts) {
      expect(c.visibleMarks, c.id).toBeGreaterThan(0);
      expect(c.width, c.id).toBeGreaterThan(200);
      expect(c.height, c.id).toBeGreaterThan(40);
    }
    const o = report.summary.overall;
    expect(charts[0]!.bars).toBe(o.volume.byDay.length);
    expect(charts[1]!.bars).toBe(o.response.distribution.length);
    // The tallest column is the busiest day: heights follow the data.
    const heights = await v.page.$$eval('#chart-volume g.bar', (gs) => gs.map((g) => g.getBoundingClientRect().height));
    const busiest = o.volume.byDay.reduce((best, d, i, all) => (d.count > all[best]!.count ? i : best), 0);
    expect(heights.indexOf(Math.max(...heights))).toBe(busiest);
    await v.page.context().close();
  });

  it('takes a screenshot that is not blank and shows the chart colours', async () => {
    const v = await visit('shot.html', renderHtml(report));
    const shot = decodePng(await v.page.screenshot({ fullPage: true }));
    const stats = pixelStats(shot);
    const blank = await visit('blank.html', '<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>');
    const blankStats = pixelStats(decodePng(await blank.page.screenshot({ fullPage: true })));
    console.info(`screenshot ${shot.width}×${shot.height}: ${stats.colours} colours, ${(stats.nonWhiteShare * 100).toFixed(1)}% non-white (blank page: ${blankStats.colours} colour)`);
    // The decoder sees a blank page as one colour, so the report's numbers below mean something.
    expect(blankStats.colours).toBe(1);
    expect(blankStats.nonWhiteShare).toBe(0);
    expect(shot.height).toBeGreaterThan(1500);
    expect(stats.colours).toBeGreaterThan(100);
    expect(stats.nonWhiteShare).toBeGreaterThan(0.05);
    // Negative (red) and positive (green) segments are on screen, not just in the markup.
    const chart = decodePng(await v.page.locator('#chart-volume').screenshot());
    expect(colourShare(chart, '#c8423b')).toBeGreaterThan(0.01);
    expect(colourShare(chart, '#2f8f5b')).toBeGreaterThan(0.005);
    await v.page.context().close();
    await blank.page.context().close();
  });

  it('keeps Run details collapsed at the end: the operator notes are not on screen until opened', async () => {
    const v = await visit('details.html', renderHtml(report));
    expect(await v.page.locator('#run-details summary').isVisible()).toBe(true);
    expect(await v.page.locator('#source-notes').isVisible()).toBe(false);
    expect(await v.page.evaluate('document.body.innerText.includes("HTTP 429")')).toBe(false);
    await v.page.locator('#run-details summary').click();
    expect(await v.page.locator('#source-notes').isVisible()).toBe(true);
    await v.page.context().close();
  });

  it('keeps the charts when printed', async () => {
    const v = await visit('print.html', renderHtml(report));
    await v.page.emulateMedia({ media: 'print' });
    const visible = await v.page.$$eval('svg.chart .mark', (ms) => ms.filter((m) => m.getBoundingClientRect().height > 0.5).length);
    expect(visible).toBeGreaterThan(10);
    const pdf = await v.page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    expect(v.consoleErrors).toEqual([]);
    await v.page.context().close();
  });

  describe('hostile input', () => {
    let hostile: string;
    beforeAll(async () => {
      hostile = renderHtml(await hostileReport(), { title: `</title><script>${CANARY};alert('title')</script>` });
    });

    it('the canary fires when a payload is left raw (so the checks below can fail)', async () => {
      const v = await visit('control.html', `<!DOCTYPE html><html><body><p>${PAYLOADS[0]}</p></body></html>`);
      expect(await v.page.evaluate('window.__earshotPwned')).toBe(1);
      expect(v.dialogs.length).toBe(1);
      await v.page.context().close();
    });

    it('runs nothing, opens no dialog, loads nothing and logs no CSP violation', async () => {
      const v = await visit('hostile.html', hostile);
      expect(await v.page.evaluate('window.__earshotPwned')).toBeUndefined();
      // Hovering and clicking every link cannot trigger a handler or navigate to script.
      await v.page.hover('h1');
      for (const a of await v.page.$$('a[href^="http"]')) await a.hover();
      expect(v.dialogs).toEqual([]);
      expect(v.pageErrors).toEqual([]);
      expect(v.consoleErrors).toEqual([]);
      expect(v.requests).toEqual([v.url]);
      const csp = await v.page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
      expect(csp).toBe(HTML_CSP);
      await v.page.context().close();
    });

    it('shows the payloads as text and keeps the JSON block intact', async () => {
      const v = await visit('hostile-text.html', hostile);
      const page = v.page;
      expect(await page.title()).toBe(`</title><script>${CANARY};alert('title')</script>`);
      expect(await page.locator('h1').textContent()).toContain(`Evil<script>${CANARY}</script>Brand`);
      expect(await page.$$eval('script', (s) => s.map((x) => x.type))).toEqual(['application/json']);
      expect(await page.$$eval('img, iframe, object, embed, style:not(head style), svg:not(.chart)', (els) => els.length)).toBe(0);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as unknown as { protocol: string }).protocol));
      expect(new Set(hrefs.filter((p) => p !== 'file:'))).toEqual(new Set(['https:']));
      const data = await page.$eval('#earshot-data', (s) => JSON.parse(s.textContent ?? '') as { settings: { brands: string[] } });
      expect(data.settings.brands).toEqual([`Evil<script>${CANARY}</script>Brand`, `"><img src=x onerror=${CANARY}>`]);
      // Bidi overrides and zero-width characters never reach the rendered text.
      expect(await page.evaluate('/[\\u202a-\\u202e\\u200b-\\u200f\\u2066-\\u2069]/.test(document.body.innerText)')).toBe(false);
      expect(await page.evaluate('document.body.innerText.length')).toBeGreaterThan(1000);
      await page.context().close();
    });

    it('still runs nothing with the CSP removed: escaping alone holds', async () => {
      const withoutCsp = hostile.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      expect(withoutCsp).not.toContain('Content-Security-Policy');
      const v = await visit('hostile-nocsp.html', withoutCsp);
      for (const a of await v.page.$$('a')) await a.hover();
      expect(await v.page.evaluate('window.__earshotPwned')).toBeUndefined();
      expect(v.dialogs).toEqual([]);
      expect(v.pageErrors).toEqual([]);
      expect(v.requests).toEqual([v.url]);
      await v.page.context().close();
    });
  });
});
