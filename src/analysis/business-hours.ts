/**
 * Business-hours arithmetic in an IANA time zone, with DST, holidays and overnight windows.
 * Pure and dependency-free: wall-clock offsets come from one cached `Intl.DateTimeFormat` per zone.
 * Takes a parsed schedule; reading schedule text and zone names is src/core/business-hours-spec.ts.
 * Rules and worked examples: docs/business-hours.md.
 */
import { mergeWindows, parseHoliday, validateTimeZone, type WeeklySchedule } from '../core/business-hours-spec.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;

/** Options for {@link createBusinessCalendar}. */
export interface BusinessCalendarOptions {
  schedule: WeeklySchedule;
  /** IANA zone the schedule's wall-clock times are in; default UTC. */
  timeZone?: string;
  /** Local dates (YYYY-MM-DD) that are closed all day. */
  holidays?: readonly string[];
}

/**
 * Opening hours you can measure time against.
 *
 * Off-hours rule: only open time counts, so a message that arrives while closed starts its clock when
 * business hours next open, and a reply sent before that opening counts as 0 business minutes.
 * Example (Mon–Fri 09:00–17:00): message Fri 18:00, reply Mon 09:30 → 30 business minutes (63.5 calendar hours).
 */
export interface BusinessCalendar {
  /** True when the schedule is open around the clock with no holidays (business time = calendar time). */
  readonly is24x7: boolean;
  /** The zone the calendar counts in (canonical IANA name). */
  readonly timeZone: string;
  /** Whether business hours are open at this instant (window starts are inclusive, ends exclusive). */
  isOpen(at: Date): boolean;
  /** Open milliseconds in `[start, end)`; 0 when `end <= start`, NaN for an invalid date. */
  businessMillisBetween(start: Date, end: Date): number;
  /** `at` itself when open, else the next instant business hours open; undefined when never open again. */
  nextOpening(at: Date): Date | undefined;
  /** One line for report headers, e.g. `Mon–Fri 09:00–17:00 Europe/Paris`. */
  describe(): string;
}

interface Transition {
  /** First instant with the new offset. */
  at: number;
  before: number;
  after: number;
}

interface Block {
  startOffset: number;
  transitions: Transition[];
}

/** Offsets are modelled exactly inside this range and held constant outside it, which keeps any span cheap. */
const MODEL_START = Date.UTC(1900, 0, 1);
const MODEL_END = Date.UTC(2200, 0, 1);
/** Zone data is sampled lazily in blocks of this length (about 0.2 ms of Intl calls each). */
const BLOCK = 128 * DAY;
/** Sampling step: any offset change shows up unless it reverts within 12 hours (none do in tzdb). */
const STEP = 12 * HOUR;
/** Widest UTC offset ever used (LMT included), bounding where a local time's instant can be. */
const MAX_OFFSET = 16 * HOUR;

/** UTC offsets of one zone, with transitions found by sampling and bisection, cached per block. */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat | undefined;
  // Bounded without a cap: offsetAt clamps to 1900–2200, so at most ~860 blocks of a few transitions each.
  private readonly blocks = new Map<number, Block>();

  constructor(timeZone: string) {
    this.format = timeZone === 'UTC' ? undefined : new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  /** Offset (ms) straight from Intl; "GMT+05:30" → 19,800,000. */
  private raw(t: number): number {
    if (!this.format) return 0;
    const text = this.format.format(Math.min(Math.max(t, MODEL_START), MODEL_END));
    const m = /GMT([+\-\u2212])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?/.exec(text);
    if (!m) return 0;
    const abs = Number(m[2]) * HOUR + Number(m[3] ?? 0) * MINUTE + Number(m[4] ?? 0) * 1000;
    return m[1] === '+' ? abs : -abs;
  }

  private block(index: number): Block {
    let b = this.blocks.get(index);
    if (b) return b;
    const start = index * BLOCK;
    const end = start + BLOCK;
    b = { startOffset: this.raw(start), transitions: [] };
    if (this.format && end > MODEL_START && start < MODEL_END) {
      let prevT = start;
      let prevO = b.startOffset;
      for (let t = start + STEP; t <= end; t += STEP) {
        const o = this.raw(t);
        while (o !== prevO) {
          // Bisect (prevT, t] down to the millisecond for the first instant with a different offset.
          let lo = prevT;
          let hi = t;
          while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            if (this.raw(mid) === prevO) lo = mid;
            else hi = mid;
          }
          const after = this.raw(hi);
          if (hi < end) b.transitions.push({ at: hi, before: prevO, after });
          prevT = hi;
          prevO = after;
        }
        prevT = t;
      }
    }
    this.blocks.set(index, b);
    return b;
  }

  /** UTC offset in ms at instant `t` (local = t + offset). */
  offsetAt(t: number): number {
    // Clamping keeps far-fetched dates from filling the cache with blocks.
    const c = t < MODEL_START ? MODEL_START : t > MODEL_END ? MODEL_END : t;
    const b = this.block(Math.floor(c / BLOCK));
    let o = b.startOffset;
    for (const tr of b.transitions) {
      if (tr.at <= c) o = tr.after;
      else break;
    }
    return o;
  }

  /** Transitions with `from <= at < to`. */
  transitionsIn(from: number, to: number): Transition[] {
    const out: Transition[] = [];
    const lo = Math.max(from, MODEL_START - BLOCK);
    const hi = Math.min(to, MODEL_END + BLOCK);
    if (!this.format || hi <= lo) return out;
    for (let i = Math.floor(lo / BLOCK); i <= Math.floor((hi - 1) / BLOCK); i++) {
      for (const tr of this.block(i).transitions) if (tr.at >= from && tr.at < to) out.push(tr);
    }
    return out;
  }

  /**
   * The instant a local wall-clock time (`local` = ms as if the wall clock were UTC) happens:
   * a time skipped by a spring-forward maps to the moment the clock jumps (the first instant the wall
   * clock reads at least that time); a time repeated by a fall-back maps to its first occurrence.
   */
  localToInstant(local: number): number {
    const oA = this.offsetAt(local - MAX_OFFSET);
    const oB = this.offsetAt(local + MAX_OFFSET);
    const tA = local - oA;
    const tB = local - oB;
    const validA = this.offsetAt(tA) === oA;
    const validB = oB === oA ? validA : this.offsetAt(tB) === oB;
    if (validA && validB) return Math.min(tA, tB);
    if (validA) return tA;
    if (validB) return tB;
    // In a gap: the answer is the transition between the two candidates.
    const lo = Math.min(tA, tB);
    const hi = Math.max(tA, tB);
    const tr = this.transitionsIn(lo + 1, hi + 1)[0];
    return tr ? tr.at : local - this.offsetAt(local);
  }
}

