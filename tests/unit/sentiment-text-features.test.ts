import { describe, expect, it } from 'vitest';
import { analyzeText as analyzeWith, decodeSocialEntities, featureNames, tokenize, type TextAnalysis } from '../../src/analysis/text-features.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';

const { lexicon } = loadSentimentInputs();
const analyzeText = (t: string): TextAnalysis => analyzeWith(t, lexicon);

const words = (t: string): string[] => tokenize(t).tokens;

describe('tokenize', () => {
  it('decodes HTML entities', () => {
    expect(decodeSocialEntities('a &amp; b &lt;3 &#39;x&#39; &#x1F600; &bogus;')).toBe("a & b <3 'x' 😀 &bogus;");
    expect(words('delays &amp; no wifi')).toEqual(['delays', 'no', 'wifi']);
  });

  it('drops URLs and @handles and counts them', () => {
    const t = tokenize('@united @AskPayPal see http://t.co/abc123 and www.example.com now');
    expect(t.tokens).toEqual(['see', 'and', 'now']);
    expect(t.urls).toBe(2);
    expect(t.handles).toBe(2);
  });

  it('splits hashtags at camel case and underscores', () => {
    expect(words('#UnitedFail #never_again #fail')).toEqual(['united', 'fail', 'never', 'again', 'fail']);
  });

  it("undoes the data set's Cancelled Flight / Late Flight replacement", () => {
    expect(words('Cancelled Flightled and Late Flightr')).toEqual(['cancelled', 'and', 'later']);
  });

  it('removes apostrophes, lower-cases and shortens elongations, but keeps numbers', () => {
    expect(words("Didn't it’s SOOOO goooood 1000")).toEqual(['didnt', 'its', 'soo', 'good', '1000']);
  });

  it('keeps emoticons, emoji, ! and ?, and turns . , ; : into breaks', () => {
    const t = tokenize('late :( again, really?! ❤️ :-) <3');
    expect(t.tokens).toEqual(['late', ':(', 'again', '.', 'really', '?', '!', '❤', ':-)', '<3']);
    expect(t.kinds).toEqual(['word', 'emoji', 'word', 'break', 'word', 'mark', 'mark', 'emoji', 'emoji', 'emoji']);
  });

  it('counts shouted words', () => {
    expect(tokenize('WORST airline EVER').shouts).toBe(2);
    expect(tokenize('Worst airline ever USA').shouts).toBe(0);
  });
});

describe('tokenize, all rules together', () => {
  it('cleans a typical tweet', () => {
    expect(words('@united #LostBag http://t.co/x Cancelled Flighted &amp; WAITING!!')).toEqual([
      'lost', 'bag', 'canceled', 'waiting', '!', '!',
    ]);
  });
});

describe('analyzeText', () => {
  it('marks tokens in a negation scope, ending at a clause break', () => {
    const a = analyzeText('not a good flight. good crew');
    expect(a.tokens).toEqual(['not', 'a', 'good', 'flight', 'good', 'crew']);
    expect(a.negated).toEqual([false, true, true, true, false, false]);
  });

  it('negation flips and halves a lexicon value', () => {
    const hit = analyzeText('not nice').hits.find((h) => h.term === 'nice');
    expect(hit?.negated).toBe(true);
    expect(hit?.value).toBe(-1.5);
  });

  it('weights the clause after "but" more than the one before', () => {
    const hits = analyzeText('great crew but late').hits;
    const great = hits.find((h) => h.term === 'great');
    const late = hits.find((h) => h.term === 'late');
    expect(great?.contrast).toBe('before');
    expect(great?.value).toBe(1.5);
    expect(late?.contrast).toBe('after');
    expect(late?.value).toBe(-1.5);
  });

  it('keeps AFINN idioms with a negator whole ("not good", "dont like")', () => {
    expect(analyzeText('not good').tokens).toEqual(['not-good']);
    expect(analyzeText('not good').lexiconScore).toBeLessThan(0);
  });

  it('prefers the longest phrase and merges negator idioms into one token', () => {
    const a = analyzeText('no problems at all');
    expect(a.tokens[0]).toBe('no-problems');
    expect(a.hits.map((h) => h.term)).toEqual(['no problems']);
    expect(a.negated.every((n) => !n)).toBe(true);
    expect(analyzeText('still on hold').hits.map((h) => h.term)).toEqual(['still on hold']);
  });

  it('applies intensifiers', () => {
    const plain = analyzeText('good').lexiconScore;
    expect(analyzeText('very good').lexiconScore).toBeCloseTo(plain * 1.3);
  });

  it('produces unigram, negated, bigram and dense feature names', () => {
    const { features } = featureNames(analyzeText("didn't enjoy it. the delay!"));
    expect(features).toContain('didnt');
    expect(features).toContain('not_enjoy');
    expect(features).toContain('the delay');
    expect(features).toContain('@svc_neg');
    expect(features).toContain('@exclaim');
  });

  it('ignores object-prototype words', () => {
    expect(() => analyzeText('constructor toString __proto__ hasOwnProperty')).not.toThrow();
    expect(analyzeText('constructor toString').lexiconScore).toBe(0);
  });
});
