import { describe, expect, it } from 'vitest';
import { createAnalysis } from '../../src/analysis/pipeline.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { countWhileWaiting } from '../../src/analysis/summary.js';
import { quantile } from '../../src/analysis/stats.js';
import { alwaysOpen, brandReply, mention, weekdaysUtc } from '../helpers/make-mention.js';
import type { Mention } from '../../src/core/mention.js';

async function summarise(mentions: Mention[], calendar = alwaysOpen) {
  const a = createAnalysis({ scorer: createSentimentScorer(loadSentimentInputs()), calendar, timeZone: 'UTC', now: new Date('2026-11-23T09:00:00Z'), brandHandles: [], defaultBrand: 'Acme', unansweredLimit: 5 });
  const out = [];
  for await (const m of a.run(mentions)) out.push(m);
  return { mentions: out, summary: a.summary.finish() };
}

describe('summary', () => {
  it('computes response rate, median and p90 over mentions needing a reply', async () => {
    const ms: Mention[] = [];
    // Five complaints answered after 10, 20, 30, 40, 100 minutes; one unanswered.
    [10, 20, 30, 40, 100].forEach((mins, i) => {
      ms.push(mention(`c${i}`, `2026-11-17T10:0${i}:00Z`, 'The service is terrible and broken.'));
      ms.push(brandReply(`r${i}`, new Date(Date.parse(`2026-11-17T10:0${i}:00Z`) + mins * 60000).toISOString(), `c${i}`));
    });
    ms.push(mention('open', '2026-11-18T10:00:00Z', 'Awful, still broken, nobody answers.'));
    ms.push(mention('praise', '2026-11-18T11:00:00Z', 'Love the new dashboard, great work!'));
    const { summary } = await summarise(ms);
    const r = summary.overall.response;
    expect(r.needingReply).toBe(6);
    expect(r.answered).toBe(5);
    expect(r.rate).toBeCloseTo(5 / 6, 4);
    expect(r.medianMinutes).toBe(30);
    expect(r.p90Minutes).toBe(quantile([10, 20, 30, 40, 100], 0.9));
    expect(summary.overall.unanswered.map((u) => u.id)).toEqual(['t:open']);
    expect(summary.overall.volume.fromBrand).toBe(5);
    expect(summary.overall.brandActivity.replies).toBe(5);
  });

  it('splits in-hours and off-hours (weekends included)', async () => {
    const { summary } = await summarise(
      [
        mention('in', '2026-11-17T10:00:00Z', 'Broken again, terrible.'),
        brandReply('r1', '2026-11-17T10:20:00Z', 'in'),
        mention('sat', '2026-11-21T10:00:00Z', 'Broken on Saturday, terrible.'),
        mention('night', '2026-11-18T23:00:00Z', 'Is anyone there? Site down, awful.'),
        brandReply('r2', '2026-11-19T09:10:00Z', 'night'),
      ],
      weekdaysUtc,
    );
    const { inHours, offHours } = summary.overall.offHours;
    expect(inHours).toMatchObject({ needingReply: 1, answered: 1, rate: 1, medianMinutes: 20 });
    expect(offHours).toMatchObject({ needingReply: 2, answered: 1, rate: 0.5, medianMinutes: 610 });
  });

  it('counts broadcasts published while a complaint waited', async () => {
    const { summary } = await summarise([
      mention('c', '2026-11-17T10:00:00Z', 'Outage, terrible support.'),
      mention('promo1', '2026-11-17T12:00:00Z', 'Black Friday: 50% off managed databases!', { fromBrand: true }),
      brandReply('r', '2026-11-17T13:00:00Z', 'c'),
      mention('promo2', '2026-11-17T14:00:00Z', 'New region in Paris!', { fromBrand: true }),
    ]);
    expect(summary.overall.brandActivity).toMatchObject({ broadcasts: 2, replies: 1, broadcastsWhileComplaintWaiting: 1 });
  });

  it('reports each brand separately, sorted by volume', async () => {
    const { summary } = await summarise([
      mention('a1', '2026-11-17T10:00:00Z', 'hello', { brand: 'Beta' }),
      mention('b1', '2026-11-17T10:00:00Z', 'hello', { brand: 'Alpha' }),
      mention('b2', '2026-11-17T11:00:00Z', 'hello again', { brand: 'Alpha' }),
    ]);
    expect(summary.brands.map((b) => [b.brand, b.volume.total])).toEqual([
      ['Alpha', 2],
      ['Beta', 1],
    ]);
    expect(summary.overall.volume.total).toBe(3);
  });

  it('keeps only the top N unanswered, severity breaking ties in minutes past the deadline, deterministically', async () => {
    const ms = Array.from({ length: 12 }, (_, i) => mention(`q${String(i).padStart(2, '0')}`, '2026-11-17T10:00:00Z', 'Terrible outage, awful, broken!', { engagement: { likes: i } }));
    const { summary } = await summarise(ms);
    expect(summary.overall.unanswered).toHaveLength(5);
    expect(summary.overall.unanswered[0]!.id).toBe('t:q11');
  });

  it('ranks the queue by how far past its class deadline each item is, and counts overdue items per class', async () => {
    // As of 09:00: the outage is 3h old (2h past 1h), the complaint 5h old (1h past 4h), the question 10h old (14h left).
    const ms = [
      mention('question', '2026-11-22T23:00:00Z', 'How do I export my invoices to CSV?'),
      mention('complaint', '2026-11-23T04:00:00Z', 'My order arrived broken and nobody answers, really disappointed.'),
      mention('outage', '2026-11-23T06:00:00Z', 'Is the dashboard down? 502 error on every page.'),
    ];
    const { summary } = await summarise(ms);
    const q = summary.overall.unanswered;
    expect(q.map((u) => [u.id, u.intent, u.deadlineMinutes, u.overdueMinutes])).toEqual([
      ['t:outage', 'outage', 60, 120],
      ['t:complaint', 'complaint', 240, 60],
      ['t:question', 'question', 1440, -840],
    ]);
    expect(summary.overall.overdue).toEqual({
      total: 2,
      byClass: { outage: 1, churn: 0, complaint: 1, purchase: 0, question: 0 },
      deadlineMinutes: { outage: 60, churn: 120, complaint: 240, purchase: 480, question: 1440 },
    });
  });

  it('uses configured deadlines', async () => {
    const a = createAnalysis({ scorer: createSentimentScorer(loadSentimentInputs()), calendar: alwaysOpen, timeZone: 'UTC', now: new Date('2026-11-23T09:00:00Z'), brandHandles: [], defaultBrand: 'Acme', unansweredLimit: 5, deadlines: { question: 60 } });
    for await (const m of a.run([mention('question', '2026-11-22T23:00:00Z', 'How do I export my invoices to CSV?')])) expect(m.response.deadlineMinutes).toBe(60);
    const s = a.summary.finish().overall;
    expect(s.unanswered[0]!.overdueMinutes).toBe(540);
    expect(s.overdue.byClass.question).toBe(1);
    expect(s.overdue.deadlineMinutes.question).toBe(60);
  });
});

