/** Cell and field value parsers shared by the CSV and JSON readers: dates, booleans, numbers, ids. */
import { normaliseHandle } from '../core/handles.js';

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// RFC 2822 (obsolete but still common) zone names; anything else named is refused rather than guessed.
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

const WEEKDAY = '(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*';
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
// TWCS / Twitter API v1.1: `Tue Oct 31 22:10:47 +0000 2017`.
const TWITTER_RE = new RegExp(`^${WEEKDAY}\\s+([a-z]{3})\\s+(\\d{1,2})\\s+(\\d{2}):(\\d{2}):(\\d{2})\\s+([+-]\\d{4})\\s+(\\d{4})$`, 'i');
// RFC 2822: `Tue, 31 Oct 2017 22:10:47 +0000` (weekday, seconds and zone optional).
const RFC2822_RE = new RegExp(
  `^(?:${WEEKDAY},?\\s+)?(\\d{1,2})\\s+([a-z]{3})[a-z]*\\s+(\\d{4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s*([+-]\\d{4}|[a-z]{1,3}))?$`,
  'i',
);
// US exports (spreadsheets, the airline-sentiment data set): `2/24/2015 11:35`, month first.
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i;

/** Largest number read as epoch seconds; above it the number is epoch milliseconds (1e11 s is year 5138). */
const EPOCH_SECONDS_MAX = 1e11;

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const upper = zone.toUpperCase();
  if (upper in ZONES) return ZONES[upper];
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Builds a UTC instant from wall-clock parts, refusing impossible dates (Feb 30) instead of rolling over. */
function fromParts(
  year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, offset: number,
): string | undefined {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  if (hour === 24 && (minute > 0 || second > 0 || ms > 0)) return undefined;
  const probe = new Date(Date.UTC(year, month, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month || probe.getUTCDate() !== day) return undefined;
  // A leap second is read as the last second of the minute: JS dates cannot hold it.
  const t = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms) - offset * 60_000;
  return toIso(t);
}

function toIso(t: number): string | undefined {
  if (!Number.isFinite(t)) return undefined;
  const d = new Date(t);
  const year = d.getUTCFullYear();
  // Outside four-digit years toISOString() switches to the ±YYYYYY form, which nothing downstream expects; past
  // JS dates' range (±8.64e15 ms) the year is NaN and toISOString() would throw.
  if (!(year >= 1 && year <= 9999)) return undefined;
  return d.toISOString();
}

/**
 * Parses a date cell or field to ISO 8601 UTC, or undefined when it is not a date.
 * Accepts ISO 8601, epoch seconds or milliseconds, RFC 2822, the Twitter/TWCS form and US `M/D/YYYY [H:MM[:SS] [am|pm]]`.
 * A date-time without a zone is taken as UTC: the input carries no better information and UTC keeps runs reproducible.
 */
export function parseDate(value: string | number): string | undefined {
  if (typeof value === 'number') return parseEpoch(value);
  if (isCanonicalIso(value)) return value;
  const s = value.trim();
  if (s === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(s)) return parseEpoch(Number(s));
  let m = ISO_RE.exec(s);
  if (m) {
    const offset = offsetMinutes(m[8]);
    if (offset === undefined) return undefined;
    const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    return fromParts(
      Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0),
      Math.floor(frac), offset,
    );
  }
  m = TWITTER_RE.exec(s);
  if (m) {
    const month = MONTHS[m[1]!.toLowerCase()];
    const offset = offsetMinutes(m[6]);
    if (month === undefined || offset === undefined) return undefined;
    return fromParts(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), 0, offset);
  }
  m = RFC2822_RE.exec(s);
  if (m) {
    const month = MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    const offset = offsetMinutes(m[7]);
    if (month === undefined || offset === undefined) return undefined;
    return fromParts(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0, offset);
  }
  m = US_RE.exec(s);
  if (m) {
    let hour = Number(m[4] ?? 0);
    const meridiem = m[7]?.toLowerCase();
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
    }
    return fromParts(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5] ?? 0), Number(m[6] ?? 0), 0, 0);
  }
  return undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * True when `s` is already exactly what parseDate returns: `YYYY-MM-DDTHH:MM:SS.sssZ` with a real date and no
 * leap second or 24:00 (those are rewritten). Earshot's own NDJSON always has this form, so the common case skips
 * the regexes and the Date round trip.
 */
function isCanonicalIso(s: string): boolean {
  if (s.length !== 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return false;
  if (s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  // Years below 100 go the long way: Date.UTC reads them as 19xx, which the general parser refuses.
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (digits(s, 20, 3) < 0) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] as number));
}

function parseEpoch(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return toIso(n < EPOCH_SECONDS_MAX ? n * 1000 : n);
}

/** Parses true/false/1/0/yes/no (any case); undefined for an empty cell, null when it is something else. */
export function parseBoolean(value: string): boolean | undefined | null {
  const s = value.trim().toLowerCase();
  if (s === '') return undefined;
  if (s === 'true' || s === '1' || s === 'yes' || s === 'y' || s === 't') return true;
  if (s === 'false' || s === '0' || s === 'no' || s === 'n' || s === 'f') return false;
  return null;
}

/** Parses a finite number (thousands separators `,` and `_` allowed); undefined when empty, null when not a number. */
export function parseNumber(value: string): number | undefined | null {
  const s = value.trim().replace(/[,_](?=\d{3}(\D|$))/g, '');
  if (s === '') return undefined;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** `1.0` → `1`: numeric ids re-exported by pandas gain a float suffix. */
export function normaliseNativeId(value: string): string {
  const s = value.trim();
  const m = /^(\d+)\.0+$/.exec(s);
  return m ? m[1]! : s;
}

/** A Mention id from a CSV/JSON cell: full ids (with `:`) are kept, native ids get `<source>:`. */
export function fullId(value: string, source: string): string {
  const s = normaliseNativeId(value);
  return s.includes(':') ? s : `${source}:${s}`;
}

export { normaliseHandle };

/** True when the author's handle or id is one of the brand's handles. */
export function isBrandAuthor(author: { id?: string; handle?: string }, brandHandles: ReadonlySet<string>): boolean {
  if (brandHandles.size === 0) return false;
  if (author.handle !== undefined && brandHandles.has(normaliseHandle(author.handle))) return true;
  return author.id !== undefined && brandHandles.has(normaliseHandle(author.id));
}

/** The set form of `--brand-handle` values. */
export function handleSet(handles: readonly string[] | undefined): Set<string> {
  return new Set((handles ?? []).map(normaliseHandle).filter((h) => h !== ''));
}
