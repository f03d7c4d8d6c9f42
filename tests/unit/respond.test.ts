import { describe, expect, it } from 'vitest';
import { analyzeThread, isDeflection, type ThreadContext } from '../../src/analysis/respond.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import type { Mention } from '../../src/core/mention.js';
import { alwaysOpen, brandReply, mention, weekdaysUtc } from '../helpers/make-mention.js';

const scorer = createSentimentScorer(loadSentimentInputs());
const ctx = (over: Partial<ThreadContext> = {}): ThreadContext => ({
  scorer,
  calendar: alwaysOpen,
  now: new Date('2026-11-23T09:00:00Z'),
  brandHandles: new Set(),
  ...over,
});

describe('analyzeThread', () => {
  it('finds the first brand reply beneath a complaint and times it', () => {
    const out = analyzeThread(
      [
        mention('1', '2026-11-17T10:00:00Z', 'My site has been down for hours, this is terrible.'),
        brandReply('2', '2026-11-17T10:45:00Z', '1'),
        brandReply('3', '2026-11-17T10:30:00Z', '1', 'Looking into it right now.'),
      ],
      ctx(),
    );
    const complaint = out[0]!;
    expect(complaint.needsReply).toBe(true);
    expect(complaint.response.status).toBe('answered');
    expect(complaint.response.firstReplyId).toBe('t:3');
    expect(complaint.response.replyMinutes).toBe(30);
    expect(complaint.response.replyBusinessMinutes).toBe(30);
  });

  it('an estimated time (dateEstimated) is answered but not timed, at either end of the reply', () => {
    const estimatedComplaint = analyzeThread(
      [
        mention('1', '2026-11-17T10:00:00Z', 'My site has been down for hours, this is terrible.', { dateEstimated: true }),
        brandReply('2', '2026-11-17T10:30:00Z', '1', 'Looking into it right now.'),
      ],
      ctx(),
    )[0]!;
    expect(estimatedComplaint.response.status).toBe('answered');
    expect(estimatedComplaint.response.firstReplyId).toBe('t:2');
    expect(estimatedComplaint.response.replyMinutes).toBeUndefined();
    expect(estimatedComplaint.response.replyBusinessMinutes).toBeUndefined();
    const estimatedReply = analyzeThread(
      [
        mention('1', '2026-11-17T10:00:00Z', 'My site has been down for hours, this is terrible.'),
        { ...brandReply('2', '2026-11-17T10:30:00Z', '1', 'Looking into it right now.'), dateEstimated: true as const },
      ],
      ctx(),
    )[0]!;
    expect(estimatedReply.response.status).toBe('answered');
    expect(estimatedReply.response.replyMinutes).toBeUndefined();
  });

  it('counts a reply to a follow-up as answering the original complaint (descendant rule)', () => {
    const out = analyzeThread(
      [
        mention('1', '2026-11-17T10:00:00Z', 'Billing charged me twice, awful.'),
        mention('2', '2026-11-17T10:05:00Z', 'Still waiting, this is ridiculous.', { parentId: 't:1' }),
        brandReply('3', '2026-11-17T12:00:00Z', '2'),
      ],
      ctx(),
    );
    expect(out[0]!.response.firstReplyId).toBe('t:3');
    expect(out[0]!.response.replyMinutes).toBe(120);
    expect(out[1]!.response.replyMinutes).toBe(115);
  });

  it('does not count a brand reply to a sibling as an answer', () => {
    const out = analyzeThread(
      [
        mention('root', '2026-11-17T09:00:00Z', 'Acme Cloud launches new region'),
        mention('a', '2026-11-17T10:00:00Z', 'My database is broken and support is terrible.', { parentId: 't:root' }),
        mention('b', '2026-11-17T10:01:00Z', 'Mine too, awful outage.', { parentId: 't:root' }),
        brandReply('r', '2026-11-17T10:30:00Z', 'a'),
      ],
      ctx(),
    );
    const byId = Object.fromEntries(out.map((m) => [m.id, m]));
    expect(byId['t:a']!.response.status).toBe('answered');
    expect(byId['t:b']!.response.status).toBe('unanswered');
    expect(byId['t:b']!.response.openMinutes).toBe(Math.round((Date.parse('2026-11-23T09:00:00Z') - Date.parse('2026-11-17T10:01:00Z')) / 60000));
    expect(byId['t:b']!.response.severity).toBeGreaterThan(0);
  });

  it('treats a reply stamped before its message as immediate, never negative', () => {
    const out = analyzeThread([mention('1', '2026-11-17T10:00:00Z', 'Why is my invoice wrong?'), brandReply('2', '2026-11-17T09:58:00Z', '1')], ctx());
    expect(out[0]!.response.status).toBe('answered');
    expect(out[0]!.response.replyMinutes).toBe(0);
  });

  it('marks brand mentions by configured handle and never asks them for a reply', () => {
    const out = analyzeThread(
      [mention('1', '2026-11-17T10:00:00Z', 'This is terrible service', { author: { handle: '@AcmeSupport' } })],
      ctx({ brandHandles: new Set(['acmesupport']) }),
    );
    expect(out[0]!.fromBrand).toBe(true);
    expect(out[0]!.needsReply).toBe(false);
    expect(out[0]!.response.status).toBe('no-reply-needed');
  });

  it('starts the business clock at opening for an off-hours complaint', () => {
    // Friday 18:00 UTC complaint, Monday 09:30 reply.
    const out = analyzeThread([mention('1', '2026-11-20T18:00:00Z', 'Outage again, terrible.'), brandReply('2', '2026-11-23T09:30:00Z', '1')], ctx({ calendar: weekdaysUtc }));
    expect(out[0]!.response.postedInHours).toBe(false);
    expect(out[0]!.response.replyMinutes).toBe(63.5 * 60);
    expect(out[0]!.response.replyBusinessMinutes).toBe(30);
  });

  it('keeps going when fields are missing (no url, no engagement, unknown parent)', () => {
    const out = analyzeThread([mention('1', '2026-11-17T10:00:00Z', 'Is the API down?', { parentId: 't:missing' })], ctx());
    expect(out[0]!.response.status).toBe('unanswered');
    expect(out[0]!.response.firstReplyUrl).toBeUndefined();
  });
});

