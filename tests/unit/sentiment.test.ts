import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSentimentScorer, type SentimentResult } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';

const inputs = loadSentimentInputs();
const score = createSentimentScorer(inputs);
const label = (t: string): string => score(t).label;

describe('sentiment on the failure cases from issue 6', () => {
  it('reads "still on hold" as negative', () => {
    expect(label('still on hold')).toBe('negative');
    expect(label('@united I have been on hold for 2 hours')).toBe('negative');
  });

  it('reads "thanks for nothing" as negative despite "thanks"', () => {
    expect(label('@united thanks for nothing')).toBe('negative');
    expect(label('Thanks for nothing, United')).toBe('negative');
  });

  it('does not read "no problems at all" as negative', () => {
    expect(label('no problems at all')).not.toBe('negative');
    expect(label('No problems at all with the flight today')).not.toBe('negative');
  });

  it('reads the data set\'s "Cancelled Flightled" artefact as cancelled', () => {
    const r = score('@SouthwestAir my flight got Cancelled Flightled again');
    expect(r.label).toBe('negative');
    expect(r.evidence.join(' ')).toMatch(/cancel/);
  });

  it('reads "kindly refund me" as negative', () => {
    expect(label('kindly refund me')).toBe('negative');
  });
});

describe('negation, contrast and emoji', () => {
  it('flips a positive word under negation', () => {
    expect(label('this is good')).toBe('positive');
    expect(label('this is not good')).toBe('negative');
    expect(label("the service wasn't great")).toBe('negative');
  });

  it('softens a negative word under negation', () => {
    expect(label('not bad at all')).toBe('positive');
  });

  it('lets the clause after "but" decide', () => {
    expect(label('Great crew but 3 hours late')).toBe('negative');
    expect(label('The flight was late but the crew was amazing')).toBe('positive');
  });

  it('scores emoji and emoticons', () => {
    expect(label('😡😡')).toBe('negative');
    expect(label('great service 😍')).toBe('positive');
    expect(score('arrived :(').lexiconScore).toBeLessThan(0);
    expect(score('arrived :)').lexiconScore).toBeGreaterThan(0);
  });

  it('decodes HTML entities before scoring (&lt;3 is a heart)', () => {
    expect(score('@JetBlue &lt;3').lexiconScore).toBeGreaterThan(0);
  });
});

describe('text far from airlines', () => {
  it('scores plain sentiment words sensibly', () => {
    expect(label('I love this phone')).toBe('positive');
    expect(label('The movie was terrible')).toBe('negative');
    expect(label('app keeps crashing after the update')).toBe('negative');
    expect(label('Five stars, would buy again')).toBe('positive');
  });

  it('does not let "can\'t believe" negate the praise that follows', () => {
    expect(label("Can't believe how good the new camera is")).toBe('positive');
  });

  it('leaves flat statements neutral', () => {
    expect(label('I went to the store today')).toBe('neutral');
    expect(label('The new release fixes the memory leak')).not.toBe('negative');
  });
});

describe('non-English text', () => {
  it('is marked unscored, neutral, with its language', () => {
    for (const [text, lang] of [
      ['Gracias por el vuelo, muy bueno el servicio', 'es'],
      ['Le vol était très en retard et personne ne nous a aidé', 'fr'],
      ['Der Flug war sehr gut, danke', 'de'],
      ['フライトが遅れました', 'ja'],
    ] as const) {
      const r = score(text);
      expect(r.scored, text).toBe(false);
      expect(r.label).toBe('neutral');
      expect(r.language).toBe(lang);
      expect(r.score).toBe(0);
    }
  });

  it('scores English and sets language en', () => {
    const r = score('worst airline ever');
    expect(r.scored).toBe(true);
    expect(r.language).toBe('en');
  });

  it('can be told not to detect language', () => {
    const r = createSentimentScorer({ ...inputs, detectLanguage: false })('Gracias por el vuelo, muy bueno el servicio');
    expect(r.scored).toBe(true);
  });
});

describe('result shape', () => {
  it('is deterministic: same input, same output, across scorers', () => {
    const other = createSentimentScorer(inputs);
    const texts = ['still on hold', 'You guys rock! Best flight ever', 'Is the API down?', ''];
    for (const t of texts) expect(other(t)).toEqual(score(t));
    expect(score('kindly refund me')).toEqual(score('kindly refund me'));
  });

  it('carries evidence for a non-neutral label, and probabilities that sum to 1', () => {
    const r: SentimentResult = score('worst airline ever #fail');
    expect(r.evidence).toContain('worst');
    const p = r.probabilities;
    expect(p).toBeDefined();
    expect((p?.negative ?? 0) + (p?.neutral ?? 0) + (p?.positive ?? 0)).toBeCloseTo(1, 2);
  });

  it('keeps score in [-1, 1] with the sign of the label', () => {
    expect(score('You guys rock! Best flight ever').score).toBeGreaterThan(0);
    expect(score('still on hold').score).toBeLessThan(0);
    for (const t of ['still on hold', 'love it', 'ok']) {
      const s = score(t).score;
      expect(Math.abs(s)).toBeLessThanOrEqual(1);
    }
  });

  it('handles empty and odd input without throwing', () => {
    for (const t of ['', '   ', '!!!', '@united', 'http://t.co/x', '&amp;', 'constructor __proto__ toString']) {
      const r = score(t);
      expect(['positive', 'neutral', 'negative']).toContain(r.label);
      expect(Number.isFinite(r.score)).toBe(true);
    }
  });

  it('falls back to the lexicon alone when asked (model: null)', () => {
    const lex = createSentimentScorer({ ...inputs, model: null });
    expect(lex('the crew was wonderful').label).toBe('positive');
    expect(lex('still on hold').label).toBe('negative');
    expect(lex('still on hold').probabilities).toBeUndefined();
    expect(lex('the crew was wonderful').evidence).toContain('wonderful');
  });
});

describe('any input', () => {
  it('never throws and always returns a well-formed, repeatable result', () => {
    const labels = ['positive', 'neutral', 'negative'];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.lorem({ maxCount: 30 })), (text) => {
        const r = score(text);
        expect(labels).toContain(r.label);
        expect(Number.isFinite(r.score) && Math.abs(r.score) <= 1).toBe(true);
        expect(Number.isFinite(r.comparative)).toBe(true);
        expect(Array.isArray(r.evidence)).toBe(true);
        if (!r.scored) expect(r.label).toBe('neutral');
        expect(score(text)).toEqual(r);
      }),
      { numRuns: 500, seed: 6 },
    );
  });
});