describe('countWhileWaiting', () => {
  it('counts a broadcast when any complaint interval covers it (start inclusive, end exclusive)', () => {
    expect(countWhileWaiting(Float64Array.of(5, 10, 20), Float64Array.of(0, 8), Float64Array.of(10, 9))).toBe(1);
    expect(countWhileWaiting(Float64Array.of(0), Float64Array.of(0), Float64Array.of(1))).toBe(1);
  });
});

describe('reply-time distribution', () => {
  it('buckets answered mentions by calendar time to first reply', async () => {
    const ms: Mention[] = [];
    [30, 59.9, 60, 300, 2000].forEach((mins, i) => {
      const at = `2026-11-17T10:0${i}:00Z`;
      ms.push(mention(`c${i}`, at, 'Terrible, broken service.'));
      ms.push(brandReply(`r${i}`, new Date(Date.parse(at) + mins * 60000).toISOString(), `c${i}`));
    });
    const { summary } = await summarise(ms);
    expect(summary.overall.response.distribution).toEqual([
      { label: '0–1h', count: 2 },
      { label: '1–4h', count: 1 },
      { label: '4–8h', count: 1 },
      { label: '8–24h', count: 0 },
      { label: '24h+', count: 1 },
    ]);
  });
});

describe('reply target, reach tiers and share of voice', () => {
  it('reports the share answered within the target and response by follower tier', async () => {
    const a = createAnalysis({ scorer: createSentimentScorer(loadSentimentInputs()), calendar: alwaysOpen, timeZone: 'UTC', now: new Date('2026-11-23T09:00:00Z'), brandHandles: [], defaultBrand: 'Acme', unansweredLimit: 5, replyTargetMinutes: 60 });
    const ms: Mention[] = [
      mention('a', '2026-11-17T10:00:00Z', 'Terrible outage, broken.', { engagement: { followers: 50_000 } }),
      brandReply('ra', '2026-11-17T10:10:00Z', 'a'),
      mention('b', '2026-11-17T11:00:00Z', 'Terrible outage, broken.', { engagement: { followers: 20 } }),
      brandReply('rb', '2026-11-17T14:00:00Z', 'b'),
      mention('c', '2026-11-17T12:00:00Z', 'Terrible outage, broken.', { engagement: { followers: 10 } }),
      mention('d', '2026-11-17T12:00:00Z', 'Terrible outage, broken.', { brand: 'Globex' }),
    ];
    for await (const _ of a.run(ms)) void _;
    const { brands } = a.summary.finish();
    const acme = brands.find((b) => b.brand === 'Acme')!;
    expect(acme.response.withinTarget).toEqual({ targetMinutes: 60, calendarShare: 0.3333, businessShare: 0.3333 });
    expect(acme.byReach.map((r) => [r.tier, r.needingReply, r.answered, r.medianMinutes])).toEqual([
      ['<1k', 2, 1, 180],
      ['10k–100k', 1, 1, 10],
    ]);
    expect(acme.shareOfVoice).toBe(0.75);
    expect(brands.find((b) => b.brand === 'Globex')!.shareOfVoice).toBe(0.25);
  });
});

describe('stable order under every locale (issue #14 item 4)', () => {
  it('orders brands of equal volume by code units, not by the machine language', async () => {
    const { analyze } = await import('../../src/index.js');
    const { mention } = await import('../helpers/make-mention.js');
    const report = await analyze(
      [mention('1', '2026-11-20T10:00:00Z', 'hello', { brand: 'Ångström' }), mention('2', '2026-11-20T10:00:00Z', 'hello', { brand: 'Zeta' })],
      { now: new Date('2026-11-23T00:00:00Z') },
    );
    // "Z" (U+005A) sorts before "Å" (U+00C5) by code unit; en-US collation puts "Å" first, sv-SE last.
    expect(report.summary.brands.map((b) => b.brand)).toEqual(['Zeta', 'Ångström']);
  });
});
