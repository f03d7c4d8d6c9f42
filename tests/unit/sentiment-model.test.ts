import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel as compileWith, featureContributions, predictProbabilities, type SentimentModel } from '../../src/analysis/sentiment-model.js';
import { analyzeText as analyzeWith, type TextAnalysis } from '../../src/analysis/text-features.js';
import { defaultModelPath, loadSentimentInputs, readSentimentModel, validateSentimentModel } from '../../src/core/model-files.js';
import { seededRandom } from '../../src/core/random.js';
import { trainSentimentModel as trainWith, type LabelledText, type TrainOptions } from '../../scripts/lib/train-model.js';

const { lexicon } = loadSentimentInputs();
const analyzeText = (t: string): TextAnalysis => analyzeWith(t, lexicon);
const compileModel = (m: SentimentModel): ReturnType<typeof compileWith> => compileWith(m, lexicon);
const trainSentimentModel = (d: LabelledText[], o: Partial<TrainOptions> = {}): SentimentModel => trainWith(d, lexicon, o);

const data: LabelledText[] = [];
for (let i = 0; i < 30; i++) {
  data.push({ text: `the zorble was splendiferous ${i}`, label: 'positive' });
  data.push({ text: `my flurb is gronky again ${i}`, label: 'negative' });
  data.push({ text: `what time is the wibble ${i}`, label: 'neutral' });
}

describe('trainSentimentModel', () => {
  it('is deterministic for a seed', () => {
    expect(JSON.stringify(trainSentimentModel(data))).toBe(JSON.stringify(trainSentimentModel(data)));
  });

  it('learns words no lexicon knows', () => {
    const m = compileModel(trainSentimentModel(data));
    const best = (t: string): number => {
      const p = predictProbabilities(m, analyzeText(t));
      return p.indexOf(Math.max(...p));
    };
    expect(best('splendiferous')).toBe(2);
    expect(best('gronky')).toBe(0);
    expect(best('wibble')).toBe(1);
  });

  it('drops rare features (min count) and caps the feature count', () => {
    const m = trainSentimentModel(data, { maxFeatures: 5 });
    expect(Object.keys(m.weights).length).toBeLessThanOrEqual(5);
    // Each number occurs in three texts; every made-up word in thirty.
    const names = Object.keys(trainSentimentModel(data, { minCount: 4 }).weights);
    expect(names).not.toContain('17');
    expect(names).toContain('zorble');
  });

  it('explains a prediction by feature contributions', () => {
    const m = compileModel(trainSentimentModel(data));
    const c = featureContributions(m, analyzeText('gronky'), 0);
    expect(c[0]?.feature).toBe('gronky');
    expect(c[0]?.weight).toBeGreaterThan(0);
  });

  it('rejects a file that is not a model', () => {
    expect(() => compileModel({ format: 'x' } as never)).toThrow(/not an earshot sentiment model/);
  });

  it('checks a model file before use: shape, bias and weights', () => {
    const good = { format: 'earshot-sentiment', version: 1, classes: ['negative', 'neutral', 'positive'], bias: [0, 0, 0], weights: { ok: [1, 0, -1] }, meta: {} };
    expect(validateSentimentModel(good)).toBe(good);
    expect(() => validateSentimentModel(null, 'm.json')).toThrow(/m\.json is not an earshot sentiment model: not a JSON object/);
    expect(() => validateSentimentModel({ ...good, version: 2 })).toThrow(/format\/version/);
    expect(() => validateSentimentModel({ ...good, bias: [0, 0] })).toThrow(/bias/);
    expect(() => validateSentimentModel({ ...good, weights: { bad: [1, 'x', 0] } })).toThrow(/weights of 'bad'/);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('shipped model', () => {
  it('is found next to the package and is small', () => {
    const path = defaultModelPath();
    expect(path).toMatch(/models[\\/]sentiment\.json$/);
    expect(statSync(path as string).size).toBeLessThan(1_000_000);
  });

  it('is found from a module two levels deeper (the compiled dist/src/core layout)', () => {
    const here = new URL('../../src/core/model-files.ts', import.meta.url);
    const deeper = new URL('../../dist/src/core/model-files.js', import.meta.url);
    expect(defaultModelPath(deeper.href)).toBe(defaultModelPath(here.href));
  });

  it('loads and has the three classes', () => {
    const m = compileModel(readSentimentModel(defaultModelPath() as string));
    expect(m.model.classes).toEqual(['negative', 'neutral', 'positive']);
    expect(m.names.length).toBeGreaterThan(1000);
  });
});
