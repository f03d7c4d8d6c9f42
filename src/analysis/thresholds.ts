/** Threshold checks for cron jobs: each breach is data (metric, actual, limit); any breach means exit 1. */
import type { BrandSummary } from './types.js';

/** Limits a run is checked against. */
export interface Thresholds {
  /** Fail when the response rate is below this (0..1). */
  responseRate?: number;
  /** Fail when the median calendar time to first reply is above this many minutes. */
  medianReplyMinutes?: number;
  /** Fail when the negative share of scored customer mentions is above this (0..1). */
  negativeShare?: number;
}

/** One breached limit for one brand; the caller phrases it (it knows how the limit was set). */
export interface Breach {
  brand: string;
  metric: keyof Thresholds;
  actual: number;
  limit: number;
  /** responseRate: the counts behind the rate. */
  answered?: number;
  needingReply?: number;
}

/** Returns every breached threshold for a brand's figures (unknown figures never breach). */
export function checkThresholds(b: BrandSummary, t: Thresholds): Breach[] {
  const out: Breach[] = [];
  const r = b.response;
  if (t.responseRate !== undefined && r.rate !== null && r.rate < t.responseRate) {
    out.push({ brand: b.brand, metric: 'responseRate', actual: r.rate, limit: t.responseRate, answered: r.answered, needingReply: r.needingReply });
  }
  if (t.medianReplyMinutes !== undefined && r.medianMinutes !== null && r.medianMinutes > t.medianReplyMinutes) {
    out.push({ brand: b.brand, metric: 'medianReplyMinutes', actual: r.medianMinutes, limit: t.medianReplyMinutes });
  }
  const neg = b.sentiment.negativeShare;
  if (t.negativeShare !== undefined && neg !== null && neg > t.negativeShare) {
    out.push({ brand: b.brand, metric: 'negativeShare', actual: neg, limit: t.negativeShare });
  }
  return out;
}