/**
 * Zone → its sampled offsets, shared by every calendar in the zone: sampling a zone costs Intl calls that
 * a second calendar (a config check, then the run) should not repeat. Each entry is bounded already (its
 * blocks cover 1900–2200 at most); the number of zones is capped so a long-lived library caller that
 * builds calendars for many zones does not grow without end. Clearing only costs re-sampling.
 */
const zones = new Map<string, ZoneOffsets>();
/** More distinct zones than any one audit uses (IANA has about 600). */
export const ZONE_CACHE_LIMIT = 64;

function zoneOffsets(timeZone: string): ZoneOffsets {
  let z = zones.get(timeZone);
  if (!z) {
    z = new ZoneOffsets(timeZone);
    if (zones.size >= ZONE_CACHE_LIMIT) zones.clear();
    zones.set(timeZone, z);
  }
  return z;
}

/** How many zones the shared offset cache holds now (for the test that it stays within its cap). */
export function zoneCacheSize(): number {
  return zones.size;
}

// ---------------------------------------------------------------------------------------------
// The calendar

/** One local date turned into instants: its span and its open windows (flat [start, end, start, end...]). */
interface DayRecord {
  start: number;
  end: number;
  windows: number[];
  /** Open ms in the day (0 on holidays). */
  total: number;
  closed: boolean;
}

/** Local date number (days since 1970-01-01) → weekday with Sunday = 0. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Day records kept per calendar before the memo is cleared (about 137 years of days; rebuilding is cheap). */
const RECORD_CACHE_LIMIT = 50_000;

