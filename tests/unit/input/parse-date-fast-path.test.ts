import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../src/input/values.js';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

describe('parseDate canonical fast path', () => {
  it('answers YYYY-MM-DDTHH:MM:SS.sssZ exactly as the general parser does (a leading blank forces the general path)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }),
        (y, mo, d, h, mi, s, ms) => {
          const iso = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
          expect(parseDate(iso)).toBe(parseDate(` ${iso}`));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('keeps the rewrites the general parser makes', () => {
    expect(parseDate('2024-02-29T10:00:00.000Z')).toBe('2024-02-29T10:00:00.000Z');
    expect(parseDate('2023-02-29T10:00:00.000Z')).toBeUndefined();
    expect(parseDate('2024-01-01T24:00:00.000Z')).toBe('2024-01-02T00:00:00.000Z');
    expect(parseDate('2016-12-31T23:59:60.000Z')).toBe('2016-12-31T23:59:59.000Z');
    expect(parseDate('0000-01-01T00:00:00.000Z')).toBeUndefined();
  });
});
