import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, type BusinessCalendar } from '../../src/analysis/business-hours.js';
import { parseBusinessHours, validateTimeZone } from '../../src/core/business-hours-spec.js';
import { usageMessage } from '../helpers/expect-error.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (iso: string): Date => new Date(iso);

function cal(spec: string, timeZone = 'UTC', holidays: string[] = []): BusinessCalendar {
  return createBusinessCalendar({ schedule: parseBusinessHours(spec), timeZone, holidays });
}

function between(c: BusinessCalendar, from: string, to: string): number {
  return c.businessMillisBetween(at(from), at(to));
}


describe('parseBusinessHours', () => {
  it('reads 24/7 and always as open around the clock', () => {
    for (const spec of ['24/7', 'always', ' ALWAYS ']) {
      const s = parseBusinessHours(spec);
      expect(s.label).toBe('24/7');
      expect(s.days).toHaveLength(7);
      for (const d of s.days) expect(d).toEqual([{ start: 0, end: 1440 }]);
    }
  });

  it('reads a weekday range', () => {
    const s = parseBusinessHours('Mon-Fri 09:00-17:00');
    expect(s.days[0]).toEqual([]);
    for (let d = 1; d <= 5; d++) expect(s.days[d]).toEqual([{ start: 540, end: 1020 }]);
    expect(s.days[6]).toEqual([]);
    expect(s.label).toBe('Mon–Fri 09:00–17:00');
  });

  it('reads several groups separated by ; or ,', () => {
    const a = parseBusinessHours('Mon-Fri 09:00-17:00; Sat 10:00-14:00');
    const b = parseBusinessHours('Mon-Fri 09:00-17:00, Sat 10:00-14:00');
    expect(a.days).toEqual(b.days);
    expect(a.days[6]).toEqual([{ start: 600, end: 840 }]);
    expect(a.days[0]).toEqual([]);
    expect(a.label).toBe('Mon–Fri 09:00–17:00; Sat 10:00–14:00');
  });

  it('reads day lists, wrap-around ranges, full names and any case', () => {
    const list = parseBusinessHours('Mon,Wed,Fri 08:30-12:00');
    expect(list.days.map((d) => d.length)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(list.days[3]).toEqual([{ start: 510, end: 720 }]);
    const wrap = parseBusinessHours('Sun-Thu 08:00-16:00');
    expect(wrap.days.map((d) => d.length)).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(wrap.label).toBe('Sun–Thu 08:00–16:00');
    const names = parseBusinessHours('monday-FRIDAY 9:00-17:00');
    expect(names.days).toEqual(parseBusinessHours('Mon-Fri 09:00-17:00').days);
    const spaced = parseBusinessHours('Mon – Fri 09:00 - 17:00');
    expect(spaced.days).toEqual(names.days);
  });

  it('reads 24:00 as the end of the day', () => {
    expect(parseBusinessHours('Sat 18:00-24:00').days[6]).toEqual([{ start: 1080, end: 1440 }]);
  });

  it('reads several windows per day and merges overlaps', () => {
    expect(parseBusinessHours('Mon-Fri 09:00-12:00, 13:00-17:00').days[2]).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1020 },
    ]);
    expect(parseBusinessHours('Mon 09:00-12:00; Mon 11:00-13:00; Mon 13:00-14:00').days[1]).toEqual([{ start: 540, end: 840 }]);
  });

  it('splits overnight windows at midnight into the next weekday', () => {
    const s = parseBusinessHours('Mon-Fri 22:00-06:00');
    expect(s.days[1]).toEqual([{ start: 1320, end: 1440 }]);
    expect(s.days[2]).toEqual([{ start: 0, end: 360 }, { start: 1320, end: 1440 }]);
    expect(s.days[6]).toEqual([{ start: 0, end: 360 }]);
    expect(s.days[0]).toEqual([]);
    // Saturday night wraps to Sunday.
    expect(parseBusinessHours('Sat 20:00-02:00').days[0]).toEqual([{ start: 0, end: 120 }]);
  });

  it('labels re-parse to the same schedule', () => {
    for (const spec of ['Mon-Fri 09:00-17:00; Sat 10:00-14:00', 'Mon,Wed,Fri 08:30-12:00', 'Fri 22:00-06:00', 'weekdays 9:00-17:00, weekends 10:00-12:00']) {
      const s = parseBusinessHours(spec);
      expect(parseBusinessHours(s.label).days).toEqual(s.days);
    }
  });

  it('rejects bad specs with one sentence naming the bad part and an example', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'],
      ['Mon-Fry 09:00-17:00', "'mon-fry'"],
      ['Mon-Fri', "'Mon-Fri' has no hours"],
      ['09:00-17:00', "'09:00-17:00' has no days"],
      ['Mon 25:00-26:00', "'25:00'"],
      ['Mon 09:00-09:60', "'09:60'"],
      ['Mon 09:00-09:00', 'empty window'],
      ['Mon 24:00-02:00', "'24:00'"],
      ['Mon 9-17', "'9'"],
      ['Mon 09:00', "'09:00'"],
    ];
    for (const [spec, part] of cases) {
      const message = usageMessage(() => parseBusinessHours(spec));
      expect(message.toLowerCase()).toContain(part.toLowerCase());
      expect(message).toContain('Mon-Fri 09:00-17:00');
      expect(message.split('. ').length).toBe(1);
    }
  });
});

