/**
 * Reading business-hours and time-zone settings: the schedule text parser, IANA zone validation and
 * holiday dates. Config and the CLI validate with these, so they live outside analysis, which only
 * does the calendar arithmetic on what they return (src/analysis/business-hours.ts).
 */
import { UsageError } from './errors.js';

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
export function mergeWindows(windows: ReadonlyArray<TimeWindow>): TimeWindow[] {
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

/**
 * Zone name → canonical name: resolving one costs an Intl.DateTimeFormat construction, and the same few
 * names are checked per setting and per calendar. Capped at CANONICAL_CACHE_LIMIT entries (cleared when
 * full) because a long-lived library caller may pass any number of distinct strings.
 */
const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_LIMIT = 1000;

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
  if (canonicalCache.size > CANONICAL_CACHE_LIMIT) canonicalCache.clear();
  canonicalCache.set(tz, canonical);
  return canonical;
}

/** Parses a holiday (local date YYYY-MM-DD) to a day number since 1970-01-01, or throws UsageError. */
export function parseHoliday(text: string): number {
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
