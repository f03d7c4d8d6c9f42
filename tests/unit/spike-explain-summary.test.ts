import { describe, expect, it } from 'vitest';
import { createAnalysis } from '../../src/analysis/pipeline.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { distinctTerms, distinctiveTerms, SpikeDays, TopCounter } from '../../src/analysis/spike-explain.js';
import { alwaysOpen, mention } from '../helpers/make-mention.js';
import type { Mention } from '../../src/core/mention.js';
import { analyze } from '../../src/index.js';
import { plainStyle } from '../../src/report/index.js';
import { renderTable } from '../../src/report/table.js';
import { renderHtml } from '../../src/report/html.js';

async function summarise(mentions: Mention[]) {
  const a = createAnalysis({ scorer: createSentimentScorer(loadSentimentInputs()), calendar: alwaysOpen, timeZone: 'UTC', now: new Date('2026-11-24T23:00:00Z'), brandHandles: [], defaultBrand: 'Acme', unansweredLimit: 5 });
  for await (const _ of a.run(mentions)) void _;
  return a.summary.finish();
}

const QUIET = [
  'Acme dashboard looks nice this week, love the new charts',
  'Trying the Acme export feature for our monthly report',
  'Acme pricing page is clear, good job',
  'Anyone using Acme with a big team? Curious about the onboarding',
  'Acme mobile app works great on my tablet',
];

/** A quiet week (5 varied posts a day), then an outage day where "login" and "502" dominate on one source. */
function outageWeek(): Mention[] {
  const ms: Mention[] = [];
  for (let d = 17; d <= 23; d++) {
    QUIET.forEach((text, i) => ms.push(mention(`q${d}-${i}`, `2026-11-${d}T1${i}:00:00Z`, text, { source: i % 2 === 0 ? 'hn' : 'reddit', author: { handle: `user${i}` } })));
  }
  for (let i = 0; i < 24; i++) {
    const text = i % 3 === 0 ? `Acme login fails with 502 again, terrible, cannot work` : i % 3 === 1 ? `Is Acme down? login page returns 502 bad gateway, awful` : `Acme login broken: 502 errors all morning, horrible outage`;
    ms.push(mention(`o${i}`, `2026-11-24T${String(8 + (i % 12)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z`, text, { source: 'bluesky', url: `https://bsky.app/p/${i}`, author: { handle: i < 6 ? 'angryops' : `cust${i}` }, engagement: { followers: i } }));
  }
  // One outage post on hn, so sources are ranked, not alone.
  ms.push(mention('o-hn', '2026-11-24T12:30:00Z', 'Acme login 502 here too', { source: 'hn', author: { handle: 'hnuser' } }));
  return ms;
}

describe('spikes explained', () => {
  it('names the terms, sources, authors, sentiment shift and three examples of an outage day', async () => {
    const s = await summarise(outageWeek());
    const spike = s.overall.spikes.find((sp) => sp.kind === 'volume');
    expect(spike?.date).toBe('2026-11-24');
    const e = spike!.explanation!;
    const terms = e.terms.map((t) => t.term);
    expect(terms.slice(0, 2)).toEqual(['502', 'login']);
    expect(e.terms[0]!.z).toBeGreaterThan(e.terms[2]!.z);
    // The brand's name is in every post of both windows: never distinctive.
    expect(terms).not.toContain('acme');
    expect(e.terms.find((t) => t.term === 'login')).toMatchObject({ count: 25, baselineCount: 0 });
    expect(e.sources[0]).toEqual({ source: 'bluesky', count: 24, baselineDailyMean: 0 });
    expect(e.sources[1]).toMatchObject({ source: 'hn', count: 1 });
    expect(e.authors).toEqual([{ author: 'angryops', count: 6 }]);
    expect(e.sentiment.negativeShare).toBeGreaterThan(0.8);
    expect(e.sentiment.baselineNegativeShare).toBeLessThan(0.2);
    expect(e.examples).toHaveLength(3);
    for (const x of e.examples) {
      expect(x.excerpt.toLowerCase()).toContain('login');
      expect(x.url).toMatch(/^https:\/\/bsky\.app\/p\//);
    }
    // Most distinctive terms first, one post per wording, then the larger audience.
    expect(e.examples.map((x) => x.id)).toEqual(['t:o22', 't:o23', 't:o21']);
  });

  it('gives the same explanation whatever order the mentions arrive in', async () => {
    const ms = outageWeek();
    const a = await summarise(ms);
    const b = await summarise([...ms].reverse());
    expect(b.overall.spikes).toEqual(a.overall.spikes);
  });

  it('keeps no explanation where no spike fired', async () => {
    const ms = outageWeek().filter((m) => !m.id.startsWith('t:o'));
    const s = await summarise(ms);
    expect(s.overall.spikes).toEqual([]);
  });

  it('keeps memory bounded: 8 days, and a capped term counter', () => {
    const days = new SpikeDays();
    const scored = { scored: true, label: 'neutral' } as const;
    for (let d = 1; d <= 30; d++) {
      const day = `2026-10-${String(d).padStart(2, '0')}`;
      days.add({ ...mention(`m${d}`, `${day}T10:00:00Z`, `word${d} other${d}`), sentiment: scored } as never, day);
    }
    expect(days.dayCount).toBe(8);
    const c = new TopCounter(3);
    for (let i = 0; i < 100; i++) c.add(`k${i}`);
    for (let i = 0; i < 5; i++) c.add('hot');
    expect(c.size).toBeLessThanOrEqual(6);
    expect(c.entries()[0]).toEqual(['hot', 5]);
  });

  it('drops stop words, links and handles from terms', () => {
    expect(distinctTerms('The login is down https://x.co/a @acme #fail 502!')).toEqual(['login', '502']);
  });

  it('scores a term spread evenly over both windows near zero', () => {
    const z = distinctiveTerms([['acme', 20], ['login', 10]], new Map([['acme', 35]]), 60, 100);
    expect(z.map((t) => t.term)).toEqual(['login']);
  });

  it('shows the explanation under the alert in the table (within its width) and the HTML, and carries it in JSON', async () => {
    const report = await analyze(outageWeek(), { now: new Date('2026-11-24T23:00:00Z'), brand: 'Acme' });
    const table = renderTable(report, { style: plainStyle, width: 80 });
    expect(report.summary.brands[0]!.spikes.map((sp) => sp.kind)).toEqual(['volume', 'negative-share']);
    if (process.env.PEEK) console.log(table);
    expect(table).toContain('! Volume spike on 2026-11-24');
    expect(table).toContain('    terms, day vs week: 502 (25 vs 0), login (25 vs 0)');
    expect(table).toContain('    sources: bluesky 24 (7-day mean 0), hn 1 (7-day mean 3)');
    expect(table).toContain('    authors: angryops 6');
    expect(table).toContain('    sentiment: negative 96% vs 0% the 7 days before');
    expect(table).toContain('      https://bsky.app/p/22');
    for (const line of table.split('\n')) if (!/^\s*https:/.test(line)) expect([...line].length, line).toBeLessThanOrEqual(80);
    // Both spikes of the day (volume and negative share) share the one explanation: shown once.
    expect(table.split('terms, day vs week:').length - 1).toBe(1);
    const html = renderHtml(report);
    expect(html).toContain('<strong>login</strong> 25 vs 0');
    expect(html).toContain('href="https://bsky.app/p/22"');
    expect(html.split('class="data spike-explained"').length - 1).toBe(1);
    expect(JSON.parse(JSON.stringify(report)).summary.brands[0].spikes[0].explanation.terms[0].term).toBe('502');
  });
});
