import { describe, expect, it } from 'vitest';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';

const score = createSentimentScorer(loadSentimentInputs());

describe('near-ties between model labels go to a clear lexicon', () => {
  it('reads a glowing product post as positive although airline data taught the model that "20 minutes" is a delay', () => {
    const r = score("5 reasons we ❤️ Acme Cloud's managed Postgres\nPoint-in-time restore saved our launch 🚀 and Acme Cloud support answered in 20 minutes. Here are the other four ...");
    expect(Math.abs(r.probabilities!.negative - r.probabilities!.positive)).toBeLessThan(0.1);
    expect(r.label).toBe('positive');
  });

  it('leaves a clear model decision alone', () => {
    expect(score('Flight delayed 3 hours, nobody at the gate, worst airline ever').label).toBe('negative');
  });
});
