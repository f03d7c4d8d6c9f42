/**
 * Business-hours arithmetic under random schedules, zones (DST, half-hour and 45-minute offsets, southern
 * hemisphere), holidays and spans: the invariants every response-time figure relies on, plus the schedule
 * parser on random text (a schedule or a UsageError quoting the spec, and labels that parse back).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, type BusinessCalendar } from '../../src/analysis/business-hours.js';
import { parseBusinessHours, validateTimeZone } from '../../src/core/business-hours-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { params, timed } from './fuzz-settings.js';

const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Lord_Howe', // 30-minute DST shift
  'Australia/Sydney',
  'Asia/Kolkata',
  'Asia/Kathmandu', // +05:45
  'America/St_Johns', // -03:30 with DST
  'Pacific/Chatham', // +12:45 with DST
  'Pacific/Apia', // skipped a whole day in 2011
  'Africa/Casablanca', // DST suspended during Ramadan
  'Europe/Dublin', // negative DST in the tz database
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const clock = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** A schedule as text, built from random groups: day or day range, one or two windows (some overnight, some to 24:00). */
const scheduleSpec = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('24/7', 'always', 'Mon-Fri 09:00-17:00', 'weekdays 08:30-18:00', 'Fri 22:00-06:00', 'Sun-Thu 08:00-16:00') },
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.record({
          from: fc.nat({ max: 6 }),
          to: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
          windows: fc.array(fc.tuple(fc.nat({ max: 1439 }), fc.integer({ min: 1, max: 1440 })), { minLength: 1, maxLength: 2 }),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((groups) =>
        groups
          .map((g) => {
            const days = g.to === undefined ? DAYS[g.from]! : `${DAYS[g.from]}-${DAYS[g.to]}`;
            const ws = g.windows.map(([s, e]) => `${clock(s)}-${clock(s === e ? (e + 1) % 1440 : e)}`);
            return `${days} ${ws.join(', ')}`;
          })
          .join('; '),
      ),
  },
);

const holidays = fc.array(
  fc.date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2031-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  { maxLength: 6 },
);
const instant = fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') });

interface Setup {
  spec: string;
  zone: string;
  holidays: string[];
}
const setup = fc.record({ spec: scheduleSpec, zone: fc.constantFrom(...ZONES), holidays });

function calendarOf(s: Setup): BusinessCalendar | undefined {
  let schedule;
  try {
    schedule = parseBusinessHours(s.spec);
  } catch (err) {
    // Some random groups are refused (e.g. a day listed twice with clashing windows): that must be a UsageError.
    if (!(err instanceof UsageError)) throw err;
    return undefined;
  }
  return createBusinessCalendar({ schedule, timeZone: s.zone, holidays: s.holidays });
}

const bm = (cal: BusinessCalendar, a: number, b: number): number => timed('businessMillisBetween', () => cal.businessMillisBetween(new Date(a), new Date(b)));

describe('business-hours arithmetic', () => {
  it('open time is never negative, never more than calendar time, and adds up over any split point', () => {
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(setup, instant, instant, instant, (s, x, y, z) => {
        total += 1;
        const cal = calendarOf(s);
        if (!cal) return;
        accepted += 1;
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        const ab = bm(cal, a, b);
        const bc = bm(cal, b, c);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(b - a);
        expect(bm(cal, a, c)).toBe(ab + bc);
        expect(bm(cal, c, a)).toBe(0);
      }),
      params(),
    );
    // The generator must mostly produce schedules the parser accepts, or the arithmetic goes untested.
    expect(accepted / total).toBeGreaterThan(0.5);
  });

  it('long spans (the weekly shortcut) equal the sum of their 10-day pieces (the day-by-day path)', () => {
    fc.assert(
      fc.property(setup, instant, fc.integer({ min: 15, max: 400 }), (s, a, days) => {
        const cal = calendarOf(s);
        if (!cal) return;
        const end = a + days * 86_400_000 + (a % 3_600_000);
        let pieces = 0;
        for (let t = a; t < end; t += 10 * 86_400_000) pieces += bm(cal, t, Math.min(end, t + 10 * 86_400_000));
        expect(bm(cal, a, end)).toBe(pieces);
      }),
      params(0.3),
    );
  });

  it('isOpen, nextOpening and the millisecond after an instant agree', () => {
    fc.assert(
      fc.property(setup, instant, (s, a) => {
        const cal = calendarOf(s);
        if (!cal) return;
        const at = new Date(a);
        const open = cal.isOpen(at);
        expect(bm(cal, a, a + 1)).toBe(open ? 1 : 0);
        const next = timed('nextOpening', () => cal.nextOpening(at));
        if (open) expect(next?.getTime()).toBe(a);
        if (next !== undefined) {
          expect(next.getTime()).toBeGreaterThanOrEqual(a);
          expect(cal.isOpen(next)).toBe(true);
          // Nothing is open between the instant and the next opening.
          expect(bm(cal, a, next.getTime())).toBe(0);
        }
      }),
      params(),
    );
  });

  it('24/7 without holidays is calendar time in every zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, instant, (zone, x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const cal = createBusinessCalendar({ schedule: parseBusinessHours('24/7'), timeZone: zone });
        expect(cal.is24x7).toBe(true);
        expect(bm(cal, a, b)).toBe(b - a);
      }),
      params(0.5),
    );
  });

  it('labels parse back to the same schedule', () => {
    fc.assert(
      fc.property(scheduleSpec, (spec) => {
        let s;
        try {
          s = parseBusinessHours(spec);
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          return;
        }
        expect(parseBusinessHours(s.label).days).toEqual(s.days);
      }),
      params(),
    );
  });
});

describe('schedule, zone and holiday parsing on random text', () => {
  const TOKENS = ['Mon', 'fri', 'Sunday', 'weekdays', 'weekend', 'daily', '-', '–', ',', ';', ' ', '09:00', '17:00', '24:00', '25:00', '9:5', '00:00', '23:59', '24/7', 'always', 'x'];
  const text = fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((t) => t.join('')), fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((t) => t.join(' ')));

  it('a schedule, or a UsageError that quotes the spec and shows an example', () => {
    fc.assert(
      fc.property(text, (spec) => {
        try {
          const s = timed('parseBusinessHours', () => parseBusinessHours(spec));
          expect(s.days).toHaveLength(7);
          for (const day of s.days) for (const w of day) expect(0 <= w.start && w.start < w.end && w.end <= 1440).toBe(true);
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('hang:')) throw err;
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).toContain(`'${spec}'`);
          expect((err as Error).message).toMatch(/for example|e\.g\./);
        }
      }),
      params(),
    );
  });

  it('time zones and holidays: accepted, or a UsageError quoting the bad value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...ZONES, 'europe/paris', 'US/Eastern', 'Etc/GMT+3', 'Mars/Base')), fc.string({ maxLength: 12 }), (zone, day) => {
        try {
          expect(typeof validateTimeZone(zone)).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).toContain(`'${zone}'`);
        }
        try {
          createBusinessCalendar({ schedule: parseBusinessHours('24/7'), holidays: [day] });
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
          expect((err as Error).message).toContain(`'${day}'`);
        }
      }),
      params(),
    );
  });
});
