import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { minutesText, pct } from '../../src/report/format.js';
import { HTML_CSP, jsonForScript, renderHtml, safeHref } from '../../src/report/html.js';
import { stripControl } from '../../src/core/sanitize.js';
import { esc, escBreakable, niceTicks } from '../../src/report/html-svg.js';
import type { Report } from '../../src/core/report.js';
import { analyse, CANARY, hostileReport, twcsReport } from '../browser/build-report.js';
import { byId } from '../helpers/html.js';

function count(haystack: string, needle: string | RegExp): number {
  return typeof needle === 'string' ? haystack.split(needle).length - 1 : (haystack.match(new RegExp(needle.source, 'g')) ?? []).length;
}

function dataValues(svg: string, cls: string): number[] {
  return [...svg.matchAll(new RegExp(`<rect class="mark ${cls}"[^>]*data-value="([^"]*)"`, 'g'))].map((m) => Number(m[1]));
}

/** The text of the headline card with this key. */
function card(html: string, key: string): string {
  const m = new RegExp(`data-figure="${key}"><a[^>]*>[^<]*</a><span class="value">([^<]*)</span>`).exec(html);
  if (!m) throw new Error(`no card ${key}`);
  return m[1]!;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}

describe('renderHtml on a real analysis (TWCS sample, three brands)', () => {
  let report: Report;
  let html: string;
  beforeAll(async () => {
    report = await twcsReport();
    html = renderHtml(report);
  });

  it('is one document with every section, a strict CSP and nothing that loads or runs', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const id of ['top', 'headline', 'volume', 'reply-times', 'off-hours', 'unanswered', 'competitors', 'sources', 'notes', 'how-to-read']) expect(html).toContain(` id="${id}"`);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${esc(HTML_CSP)}">`);
    expect(HTML_CSP).toContain("default-src 'none'");
    expect(HTML_CSP).not.toMatch(/script-src|unsafe-eval/);
    // The only script element is the inert JSON data block; no src= anywhere, the only <link> is the data: favicon.
    expect(count(html, '<script')).toBe(1);
    expect(html).toContain('<script type="application/json" id="earshot-data">');
    expect(html).not.toMatch(/\ssrc=/i);
    expect([...html.matchAll(/<link [^>]*href="([^"]*)"/g)].map((m) => m[1])).toEqual(['data:,']);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain(`schemaVersion ${report.schemaVersion}`);
    expect(html).toContain(`earshot ${report.tool.version}`);
  });

  it('shows the header facts: brands, as-of time, business hours, time zone, covered and failed sources', () => {
    const head = byId(html, 'top');
    for (const b of report.summary.brands) expect(head).toContain(b.brand);
    expect(head).toContain('2026-11-23 09:00 UTC');
    expect(head).toContain(esc(report.settings.businessHours));
    expect(head).toMatch(/twitter: ok/);
    expect(head).toMatch(/<li class="bad">reddit: failed/);
    expect(byId(html, 'run-details')).toContain('E_HTTP: reddit: HTTP 429');
  });

  it('draws one volume column per day whose segments add up to that day and match the day counts', () => {
    const svg = byId(html, 'chart-volume');
    const days = report.summary.overall.volume.byDay;
    expect(days.length).toBeGreaterThan(5);
    expect(count(svg, '<g class="bar"')).toBe(days.length);
    expect(dataValues(svg, 'neg')).toEqual(days.map((d) => d.negative));
    expect(dataValues(svg, 'pos')).toEqual(days.map((d) => d.positive));
    const totals = [...svg.matchAll(/<g class="bar" data-value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(totals).toEqual(days.map((d) => d.count));
    // Brand replies and broadcasts come from the mentions; they add up to the brand's volume.
    const brandPosts = [...dataValues(svg, 'brand'), ...dataValues(svg, 'bcast')].reduce((a, b) => a + b, 0);
    expect(brandPosts).toBe(report.summary.overall.volume.fromBrand);
    expect(dataValues(svg, 'bcast').reduce((a, b) => a + b, 0)).toBe(report.summary.overall.brandActivity.broadcasts);
  });

  it('draws the reply-time distribution, the off-hours pairs and one competitor bar per brand', () => {
    const dist = report.summary.overall.response.distribution;
    const svg = byId(html, 'chart-reply-times');
    expect(count(svg, '<g class="bar"')).toBe(dist.length);
    expect([...svg.matchAll(/<g class="bar" data-value="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(dist.map((d) => d.count));
    expect(dist.reduce((a, d) => a + d.count, 0)).toBe(report.summary.overall.response.answered);
    expect(count(byId(html, 'chart-off-hours-rate'), '<g class="bar"')).toBe(2);
    expect(count(byId(html, 'chart-off-hours-median'), '<g class="bar"')).toBe(2);
    expect(count(byId(html, 'chart-brands-rate'), '<g class="bar"')).toBe(report.summary.brands.length);
    expect(count(byId(html, 'chart-brands-median'), '<g class="bar"')).toBe(report.summary.brands.length);
  });

  it('shows headline numbers equal to the summary', () => {
    const o = report.summary.overall;
    expect(card(html, 'mentions')).toBe(String(o.volume.total));
    expect(card(html, 'response-rate')).toBe(pct(o.response.rate));
    expect(card(html, 'median-reply')).toBe(minutesText(o.response.medianMinutes));
    expect(card(html, 'p90-reply')).toBe(minutesText(o.response.p90Minutes));
    expect(card(html, 'off-hours-gap')).toBe(`${pct(o.offHours.inHours.rate)} vs ${pct(o.offHours.offHours.rate)}`);
    expect(card(html, 'unanswered')).toBe(String(o.response.unanswered));
    expect(card(html, 'deflections')).toBe(String(o.response.deflections));
    expect(card(html, 'broadcasts')).toBe(`${o.brandActivity.broadcasts} vs ${o.brandActivity.replies}`);
    expect(card(html, 'broadcasts-waiting')).toBe(String(o.brandActivity.broadcastsWhileComplaintWaiting));
    expect(card(html, 'negative-share')).toBe(pct(o.sentiment.negativeShare));
    expect(html).toContain(`business hours: ${minutesText(o.response.medianBusinessMinutes)}`);
    // Sanity: the fixture exercises non-trivial values.
    expect(o.response.rate).toBeGreaterThan(0);
    expect(o.response.unanswered).toBeGreaterThan(0);
  });

  it('lists each brand with its own figures side by side', () => {
    const table = byId(html, 'competitors');
    for (const b of report.summary.brands) {
      const row = new RegExp(`<tr data-brand="${b.brand}">(.*?)</tr>`).exec(table)?.[1];
      expect(row).toBeDefined();
      const cells = [...row!.matchAll(/<td class="n">([^<]*)<\/td>/g)].map((m) => unescape(m[1]!));
      expect(cells[0]).toBe(String(b.volume.customer));
      expect(cells[1]).toBe(pct(b.shareOfVoice));
      expect(cells[4]).toBe(pct(b.response.rate));
      expect(cells[5]).toBe(pct(b.response.substantiveRate));
      expect(cells[6]).toBe(pct(b.response.cannedShare));
      expect(cells[7]).toBe(String(b.response.followUpsUnanswered));
      expect(cells[8]).toBe(`${minutesText(b.response.medianMinutes)} / ${minutesText(b.response.p90Minutes)}`);
      expect(cells[10]).toBe(`${pct(b.offHours.inHours.rate)} / ${pct(b.offHours.offHours.rate)}`);
      expect(cells[14]).toBe(String(b.response.unanswered));
      expect(cells[15]).toBe(pct(b.response.resolvedShare));
      expect(cells).toHaveLength(16);
    }
  });

  it('lists every unanswered item with a safe link, in the queue order (furthest past its deadline first)', () => {
    const q = byId(html, 'unanswered');
    const items = report.summary.overall.unanswered;
    expect(count(q, /<tr><td class="n">\d+<\/td>/)).toBe(items.length);
    for (const it of items) expect(q).toContain(`<a href="${esc(it.url!)}" rel="noopener noreferrer" target="_blank">`);
    const severities = [...q.matchAll(/<td class="n">(\d+\.\d)<\/td>/g)].map((m) => Number(m[1]));
    expect(severities).toEqual(items.map((it) => Math.round(it.severity * 10) / 10));
    const overdue = items.map((it) => it.overdueMinutes);
    expect(overdue).toEqual([...overdue].sort((a, b) => b - a));
    expect(count(byId(renderHtml(report, { top: 2 }), 'unanswered'), /<tr><td class="n">\d+<\/td>/)).toBe(2);
  });

  it('embeds the summary (not the mentions) as JSON that parses back exactly', () => {
    const block = /<script type="application\/json" id="earshot-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const data = JSON.parse(block) as Record<string, unknown>;
    expect(data.summary).toEqual(report.summary);
    expect(data.mentions).toBeUndefined();
  });

  it('is pure: the same report renders the same bytes', () => {
    expect(renderHtml(report)).toBe(html);
  });

  it('leaves out the competitors section for a single brand', () => {
    const b = report.summary.brands[0]!;
    const one = renderHtml({ ...report, summary: { overall: b, brands: [b] }, mentions: [] });
    expect(one).not.toContain('id="competitors"');
    // Without mentions brand posts cannot be split per day: three segments, still one column per day.
    const svg = byId(one, 'chart-volume');
    expect(count(svg, '<g class="bar"')).toBe(b.volume.byDay.length);
    expect(dataValues(svg, 'brand')).toEqual([]);
    expect(one).toContain('neutral, unscored and brand posts');
  });
});

describe('renderHtml on a long window', () => {
  it('draws one column per day for a year and labels at most 13 of them, with years across New Year', async () => {
    const report = await twcsReport();
    const start = Date.parse('2026-07-01T00:00:00Z');
    report.summary.overall.volume.byDay = Array.from({ length: 365 }, (_, i) => ({ date: new Date(start + i * 86_400_000).toISOString().slice(0, 10), count: 10 + (i % 7), positive: 2, negative: i % 5 }));
    report.mentions = [];
    const svg = byId(renderHtml(report), 'chart-volume');
    expect(count(svg, '<g class="bar"')).toBe(365);
    const ticks = [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!).filter((t) => /\d{4}-\d\d-\d\d/.test(t));
    expect(ticks.length).toBeGreaterThan(5);
    expect(ticks.length).toBeLessThanOrEqual(13);
    expect(ticks[0]).toBe('2026-07-01');
    expect(dataValues(svg, 'neg')).toEqual(report.summary.overall.volume.byDay.map((d) => d.negative));
  });
});

describe('renderHtml on an empty report', () => {
  it('renders every section with an explanation and no chart', async () => {
    const html = renderHtml(await analyse([]));
    expect(html).toContain('No mentions in this report');
    expect(html).toContain('No mentions to chart.');
    expect(html).toContain('No answered mentions');
    expect(html).toContain('Nothing needed a reply');
    expect(html).not.toContain('<svg');
    expect(card(html, 'response-rate')).toBe('—');
    expect(html).toContain('<h1>all mentions</h1>');
  });
});

describe('renderHtml on hostile input', () => {
  let html: string;
  beforeAll(async () => {
    html = renderHtml(await hostileReport(), { title: '</title><script>alert(1)</script>' });
  });

  it('emits no element, attribute or handler from user text', () => {
    expect(count(html, /<script/i)).toBe(1);
    expect(html).not.toMatch(/<img|<svg onload|<style>body|<iframe|<a href="javascript/i);
    // No event-handler attribute in any tag (quoted attribute values are data, so they are blanked first).
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(100);
    for (const tag of tags) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+\s*=|\ssrc\s*=/i);
    // The payload's tag survives only as text inside an attribute value, escaped.
    expect(html).toContain('data-brand="&quot;&gt;&lt;img src=x onerror=');
    expect(html).toContain('&lt;script&gt;window.__earshotPwned=1');
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
  });

  it('links only http(s) URLs, escaped, and never javascript:, data: or vbscript:', () => {
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => unescape(m[1]!));
    expect(hrefs.length).toBeGreaterThan(10);
    for (const h of hrefs) expect(h).toMatch(/^(https?:\/\/|#|data:,$)/);
    expect(hrefs.filter((h) => h.startsWith('http')).length).toBeGreaterThan(0);
    expect(html).toContain('(link not shown: not a web address)');
  });

  it('strips bidi, zero-width and control characters and keeps the JSON block closed', () => {
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/);
    const block = /<script type="application\/json" id="earshot-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toMatch(/[<>]/);
    const data = JSON.parse(block) as { settings: { brands: string[] } };
    expect(data.settings.brands[0]).toBe(`Evil<script>${CANARY}</script>Brand`);
  });
});

describe('html helpers', () => {
  it('safeHref accepts http(s) only, normalised', () => {
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' \u0001javascript:alert(1)', 'java\u0000script:alert(1)', 'data:text/html,<b>', 'vbscript:x', '//evil.example/x', '/relative', 'https://', 'mailto:a@b.c', undefined]) {
      expect(safeHref(bad), String(bad)).toBeUndefined();
    }
    expect(safeHref('https://example.com/a b?q="x"')).toBe('https://example.com/a%20b?q=%22x%22');
    expect(safeHref('HTTP://Example.com')).toBe('http://example.com/');
    expect(safeHref('\u202ehttps://example.com/\u200bx')).toBe('https://example.com/x');
  });

  it('esc leaves no markup-significant or control character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = esc(s);
        expect(out).not.toMatch(/[<>"'`\u0000-\u0008\u000b-\u001f\u202a-\u202e]/);
        expect(unescape(out).length).toBeLessThanOrEqual(s.length);
      }),
    );
  });

  it('jsonForScript round-trips any value and never contains <, >, & or line separators (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
        const value = { v, s };
        const out = jsonForScript(value);
        expect(out).not.toMatch(/[<>&\u2028\u2029\u202e]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('escBreakable adds break points only inside long runs and never inside an entity (property)', () => {
    expect(escBreakable('short words stay whole')).toBe('short words stay whole');
    expect(escBreakable(`${'a'.repeat(20)}<"&>${'b'.repeat(10)}`)).toBe(`${'a'.repeat(16)}<wbr>aaaa&lt;&quot;&amp;&gt;${'b'.repeat(8)}<wbr>bb`);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const out = escBreakable(s);
        expect(out.replace(/<wbr>/g, '')).not.toMatch(/[<>"'`]/);
        expect(out).not.toMatch(/&[a-z0-9#]*<wbr>/);
        expect(unescape(out.replace(/<wbr>/g, ''))).toBe(stripControl(s));
      }),
    );
  });

  it('niceTicks steps by 1, 2 or 5 times a power of ten and ends at the first step at or above the maximum', () => {
    expect([0, 1, 3, 7, 10, 11, 27, 47, 230].map((m) => niceTicks(m).at(-1))).toEqual([1, 1, 3, 8, 10, 15, 30, 50, 250]);
    expect(niceTicks(27)).toEqual([0, 10, 20, 30]);
    for (const m of [1, 5, 9, 27, 99, 1234]) {
      const ticks = niceTicks(m);
      expect(ticks.length).toBeLessThanOrEqual(6);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(m);
      expect(ticks.at(-1)! - m).toBeLessThan(ticks[1]!);
    }
  });
});
