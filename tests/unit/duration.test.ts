import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration, parseTimeBound } from '../../src/core/duration.js';
import { usageMessage } from '../helpers/expect-error.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;


describe('parseDuration', () => {
  it('reads single and combined units', () => {
    expect(parseDuration('90s', '--x')).toBe(90 * S);
    expect(parseDuration('45m', '--x')).toBe(45 * M);
    expect(parseDuration('1h', '--x')).toBe(H);
    expect(parseDuration('1h30m', '--x')).toBe(90 * M);
    expect(parseDuration('1h 30m', '--x')).toBe(90 * M);
    expect(parseDuration('2d', '--x')).toBe(2 * D);
    expect(parseDuration('1w', '--x')).toBe(7 * D);
    expect(parseDuration('1.5h', '--x')).toBe(90 * M);
    expect(parseDuration('2 hours', '--x')).toBe(2 * H);
    expect(parseDuration('4H', '--x')).toBe(4 * H);
    expect(parseDuration('0m', '--x')).toBe(0);
  });

  it('rejects a bare number, naming the flag and giving an example', () => {
    const message = usageMessage(() => parseDuration('90', '--reply-target'));
    expect(message).toContain('--reply-target');
    expect(message).toContain("'90'");
    expect(message).toContain('no unit');
    expect(message).toContain('90m');
  });

  it('rejects garbage, unknown units, repeated units and negatives', () => {
    for (const bad of ['', 'soon', '1y', '1mo', '1h1h', '-1h', '1h-', 'h1', '1 h x']) {
      const message = usageMessage(() => parseDuration(bad, '--fail-over-median-reply'));
      expect(message).toContain('--fail-over-median-reply');
      expect(message).toMatch(/e\.g\. 45m/);
    }
  });

  it('round-trips generated durations', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(23), fc.nat(59), fc.nat(59), (d, h, m, s) => {
        const text = `${d}d${h}h${m}m${s}s`;
        expect(parseDuration(text, '--x')).toBe(d * D + h * H + m * M + s * S);
      }),
    );
  });
});

describe('parseTimeBound', () => {
  const now = new Date('2026-11-23T09:00:00Z');

  it('reads now and relative durations as now minus that', () => {
    expect(parseTimeBound('now', now, '--until').toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(parseTimeBound('30d', now, '--since').toISOString()).toBe('2026-10-24T09:00:00.000Z');
    expect(parseTimeBound('12h', now, '--since').toISOString()).toBe('2026-11-22T21:00:00.000Z');
    expect(parseTimeBound('1w', now, '--since').toISOString()).toBe('2026-11-16T09:00:00.000Z');
  });

  it('reads ISO dates as 00:00 UTC', () => {
    expect(parseTimeBound('2026-11-01', now, '--since').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseTimeBound('2024-02-29', now, '--since').toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });

  it('reads ISO datetimes with a zone', () => {
    expect(parseTimeBound('2026-11-01T09:30:00Z', now, '--since').toISOString()).toBe('2026-11-01T09:30:00.000Z');
    expect(parseTimeBound('2026-11-01T09:30Z', now, '--since').toISOString()).toBe('2026-11-01T09:30:00.000Z');
    expect(parseTimeBound('2026-11-01T09:30:00+02:00', now, '--since').toISOString()).toBe('2026-11-01T07:30:00.000Z');
    expect(parseTimeBound('2026-11-01 09:30:00-0500', now, '--since').toISOString()).toBe('2026-11-01T14:30:00.000Z');
    expect(parseTimeBound('2026-11-01T09:30:00.250Z', now, '--since').toISOString()).toBe('2026-11-01T09:30:00.250Z');
    expect(parseTimeBound('2026-11-01T05:30:00+05:30', now, '--since').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('does not mutate or alias now', () => {
    const bound = parseTimeBound('now', now, '--until');
    expect(bound).not.toBe(now);
  });

  it('rejects bad bounds naming the flag', () => {
    const cases: Array<[string, string]> = [
      ['30', 'no unit'],
      ['2026-02-30', 'not a real date'],
      ['2026-13-01', 'not a real date'],
      ['2026-11-01T09:30', 'no time zone'],
      ['2026-11-01T25:00Z', 'not a real date'],
      ['2026-11-01T09:00+25:00', 'bad offset'],
      ['yesterday', 'not a time'],
      ['30x', 'not a time'],
      ['', 'not a time'],
    ];
    for (const [text, why] of cases) {
      const message = usageMessage(() => parseTimeBound(text, now, '--since'));
      expect(message).toContain('--since');
      expect(message).toContain(why);
    }
  });
});

describe('formatDuration', () => {
  it('prints compact text for tables', () => {
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(20 * S)).toBe('<1m');
    expect(formatDuration(45 * M)).toBe('45m');
    expect(formatDuration(3 * H + 20 * M)).toBe('3h 20m');
    expect(formatDuration(3 * H)).toBe('3h');
    expect(formatDuration(2 * D + 4 * H)).toBe('2d 4h');
    expect(formatDuration(2 * D)).toBe('2d');
    expect(formatDuration(63.5 * H)).toBe('2d 16h');
  });

  it('rounds and carries into the next unit', () => {
    expect(formatDuration(59 * M + 40 * S)).toBe('1h');
    expect(formatDuration(23 * H + 59 * M + 40 * S)).toBe('1d');
    expect(formatDuration(89 * S)).toBe('1m');
    expect(formatDuration(2 * D + 23 * H + 45 * M)).toBe('3d');
  });

  it('handles negative and non-finite values', () => {
    expect(formatDuration(-45 * M)).toBe('-45m');
    expect(formatDuration(Number.NaN)).toBe('n/a');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('n/a');
  });

  it('never prints more than two units and stays within rounding of the input', () => {
    fc.assert(
      fc.property(fc.integer({ min: M, max: 400 * D }), (ms) => {
        const text = formatDuration(ms);
        expect(text).toMatch(/^\d+[dhm]( \d+[hm])?$/);
        const back = parseDuration(text.replace(' ', ''), '--x');
        const tolerance = ms < D ? M / 2 : H / 2;
        expect(Math.abs(back - ms)).toBeLessThanOrEqual(tolerance);
      }),
    );
  });
});
