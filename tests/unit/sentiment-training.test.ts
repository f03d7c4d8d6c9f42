import { describe, expect, it } from 'vitest';
import { bestOffsets, type Scored } from '../../scripts/lib/calibrate.js';
import { goEmotionsClass } from '../../scripts/lib/goemotions-data.js';
import { MODEL_FILES, trainModelFiles } from '../../scripts/train-sentiment.js';
import type { DomainRows } from '../../scripts/lib/family-training.js';
import type { SentimentClass } from '../../src/analysis/sentiment-model.js';
import { seededRandom } from '../../src/core/random.js';

/** A small two-domain slice: made-up words per class, mixed with a few real ones, shuffled by a fixed seed. */
function slice(seed: number): DomainRows {
  const rand = seededRandom(seed);
  const words: Record<SentimentClass, string[]> = {
    negative: ['gronky', 'awful', 'delayed', 'broken'],
    neutral: ['wibble', 'today', 'schedule', 'gate'],
    positive: ['splendiferous', 'great', 'thanks', 'love'],
  };
  const make = (n: number, scored: boolean): { text: string; label: SentimentClass; scored?: boolean }[] =>
    Array.from({ length: n }, (_, i) => {
      const label = (['negative', 'neutral', 'positive'] as const)[i % 3] as SentimentClass;
      const pick = (): string => words[label][Math.floor(rand() * 4)] as string;
      return { text: `the ${pick()} flight was ${pick()} ${i % 7}`, label, ...(scored ? {} : { scored: i % 5 !== 0 }) };
    });
  return { tweet: make(90, true), comment: make(120, false) };
}

describe('npm run train', () => {
  it('writes byte-identical model files when run twice on the same slice', () => {
    const a = trainModelFiles(slice(1));
    const b = trainModelFiles(slice(1));
    expect([...a.keys()].sort()).toEqual([MODEL_FILES.comment, MODEL_FILES.tweet].sort());
    for (const [name, bytes] of a) expect(b.get(name)).toBe(bytes);
    // Different data gives different bytes: the comparison above could fail.
    expect(trainModelFiles(slice(2)).get(MODEL_FILES.tweet)).not.toBe(a.get(MODEL_FILES.tweet));
  });

  it('records how each family was trained, and calibrates only the comment family', () => {
    const files = trainModelFiles(slice(1));
    const tweet = JSON.parse(files.get(MODEL_FILES.tweet) as string) as { meta: Record<string, unknown> };
    const comment = JSON.parse(files.get(MODEL_FILES.comment) as string) as { meta: Record<string, unknown> };
    expect(tweet.meta).toMatchObject({ family: 'tweet', crossWeight: 0, calibration: 'none' });
    expect(comment.meta['family']).toBe('comment');
    expect(String(comment.meta['calibration'])).toMatch(/^offsets -?[\d.]+ -?[\d.]+ -?[\d.]+ \(negative neutral positive\), 5-fold macro-F1/);
  });
});

describe('goEmotionsClass', () => {
  it('reduces label ids to one sentiment, ignoring "ambiguous" beside a polar label', () => {
    expect(goEmotionsClass(['1'])).toBe('negative');
    expect(goEmotionsClass(['2'])).toBe('neutral');
    expect(goEmotionsClass(['3'])).toBe('positive');
    expect(goEmotionsClass(['0', '3'])).toBe('positive');
    expect(goEmotionsClass(['2', '3'])).toBe('positive');
    expect(goEmotionsClass(['1', '2'])).toBe('negative');
    expect(goEmotionsClass(['1', '3'])).toBeUndefined();
    expect(goEmotionsClass(['0'])).toBeUndefined();
    expect(goEmotionsClass(['0'], 'neutral')).toBe('neutral');
  });
});

describe('bestOffsets', () => {
  const row = (logp: [number, number, number], gold: SentimentClass): Scored => ({ logp, lexiconScore: 0, english: true, gold });

  it('moves the neutral threshold when that raises macro-F1, and keeps zero offsets when nothing does', () => {
    // Neutral texts the model puts just below negative: a neutral offset fixes them.
    const shy = [row([-0.6, -0.8, -3], 'neutral'), row([-0.6, -0.8, -3], 'neutral'), row([-0.1, -3, -3], 'negative'), row([-3, -3, -0.1], 'positive')];
    const fixed = bestOffsets(shy);
    expect(fixed.offsets[1]).toBeGreaterThan(0);
    expect(fixed.after).toBeGreaterThan(fixed.before);
    const clean = [row([-0.1, -3, -3], 'negative'), row([-3, -0.1, -3], 'neutral'), row([-3, -3, -0.1], 'positive')];
    expect(bestOffsets(clean).offsets).toEqual([0, 0, 0]);
  });
});
