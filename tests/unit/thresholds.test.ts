import { describe, expect, it } from 'vitest';
import { checkThresholds } from '../../src/analysis/thresholds.js';
import type { BrandSummary } from '../../src/core/report.js';
import { breachSentence } from '../../src/cli/breach-text.js';

const brand = { brand: 'Acme', response: { rate: 0.6, answered: 6, needingReply: 10, medianMinutes: 300 }, sentiment: { negativeShare: 0.35 } } as unknown as BrandSummary;

describe('checkThresholds', () => {
  it('returns each breached threshold as data', () => {
    expect(checkThresholds(brand, { responseRate: 0.8, negativeShare: 0.3 })).toEqual([
      { brand: 'Acme', metric: 'responseRate', actual: 0.6, limit: 0.8, answered: 6, needingReply: 10 },
      { brand: 'Acme', metric: 'negativeShare', actual: 0.35, limit: 0.3 },
    ]);
  });

  it('the CLI phrases one sentence per breach, naming the flag and both values', () => {
    expect(checkThresholds(brand, { responseRate: 0.8, medianReplyMinutes: 240, negativeShare: 0.3 }).map(breachSentence)).toEqual([
      'Acme: response rate 60% is under the threshold of 80% (--fail-under-response-rate or thresholds.responseRate; 6 of 10 answered).',
      'Acme: median first reply 300 min is over the threshold of 240 min (--fail-over-median-reply or thresholds.medianReply).',
      'Acme: negative share 35% is over the threshold of 30% (--fail-over-negative-share or thresholds.negativeShare).',
    ]);
  });

  it('passes at the limits and when a figure is unknown', () => {
    expect(checkThresholds(brand, { responseRate: 0.6, medianReplyMinutes: 300, negativeShare: 0.35 })).toEqual([]);
    const empty = { brand: 'Acme', response: { rate: null, medianMinutes: null }, sentiment: { negativeShare: null } } as unknown as BrandSummary;
    expect(checkThresholds(empty, { responseRate: 0.9, medianReplyMinutes: 1, negativeShare: 0 })).toEqual([]);
  });
});
