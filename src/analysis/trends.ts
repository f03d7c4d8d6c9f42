/** Trends over days: spike detection against a trailing baseline. */
import type { Spike } from './types.js';

/** Days of trailing baseline a day is compared with. */
const SPIKE_BASELINE_DAYS = 7;

/**
 * Flags the latest day when it stands out from the 7 days before it (days with no mentions count as 0):
 * - volume: count > mean + 3σ of the baseline, and at least 1.5 × the mean and 5 mentions;
 * - negative share: share > baseline share + 0.2 (pooled over the baseline days), with at least 5 mentions.
 * Needs at least 3 baseline days with data, so a brand-new audit raises nothing.
 */
export function detectSpikes(byDay: readonly { date: string; count: number; negative: number }[]): Spike[] {
  if (byDay.length === 0) return [];
  const last = byDay[byDay.length - 1]!;
  const counts = new Map(byDay.map((d) => [d.date, d]));
  const baseline: { count: number; negative: number }[] = [];
  for (let i = 1; i <= SPIKE_BASELINE_DAYS; i += 1) {
    const date = new Date(Date.parse(`${last.date}T00:00:00Z`) - i * 86_400_000).toISOString().slice(0, 10);
    baseline.push(counts.get(date) ?? { count: 0, negative: 0 });
  }
  if (baseline.filter((d) => d.count > 0).length < 3) return [];
  const spikes: Spike[] = [];
  const mean = baseline.reduce((n, d) => n + d.count, 0) / baseline.length;
  const sd = Math.sqrt(baseline.reduce((n, d) => n + (d.count - mean) ** 2, 0) / baseline.length);
  if (last.count >= 5 && last.count > mean + 3 * sd && last.count >= 1.5 * mean) {
    spikes.push({ date: last.date, kind: 'volume', value: last.count, baseline: round2(mean), message: `Volume spike on ${last.date}: ${last.count} mentions against a 7-day mean of ${round2(mean)}.` });
  }
  const baseCount = baseline.reduce((n, d) => n + d.count, 0);
  const baseShare = baseCount === 0 ? 0 : baseline.reduce((n, d) => n + d.negative, 0) / baseCount;
  const share = last.count === 0 ? 0 : last.negative / last.count;
  if (last.count >= 5 && share > baseShare + 0.2) {
    spikes.push({
      date: last.date,
      kind: 'negative-share',
      value: round2(share),
      baseline: round2(baseShare),
      message: `Negative spike on ${last.date}: ${Math.round(share * 100)}% negative against ${Math.round(baseShare * 100)}% over the previous 7 days.`,
    });
  }
  return spikes;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
