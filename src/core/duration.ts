/** Durations and time bounds for flags (`--since 30d`, `--reply-target 1h`), and compact duration text for tables. */
import { UsageError } from './errors.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Unit words → ms. `m` is minutes; months are not offered because their length varies. */
const UNITS: Record<string, number> = {
  ms: 1,
  s: SECOND, sec: SECOND, secs: SECOND, second: SECOND, seconds: SECOND,
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, day: DAY, days: DAY,
  w: WEEK, wk: WEEK, wks: WEEK, week: WEEK, weeks: WEEK,
};

const DURATION_EXAMPLE = 'e.g. 45m, 1h30m, 2d or 1w';

/**
 * Parses a duration such as `90s`, `45m`, `1h`, `1h30m`, `1.5h`, `2d`, `1w` into milliseconds.
 * `what` names the flag in the error, e.g. `--reply-target`; a bare number is rejected because its unit is a guess.
 */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') throw new UsageError(`${what} is empty: give a duration, ${DURATION_EXAMPLE}.`);
  if (/^[+-]?\d+(\.\d+)?$/.test(trimmed)) {
    throw new UsageError(`${what} '${text}' has no unit: write ${DURATION_EXAMPLE}${Number(trimmed) > 0 ? ` (${trimmed}m for minutes)` : ''}.`);
  }
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;
  let total = 0;
  let pos = 0;
  const seen = new Set<number>();
  while (pos < trimmed.length) {
    part.lastIndex = pos;
    const m = part.exec(trimmed);
    const unit = m ? UNITS[m[2] ?? ''] : undefined;
    if (!m || unit === undefined || seen.has(unit)) {
      throw new UsageError(`${what} '${text}' is not a duration: write ${DURATION_EXAMPLE}.`);
    }
    seen.add(unit);
    total += Number(m[1]) * unit;
    pos = part.lastIndex;
  }
  if (!Number.isFinite(total)) throw new UsageError(`${what} '${text}' is too large: write ${DURATION_EXAMPLE}.`);
  return Math.round(total);
}

const BOUND_EXAMPLE = 'e.g. 30d, 12h, 2026-11-01 or 2026-11-01T09:00:00Z';

/** True when y-m-d (month 1-12) is a real calendar date. */
function isRealDate(y: number, mo: number, d: number): boolean {
  const back = new Date(Date.UTC(y, mo - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
}

/**
 * Parses a time bound for `--since` / `--until`: `now`; a duration ago (`30d`, `12h` = now minus that);
 * an ISO date (`2026-11-01` = 00:00 UTC); or an ISO datetime with a zone (`2026-11-01T09:00Z`, `…+02:00`).
 */
export function parseTimeBound(text: string, now: Date, what: string): Date {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return new Date(now.getTime());
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    throw new UsageError(`${what} '${text}' has no unit: write ${trimmed}d for ${trimmed} days ago, or a date such as 2026-11-01.`);
  }
  if (/^\d+(\.\d+)?\s*[a-z]/i.test(trimmed)) {
    let ms: number;
    try {
      ms = parseDuration(trimmed, what);
    } catch {
      throw new UsageError(`${what} '${text}' is not a time: write ${BOUND_EXAMPLE}.`);
    }
    return new Date(now.getTime() - ms);
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (date) {
    const [y, mo, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isRealDate(y, mo, d)) throw new UsageError(`${what} '${text}' is not a real date: write ${BOUND_EXAMPLE}.`);
    return new Date(Date.UTC(y, mo - 1, d));
  }
  const dt = /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(trimmed);
  if (dt) {
    const [y, mo, d, h, mi] = [Number(dt[1]), Number(dt[2]), Number(dt[3]), Number(dt[4]), Number(dt[5])];
    const s = Number(dt[6] ?? 0);
    const frac = Math.round(Number(`0.${dt[7] ?? '0'}`) * 1000);
    const zone = dt[8];
    if (zone === undefined) {
      throw new UsageError(`${what} '${text}' has no time zone: add Z or an offset, e.g. ${trimmed}Z or ${trimmed}+02:00.`);
    }
    if (!isRealDate(y, mo, d) || h > 23 || mi > 59 || s > 59) {
      throw new UsageError(`${what} '${text}' is not a real date and time: write ${BOUND_EXAMPLE}.`);
    }
    let offset = 0;
    if (zone.toLowerCase() !== 'z') {
      const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
      const oh = Number(z?.[2] ?? 0);
      const om = Number(z?.[3] ?? 0);
      if (!z || oh > 23 || om > 59) throw new UsageError(`${what} '${text}' has a bad offset '${zone}': write ${BOUND_EXAMPLE}.`);
      offset = (z[1] === '-' ? -1 : 1) * (oh * HOUR + om * MINUTE);
    }
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s, frac) - offset);
  }
  throw new UsageError(`${what} '${text}' is not a time: write ${BOUND_EXAMPLE}.`);
}

/**
 * Compact duration for tables: `<1m`, `45m`, `3h 20m`, `2d 4h`. Under a day it rounds to the minute,
 * from a day on to the hour; negative values get a leading minus; non-finite values print `n/a`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0m';
  if (ms < MINUTE) return '<1m';
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `${h}h` : `${h}h ${m}m`;
  }
  const hours = Math.round(ms / HOUR);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h === 0 ? `${d}d` : `${d}d ${h}h`;
}