describe('analyzeThread on deep and broken reply chains', () => {
  it('answers every message of a 100,000-deep chain with the reply beneath it (one walk per mention, no stack)', () => {
    // customer 0 ← brand 1 ← customer 2 ← brand 3 …, one second apart: every customer's first reply is its child.
    // Walking every reply up to the root made this quadratic: it ran for minutes where the flat thread takes seconds.
    const depth = 100_000;
    const start = Date.parse('2026-11-17T10:00:00Z');
    const chain: Mention[] = [];
    for (let i = 0; i < depth; i += 1) {
      const at = new Date(start + i * 1000).toISOString();
      chain.push(i % 2 === 1 ? brandReply(String(i), at, String(i - 1), 'On it.') : mention(String(i), at, 'Is it down?', i === 0 ? {} : { parentId: `t:${i - 1}` }));
    }
    const out = analyzeThread(chain, ctx());
    expect(out).toHaveLength(depth);
    const wrong = out.filter((m, i) => i % 2 === 0 && (m.response.firstReplyId !== `t:${i + 1}` || m.response.replyMinutes !== 0));
    expect(wrong.map((m) => m.id)).toEqual([]);
  });

  it('still takes the earliest reply anywhere beneath a message, whatever order the thread comes in', () => {
    const out = analyzeThread(
      [
        brandReply('late', '2026-11-17T10:30:00Z', 'root', 'Sorry, looking now.'),
        mention('root', '2026-11-17T10:00:00Z', 'Is the API down?'),
        mention('follow', '2026-11-17T10:05:00Z', 'Still down, terrible.', { parentId: 't:root' }),
        brandReply('early', '2026-11-17T10:10:00Z', 'follow', 'Fixed now.'),
      ],
      ctx(),
    );
    const byId = Object.fromEntries(out.map((m) => [m.id, m]));
    expect(byId['t:root']!.response.firstReplyId).toBe('t:early');
    expect(byId['t:follow']!.response.firstReplyId).toBe('t:early');
  });

  it('ends a walk on a parent cycle (a broken input) without answering a reply with itself', () => {
    const out = analyzeThread(
      [mention('a', '2026-11-17T10:00:00Z', 'Is the API down?', { parentId: 't:b' }), brandReply('b', '2026-11-17T10:05:00Z', 'a', 'Fixed now.')],
      ctx(),
    );
    expect(out[0]!.response.firstReplyId).toBe('t:b');
    expect(out[1]!.response.status).toBe('no-reply-needed');
  });
});

describe('isDeflection', () => {
  it('flags short redirects to private channels only', () => {
    expect(isDeflection('Sorry to hear that! Please DM us your account email.')).toBe(true);
    expect(isDeflection('Could you send us a private message with the order number?')).toBe(true);
    expect(isDeflection('Fixed: the certificate renewed at 10:04 and your site is back.')).toBe(false);
  });
});
