import { describe, expect, it } from 'vitest';
import { createAnalysis } from '../../src/analysis/pipeline.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { localDay } from '../../src/core/local-day.js';
import type { Mention } from '../../src/core/mention.js';
import { alwaysOpen, mention } from '../helpers/make-mention.js';

describe('localDay cache', () => {
  it('gives the same date as Intl for every instant, around DST, odd historical offsets and midnights', () => {
    const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Africa/Monrovia', 'Europe/Amsterdam', 'Pacific/Apia'];
    const instants: number[] = [];
    // Every 7 minutes across a DST change, plus 1960s Monrovia (-0:44:30) and 1930s Amsterdam (+0:20).
    for (const start of ['2024-03-30T20:00:00Z', '2024-10-26T20:00:00Z', '1965-06-01T20:00:00Z', '1935-06-01T20:00:00Z', '2011-12-29T08:00:00Z']) {
      for (let i = 0; i < 400; i += 1) instants.push(Date.parse(start) + i * 7 * 60_000 + (i % 5) * 1000);
    }
    for (const zone of zones) {
      const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const cached = localDay(zone);
      // Twice, so the second pass is answered from the cache.
      for (const pass of [0, 1]) {
        for (const t of instants) expect(`${zone} ${pass} ${cached(t)}`).toBe(`${zone} ${pass} ${fmt.format(t)}`);
      }
    }
  });
});

describe('unanswered queue', () => {
  it('lists the same top N as sorting every unanswered mention (minutes past deadline, severity, then oldest, then id)', async () => {
    const ms: Mention[] = [];
    for (let i = 0; i < 300; i += 1) {
      // Reach varies the severity; several share a time and a severity so the tie-breaks matter.
      const at = new Date(Date.parse('2026-11-10T10:00:00Z') + (i % 37) * 60_000).toISOString();
      // Three classes with three deadlines, so minutes past the deadline differ at the same age.
      const text = ['This is terrible, my order is broken and nobody answers.', 'The dashboard is down again, 502 error on every page.', 'How do I export my invoices?'][i % 3]!;
      ms.push(mention(`m${(i * 7919) % 1000}`, at, text, { engagement: { likes: (i * 31) % 17 } }));
    }
    const a = createAnalysis({ scorer: createSentimentScorer(loadSentimentInputs()), calendar: alwaysOpen, timeZone: 'UTC', now: new Date('2026-11-23T09:00:00Z'), brandHandles: [], defaultBrand: 'Acme', unansweredLimit: 7 });
    const all = [];
    for await (const m of a.run(ms)) all.push(m);
    const expected = all
      .filter((m) => m.response.status === 'unanswered')
      .sort((x, y) => (y.response.overdueMinutes ?? 0) - (x.response.overdueMinutes ?? 0) || (y.response.severity ?? 0) - (x.response.severity ?? 0) || x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id))
      .slice(0, 7)
      .map((m) => m.id);
    expect(all.filter((m) => m.response.status === 'unanswered').length).toBeGreaterThan(100);
    expect(new Set(all.map((m) => m.intent))).toEqual(new Set(['complaint', 'outage', 'question']));
    expect(a.summary.finish().overall.unanswered.map((u) => u.id)).toEqual(expected);
  });
});
