import { describe, expect, it } from 'vitest';
import { asPreviousReport, changeCells, compareReports } from '../../src/report/compare.js';
import { parseFields, pickFields } from '../../src/report/fields.js';
import { UsageError } from '../../src/core/errors.js';
import type { BrandSummary, AnalyzedMention, Report } from '../../src/core/report.js';

function brand(name: string, total: number, rate: number | null, median: number | null): BrandSummary {
  return {
    brand: name,
    volume: { total, customer: total, fromBrand: 0, bySource: [], byDay: [] },
    sentiment: { positive: 0, neutral: 0, negative: 0, unscored: 0, positiveShare: null, negativeShare: 0.25 },
    intents: { outage: 0, churn: 0, complaint: 0, purchase: 0, question: 0, praise: 0, spam: 0, other: 0 },
    response: { needingReply: 10, answered: 5, unanswered: 5, rate, medianMinutes: median, p90Minutes: null, medianBusinessMinutes: null, p90BusinessMinutes: null, deflections: 0, deflectionShare: null, cannedFirstReplies: 0, cannedShare: null, substantive: 0, substantiveRate: null, followUpsUnanswered: 0, resolved: 0, unresolved: 0, resolutionUnknown: 5, resolvedShare: 0, unresolvedShare: 0, templates: [], distribution: [] },
    offHours: { inHours: { needingReply: 0, answered: 0, rate: null, medianMinutes: null }, offHours: { needingReply: 0, answered: 0, rate: null, medianMinutes: null } },
    brandActivity: { broadcasts: 0, replies: 0, broadcastShare: null, broadcastsWhileComplaintWaiting: 2 },
    byReach: [],
    shareOfVoice: null,
    spikes: [],
    overdue: { total: 0, byClass: { outage: 0, churn: 0, complaint: 0, purchase: 0, question: 0 }, deadlineMinutes: { outage: 60, churn: 120, complaint: 240, purchase: 480, question: 1440 } },
    unanswered: [],
  };
}
const report = (b: BrandSummary, at = '2026-11-16T09:00:00.000Z'): Report => ({ schemaVersion: 1, tool: { name: 'earshot', version: '0' }, generatedAt: at, settings: { brands: [], brandHandles: [], timeZone: 'UTC', businessHours: '24/7' }, coverage: [], summary: { overall: b, brands: [b] }, warnings: [], mentions: [] });

describe('compareReports', () => {
  it('gives previous, current and change per figure, and formats them for people', () => {
    const cmp = compareReports(report(brand('Acme', 40, 0.5, 90)), report(brand('Acme', 55, 0.625, 45)).summary);
    const byFigure = Object.fromEntries(cmp.brands[0]!.changes.map((c) => [c.figure, c]));
    expect(byFigure.mentions).toEqual({ figure: 'mentions', previous: 40, current: 55, change: 15 });
    expect(byFigure.response_rate!.change).toBe(0.125);
    expect(changeCells(byFigure.response_rate!)).toEqual(['Response rate', '50%', '63%', '+13%']);
    expect(changeCells(byFigure.median_reply_minutes!)).toEqual(['Median first reply', '1h 30m', '45m', '−45m']);
    expect(changeCells(byFigure.broadcasts_while_complaints_waited!)[3]).toBe('=');
    expect(changeCells(byFigure.p90_reply_minutes!)).toEqual(['p90 first reply', '—', '—', '—']);
  });

  it('refuses a file that is not an earshot report, or a newer schema', () => {
    expect(() => asPreviousReport({ hello: 1 }, 'x.json')).toThrow(/x\.json' is not an earshot report\.json/);
    expect(() => asPreviousReport({ ...report(brand('A', 1, null, null)), schemaVersion: 99 }, 'x.json')).toThrow(/schemaVersion 99/);
  });
});

describe('--fields', () => {
  it('picks nested fields and rejects unknown ones with the valid list', () => {
    const m = { id: 'hn:1', url: 'https://x', sentiment: { label: 'negative' }, response: { status: 'unanswered' } } as unknown as AnalyzedMention;
    expect(pickFields(m, parseFields('id,sentiment.label,response.replyMinutes', 'json'))).toEqual({ id: 'hn:1', sentiment: { label: 'negative' }, response: { replyMinutes: null } });
    expect(() => parseFields('id,nope', 'json')).toThrow(/unknown field 'nope'; valid for json: id, source/);
    expect(parseFields('id,status', 'csv')).toEqual(['id', 'status']);
    expect(() => parseFields('sentiment.label', 'csv')).toThrow(/valid for csv: id, source, kind/);
  });

  it('nests the picked fields like the full record (the README\'s jq .response.status works), a whole object winning over its parts', () => {
    const m = { id: 'hn:1', url: 'https://x', sentiment: { label: 'negative', score: -2 }, response: { status: 'unanswered', openMinutes: 90 } } as unknown as AnalyzedMention;
    const picked = JSON.parse(JSON.stringify(pickFields(m, parseFields('id,response.status,url,response.openMinutes', 'ndjson')))) as { response: { status: string } };
    expect(picked).toEqual({ id: 'hn:1', response: { status: 'unanswered', openMinutes: 90 }, url: 'https://x' });
    expect(picked.response.status).toBe('unanswered');
    expect(pickFields(m, parseFields('sentiment.label,sentiment', 'json'))).toEqual({ sentiment: { label: 'negative', score: -2 } });
  });

  it('is a usage error with table or html, which have no fields to pick', () => {
    for (const format of ['table', 'html']) {
      expect(() => parseFields('id', format)).toThrow(new UsageError(`--fields works with -f csv, json or ndjson, not ${format}; drop --fields or choose one of those formats.`));
    }
  });
});
