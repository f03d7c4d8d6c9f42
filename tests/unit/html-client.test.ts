/**
 * The HTML report is handed to a client: operator details live only in the collapsed Run details at the end, and
 * the page never contradicts itself or the terminal table (issue 14, items 11 and 12).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/core/mention.js';
import type { Report } from '../../src/core/report.js';
import { pct } from '../../src/report/format.js';
import { renderHtml } from '../../src/report/html.js';
import { plainStyle } from '../../src/report/style.js';
import { renderTable } from '../../src/report/table.js';
import { analyse, twcsReport } from '../browser/build-report.js';
import { manyBrandsReport } from '../helpers/many-brands.js';
import { byId } from '../helpers/html.js';

/** The page a client reads: <main> up to the collapsed Run details. */
function clientPart(html: string): string {
  const main = html.slice(html.indexOf('<main>'), html.indexOf('</main>'));
  const details = main.indexOf('<details id="run-details"');
  return details < 0 ? main : main.slice(0, details) + main.slice(main.indexOf('</details>', details) + '</details>'.length);
}

/** Visible text of some markup (tags dropped, entities of the few kinds esc() writes decoded). */
function textOf(markup: string): string {
  return markup.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

const DAY = (d: number, h: number, m = 0): string => new Date(Date.UTC(2026, 10, d, h, m)).toISOString();

/** An audit of one brand: 27 mentions on its busiest day, answered and not, with follower counts and odd links. */
function auditMentions(): Mention[] {
  const out: Mention[] = [];
  for (let i = 0; i < 27; i += 1) {
    const id = `x:${i}`;
    out.push({
      id,
      source: 'mastodon',
      kind: 'post',
      brand: 'Acme Cloud',
      author: { handle: `user${i}` },
      fromBrand: false,
      text: i % 3 === 0 ? 'Acme Cloud is down again, awful service, nobody answers' : i % 3 === 1 ? 'How do I move my Acme Cloud database to another region?' : 'Ceci est un message en français sur Acme Cloud et son service',
      createdAt: DAY(20, 9, i),
      engagement: { followers: 10 + i * 40 },
      ...(i === 1 ? {} : i === 3 ? { url: 'javascript:alert(1)' } : { url: `https://mastodon.example/@user${i}/${i}` }),
    });
    if (i % 2 === 0) out.push({ id: `x:r${i}`, source: 'mastodon', kind: 'comment', parentId: id, brand: 'Acme Cloud', author: { handle: 'acmecloud' }, fromBrand: true, text: 'Sorry about that, we are on it.', createdAt: DAY(20, 11, i), engagement: {}, url: `https://mastodon.example/@acmecloud/r${i}` });
  }
  out.push({ id: 'x:late', source: 'mastodon', kind: 'post', brand: 'Acme Cloud', author: { handle: 'late' }, fromBrand: false, text: 'Acme Cloud billing page is broken', createdAt: DAY(21, 15), engagement: {}, url: 'https://mastodon.example/@late/1' });
  return out;
}

/** The audit's report as `earshot audit` assembles it: a window, coverage with notes, a breach in flag terms. */
async function auditReport(): Promise<Report> {
  const report = await analyse(auditMentions(), {
    brands: ['Acme Cloud'],
    coverage: [
      { source: 'mastodon', status: 'ok', mentions: 61, warnings: ['full-text search is unavailable: 127.0.0.1:33313 searches statuses only for logged-in users; set MASTODON_TOKEN to an access token for 127.0.0.1:33313 to enable it.'] },
      { source: 'github', status: 'ok', mentions: 0, warnings: ['GITHUB_TOKEN is not set, so search is limited to 10 requests/min; set GITHUB_TOKEN to raise the limits.'] },
    ],
    warnings: ['mastodon: full-text search is unavailable: 127.0.0.1:33313 searches statuses only for logged-in users; set MASTODON_TOKEN to an access token.', 'github: GITHUB_TOKEN is not set.'],
  });
  report.settings.since = '2026-11-09T00:00:00.000Z';
  report.settings.queries = { 'Acme Cloud': '"acme cloud" -anvil' };
  report.breaches = ['Acme Cloud: response rate 48.1% is under the threshold of 90% (--fail-under-response-rate or thresholds.responseRate; 13 of 27 answered).'];
  return report;
}

describe('the client-facing HTML report', () => {
  let report: Report;
  let html: string;
  let client: string;
  beforeAll(async () => {
    report = await auditReport();
    html = renderHtml(report);
    client = clientPart(html);
  });

  it('shows no environment-variable name outside Run details', () => {
    expect(html).toContain('MASTODON_TOKEN');
    expect(client).not.toMatch(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
  });

  it('shows no local address or port outside Run details', () => {
    expect(byId(html, 'run-details')).toContain('127.0.0.1:33313');
    expect(client).not.toMatch(/127\.0\.0\.1|localhost:\d/);
  });

  it('says a breach without flag or config syntax, keeping the sentence whole in Run details', () => {
    expect(byId(html, 'alerts')).toContain('Threshold breached: Acme Cloud: response rate 48.1% is under the threshold of 90% (13 of 27 answered).');
    expect(client).not.toMatch(/--fail|thresholds\./);
    expect(byId(html, 'run-details').replace(/<wbr>/g, '')).toContain('(--fail-under-response-rate or thresholds.responseRate; 13 of 27 answered)');
  });

  it('shows neither schemaVersion nor the repository URL outside Run details, which is collapsed and last', () => {
    expect(client).not.toContain('schemaVersion');
    expect(client).not.toMatch(/https:\/\/github\.com\/earshot/);
    const details = byId(html, 'run-details');
    expect(details).toMatch(/^<details id="run-details">\n<summary>/);
    expect(details).not.toMatch(/<details[^>]* open/);
    expect(details).toContain('schemaVersion 1');
    expect(details).toContain('https://github.com/earshot-cli/earshot');
    // Nothing but the footer after it.
    expect(html.slice(html.indexOf('</details>'), html.indexOf('</main>'))).not.toMatch(/<section/);
  });

  it('notes under "Unanswered" a count it is part of, not the classes needing a reply that add up to more', () => {
    const o = report.summary.brands[0]!;
    const note = /data-figure="unanswered">.*?<span class="note">([^<]*)<\/span>/.exec(html)![1]!;
    expect(note).toBe(`of ${o.response.needingReply} needing a reply`);
    expect(o.response.unanswered).toBeLessThanOrEqual(o.response.needingReply);
    const { outage, churn, complaint, purchase, question } = o.intents;
    expect(outage + churn + complaint + purchase + question).toBeGreaterThanOrEqual(o.response.needingReply);
  });

  it('says the Sources table counts what was fetched and shows beside it what the window kept, matching "By source"', () => {
    const sources = byId(html, 'sources');
    expect(sources).toContain('<th class="n">Fetched</th><th class="n">In window</th>');
    expect(sources).toMatch(/Fetched: what each source returned, before duplicates, the query filter and the time window/);
    const bySource = report.summary.brands[0]!.volume.bySource.find((s) => s.source === 'mastodon')!;
    expect(sources).toContain(`<td>mastodon</td><td class="ok">ok</td><td class="n">61</td><td class="n">${bySource.count}</td>`);
    expect(bySource.count).not.toBe(61);
  });

  it('gives the same window as the terminal table, with and without --since', async () => {
    const windowRow = (h: string): string => /<dt>Window<\/dt><dd>([^<]*)<\/dd>/.exec(h)![1]!;
    const tableWindow = (r: Report): string => renderTable(r, { style: plainStyle }).split('\n').find((l) => l.startsWith('Window: '))!.slice('Window: '.length);
    expect(windowRow(html)).toBe(tableWindow(report));
    expect(windowRow(html)).toBe('2026-11-09 00:00 → 2026-11-23 09:00 UTC');
    const plain = await twcsReport();
    expect(windowRow(renderHtml(plain))).toBe(tableWindow(plain));
  });

  it('runs the volume chart\'s y axis to a round number just above the busiest day (41 → 50 in steps of 10; 27 → 30, not 50)', () => {
    const max = Math.max(...report.summary.overall.volume.byDay.map((d) => d.count));
    expect(max).toBe(27 + 14);
    const axis = (svg: string): number[] => [...svg.matchAll(/<text class="tick"[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => Number(m[1]));
    const ticks = axis(byId(html, 'chart-volume'));
    expect(ticks.at(-1)).toBe(50);
    expect(ticks).toEqual([0, 10, 20, 30, 40, 50]);
    const customersOnly = structuredClone(report);
    customersOnly.summary.overall.volume.byDay = [{ date: '2026-11-20', count: 27, positive: 3, negative: 9 }, { date: '2026-11-21', count: 1, positive: 0, negative: 0 }];
    customersOnly.mentions = [];
    expect(axis(byId(renderHtml(customersOnly), 'chart-volume'))).toEqual([0, 10, 20, 30]);
  });

  it('heads the reach section without "target" when no reply target was set', () => {
    expect(report.summary.overall.response.withinTarget).toBeUndefined();
    const reach = byId(html, 'reach');
    expect(reach).toContain('<h2>Replies by author reach</h2>');
    expect(reach).not.toMatch(/target/i);
    const withTarget = structuredClone(report);
    withTarget.summary.brands[0]!.response.withinTarget = { targetMinutes: 60, calendarShare: 0.5, businessShare: 0.6 };
    expect(byId(renderHtml(withTarget), 'reach')).toContain('<h2>Reply target and reach</h2>');
  });

  it('says why an unanswered item has no link: none given, or not a web address', () => {
    const q = byId(html, 'unanswered');
    expect(q).toContain('(no link: the source gave none)');
    expect(q).toContain('(link not shown: not a web address)');
    expect(q).not.toContain('(no safe link)');
  });

  it('gives sentiment as shares only, unscored included', () => {
    const o = report.summary.brands[0]!;
    expect(o.sentiment.unscored).toBeGreaterThan(0);
    const note = /data-figure="negative-share">.*?<span class="note">([^<]*)<\/span>/.exec(html)![1]!;
    expect(note).toBe(`positive ${pct(o.sentiment.positiveShare)} · ${pct(o.sentiment.unscored / o.volume.customer)} unscored`);
    expect(html).toMatch(/unscored \(non-English text\) is the share of all its customer mentions/);
  });
});

describe('the HTML report of a file of 76 companies', () => {
  let report: Report;
  let html: string;
  beforeAll(async () => {
    report = await manyBrandsReport(76);
    html = renderHtml(report);
  });

  it('names the audit in its title and heading, not 76 companies', () => {
    expect(/<title>([^<]*)<\/title>/.exec(html)![1]).toBe('earshot report · twcs.csv');
    expect(html).toContain('<h1>twcs.csv</h1>');
    expect(html).toContain('<p class="kicker">earshot · brand mention audit · 76 brands</p>');
  });

  it('shows customer mentions beside share of voice and says they are the same count', () => {
    const table = byId(html, 'competitors');
    expect(table).toContain('<tr><th>Brand</th><th class="n">Customer mentions</th><th class="n">Share of voice</th>');
    expect(textOf(table)).toContain('share of voice is each brand’s share of all the brands’ customer mentions, the same count');
    const total = report.summary.brands.reduce((n, b) => n + b.volume.customer, 0);
    for (const b of report.summary.brands) {
      const cells = [...new RegExp(`<tr data-brand="${b.brand}">(.*?)</tr>`).exec(table)![1]!.matchAll(/<td class="n">([^<]*)<\/td>/g)].map((m) => m[1]);
      expect(cells[0]).toBe(String(b.volume.customer));
      expect(cells[1]).toBe(pct(b.volume.customer / total));
    }
  });
});
