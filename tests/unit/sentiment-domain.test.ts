import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMention } from '../../src/analysis/reading.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { domainFamily, mentionDomain } from '../../src/analysis/sentiment-domain.js';
import { blendModels, compileBlends, type CompiledModel, type SentimentModel } from '../../src/analysis/sentiment-model.js';
import { commentModelPath, defaultModelPath, loadSentimentInputs, readSentimentModel } from '../../src/core/model-files.js';

const { lexicon } = loadSentimentInputs();

/** A one-word model: "zorble" reads as `label`, everything else leans neutral. */
function oneWord(label: 0 | 2): SentimentModel {
  const w = [0, 0, 0];
  w[label] = 5;
  return { format: 'earshot-sentiment', version: 1, classes: ['negative', 'neutral', 'positive'], bias: [0, 0.1, 0], weights: { zorble: w }, meta: {} };
}

describe('mentionDomain', () => {
  it('names the domain from source and kind', () => {
    expect(mentionDomain({ source: 'twitter', kind: 'post' })).toBe('tweet');
    expect(mentionDomain({ source: 'bluesky', kind: 'comment' })).toBe('tweet');
    expect(mentionDomain({ source: 'reddit', kind: 'comment' })).toBe('comment');
    expect(mentionDomain({ source: 'reddit', kind: 'post' })).toBe('comment');
    expect(mentionDomain({ source: 'hn', kind: 'comment' })).toBe('comment');
    expect(mentionDomain({ source: 'trustpilot', kind: 'review' })).toBe('review');
    expect(mentionDomain({ source: 'twitter', kind: 'review' })).toBe('review');
    expect(mentionDomain({ source: 'discourse', kind: 'post' })).toBe('forum');
    expect(mentionDomain({ source: 'stackexchange', kind: 'comment' })).toBe('forum');
    expect(mentionDomain({ source: 'github', kind: 'post' })).toBe('issue');
    // A generic export's posts are read as tweets (the model earshot shipped before), its comments as comments.
    expect(mentionDomain({ source: 'csv', kind: 'post' })).toBe('tweet');
    expect(mentionDomain({ source: 'csv', kind: 'comment' })).toBe('comment');
  });

  it('sends tweets and comments to their own family, and domains without labelled data to the general one', () => {
    expect(domainFamily('tweet')).toBe('tweet');
    expect(domainFamily('comment')).toBe('comment');
    for (const d of ['review', 'forum', 'issue'] as const) expect(domainFamily(d)).toBe('general');
  });
});

describe('scoring by family', () => {
  const scorer = createSentimentScorer({ model: oneWord(0), families: { comment: oneWord(2), general: oneWord(2) }, lexicon });

  it('scores with the family model asked for, and the default model otherwise', () => {
    expect(scorer('zorble', 'tweet').label).toBe('negative');
    expect(scorer('zorble', 'comment').label).toBe('positive');
    expect(scorer('zorble').label).toBe('negative');
  });

  it('falls back to the default model for a family without one', () => {
    const single = createSentimentScorer({ model: oneWord(2), lexicon });
    expect(single('zorble', 'comment').label).toBe('positive');
  });

  it('reads a mention with the model of its domain', () => {
    const at = { text: 'zorble', title: undefined };
    expect(readMention({ ...at, source: 'reddit', kind: 'comment' }, scorer).sentiment.label).toBe('positive');
    expect(readMention({ ...at, source: 'twitter', kind: 'post' }, scorer).sentiment.label).toBe('negative');
    expect(readMention({ ...at, source: 'github', kind: 'post' }, scorer).sentiment.label).toBe('positive');
    expect(readMention({ text: 'zorble' }, scorer).sentiment.label).toBe('negative');
  });
});

describe('the shipped models', () => {
  const shipped = createSentimentScorer(loadSentimentInputs());

  it('loads a model per family, each file under 5 MB and saying which family it is', () => {
    const { families } = loadSentimentInputs();
    expect(families.comment).toBeDefined();
    expect(families.general).toBeDefined();
    const tweetPath = defaultModelPath() as string;
    for (const [path, family] of [[tweetPath, 'tweet'], [commentModelPath(tweetPath), 'comment']] as const) {
      expect(statSync(path).size).toBeLessThan(5 * 2 ** 20);
      expect(readSentimentModel(path).meta['family']).toBe(family);
    }
  });

  it('reads reviews and issues with the general family, which knows products and support from both data sets', () => {
    expect(shipped('Great product, would buy again', 'general').label).toBe('positive');
    expect(shipped('The app keeps crashing and support never answers', 'general').label).toBe('negative');
    expect(shipped('The new dashboard is slow and confusing', 'general').label).toBe('negative');
    // The airline model learnt "outage" as a complaint; the general family does not call this one negative.
    expect(shipped('Two months without a single outage on our API.', 'tweet').label).toBe('negative');
    expect(shipped('Two months without a single outage on our API.', 'general').label).not.toBe('negative');
  });
});

describe('blendModels', () => {
  it('averages weights and bias over the union of features', () => {
    const a = oneWord(0);
    const b = { ...oneWord(2), weights: { zorble: [0, 0, 5], gronk: [2, 0, 0] } };
    const m = blendModels(a, b, { family: 'general' });
    expect(m.weights).toEqual({ gronk: [1, 0, 0], zorble: [2.5, 0, 2.5] });
    expect(m.bias).toEqual([0, 0.1, 0]);
    expect(m.meta).toEqual({ family: 'general' });
  });
});

describe('compileBlends', () => {
  it('scores exactly as each blend compiled on its own, sharing the feature tables', () => {
    const a = { ...oneWord(2), weights: { zorble: [0, 0, 5], gronk: [2, 0, -1] } };
    const b = { ...oneWord(0), bias: [0.3, 0, -0.2] };
    const [seven, half] = compileBlends(a, b, lexicon, [{ share: 0.7, meta: { family: 'comment' } }, { share: 0.5, meta: { family: 'general' } }]);
    expect(seven?.vocab).toBe(half?.vocab);
    for (const [compiled, share] of [[seven, 0.7], [half, 0.5]] as const) {
      const alone = createSentimentScorer({ model: blendModels(a, b, {}, share), lexicon });
      const blended = createSentimentScorer({ model: compiled as CompiledModel, lexicon });
      for (const t of ['zorble', 'gronk zorble', 'gronk', 'nothing here']) expect(blended(t)).toEqual(alone(t));
      expect(compiled?.model.weights).toEqual({});
    }
    expect(half?.model.meta).toEqual({ family: 'general' });
  });
});

describe('explain by domain', () => {
  it('names the domain and the family that scored the text', async () => {
    const { explain, formatExplanation } = await import('../../src/analysis/sentiment-explain.js');
    const inputs = loadSentimentInputs();
    const text = 'Two months without a single outage on our API.';
    const asReview = explain(text, { ...inputs, domain: 'review' });
    expect(asReview).toMatchObject({ domain: 'review', family: 'general' });
    expect(asReview.label).toBe(createSentimentScorer(inputs)(text, 'general').label);
    const bare = explain(text, inputs);
    expect(bare.domain).toBeUndefined();
    expect(bare.family).toBe('tweet');
    expect(formatExplanation(asReview)).toContain('domain:      review → general model');
  });
});
