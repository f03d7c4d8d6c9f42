/** Threshold breaches as sentences naming the flag and config key that set each limit. */
import type { Breach } from '../analysis/thresholds.js';

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** One sentence for a breach, as report.json's `breaches` and stderr show it. */
export function breachSentence(b: Breach): string {
  switch (b.metric) {
    case 'responseRate':
      return `${b.brand}: response rate ${pct(b.actual)} is under the threshold of ${pct(b.limit)} (--fail-under-response-rate or thresholds.responseRate; ${b.answered} of ${b.needingReply} answered).`;
    case 'medianReplyMinutes':
      return `${b.brand}: median first reply ${b.actual} min is over the threshold of ${b.limit} min (--fail-over-median-reply or thresholds.medianReply).`;
    case 'negativeShare':
      return `${b.brand}: negative share ${pct(b.actual)} is over the threshold of ${pct(b.limit)} (--fail-over-negative-share or thresholds.negativeShare).`;
    case 'sourceErrors':
      return `${b.actual} ${b.actual === 1 ? 'source' : 'sources'} failed: ${(b.sources ?? []).join(', ')} (--fail-on-source-error or thresholds.sourceErrors).`;
  }
}
