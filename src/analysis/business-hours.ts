/**
 * Business-hours arithmetic in an IANA time zone, with DST, holidays and overnight windows.
 * Pure and dependency-free: wall-clock offsets come from one cached `Intl.DateTimeFormat` per zone.
 * Rules and worked examples: docs/business-hours.md.
 */
import { UsageError } from '../core/errors.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;

/** Minutes from local midnight: an open window `[start, end)` with 0 <= start < end <= 1440. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** A weekly opening schedule in local wall-clock time. */
export interface WeeklySchedule {
  /** Seven lists of open windows, index 0 = Sunday (as `Date#getUTCDay`); sorted, merged, overnight windows already split at midnight. */
  days: ReadonlyArray<ReadonlyArray<TimeWindow>>;
  /** Canonical text of the schedule, e.g. `Mon–Fri 09:00–17:00` or `24/7`; parseable again. */
  label: string;
}

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

// ---------------------------------------------------------------------------------------------
// Parsing the schedule

const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const DAY_NAMES: Record<string, number> = {
  sun: 0, sunday: 0,
  mon: 1, monday: 1,
  tue: 2, tues: 2, tuesday: 2,
  wed: 3, weds: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5,
  sat: 6, saturday: 6,
};

/** Words that stand for a day range; mapped to [from, to] in Sunday = 0 numbering. */
const DAY_WORDS: Record<string, [number, number]> = {
  weekdays: [1, 5],
  weekends: [6, 0],
  weekend: [6, 0],
  daily: [1, 0],
  everyday: [1, 0],
};

const EXAMPLE = "'Mon-Fri 09:00-17:00; Sat 10:00-14:00'";

function badSpec(spec: string, why: string): UsageError {
  return new UsageError(`Cannot read business hours '${spec}': ${why}; write for example ${EXAMPLE} or '24/7'.`);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Parses `HH:MM` (or `H:MM`); 24:00 only when `allow24`. */
function parseClock(text: string, allow24: boolean): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && (min !== 0 || !allow24))) return undefined;
  return h * 60 + min;
}

/** Days from `from` to `to` inclusive, wrapping past Saturday (`Sun-Thu`, `Fri-Mon`). */
function dayRange(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = from; ; d = (d + 1) % 7) {
    out.push(d);
    if (d === to) return out;
  }
}

interface Group {
  days: number[];
  dayLabels: string[];
  dayTokens: string[];
  windows: Array<{ start: number; end: number }>;
  windowLabels: string[];
}

/**
 * Parses a weekly schedule: `24/7` (or `always`), `Mon-Fri 09:00-17:00`, groups separated by `;` or `,`
 * (`Mon-Fri 09:00-12:00, 13:00-17:00; Sat 10:00-14:00`), day lists and wrap-around ranges (`Mon,Wed,Fri`,
 * `Sun-Thu`), `24:00` as end of day and overnight windows (`Fri 22:00-06:00` runs into Saturday).
 * Day names are case-insensitive (Mon/Monday). Throws UsageError naming the bad part.
 */
export function parseBusinessHours(spec: string): WeeklySchedule {
  const trimmed = spec.trim();
  const lower = trimmed.toLowerCase();
  if (lower === '24/7' || lower === '24x7' || lower === 'always') return ALWAYS;
  if (trimmed === '') throw badSpec(spec, 'it is empty');
  // Accept the en dash we print in labels, and spaces around dashes ("Mon - Fri").
  const normal = trimmed.replace(/[\u2012-\u2015\u2212]/g, '-').replace(/\s*-\s*/g, '-');
  const tokens = normal.split(/[\s,;]+/).filter((t) => t !== '');

  const groups: Group[] = [];
  let current: Group | undefined;
  for (const token of tokens) {
    const time = /^([^-]+)-([^-]+)$/.exec(token);
    if (time && /\d/.test(token)) {
      if (!current) throw badSpec(spec, `'${token}' has no days before it`);
      const start = parseClock(time[1] ?? '', false);
      const end = parseClock(time[2] ?? '', true);
      if (start === undefined) throw badSpec(spec, `'${time[1]}' in '${token}' is not a time from 00:00 to 23:59`);
      if (end === undefined) throw badSpec(spec, `'${time[2]}' in '${token}' is not a time from 00:00 to 24:00`);
      if (start === end) throw badSpec(spec, `'${token}' is an empty window (use 00:00-24:00 for all day)`);
      current.windows.push({ start, end });
      current.windowLabels.push(`${hhmm(start)}–${hhmm(end === 0 ? MINUTES_PER_DAY : end)}`);
      continue;
    }
    const days = parseDayToken(token.toLowerCase());
    if (!days) {
      if (/\d/.test(token)) throw badSpec(spec, `'${token}' is not a time window like 09:00-17:00`);
      throw badSpec(spec, `'${token}' is not a day name (Mon..Sun) or day range`);
    }
    if (!current || current.windows.length > 0) {
      current = { days: [], dayLabels: [], dayTokens: [], windows: [], windowLabels: [] };
      groups.push(current);
    }
    current.days.push(...days.days);
    current.dayLabels.push(days.label);
    current.dayTokens.push(token);
  }
  for (const g of groups) {
    if (g.windows.length === 0) throw badSpec(spec, `'${g.dayTokens.join(' ')}' has no hours after it`);
  }
  if (groups.length === 0) throw badSpec(spec, 'it names no days');

  const perDay: TimeWindow[][] = [[], [], [], [], [], [], []];
  for (const g of groups) {
    for (const day of new Set(g.days)) {
      for (const w of g.windows) {
        if (w.end === 0) perDay[day]?.push({ start: w.start, end: MINUTES_PER_DAY });
        else if (w.end > w.start) perDay[day]?.push({ start: w.start, end: w.end });
        else {
          // Overnight: open until midnight, then on the next weekday until the end time.
          perDay[day]?.push({ start: w.start, end: MINUTES_PER_DAY });
          perDay[(day + 1) % 7]?.push({ start: 0, end: w.end });
        }
      }
    }
  }
  const label = groups.map((g) => `${g.dayLabels.join(', ')} ${g.windowLabels.join(', ')}`).join('; ');
  return { days: perDay.map(mergeWindows), label };
}

