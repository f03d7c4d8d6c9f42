import { describe, expect, it } from 'vitest';
import { detectSpikes } from '../../src/analysis/trends.js';

const day = (i: number): string => new Date(Date.parse('2026-11-10T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10);

describe('detectSpikes', () => {
  it('flags a latest day far above the trailing week', () => {
    const days = [5, 6, 4, 5, 6, 5, 4].map((count, i) => ({ date: day(i), count, negative: 1 }));
    days.push({ date: day(7), count: 30, negative: 3 });
    const spikes = detectSpikes(days);
    expect(spikes.map((s) => s.kind)).toEqual(['volume']);
    expect(spikes[0]!.baseline).toBeCloseTo(5, 1);
  });

  it('flags a jump in negative share even at normal volume', () => {
    const days = [10, 10, 10, 10, 10, 10, 10].map((count, i) => ({ date: day(i), count, negative: 1 }));
    days.push({ date: day(7), count: 10, negative: 6 });
    expect(detectSpikes(days).map((s) => [s.kind, s.value, s.baseline])).toEqual([['negative-share', 0.6, 0.1]]);
  });

  it('raises nothing without enough history or for small days, and counts missing days as zero', () => {
    expect(detectSpikes([{ date: day(0), count: 50, negative: 40 }])).toEqual([]);
    const quiet = [2, 3, 2, 3, 2, 3, 2].map((count, i) => ({ date: day(i), count, negative: 0 }));
    expect(detectSpikes([...quiet, { date: day(7), count: 4, negative: 4 }])).toEqual([]);
    // Three days of data 7 days back, then a gap: the gap days are zeros in the baseline.
    const sparse = [{ date: day(0), count: 5, negative: 0 }, { date: day(1), count: 5, negative: 0 }, { date: day(2), count: 5, negative: 0 }, { date: day(7), count: 12, negative: 0 }];
    expect(detectSpikes(sparse).map((s) => s.kind)).toEqual(['volume']);
  });
});
