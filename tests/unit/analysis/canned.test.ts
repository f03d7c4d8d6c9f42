/**
 * Canned replies, the substantive response rate and follow-ups left hanging (issue 17 items 1–3): one brand answers
 * mostly from three templates (two deflect, one carries content), another writes every reply itself.
 */
import { describe, expect, it } from 'vitest';
import { maskReply, templateKey, TemplateBook } from '../../../src/analysis/canned.js';
import { createAnalysis } from '../../../src/analysis/pipeline.js';
import { createSentimentScorer } from '../../../src/analysis/sentiment.js';
import type { AnalyzedMention, BrandSummary } from '../../../src/core/report.js';
import { loadSentimentInputs } from '../../../src/core/model-files.js';
import { cannedAudit as audit, CANNED_NOW as NOW } from '../../helpers/canned-audit.js';
import { alwaysOpen } from '../../helpers/make-mention.js';

const scorer = createSentimentScorer(loadSentimentInputs());

describe('maskReply', () => {
  it('masks what templates vary: names after a greeting and the customer’s own, handles, ids, links, signatures, emoji', () => {
    expect(maskReply('Hi Sarah, so sorry! Please DM us order #88213 and we will fix it 🙏 ^JD', ['sarah_k', 'Sarah'])).toBe('Hi <name>, so sorry! Please DM us order # and we will fix it <sig>');
    expect(maskReply('@tom_b we have refunded AB-1234 today: https://acme.example/help/refunds -MK')).toBe('@user we have refunded # today: <url> <sig>');
    expect(maskReply('Thanks, Ana! Write to care@acme.example – Sarah')).toBe('Thanks, <name>! Write to <email> <sig>');
    // Masked the same way, two uses of one template have one key whoever they answered.
    expect(templateKey(maskReply('Hi Sarah, please DM us your order number. ^JD'))).toBe(templateKey(maskReply('Hello Omar — please DM us your order number ^MK')));
  });

  it('keeps replies written for their customer apart', () => {
    const a = templateKey(maskReply('The outage in eu-west was a failed certificate rotation; it is fixed and your backups are intact.'));
    const b = templateKey(maskReply('Your invoice was charged twice because of a retry bug; the second charge is refunded.'));
    expect(a).not.toBe(b);
  });
});

describe('TemplateBook', () => {
  it('a reply used once is not canned; near-identical uses (one word apart) join one template', () => {
    const book = new TemplateBook({ minUses: 2, similarity: 0.85 });
    const at = (d: number): string => new Date(Date.UTC(2026, 10, d)).toISOString();
    book.addReply({ id: 'a', text: 'Hi Sarah, we are sorry for the trouble with your delivery. Our team is looking into it right now.', createdAt: at(2), url: 'https://x/a' }, [], 1);
    book.addReply({ id: 'b', text: 'Hi Omar, we are so sorry for the trouble with your delivery. Our team is looking into it right now.', createdAt: at(1), url: 'https://x/b' }, [], 1);
    book.addReply({ id: 'c', text: 'The courier lost parcel 4411; a replacement ships today by express.', createdAt: at(3) }, [], 1);
    const f = book.finish();
    expect(f.cannedFirstReplies).toBe(2);
    expect(f.substantive).toBe(1);
    expect(f.templates).toHaveLength(1);
    expect(f.templates[0]).toMatchObject({ count: 2, firstReplies: 2, deflects: false, firstUsedAt: at(1), lastUsedAt: at(2), examples: ['https://x/b', 'https://x/a'] });
    // With minUses 3, two uses are not a template.
    const strict = new TemplateBook({ minUses: 3, similarity: 0.85 });
    strict.addReply({ id: 'a', text: 'Please DM us.', createdAt: at(1) }, [], 1);
    strict.addReply({ id: 'b', text: 'Please DM us.', createdAt: at(2) }, [], 1);
    expect(strict.finish()).toEqual({ cannedFirstReplies: 0, substantive: 0, templates: [] });
  });
});

async function summaries(): Promise<{ brands: Record<string, BrandSummary>; mentions: AnalyzedMention[] }> {
  const run = createAnalysis({ scorer, calendar: alwaysOpen, timeZone: 'UTC', now: NOW, brandHandles: ['AcmeHelp', 'BoltCare'], defaultBrand: '(unspecified)', unansweredLimit: 50 });
  const mentions: AnalyzedMention[] = [];
  for await (const m of run.run(audit())) mentions.push(m);
  const { brands } = run.summary.finish();
  return { brands: Object.fromEntries(brands.map((b) => [b.brand, b])), mentions };
}

describe('canned share, substantive rate and follow-ups, per brand', () => {
  it('a brand answering mostly from three templates', async () => {
    const { brands, mentions } = await summaries();
    const acme = brands['Acme']!.response;
    // Twelve complaints and Sarah's question when she came back.
    expect(acme.needingReply).toBe(13);
    expect(acme.answered).toBe(10);
    expect(acme.rate).toBe(0.7692);
    // Nine answers came from a template; only the one written for its customer is substantive.
    expect(acme.cannedFirstReplies).toBe(9);
    expect(acme.cannedShare).toBe(0.9);
    expect(acme.substantive).toBe(1);
    expect(acme.substantiveRate).toBe(0.0769);
    expect(acme.templates.map((t) => [t.count, t.deflects])).toEqual([
      [4, true],
      [3, true],
      [2, false],
    ]);
    expect(acme.templates[0]!.text).toBe("Hi <name>, so sorry to hear that! Please DM us your order number and we'll look into it. <sig>");
    expect(acme.templates[0]!.examples).toEqual(['https://social.example/Acme/0/r', 'https://social.example/Acme/1/r', 'https://social.example/Acme/2/r']);
    // Sarah came back and was left hanging; Omar's thanks needs nothing.
    expect(acme.followUpsUnanswered).toBe(1);
    const back = mentions.find((m) => m.id === 't:Acme-0-back')!;
    expect(back.response).toMatchObject({ cameBack: true, sinceBrandMinutes: (NOW.getTime() - Date.UTC(2026, 10, 10, 11)) / 60_000 });
    expect(mentions.find((m) => m.id === 't:Acme-1-back')!.response.cameBack).toBeUndefined();
    const item = brands['Acme']!.unanswered.find((u) => u.id === 't:Acme-0-back');
    expect(item).toMatchObject({ cameBack: true, sinceBrandMinutes: back.response.sinceBrandMinutes });
  });

  it('a brand that writes every reply itself', async () => {
    const { brands } = await summaries();
    const bolt = brands['Bolt']!.response;
    expect(bolt.needingReply).toBe(5);
    expect(bolt.answered).toBe(5);
    expect(bolt.cannedFirstReplies).toBe(0);
    expect(bolt.cannedShare).toBe(0);
    expect(bolt.substantive).toBe(5);
    expect(bolt.substantiveRate).toBe(1);
    expect(bolt.templates).toEqual([]);
    expect(bolt.followUpsUnanswered).toBe(0);
  });

  it('gives the same figures whatever order the mentions arrive in', async () => {
    const { brands } = await summaries();
    const run = createAnalysis({ scorer, calendar: alwaysOpen, timeZone: 'UTC', now: NOW, brandHandles: ['AcmeHelp', 'BoltCare'], defaultBrand: '(unspecified)', unansweredLimit: 50 });
    for await (const _ of run.run(audit().reverse())) void _;
    const again = Object.fromEntries(run.summary.finish().brands.map((b) => [b.brand, b]));
    expect(JSON.stringify(again['Acme']!.response)).toBe(JSON.stringify(brands['Acme']!.response));
  });
});