/** Builds a calendar from a schedule, a time zone (validated) and optional holidays (local dates, closed all day). */
export function createBusinessCalendar(options: BusinessCalendarOptions): BusinessCalendar {
  const timeZone = validateTimeZone(options.timeZone ?? 'UTC');
  const days = [0, 1, 2, 3, 4, 5, 6].map((d) => mergeWindows(options.schedule.days[d] ?? []));
  const holidayDays = [...new Set((options.holidays ?? []).map(parseHoliday))].sort((a, b) => a - b);
  const holidaySet = new Set(holidayDays);
  const allDay = days.every((w) => w.length === 1 && w[0]?.start === 0 && w[0]?.end === MINUTES_PER_DAY);
  const is24x7 = allDay && holidayDays.length === 0;
  const nominal = days.map((ws) => ws.reduce((sum, w) => sum + (w.end - w.start) * MINUTE, 0));
  const weekNominal = nominal.reduce((a, b) => a + b, 0);
  const zone = zoneOffsets(timeZone);
  const records = new Map<number, DayRecord>();
  const lastHoliday = holidayDays[holidayDays.length - 1] ?? -Infinity;

  function record(day: number): DayRecord {
    let r = records.get(day);
    if (r) return r;
    const base = day * DAY;
    const start = zone.localToInstant(base);
    const end = zone.localToInstant(base + DAY);
    const closed = holidaySet.has(day);
    const windows: number[] = [];
    let total = 0;
    if (!closed) {
      for (const w of days[weekdayOf(day)] ?? []) {
        const ws = zone.localToInstant(base + w.start * MINUTE);
        const we = w.end === MINUTES_PER_DAY ? end : zone.localToInstant(base + w.end * MINUTE);
        if (we > ws) {
          windows.push(ws, we);
          total += we - ws;
        }
      }
    }
    r = { start, end, windows, total, closed };
    if (records.size >= RECORD_CACHE_LIMIT) records.clear();
    records.set(day, r);
    return r;
  }

  /** The local date whose [start, end) holds instant t. */
  function dayOf(t: number): number {
    let d = Math.floor((t + zone.offsetAt(t)) / DAY);
    // The wall-clock date and the day partition differ only around odd transitions (e.g. at midnight).
    while (t < record(d).start) d--;
    while (t >= record(d).end) d++;
    return d;
  }

  function overlap(r: DayRecord, a: number, b: number): number {
    let sum = 0;
    const w = r.windows;
    for (let i = 0; i < w.length; i += 2) {
      const lo = Math.max(w[i] as number, a);
      const hi = Math.min(w[i + 1] as number, b);
      if (hi > lo) sum += hi - lo;
    }
    return sum;
  }

  /** Open ms over whole local days [d1, d2). */
  function fullDays(d1: number, d2: number): number {
    if (d2 <= d1) return 0;
    if (d2 - d1 <= 14) {
      let sum = 0;
      for (let d = d1; d < d2; d++) sum += record(d).total;
      return sum;
    }
    // Long span: whole weeks arithmetically, then correct the few days that differ from the
    // nominal schedule (holidays, and days touched by a UTC-offset change).
    const n = d2 - d1;
    let sum = Math.floor(n / 7) * weekNominal;
    for (let d = d1 + Math.floor(n / 7) * 7; d < d2; d++) sum += nominal[weekdayOf(d)] ?? 0;
    const special = new Set<number>();
    for (let i = lowerBound(holidayDays, d1); i < holidayDays.length && (holidayDays[i] as number) < d2; i++) special.add(holidayDays[i] as number);
    for (const tr of zone.transitionsIn(record(d1).start - DAY, record(d2 - 1).end + DAY)) {
      const first = Math.floor((tr.at + Math.min(tr.before, tr.after) - 1) / DAY);
      const last = Math.floor((tr.at + Math.max(tr.before, tr.after)) / DAY);
      for (let d = Math.max(first, d1); d <= Math.min(last, d2 - 1); d++) special.add(d);
    }
    for (const d of special) sum += record(d).total - (nominal[weekdayOf(d)] ?? 0);
    return sum;
  }

  function businessMillisBetween(start: Date, end: Date): number {
    const s = start.getTime();
    const e = end.getTime();
    if (Number.isNaN(s) || Number.isNaN(e)) return Number.NaN;
    if (e <= s) return 0;
    if (is24x7) return e - s;
    if (weekNominal === 0) return 0;
    const dS = dayOf(s);
    const dE = dayOf(e);
    const rS = record(dS);
    if (dS === dE) return overlap(rS, s, e);
    const rE = record(dE);
    return overlap(rS, s, rS.end) + fullDays(dS + 1, dE) + overlap(rE, rE.start, e);
  }

  function isOpen(at: Date): boolean {
    const t = at.getTime();
    if (Number.isNaN(t)) return false;
    if (is24x7) return true;
    if (weekNominal === 0) return false;
    const w = record(dayOf(t)).windows;
    for (let i = 0; i < w.length; i += 2) if ((w[i] as number) <= t && t < (w[i + 1] as number)) return true;
    return false;
  }

  function nextOpening(at: Date): Date | undefined {
    const t = at.getTime();
    if (Number.isNaN(t) || weekNominal === 0) return undefined;
    if (is24x7) return new Date(t);
    const first = dayOf(t);
    // Past the last holiday a weekly schedule opens within a week; DST can only empty a window briefly.
    const limit = Math.max(first, lastHoliday) + 60;
    for (let d = first; d <= limit; d++) {
      const w = record(d).windows;
      for (let i = 0; i < w.length; i += 2) {
        const ws = w[i] as number;
        const we = w[i + 1] as number;
        if (we > t) return new Date(Math.max(ws, t));
      }
    }
    return undefined;
  }

  function describe(): string {
    if (is24x7) return '24/7';
    const holidays = holidayDays.length === 0 ? '' : `, ${holidayDays.length} holiday${holidayDays.length === 1 ? '' : 's'}`;
    return `${options.schedule.label} ${timeZone}${holidays}`;
  }

  return { is24x7, timeZone, isOpen, businessMillisBetween, nextOpening, describe };
}

/** First index i with sorted[i] >= value. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
