/** Resolution in public (issue 17 item 4): what the customer's later word in the thread says about the brand's answer. */
import { describe, expect, it } from 'vitest';
import { resolutionCue } from '../../../src/analysis/resolution.js';
import { createAnalysis } from '../../../src/analysis/pipeline.js';
import { createSentimentScorer } from '../../../src/analysis/sentiment.js';
import { explain, formatExplanation } from '../../../src/analysis/sentiment-explain.js';
import { loadSentimentInputs } from '../../../src/core/model-files.js';
import type { AnalyzedMention } from '../../../src/core/report.js';
import type { Mention } from '../../../src/core/mention.js';
import { alwaysOpen, mention } from '../../helpers/make-mention.js';

const inputs = loadSentimentInputs();
const scorer = createSentimentScorer(inputs);
const NOW = new Date('2026-11-23T09:00:00Z');

describe('resolutionCue', () => {
  it('reads fixed and not fixed from phrases that hold in any industry', () => {
    expect(resolutionCue('Thanks, that fixed it!')).toEqual({ outcome: 'resolved', phrase: 'that fixed it' });
    expect(resolutionCue('All sorted now, cheers')).toMatchObject({ outcome: 'resolved' });
    expect(resolutionCue('The app works now.')).toMatchObject({ outcome: 'resolved', phrase: 'works now' });
    expect(resolutionCue('Got my refund this morning')).toMatchObject({ outcome: 'resolved' });
    // Confirmations as customers write them after an outage (the demo's recorded threads).
    expect(resolutionCue('Writable again, thanks for the quick answer 🙏')).toMatchObject({ outcome: 'resolved', phrase: 'Writable again' });
    expect(resolutionCue('Confirmed, no drops since the move. Thanks!')).toMatchObject({ outcome: 'resolved', phrase: 'no drops since' });
    expect(resolutionCue('@acmecloud confirmed, stable for 15 min now. Thanks!')).toMatchObject({ outcome: 'resolved' });
    expect(resolutionCue('Back up here, thanks')).toMatchObject({ outcome: 'resolved' });
    expect(resolutionCue('Is it up now?')).toBeUndefined();
    expect(resolutionCue('still broken after the update')).toEqual({ outcome: 'unresolved', phrase: 'still broken' });
    expect(resolutionCue('No one got back to me')).toMatchObject({ outcome: 'unresolved' });
    expect(resolutionCue('Still waiting for that call back')).toMatchObject({ outcome: 'unresolved' });
    expect(resolutionCue('I never heard back from your team')).toMatchObject({ outcome: 'unresolved' });
  });

  it('“not fixed” wins within one text; a question and a word inside another word are not cues', () => {
    expect(resolutionCue('Thanks, but it is still broken')).toMatchObject({ outcome: 'unresolved' });
    expect(resolutionCue('It has not been fixed, nothing works')).toMatchObject({ outcome: 'unresolved' });
    expect(resolutionCue('Is it fixed now?')).toBeUndefined();
    expect(resolutionCue('Did that fix it? Let me know.')).toBeUndefined();
    expect(resolutionCue('Thanks for the quick reply')).toBeUndefined();
    expect(resolutionCue('the submit fixed it button')).toBeUndefined();
  });

  it('earshot explain shows the cue a text carries, and none when it has none', () => {
    const e = explain('Thanks, that fixed it', inputs);
    expect(e.resolution).toEqual({ outcome: 'resolved', phrase: 'that fixed it' });
    expect(formatExplanation(e)).toContain("resolution cue: resolved ('that fixed it')");
    const none = explain('My parcel is late', inputs);
    expect(none.resolution).toBeUndefined();
    expect(formatExplanation(none)).not.toContain('resolution cue');
  });
});

/** Six complaints to Acme, five answered: two customers say fixed, two not fixed (one after first saying fixed), one says nothing. */
function threads(): Mention[] {
  const t = (day: number, h: number): string => new Date(Date.UTC(2026, 10, day, h)).toISOString();
  const out: Mention[] = [];
  const complaint = 'My order never arrived and support is ignoring me, this is terrible.';
  const later: Record<number, [number, string][]> = {
    0: [[12, 'Thanks, that fixed it!']],
    1: [[12, 'Still broken, this is useless.'], [13, 'Update: all sorted now, thank you.']],
    2: [[12, 'Works now, thanks.'], [13, 'No wait, still not working at all.']],
    3: [[12, 'No one got back to me after the DM.']],
    4: [],
    5: [[12, 'Thanks, that fixed it!']],
  };
  for (let i = 0; i < 6; i += 1) {
    const who = { handle: `cust${i}` };
    out.push(mention(`c${i}`, t(10, 9), complaint, { brand: 'Acme', author: who, threadId: `t:c${i}`, url: `https://x.example/c${i}` }));
    // The brand answers every complaint but the sixth: its customer's "fixed it" answers nothing, so it is not counted.
    if (i < 5) out.push(mention(`c${i}-r`, t(10, 10), `Sorry about that, order ${i} is being looked at now.`, { brand: 'Acme', parentId: `t:c${i}`, threadId: `t:c${i}`, fromBrand: true, author: { handle: 'acmehelp' } }));
    for (const [j, [day, text]] of later[i]!.entries()) {
      out.push(mention(`c${i}-l${j}`, t(day, 9), text, { brand: 'Acme', parentId: i < 5 ? `t:c${i}-r` : `t:c${i}`, threadId: `t:c${i}`, author: who, url: `https://x.example/c${i}/l${j}` }));
    }
  }
  // Someone else's "still broken" in a thread says nothing about this customer's answer.
  out.push(mention('c4-other', t(12, 9), 'Same here, still broken for me.', { brand: 'Acme', parentId: 't:c4-r', threadId: 't:c4', author: { handle: 'bystander' } }));
  return out;
}

describe('resolution shares per brand', () => {
  it('resolved, unresolved and unknown threads give the expected shares, with evidence per mention', async () => {
    const run = createAnalysis({ scorer, calendar: alwaysOpen, timeZone: 'UTC', now: NOW, brandHandles: ['acmehelp'], defaultBrand: '(unspecified)', unansweredLimit: 50 });
    const mentions: AnalyzedMention[] = [];
    for await (const m of run.run(threads())) mentions.push(m);
    const acme = run.summary.finish().brands.find((b) => b.brand === 'Acme')!.response;
    expect(acme.answered).toBe(5);
    expect([acme.resolved, acme.unresolved, acme.resolutionUnknown]).toEqual([2, 2, 1]);
    expect(acme.resolvedShare).toBe(0.4);
    expect(acme.unresolvedShare).toBe(0.4);
    const byId = (id: string): AnalyzedMention => mentions.find((m) => m.id === id)!;
    expect(byId('t:c0').response.resolution).toEqual({ outcome: 'resolved', evidence: { mentionId: 't:c0-l0', url: 'https://x.example/c0/l0', phrase: 'that fixed it' } });
    // The latest word decides, either way.
    expect(byId('t:c1').response.resolution).toMatchObject({ outcome: 'resolved', evidence: { mentionId: 't:c1-l1' } });
    expect(byId('t:c2').response.resolution).toMatchObject({ outcome: 'unresolved', evidence: { mentionId: 't:c2-l1', phrase: 'still not working at all' } });
    expect(byId('t:c3').response.resolution).toMatchObject({ outcome: 'unresolved' });
    expect(byId('t:c4').response.resolution).toEqual({ outcome: 'unknown' });
    // Not answered: no resolution to read.
    expect(byId('t:c5').response.resolution).toBeUndefined();
  });
});
