/** Issue #14 item 3: a review's star rating is evidence the wording cannot outweigh, and titles are read on every source. */
import { describe, expect, it } from 'vitest';
import { readMention, mentionWording } from '../../src/analysis/reading.js';
import { analyzeThread } from '../../src/analysis/respond.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { explain, formatExplanation } from '../../src/analysis/sentiment-explain.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { alwaysOpen, mention } from '../helpers/make-mention.js';

const inputs = loadSentimentInputs();
const scorer = createSentimentScorer(inputs);
const ctx = { scorer, calendar: alwaysOpen, now: new Date('2026-11-23T09:00:00Z'), brandHandles: new Set<string>() };
const review = (id: string, rating: number, title: string, text: string) => mention(id, '2026-11-20T10:00:00Z', text, { kind: 'review', source: 'trustpilot', title, rating });

describe('star ratings', () => {
  // The demo's Trustpilot reviews that were labelled negative complaints and listed as unanswered.
  const happy = [
    review('a', 4, 'Good uptime', 'Two months without a single outage on our API.'),
    review('b', 5, 'Happy customer', 'Three years with Acme Cloud and counting.'),
    review('c', 5, 'Smooth migration', 'Moved from another host with zero downtime.'),
    review('d', 4, 'Reliable backups', 'Point-in-time restore saved us after a bad migration.'),
    review('e', 5, 'Easy setup', 'Set up my portfolio in ten minutes.'),
  ];

  it('4–5 stars is never a complaint and needs no reply unless it asks, whatever the wording', () => {
    for (const am of analyzeThread(happy, ctx)) {
      expect(am.intent, am.title).not.toBe('complaint');
      expect(am.needsReply, am.title).toBe(false);
      expect(am.sentiment.label, am.title).toBe('positive');
      expect(am.response.status).toBe('no-reply-needed');
    }
  });

  it('4–5 stars that asks a question is a question needing a reply', () => {
    const [am] = analyzeThread([review('q', 5, 'Love it', 'Great service so far. Can I move my domain over without downtime?')], ctx);
    expect(am!.intent).toBe('question');
    expect(am!.needsReply).toBe(true);
    expect(am!.intentEvidence[0]).toBe('rating 5: not a complaint');
  });

  it('1–2 stars is a complaint and negative even when the wording is warm', () => {
    const [am] = analyzeThread([review('n', 1, 'Lovely people', 'Thank you, the team is great and friendly!')], ctx);
    expect(am!.intent).toBe('complaint');
    expect(am!.sentiment.label).toBe('negative');
    expect(am!.sentiment.evidence[0]).toBe('rating 1');
    expect(am!.needsReply).toBe(true);
  });

  it('3 stars follows the text', () => {
    const warm = readMention({ text: 'Thank you so much, great support!', rating: 3 }, scorer);
    const plain = readMention({ text: 'Thank you so much, great support!' }, scorer);
    expect(warm).toEqual(plain);
    expect(readMention({ text: 'Still waiting for a refund, unacceptable.', rating: 3 }, scorer).intent.intent).toBe('complaint');
  });

  it('explain shows the rule', () => {
    const e = explain('Moved from another host with zero downtime.', { ...inputs, rating: 5, title: 'Smooth migration' });
    expect(e.label).toBe('positive');
    expect(e.intent.intent).toBe('praise');
    expect(e.ratingRule).toMatch(/^5 stars: not a complaint; it needs a reply only if it asks a question/);
    expect(formatExplanation(e)).toMatch(/^rating: {6}5 stars: not a complaint/m);
    expect(explain('Fine.', { ...inputs, rating: 3 }).ratingRule).toMatch(/^3 stars: the text decides/);
    expect(explain('Fine.', { ...inputs, rating: 2 }).ratingRule).toMatch(/^2 stars: a complaint, and negative/);
  });
});

describe('titles', () => {
  it('a Reddit post titled as a question, with a body that asks nothing, is a question needing a reply', () => {
    const post = mention('r', '2026-11-20T10:00:00Z', 'We sell hardware kits and have customers up north.', { source: 'reddit', title: 'Does Acme ship to Canada?' });
    const [am] = analyzeThread([post], ctx);
    expect(am!.intent).toBe('question');
    expect(am!.needsReply).toBe(true);
    expect(am!.response.status).toBe('unanswered');
  });

  it('a review title feeds sentiment and intent too', () => {
    const r = readMention({ title: 'Charged twice, unacceptable', text: 'See the invoice from November.' }, scorer);
    expect(r.intent.intent).toBe('complaint');
    // A body that opens with a question word asks as much as a title that does.
    expect(readMention({ title: 'Regions', text: 'Is there a region in Brazil' }, scorer).intent.intent).toBe('question');
  });

  it('a text that already opens with its title is not read twice', () => {
    expect(mentionWording({ title: 'Acme raises $40M', text: 'Acme raises $40M to expand.' })).toEqual({ wording: 'Acme raises $40M to expand.' });
    expect(mentionWording({ title: 'Hi', text: '' })).toEqual({ wording: 'Hi' });
    expect(mentionWording({ title: 'Q', text: 'body' })).toEqual({ wording: 'Q\nbody', body: 'body' });
  });
});

describe('very long texts', () => {
  it('scores only the first 100,000 characters of a text (a multi-megabyte one cost seconds and its size many times over)', () => {
    const opening = 'The invoice arrived on Tuesday. '.repeat(3200); // 102,400 neutral characters
    const tail = 'Terrible, awful, broken, useless, worst service ever. '.repeat(20_000); // about 1 MB of anger past the limit
    const { wording } = mentionWording({ text: opening + tail });
    expect(wording).toHaveLength(100_000);
    expect(readMention({ text: opening + tail }, scorer).sentiment.label).toBe(readMention({ text: opening }, scorer).sentiment.label);
    expect(readMention({ text: tail }, scorer).sentiment.label).toBe('negative');
  });
});
