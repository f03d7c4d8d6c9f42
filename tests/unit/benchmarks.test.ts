import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applicableBenchmarks, BENCHMARKS } from '../../src/report/benchmarks.js';
import { analyze } from '../../src/index.js';
import type { BrandSummary } from '../../src/core/report.js';
import { brandReply, mention } from '../helpers/make-mention.js';

/** A brand summary with only the response figures benchmarks read. */
function brand(r: Partial<BrandSummary['response']>): BrandSummary {
  return { brand: 'Acme', response: { needingReply: 10, answered: 3, rate: 0.3, medianMinutes: 120, answeredWithin: { minutes15: 1, hour1: 2, days2: 3 }, ...r } } as unknown as BrandSummary;
}

describe('published benchmarks', () => {
  it("says the brand's figure against each: the brief's Brandwatch sentence, word for word", () => {
    const out = applicableBenchmarks(brand({}));
    expect(out.find((c) => c.id === 'brandwatch-2015-tagged')).toMatchObject({ value: 0.3, benchmark: 0.466, standing: 'worse', text: "answered 30%: below the 46.6% of retailers in Brandwatch's 2015 test" });
    expect(out.find((c) => c.id === 'sprout-2016-response-rate')).toMatchObject({ standing: 'better', text: 'answered 30%: above the ~10% of messages brands answered in the Sprout Social Index 2016' });
    // Lower is better for time: 2h against Sprout's ~10h is faster.
    expect(out.find((c) => c.id === 'sprout-2016-reply-time')).toMatchObject({ value: 120, standing: 'better', text: 'median first reply 2h: faster than the ~10h mean reply in the Sprout Social Index 2016' });
    expect(out.find((c) => c.id === 'facebook-very-responsive')).toMatchObject({ value: 0.1, standing: 'worse' });
    expect(out.find((c) => c.id === 'arise-2017-one-hour')).toMatchObject({ value: 0.2, benchmark: 0.498 });
    // No reviews: the review benchmark does not apply.
    expect(out.map((c) => c.id)).not.toContain('brightlocal-review-two-days');
  });

  it('is level within half a point, and applies the review benchmark only to reviews', () => {
    const out = applicableBenchmarks(brand({ rate: 0.652, reviews: { needingReply: 4, answered: 3, withinDays2: 3 } }));
    expect(out.find((c) => c.id === 'socialbakers-socially-devoted')?.standing).toBe('level');
    expect(out.find((c) => c.id === 'brightlocal-review-two-days')).toMatchObject({ value: 0.75, standing: 'better', text: 'reviews answered in 2 days 75%: above the 59% of consumers who expect a review reply in 2 days (BrightLocal)' });
  });

  it('compares nothing a brand has no figure for: 0 of 0 is no response rate', () => {
    const out = applicableBenchmarks(brand({ needingReply: 0, answered: 0, rate: null, medianMinutes: null, answeredWithin: { minutes15: 0, hour1: 0, days2: 0 } }));
    expect(out).toEqual([]);
  });

  it('every benchmark names source, year, method, sample and the https page it was checked on, and docs/benchmarks.md cites it', () => {
    const docs = readFileSync(new URL('../../docs/benchmarks.md', import.meta.url), 'utf8');
    expect(new Set(BENCHMARKS.map((b) => b.id)).size).toBe(BENCHMARKS.length);
    for (const b of BENCHMARKS) {
      expect(b.url, b.id).toMatch(/^https:\/\//);
      expect(b.year, b.id).toBeGreaterThan(2010);
      for (const f of [b.source, b.method, b.sample, b.phrase]) expect(f.length, b.id).toBeGreaterThan(5);
      expect(docs, b.id).toContain(b.id);
      expect(docs, b.id).toContain(b.url);
    }
  });

  it('the report carries them per brand, and benchmarks: false leaves them out', async () => {
    const ms = [mention('c1', '2026-11-17T10:00:00Z', 'The app is broken, terrible.'), brandReply('r1', '2026-11-17T10:10:00Z', 'c1'), mention('c2', '2026-11-17T11:00:00Z', 'Still broken, awful support.')];
    const now = new Date('2026-11-18T00:00:00Z');
    const on = await analyze(ms, { now, brand: 'Acme' });
    const acme = on.summary.brands.find((b) => b.brand === 'Acme')!;
    expect(acme.benchmarks?.find((c) => c.id === 'facebook-very-responsive')).toMatchObject({ value: 0.5, standing: 'worse' });
    expect(on.summary.overall.benchmarks?.length).toBeGreaterThan(0);
    const off = await analyze(ms, { now, brand: 'Acme', benchmarks: false });
    expect(off.summary.brands[0]!.benchmarks).toBeUndefined();
    expect(JSON.stringify(off)).not.toContain('"benchmarks"');
  });
});
