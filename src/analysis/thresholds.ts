/** Threshold checks for cron jobs: each breach is one sentence, and any breach means exit 1. */
import type { BrandSummary } from './types.js';

/** Limits from --fail-* flags or the config's `thresholds`. */
export interface Thresholds {
  /** Fail when the response rate is below this (0..1). */
  responseRate?: number;
  /** Fail when the median calendar time to first reply is above this many minutes. */
  medianReplyMinutes?: number;
  /** Fail when the negative share of scored customer mentions is above this (0..1). */
  negativeShare?: number;
}

/** Returns one sentence per breached threshold for a brand's figures. */
export function checkThresholds(b: BrandSummary, t: Thresholds): string[] {
  const out: string[] = [];
  const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
  const r = b.response;
  if (t.responseRate !== undefined && r.rate !== null && r.rate < t.responseRate) {
    out.push(`${b.brand}: response rate ${pct(r.rate)} is under the threshold of ${pct(t.responseRate)} (--fail-under-response-rate or thresholds.responseRate; ${r.answered} of ${r.needingReply} answered).`);
  }
  if (t.medianReplyMinutes !== undefined && r.medianMinutes !== null && r.medianMinutes > t.medianReplyMinutes) {
    out.push(`${b.brand}: median first reply ${r.medianMinutes} min is over the threshold of ${t.medianReplyMinutes} min (--fail-over-median-reply or thresholds.medianReply).`);
  }
  const neg = b.sentiment.negativeShare;
  if (t.negativeShare !== undefined && neg !== null && neg > t.negativeShare) {
    out.push(`${b.brand}: negative share ${pct(neg)} is over the threshold of ${pct(t.negativeShare)} (--fail-over-negative-share or thresholds.negativeShare).`);
  }
  return out;
}
