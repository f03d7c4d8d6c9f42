import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prettyJsonArrayParts, renderJsonParts } from '../../src/report/json.js';
import type { Report } from '../../src/core/report.js';

/** A report-shaped object: renderJsonParts only relies on the keys and on `mentions` being an array. */
function report(mentions: unknown[], warnings: string[] = []): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'earshot', version: '0.0.0' },
    generatedAt: '2026-11-23T00:00:00.000Z',
    settings: { brands: [], brandHandles: [], timeZone: 'UTC', businessHours: '24/7' },
    coverage: [],
    summary: { overall: { brand: '(all)' }, brands: [] },
    warnings,
    mentions,
    breaches: [{ metric: 'rate' }],
  } as unknown as Report;
}

describe('renderJsonParts', () => {
  it('joins to exactly JSON.stringify(report, null, 2), whatever the mentions and warnings hold', () => {
    const tricky = [
      { id: 'a', text: 'line one\nline two "quoted" \u2028', tags: [], nested: { deep: [1, [2, {}]], empty: {} } },
      { id: 'b', text: '\n  "mentions": []', n: null },
    ];
    for (const r of [report(tricky, ['a warning with\n  "mentions": [] in it']), report([]), report([{}])]) {
      expect([...renderJsonParts(r)].join('')).toBe(`${JSON.stringify(r, null, 2)}\n`);
    }
  });

  it('yields one piece per mention, so no single string has to hold the whole report', () => {
    const mentions = Array.from({ length: 50 }, (_, i) => ({ id: `m${i}`, text: 'x'.repeat(100) }));
    const parts = [...renderJsonParts(report(mentions))];
    expect(parts.length).toBeGreaterThanOrEqual(50);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(1000);
  });
});

describe('prettyJsonArrayParts', () => {
  it('matches JSON.stringify(items, null, 2) for any JSON array', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), (items) => {
        expect([...prettyJsonArrayParts(items)].join('')).toBe(JSON.stringify(items, null, 2));
      }),
    );
  });
});
