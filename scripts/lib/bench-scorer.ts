/**
 * The sentiment scorer alone, in this process: texts per CPU-second for each model family on the synthetic
 * mentions, routed by source and kind as analysis routes them, against the bare `sentiment` package on the same
 * texts in the same run (best of several passes after a warm-up; CPU time, so other load on a shared machine
 * does not pass for slowness).
 */
import Sentiment from 'sentiment';
import { domainFamily, mentionDomain, type SentimentFamily } from '../../src/analysis/sentiment-domain.js';
import { createSentimentScorer } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';
import { synthMentions } from './synth.js';

/** One measured rate: ours and the baseline's on the same texts. */
export interface ScorerRate {
  label: string;
  texts: number;
  ours: number;
  baseline: number;
}

function cpuRate<T>(items: readonly T[], fn: (item: T) => unknown, passes: number): number {
  for (let i = 0; i < Math.min(2000, items.length); i++) fn(items[i] as T);
  let best = 0;
  for (let pass = 0; pass < passes; pass++) {
    const start = process.cpuUsage();
    for (const item of items) fn(item);
    const used = process.cpuUsage(start);
    best = Math.max(best, items.length / ((used.user + used.system) / 1e6));
  }
  return best;
}

/** Rates for every family on its own share of `count` synthetic mentions, then for all of them as routed. */
export function benchScorer(count: number, passes: number, seed: number): ScorerRate[] {
  const byFamily = new Map<SentimentFamily, string[]>();
  const routed: { text: string; family: SentimentFamily }[] = [];
  for (const m of synthMentions({ count, seed })) {
    const family = domainFamily(mentionDomain(m));
    const text = m.title !== undefined ? `${m.title}\n${m.text}` : m.text;
    routed.push({ text, family });
    byFamily.set(family, [...(byFamily.get(family) ?? []), text]);
  }
  const afinn = new Sentiment();
  const scorer = createSentimentScorer(loadSentimentInputs());
  const out: ScorerRate[] = [];
  for (const family of ['tweet', 'comment', 'general'] as const) {
    const texts = byFamily.get(family) ?? [];
    if (texts.length === 0) continue;
    out.push({ label: `${family} family`, texts: texts.length, ours: cpuRate(texts, (t) => scorer(t, family), passes), baseline: cpuRate(texts, (t) => afinn.analyze(t), passes) });
  }
  // In mention order, as analysis scores them.
  const ours = cpuRate(routed, (r) => scorer(r.text, r.family), passes);
  out.push({ label: 'all, routed by domain', texts: routed.length, ours, baseline: cpuRate(routed, (r) => afinn.analyze(r.text), passes) });
  return out;
}
