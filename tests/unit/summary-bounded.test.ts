import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantile, ValueCounts } from '../../src/analysis/stats.js';
import { countWhileWaiting, WaitingIntervals } from '../../src/analysis/summary.js';

// The summary keeps counts and merged intervals instead of every value; these check they answer exactly like the lists.

const tenths = fc.integer({ min: 0, max: 3000 }).map((n) => n / 10);

describe('ValueCounts', () => {
  it('gives the same quantiles as the list of every value', () => {
    fc.assert(
      fc.property(fc.array(tenths, { maxLength: 60 }), fc.constantFrom(0, 0.1, 0.5, 0.9, 1), (values, q) => {
        const counts = new ValueCounts();
        for (const v of values) counts.push(v);
        expect(counts.length).toBe(values.length);
        expect(counts.quantile(q)).toBe(quantile(values, q));
      }),
    );
  });

  it('interpolates across two distinct values and counts repeats', () => {
    const counts = new ValueCounts();
    for (const v of [5, 5, 5, 1]) counts.push(v);
    // Sorted: 1 5 5 5 → median between ranks 1 and 2 (5 and 5), p10 between 1 and 5.
    expect(counts.quantile(0.5)).toBe(5);
    expect(counts.quantile(0.1)).toBe(2.2);
    expect([...counts.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 1],
      [5, 3],
    ]);
    expect(new ValueCounts().quantile(0.5)).toBeNull();
  });

  it('keeps values that are not whole tenths, and NaN, exactly too', () => {
    const values = [0.05, 1e12, 2.5, 1 / 3, Number.NaN, 0.1, 0.1];
    const counts = new ValueCounts();
    for (const v of values) counts.push(v);
    for (const q of [0, 0.2, 0.5, 0.7, 1]) expect(counts.quantile(q)).toBe(quantile(values, q));
  });
});

describe('WaitingIntervals', () => {
  const NOW = 1000;
  // Intervals the way the summary makes them: [created, max(created, reply)) or [created, now) when unanswered.
  const interval = fc.tuple(fc.integer({ min: 0, max: 1200 }), fc.option(fc.integer({ min: 0, max: 300 }))).map(([created, wait]) => [created, wait === null ? NOW : created + wait] as const);

  it('counts broadcasts exactly like the lists of every start and end', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 1600 }), { maxLength: 30 }), (intervals, broadcasts) => {
        const w = new WaitingIntervals(NOW);
        for (const [s, e] of intervals) w.add(s, e);
        const expected = countWhileWaiting(
          Float64Array.from(broadcasts),
          Float64Array.from(intervals.map((i) => i[0])),
          Float64Array.from(intervals.map((i) => i[1])),
        );
        expect(w.countWhileWaiting(Float64Array.from(broadcasts))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps overlapping and touching intervals as one, out of order too', () => {
    const w = new WaitingIntervals(NOW);
    w.add(100, 200);
    w.add(300, 400);
    w.add(10, 20);
    expect(w.unionSize).toBe(3);
    w.add(200, 300); // touches both neighbours: [100, 400)
    expect(w.unionSize).toBe(2);
    w.add(5, 500);
    expect(w.unionSize).toBe(1);
    expect(w.countWhileWaiting(Float64Array.of(4, 5, 499, 500))).toBe(2);
  });

  it('subtracts a complaint made after the audit clock, as the lists do', () => {
    const w = new WaitingIntervals(NOW);
    w.add(900, 1100); // reply after now: +1 on [900, 1100)
    w.add(1050, NOW); // unanswered, created after now: −1 on [1000, 1050)
    expect(w.countWhileWaiting(Float64Array.of(950, 1020, 1060))).toBe(2);
  });
});
