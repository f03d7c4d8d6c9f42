import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, ZONE_CACHE_LIMIT, zoneCacheSize } from '../../src/analysis/business-hours.js';
import { classifyIntent } from '../../src/analysis/intent.js';
import { createSentimentScorer, type SentimentResult, type SentimentScorer } from '../../src/analysis/sentiment.js';
import { tokenize } from '../../src/analysis/text-features.js';
import { parseBusinessHours } from '../../src/core/business-hours-spec.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { trainSentimentModel } from '../../scripts/lib/train-model.js';

const inputs = loadSentimentInputs();

// Long texts too, so the scratch buffers grow past their first size.
const TEXTS = [
  'still on hold, worst airline ever #fail',
  'You guys rock! Best flight ever :)',
  'Is the API down?',
  'not a good flight. good crew but 3 hours late',
  '',
  `${'so so so very bad and awful and terrible '.repeat(40)}but the crew were lovely`,
  'Gracias por el vuelo, muy bueno el servicio',
  'no problems at all, thanks!',
];

function toyModel(): ReturnType<typeof trainSentimentModel> {
  const data = [];
  for (let i = 0; i < 20; i++) {
    data.push({ text: `the crew was lovely ${i}`, label: 'positive' as const });
    data.push({ text: `my bag is lost again ${i}`, label: 'negative' as const });
    data.push({ text: `what time is boarding ${i}`, label: 'neutral' as const });
  }
  return trainSentimentModel(data, inputs.lexicon);
}

/** Sentiment and intent for every text, from one scorer used on its own. */
function alone(make: () => SentimentScorer): { s: SentimentResult; intent: string[] }[] {
  const score = make();
  return TEXTS.map((t) => {
    const s = score(t);
    return { s, intent: classifyIntent(t, s, undefined, score.tokens(t)).evidence };
  });
}

describe('scorer instances', () => {
  it('give the same results used interleaved as each used alone (no state shared between them)', () => {
    const makers = [
      (): SentimentScorer => createSentimentScorer(inputs),
      (): SentimentScorer => createSentimentScorer({ model: toyModel(), lexicon: inputs.lexicon }),
      (): SentimentScorer => createSentimentScorer({ model: null, lexicon: inputs.lexicon }),
    ];
    const expected = makers.map(alone);
    // The models differ, so any buffer or memo that leaked from one scorer to the next would show.
    expect(expected[0]).not.toEqual(expected[1]);
    const scorers = makers.map((m) => m());
    const got: { s: SentimentResult; intent: string[] }[][] = scorers.map(() => []);
    TEXTS.forEach((t, i) => {
      // Every scorer scores text i before any of them reads its tokens back: the memo must be per scorer.
      const results = scorers.map((score) => score(t));
      // And a different text through the other scorers in between.
      scorers.forEach((score, k) => {
        const other = TEXTS[(i + k + 1) % TEXTS.length] as string;
        if (k > 0) score(other);
      });
      scorers.forEach((score, k) => {
        const s = results[k] as SentimentResult;
        got[k]?.push({ s, intent: classifyIntent(t, s, undefined, score.tokens(t)).evidence });
      });
    });
    expect(got).toEqual(expected);
  });

  it('hands intent the tokens of the text it just scored, and fresh ones for any other text', () => {
    const score = createSentimentScorer(inputs);
    score('kindly refund me');
    const first = score.tokens('kindly refund me');
    expect(score.tokens('kindly refund me')).toBe(first);
    expect(first).toEqual(tokenize('kindly refund me'));
    const other = score.tokens('where is gate 5');
    expect(other).toEqual(tokenize('where is gate 5'));
    expect(score.tokens('kindly refund me')).toBe(first);
  });

  it('refuses a compiled model built with another lexicon (its token ids would not match)', () => {
    const { model } = inputs;
    expect(model).not.toBeNull();
    const otherLexicon = { ...inputs.lexicon };
    expect(() => createSentimentScorer({ model, lexicon: otherLexicon })).toThrow(/different lexicon/);
  });
});

describe('zone offset cache', () => {
  it(`stays within ${ZONE_CACHE_LIMIT} zones however many calendars are built`, () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, ZONE_CACHE_LIMIT * 2 + 5);
    expect(zones.length).toBeGreaterThan(ZONE_CACHE_LIMIT);
    const schedule = parseBusinessHours('Mon-Fri 09:00-17:00');
    const at = new Date('2026-11-23T12:00:00Z');
    for (const timeZone of zones) {
      const cal = createBusinessCalendar({ schedule, timeZone });
      cal.isOpen(at);
      expect(zoneCacheSize()).toBeLessThanOrEqual(ZONE_CACHE_LIMIT);
    }
    expect(zoneCacheSize()).toBeGreaterThan(0);
    // A calendar built before a clear keeps working and answers the same.
    const paris = createBusinessCalendar({ schedule, timeZone: 'Europe/Paris' });
    const before = paris.businessMillisBetween(new Date('2026-03-27T08:00:00Z'), new Date('2026-03-31T08:00:00Z'));
    for (const timeZone of zones) createBusinessCalendar({ schedule, timeZone }).isOpen(at);
    expect(paris.businessMillisBetween(new Date('2026-03-27T08:00:00Z'), new Date('2026-03-31T08:00:00Z'))).toBe(before);
  });
});