function parseDayToken(token: string): { days: number[]; label: string } | undefined {
  const word = DAY_WORDS[token];
  if (word) return { days: dayRange(word[0], word[1]), label: `${DAY_SHORT[word[0]]}–${DAY_SHORT[word[1]]}` };
  const m = /^([a-z]+)(?:-([a-z]+))?$/.exec(token);
  if (!m) return undefined;
  const from = DAY_NAMES[m[1] ?? ''];
  if (from === undefined) return undefined;
  if (m[2] === undefined) return { days: [from], label: DAY_SHORT[from] ?? '' };
  const to = DAY_NAMES[m[2]];
  if (to === undefined) return undefined;
  return { days: dayRange(from, to), label: from === to ? (DAY_SHORT[from] ?? '') : `${DAY_SHORT[from]}–${DAY_SHORT[to]}` };
}

/** Sorts windows and merges overlapping or touching ones, dropping invalid ones. */
function mergeWindows(windows: ReadonlyArray<TimeWindow>): TimeWindow[] {
  const sorted = windows
    .filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end))
    .map((w) => ({ start: Math.max(0, Math.round(w.start)), end: Math.min(MINUTES_PER_DAY, Math.round(w.end)) }))
    .filter((w) => w.end > w.start)
    .sort((a, b) => a.start - b.start);
  const out: TimeWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push({ ...w });
  }
  return out;
}

const ALL_DAY: readonly TimeWindow[] = Object.freeze([Object.freeze({ start: 0, end: MINUTES_PER_DAY })]);
const ALWAYS: WeeklySchedule = Object.freeze({ days: Object.freeze([0, 1, 2, 3, 4, 5, 6].map(() => ALL_DAY)), label: '24/7' });

// ---------------------------------------------------------------------------------------------
// Time zones

/** ICU (Node 20) still resolves some zones to legacy names; map them to today's IANA names. */
const MODERN_NAMES: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'Africa/Asmera': 'Africa/Asmara',
  'America/Coral_Harbour': 'America/Atikokan',
};

const canonicalCache = new Map<string, string>();

/** Returns the canonical IANA name for a zone (case-insensitive, links resolved), or throws UsageError. */
export function validateTimeZone(tz: string): string {
  const cached = canonicalCache.get(tz);
  if (cached !== undefined) return cached;
  let resolved: string;
  try {
    if (tz.trim() === '') throw new RangeError('empty');
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new UsageError(`Unknown time zone '${tz}': use an IANA name such as Europe/Paris.`);
  }
  const canonical = MODERN_NAMES[resolved] ?? resolved;
  if (canonicalCache.size > 1000) canonicalCache.clear();
  canonicalCache.set(tz, canonical);
  return canonical;
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

const zones = new Map<string, ZoneOffsets>();

function zoneOffsets(timeZone: string): ZoneOffsets {
  let z = zones.get(timeZone);
  if (!z) {
    z = new ZoneOffsets(timeZone);
    zones.set(timeZone, z);
  }
  return z;
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

function parseHoliday(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return ms / DAY;
  }
  throw new UsageError(`Holiday '${text}' is not a date: use YYYY-MM-DD, e.g. 2026-12-25.`);
}

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
