import { describe, expect, it } from 'vitest';
import { explain, formatExplanation } from '../../src/analysis/sentiment-explain.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';

const inputs = loadSentimentInputs();

describe('explain', () => {
  it('agrees with the scorer and lists what drove the label', () => {
    const text = '@united Great crew but 3 hours late &amp; no wifi 😡';
    const e = explain(text, inputs);
    const r = createSentimentScorer(inputs)(text);
    expect(e.label).toBe(r.label);
    expect(e.score).toBe(r.score);
    expect(e.evidence).toEqual(r.evidence);
    expect(e.method).toBe('model+lexicon');
    expect(e.label).toBe('negative');
    expect(e.supporting.length).toBeGreaterThan(0);
    expect(e.supporting.every((c) => c.weight > 0)).toBe(true);
    expect(e.opposing.every((c) => c.weight < 0)).toBe(true);
    expect(e.lexicon.find((h) => h.term === 'great')?.contrast).toBe('before');
    expect(e.intent.intent).toBe('complaint');
  });

  it('shows negation in tokens', () => {
    expect(explain('the crew was not nice', inputs).tokens).toContain('not_nice');
  });

  it('prints a readable block', () => {
    const out = formatExplanation(explain('no problems at all, thanks!', inputs));
    expect(out).toMatch(/^text: +no problems at all, thanks!/m);
    expect(out).toMatch(/^sentiment: +positive/m);
    expect(out).toMatch(/no problems \+1/);
    expect(out).toMatch(/^intent: +praise/m);
  });

  it('says when a text was not scored', () => {
    const e = explain('Gracias por el vuelo, muy bueno', inputs);
    expect(e.scored).toBe(false);
    expect(e.method).toBe('not scored');
    expect(formatExplanation(e)).toMatch(/not scored \(not English\)/);
  });

  it('is plain data (json round-trips)', () => {
    const e = explain('kindly refund me', { ...inputs, rating: 2 });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(e.intent).toEqual({ intent: 'complaint', evidence: ['rating 2'] });
  });

  it('works with the lexicon alone', () => {
    const e = explain('the crew was wonderful', { ...inputs, model: null });
    expect(e.method).toBe('lexicon');
    expect(e.label).toBe('positive');
    expect(e.supporting).toEqual([]);
  });
});

describe('explain: triage class and deadline', () => {
  it('shows the class with its evidence and the deadline, defaults or given', () => {
    const e = explain('@CloudDesk is the dashboard down? getting a 502 error on every page', inputs);
    expect(e.intent.intent).toBe('outage');
    expect(e.deadlineMinutes).toBe(60);
    expect(formatExplanation(e)).toMatch(/^intent: {6}outage \(outage: /m);
    expect(formatExplanation(e)).toMatch(/^deadline: {4}reply within 1h \(outage\)$/m);
    expect(explain('How do I add a second admin?', { ...inputs, deadlines: { question: 90 } }).deadlineMinutes).toBe(90);
    const praise = explain('Love the new dashboard, great work!', inputs);
    expect(praise.deadlineMinutes).toBeUndefined();
    expect(formatExplanation(praise)).toMatch(/^deadline: {4}none: needs no reply$/m);
  });
});
