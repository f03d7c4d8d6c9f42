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
  /** Fail when any source failed (a cron job must notice a broken source); checked on the coverage, not on figures. */
  sourceErrors?: boolean;
}

/** A figure threshold that could not be checked because the figure is undefined (0 of 0: nothing to measure). */
export interface Unevaluated {
  brand: string;
  metric: Exclude<keyof Thresholds, 'sourceErrors'>;
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
  /** sourceErrors: the sources that failed (`actual` is how many). */
  sources?: string[];
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

/** The thresholds set for figures this brand has no value for: "not evaluated", never passed. */
export function unevaluatedThresholds(b: BrandSummary, t: Thresholds): Unevaluated[] {
  const out: Unevaluated[] = [];
  if (t.responseRate !== undefined && b.response.rate === null) out.push({ brand: b.brand, metric: 'responseRate' });
  if (t.medianReplyMinutes !== undefined && b.response.medianMinutes === null) out.push({ brand: b.brand, metric: 'medianReplyMinutes' });
  if (t.negativeShare !== undefined && b.sentiment.negativeShare === null) out.push({ brand: b.brand, metric: 'negativeShare' });
  return out;
}
