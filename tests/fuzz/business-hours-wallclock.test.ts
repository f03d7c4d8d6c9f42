/**
 * Business-hours arithmetic checked against an independent route: each minute's local wall clock read
 * through Intl and matched against the schedule (random schedules, DST days, far-fetched dates). The
 * general invariants (additivity, bounds, 24/7) are in business-hours.test.ts beside this file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, type BusinessCalendar } from '../../src/analysis/business-hours.js';
import { parseBusinessHours, type WeeklySchedule } from '../../src/core/business-hours-spec.js';
import { params } from './fuzz-settings.js';

const MIN = 60_000;
const DAY = 86_400_000;

function cal(spec: string, timeZone = 'UTC', holidays: string[] = []): BusinessCalendar {
  return createBusinessCalendar({ schedule: parseBusinessHours(spec), timeZone, holidays });
}

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'] as const;
const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Transition instants of the test zones, to aim spans at. */
const TRANSITIONS = [
  '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z',
  '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z',
  '2026-04-04T16:00:00Z', '2026-10-03T16:00:00Z',
].map(Date.parse);

/**
 * A random schedule spec: per weekday 0-2 windows, possibly overnight. Boundaries are on whole hours in
 * DST zones (no boundary falls strictly inside a repeated hour), on quarter hours elsewhere.
 */
function scheduleArb(step: number): fc.Arbitrary<string> {
  const slots = 1440 / step;
  const window = fc.tuple(fc.integer({ min: 0, max: slots - 1 }), fc.integer({ min: 1, max: slots })).filter(([s, e]) => s !== e % slots);
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: 6 }), window), { minLength: 1, maxLength: 8 })
    .map((groups) => groups.map(([d, [s, e]]) => `${DAY_SHORT[d]} ${hhmm(s * step)}-${hhmm(e * step)}`).join('; '));
}

const zoneArb = fc.constantFrom(...ZONES);
const caseArb = zoneArb.chain((zone) =>
  fc.record({
    zone: fc.constant(zone),
    spec: scheduleArb(zone === 'UTC' || zone === 'Asia/Kolkata' ? 15 : 60),
    holidays: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }).map((ds) =>
      ds.map((d) => new Date(Date.parse('2026-01-01') + d * DAY).toISOString().slice(0, 10)),
    ),
  }),
);

/** An instant in 2026 or near one of its DST transitions, whole minutes. */
const instantArb = fc.oneof(
  fc.integer({ min: 0, max: 400 * 1440 }).map((m) => Date.parse('2025-12-01') + m * MIN),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2880, max: 2880 })).map(([t, m]) => t + m * MIN),
);

const calendars = new Map<string, BusinessCalendar>();
function calendarFor(zone: string, spec: string, holidays: string[]): BusinessCalendar {
  const key = `${zone}|${spec}|${holidays.join(',')}`;
  let c = calendars.get(key);
  if (!c) {
    c = cal(spec, zone, holidays);
    calendars.set(key, c);
  }
  return c;
}

/** Independent route: read the local wall clock of each minute through Intl and check it against the schedule. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();
function bruteOpen(schedule: WeeklySchedule, zone: string, holidays: Set<string>, t: number): boolean {
  let f = wallClocks.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    wallClocks.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  if (holidays.has(`${p.year}-${p.month}-${p.day}`)) return false;
  const weekday = DAY_SHORT.indexOf(p.weekday ?? '');
  const minute = Number(p.hour) * 60 + Number(p.minute);
  return (schedule.days[weekday] ?? []).some((w) => w.start <= minute && minute < w.end);
}

describe('business-hours arithmetic against an independent wall-clock count', () => {
  it('stays additive and bounded for far-fetched dates', () => {
    fc.assert(
      fc.property(caseArb, fc.date({ noInvalidDate: true }), fc.date({ noInvalidDate: true }), fc.date({ noInvalidDate: true }), (k, x, y, z) => {
        const [a, b, d] = [x, y, z].map((v) => v.getTime()).sort((p, q) => p - q) as [number, number, number];
        const c = calendarFor(k.zone, k.spec, k.holidays);
        const f = (p: number, q: number) => c.businessMillisBetween(new Date(p), new Date(q));
        expect(f(a, b) + f(b, d)).toBe(f(a, d));
        expect(f(a, d)).toBeLessThanOrEqual(d - a);
      }),
      params(0.05),
    );
  });

  it('matches a minute-by-minute wall-clock count on short spans', () => {
    fc.assert(
      fc.property(caseArb, instantArb, fc.integer({ min: 0, max: 2 * 1440 }), (k, a, minutes) => {
        const c = calendarFor(k.zone, k.spec, k.holidays);
        const schedule = parseBusinessHours(k.spec);
        const holidays = new Set(k.holidays);
        let open = 0;
        for (let i = 0; i < minutes; i++) if (bruteOpen(schedule, k.zone, holidays, a + i * MIN)) open++;
        expect(c.businessMillisBetween(new Date(a), new Date(a + minutes * MIN))).toBe(open * MIN);
      }),
      params(0.15),
    );
  });

  it('matches the wall-clock count on DST days for windows opening or closing near the change', () => {
    const dstCases: Array<[string, number]> = [
      ['Europe/Paris', TRANSITIONS[0] as number], ['Europe/Paris', TRANSITIONS[1] as number],
      ['America/New_York', TRANSITIONS[2] as number], ['America/New_York', TRANSITIONS[3] as number],
      ['Australia/Sydney', TRANSITIONS[4] as number], ['Australia/Sydney', TRANSITIONS[5] as number],
    ];
    // Sunday windows with whole-hour boundaries between 00:00 and 06:00 (all three zones change on a Sunday night).
    const early = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 6 })).filter(([s, e]) => s < e);
    fc.assert(
      fc.property(fc.constantFrom(...dstCases), fc.array(early, { minLength: 1, maxLength: 3 }), ([zone, transition], windows) => {
        const spec = windows.map(([s, e]) => `Sun ${hhmm(s * 60)}-${hhmm(e * 60)}; Sat 23:00-24:00`).join('; ');
        const c = calendarFor(zone, spec, []);
        const schedule = parseBusinessHours(spec);
        const a = transition - DAY;
        let open = 0;
        for (let i = 0; i < 2880; i++) if (bruteOpen(schedule, zone, new Set(), a + i * MIN)) open++;
        expect(c.businessMillisBetween(new Date(a), new Date(a + 2880 * MIN))).toBe(open * MIN);
      }),
      params(0.04),
    );
  });

});