describe('validateTimeZone', () => {
  it('returns canonical IANA names', () => {
    expect(validateTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(validateTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(validateTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(validateTimeZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(validateTimeZone('US/Eastern')).toBe('America/New_York');
    expect(validateTimeZone('UTC')).toBe('UTC');
  });

  it('rejects unknown zones with the documented message', () => {
    expect(usageMessage(() => validateTimeZone('Europe/Pariss'))).toBe(
      "Unknown time zone 'Europe/Pariss': use an IANA name such as Europe/Paris.",
    );
    usageMessage(() => validateTimeZone(''));
    usageMessage(() => validateTimeZone('+02:00x'));
  });
});

describe('business calendar, Mon-Fri 09:00-17:00 Europe/Paris', () => {
  const paris = cal('Mon-Fri 09:00-17:00', 'Europe/Paris');

  it('documents the off-hours rule: Fri 18:00 message, Mon 09:30 reply = 30 business minutes', () => {
    // 2026-11-20 is a Friday; Paris is UTC+1 in November.
    const message = at('2026-11-20T17:00:00Z');
    const reply = at('2026-11-23T08:30:00Z');
    expect(paris.businessMillisBetween(message, reply)).toBe(30 * MIN);
    expect(reply.getTime() - message.getTime()).toBe(63.5 * HOUR);
  });

  it('matches the worked examples in docs/business-hours.md', () => {
    const withHoliday = cal('Mon-Fri 09:00-17:00', 'Europe/Paris', ['2026-12-25']);
    // [mention, reply, business, calendar] in UTC (Paris = UTC+1 in November and December).
    const rows: Array<[BusinessCalendar, string, string, number, number]> = [
      [paris, '2026-11-20T17:00:00Z', '2026-11-23T08:30:00Z', 30 * MIN, 63.5 * HOUR],
      [paris, '2026-11-23T06:00:00Z', '2026-11-23T07:45:00Z', 0, 105 * MIN],
      [paris, '2026-11-23T15:30:00Z', '2026-11-24T08:15:00Z', 45 * MIN, 16 * HOUR + 45 * MIN],
      [paris, '2026-11-20T15:00:00Z', '2026-11-23T09:00:00Z', 2 * HOUR, 66 * HOUR],
      [withHoliday, '2026-12-24T15:00:00Z', '2026-12-28T09:00:00Z', 2 * HOUR, 90 * HOUR],
    ];
    for (const [c, from, to, business, calendar] of rows) {
      expect(between(c, from, to)).toBe(business);
      expect(Date.parse(to) - Date.parse(from)).toBe(calendar);
    }
    expect(withHoliday.describe()).toBe('Mon–Fri 09:00–17:00 Europe/Paris, 1 holiday');
  });

  it('counts 0 for a reply before opening to a message before opening', () => {
    expect(between(paris, '2026-11-23T06:00:00Z', '2026-11-23T07:30:00Z')).toBe(0);
  });

  it('counts 0 when the reply is before the message, or at the same instant', () => {
    expect(between(paris, '2026-11-23T12:00:00Z', '2026-11-23T10:00:00Z')).toBe(0);
    expect(between(paris, '2026-11-23T12:00:00Z', '2026-11-23T12:00:00Z')).toBe(0);
  });

  it('skips weekends', () => {
    // Fri 16:00 → Mon 10:00 local = 1 h + 1 h.
    expect(between(paris, '2026-11-20T15:00:00Z', '2026-11-23T09:00:00Z')).toBe(2 * HOUR);
    // A whole week (Mon 00:00 → Mon 00:00) is 40 h.
    expect(between(paris, '2026-11-22T23:00:00Z', '2026-11-29T23:00:00Z')).toBe(40 * HOUR);
    // Saturday to Sunday counts nothing.
    expect(between(paris, '2026-11-21T08:00:00Z', '2026-11-22T20:00:00Z')).toBe(0);
  });

  it('answers isOpen with inclusive starts and exclusive ends', () => {
    expect(paris.isOpen(at('2026-11-23T08:00:00Z'))).toBe(true);
    expect(paris.isOpen(at('2026-11-23T07:59:59.999Z'))).toBe(false);
    expect(paris.isOpen(at('2026-11-23T15:59:59.999Z'))).toBe(true);
    expect(paris.isOpen(at('2026-11-23T16:00:00Z'))).toBe(false);
    expect(paris.isOpen(at('2026-11-21T11:00:00Z'))).toBe(false);
  });

  it('finds the next opening', () => {
    expect(paris.nextOpening(at('2026-11-20T17:00:00Z'))?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(paris.nextOpening(at('2026-11-21T12:00:00Z'))?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(paris.nextOpening(at('2026-11-23T10:00:00Z'))?.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(paris.nextOpening(at('2026-11-23T06:00:00Z'))?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
  });

  it('describes itself for report headers', () => {
    expect(paris.describe()).toBe('Mon–Fri 09:00–17:00 Europe/Paris');
    expect(paris.is24x7).toBe(false);
    expect(paris.timeZone).toBe('Europe/Paris');
  });

  it('returns NaN / false / undefined for invalid dates', () => {
    expect(paris.businessMillisBetween(new Date(Number.NaN), at('2026-11-23T10:00:00Z'))).toBeNaN();
    expect(paris.isOpen(new Date(Number.NaN))).toBe(false);
    expect(paris.nextOpening(new Date(Number.NaN))).toBeUndefined();
  });
});

describe('holidays, multi-window days and overnight windows', () => {
  it('closes holidays all day', () => {
    const c = cal('Mon-Fri 09:00-17:00', 'UTC', ['2026-12-25']);
    // Thu 24 Dec 16:00 → Mon 28 Dec 10:00: Thu 1 h, Fri closed, Mon 1 h.
    expect(between(c, '2026-12-24T16:00:00Z', '2026-12-28T10:00:00Z')).toBe(2 * HOUR);
    expect(c.isOpen(at('2026-12-25T12:00:00Z'))).toBe(false);
    expect(c.nextOpening(at('2026-12-24T17:30:00Z'))?.toISOString()).toBe('2026-12-28T09:00:00.000Z');
    expect(c.describe()).toBe('Mon–Fri 09:00–17:00 UTC, 1 holiday');
  });

  it('applies holidays on local dates, not UTC dates', () => {
    // Tokyo is UTC+9: local 2026-12-25 00:00 is 2026-12-24T15:00Z.
    const c = cal('Mon-Sun 00:00-24:00', 'Asia/Tokyo', ['2026-12-25']);
    expect(c.is24x7).toBe(false);
    expect(c.isOpen(at('2026-12-24T14:59:00Z'))).toBe(true);
    expect(c.isOpen(at('2026-12-24T15:00:00Z'))).toBe(false);
    expect(between(c, '2026-12-24T00:00:00Z', '2026-12-27T00:00:00Z')).toBe(3 * DAY - DAY);
  });

  it('rejects malformed holidays', () => {
    expect(usageMessage(() => cal('Mon-Fri 09:00-17:00', 'UTC', ['2026-02-30']))).toContain("'2026-02-30'");
    usageMessage(() => cal('Mon-Fri 09:00-17:00', 'UTC', ['25/12/2026']));
  });

  it('counts only the open windows of a split day', () => {
    const c = cal('Mon-Fri 09:00-12:00, 13:00-17:00');
    expect(between(c, '2026-11-23T11:00:00Z', '2026-11-23T14:00:00Z')).toBe(2 * HOUR);
    expect(c.isOpen(at('2026-11-23T12:30:00Z'))).toBe(false);
    expect(c.nextOpening(at('2026-11-23T12:30:00Z'))?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
  });

  it('runs overnight windows into the next day', () => {
    const c = cal('Fri 22:00-06:00');
    // 2026-11-20 is a Friday.
    expect(between(c, '2026-11-20T23:00:00Z', '2026-11-21T05:00:00Z')).toBe(6 * HOUR);
    expect(between(c, '2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z')).toBe(8 * HOUR);
    expect(c.isOpen(at('2026-11-21T05:59:00Z'))).toBe(true);
    expect(c.isOpen(at('2026-11-21T06:00:00Z'))).toBe(false);
    expect(c.nextOpening(at('2026-11-21T07:00:00Z'))?.toISOString()).toBe('2026-11-27T22:00:00.000Z');
    // A holiday on the Saturday closes the part after midnight.
    const h = cal('Fri 22:00-06:00', 'UTC', ['2026-11-21']);
    expect(between(h, '2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z')).toBe(2 * HOUR);
  });

  it('reports never-open calendars', () => {
    const never = createBusinessCalendar({ schedule: { days: [[], [], [], [], [], [], []], label: 'never' }, timeZone: 'UTC' });
    expect(never.nextOpening(at('2026-11-23T10:00:00Z'))).toBeUndefined();
    expect(never.isOpen(at('2026-11-23T10:00:00Z'))).toBe(false);
    expect(between(never, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toBe(0);
  });
});

describe('24/7', () => {
  it('takes the fast path and equals calendar time', () => {
    const c = cal('24/7', 'Europe/Paris');
    expect(c.is24x7).toBe(true);
    expect(c.describe()).toBe('24/7');
    expect(between(c, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(2 * DAY);
    expect(c.isOpen(at('2026-03-29T01:30:00Z'))).toBe(true);
    expect(c.nextOpening(at('2026-03-29T01:30:00Z'))?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('treats an all-day, every-day schedule as 24/7, even across DST', () => {
    const c = cal('Mon-Sun 00:00-24:00', 'America/New_York');
    expect(c.is24x7).toBe(true);
    expect(between(c, '2026-03-01T00:00:00Z', '2026-11-15T00:00:00Z')).toBe(Date.parse('2026-11-15') - Date.parse('2026-03-01'));
  });
});

describe('DST and offsets', () => {
  it('Europe/Paris spring forward (Sun 2026-03-29, 02:00 → 03:00)', () => {
    expect(between(cal('Sun 00:00-24:00', 'Europe/Paris'), '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toBe(23 * HOUR);
    // 01:00 CET (00:00Z) → 04:00 CEST (02:00Z): a window crossing the jump loses an hour.
    expect(between(cal('Sun 01:00-04:00', 'Europe/Paris'), '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toBe(2 * HOUR);
    // A window entirely inside the skipped hour never opens.
    expect(between(cal('Sun 02:00-03:00', 'Europe/Paris'), '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toBe(0);
    // A skipped opening time maps forward to the jump (03:00 CEST = 01:00Z).
    const skipped = cal('Sun 02:30-04:00', 'Europe/Paris');
    expect(between(skipped, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toBe(HOUR);
    expect(skipped.nextOpening(at('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 09:00–17:00 is 8 wall-clock hours on the transition day, and the UTC opening moves.
    const day = cal('Mon-Sun 09:00-17:00', 'Europe/Paris');
    expect(between(day, '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(8 * HOUR);
    expect(day.nextOpening(at('2026-03-28T00:00:00Z'))?.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(day.nextOpening(at('2026-03-29T00:00:00Z'))?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it('Europe/Paris fall back (Sun 2026-10-25, 03:00 → 02:00)', () => {
    expect(between(cal('Sun 00:00-24:00', 'Europe/Paris'), '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toBe(25 * HOUR);
    expect(between(cal('Sun 01:00-04:00', 'Europe/Paris'), '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toBe(4 * HOUR);
    // A repeated opening time maps to its first occurrence: 02:30 CEST (00:30Z) → 04:00 CET (03:00Z).
    const repeated = cal('Sun 02:30-04:00', 'Europe/Paris');
    expect(between(repeated, '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toBe(2.5 * HOUR);
    expect(repeated.nextOpening(at('2026-10-24T12:00:00Z'))?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const week = cal('Mon-Fri 09:00-17:00', 'Europe/Paris');
    expect(week.nextOpening(at('2026-10-23T00:00:00Z'))?.toISOString()).toBe('2026-10-23T07:00:00.000Z');
    expect(week.nextOpening(at('2026-10-24T00:00:00Z'))?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // A business week spanning the change is still 40 h.
    expect(between(week, '2026-10-21T00:00:00Z', '2026-10-28T00:00:00Z')).toBe(40 * HOUR);
  });

  it('America/New_York spring forward and fall back', () => {
    // 2026-03-08: 02:00 EST → 03:00 EDT (07:00Z).
    expect(between(cal('Sun 00:00-24:00', 'America/New_York'), '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toBe(23 * HOUR);
    expect(between(cal('Sun 01:00-04:00', 'America/New_York'), '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toBe(2 * HOUR);
    // 2026-11-01: 02:00 EDT → 01:00 EST (06:00Z).
    expect(between(cal('Sun 00:00-24:00', 'America/New_York'), '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z')).toBe(25 * HOUR);
    // 01:30 EDT (05:30Z) → 03:00 EST (08:00Z).
    expect(between(cal('Sun 01:30-03:00', 'America/New_York'), '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z')).toBe(2.5 * HOUR);
    const ny = cal('Mon-Fri 09:00-17:00', 'America/New_York');
    expect(ny.nextOpening(at('2026-03-07T00:00:00Z'))?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(ny.nextOpening(at('2026-03-06T00:00:00Z'))?.toISOString()).toBe('2026-03-06T14:00:00.000Z');
    // Friday 16:00 EST → Monday 10:00 EDT across the change = 2 h.
    expect(between(ny, '2026-03-06T21:00:00Z', '2026-03-09T14:00:00Z')).toBe(2 * HOUR);
  });

  it('Australia/Sydney (southern hemisphere) ends DST in April and starts it in October', () => {
    // 2026-04-05: 03:00 AEDT → 02:00 AEST; 2026-10-04: 02:00 AEST → 03:00 AEDT.
    const sunday = cal('Sun 00:00-24:00', 'Australia/Sydney');
    expect(between(sunday, '2026-04-03T00:00:00Z', '2026-04-06T00:00:00Z')).toBe(25 * HOUR);
    expect(between(sunday, '2026-10-02T00:00:00Z', '2026-10-05T00:00:00Z')).toBe(23 * HOUR);
    const week = cal('Mon-Fri 09:00-17:00', 'Australia/Sydney');
    // Friday 3 April opens 09:00 AEDT (22:00Z the day before); Monday 6 April 09:00 AEST (23:00Z).
    expect(week.nextOpening(at('2026-04-02T12:00:00Z'))?.toISOString()).toBe('2026-04-02T22:00:00.000Z');
    expect(week.nextOpening(at('2026-04-03T12:00:00Z'))?.toISOString()).toBe('2026-04-05T23:00:00.000Z');
    expect(week.nextOpening(at('2026-10-02T12:00:00Z'))?.toISOString()).toBe('2026-10-04T22:00:00.000Z');
  });

  it('Asia/Kolkata (UTC+05:30) opens on the half hour', () => {
    const c = cal('Mon-Fri 09:00-17:00', 'Asia/Kolkata');
    expect(c.isOpen(at('2026-11-23T03:29:59Z'))).toBe(false);
    expect(c.isOpen(at('2026-11-23T03:30:00Z'))).toBe(true);
    expect(c.isOpen(at('2026-11-23T11:29:59Z'))).toBe(true);
    expect(c.isOpen(at('2026-11-23T11:30:00Z'))).toBe(false);
    // Fri 16:00 IST → Mon 10:00 IST.
    expect(between(c, '2026-11-20T10:30:00Z', '2026-11-23T04:30:00Z')).toBe(2 * HOUR);
  });
});

describe('long spans', () => {
  it('counts two years exactly, holidays and DST included', () => {
    const holidays = ['2025-12-25', '2026-01-01', '2026-07-14', '2026-08-15'];
    const c = cal('Mon-Fri 09:00-17:00', 'Europe/Paris', holidays);
    // Mon 2025-01-06 00:00 Paris → Mon 2027-01-04 00:00 Paris: 104 weeks; three holidays fall on weekdays.
    expect(between(c, '2025-01-05T23:00:00Z', '2027-01-03T23:00:00Z')).toBe((104 * 40 - 3 * 8) * HOUR);
    // The same span cut into 10-day pieces (the day-by-day route) agrees.
    let sum = 0;
    const start = Date.parse('2025-01-05T23:00:00Z');
    const end = Date.parse('2027-01-03T23:00:00Z');
    for (let t = start; t < end; t += 10 * DAY) sum += c.businessMillisBetween(new Date(t), new Date(Math.min(t + 10 * DAY, end)));
    expect(sum).toBe((104 * 40 - 3 * 8) * HOUR);
  });
});
