/** Formatting helpers for human-facing renderers. */

/** Minutes as compact text: `<1m`, `45m`, `3h 20m`, `2d 4h`; `—` for null. */
export function minutesText(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  if (minutes < 1) return '<1m';
  const m = Math.round(minutes);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  // Past ten days the hours are noise and only widen columns.
  return h % 24 === 0 || d >= 10 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** A 0..1 ratio as a whole percentage; `—` for null. */
export function pct(r: number | null | undefined): string {
  return r === null || r === undefined ? '—' : `${Math.round(r * 100)}%`;
}

/** An ISO instant as `YYYY-MM-DD HH:MM` in a time zone. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Cuts text to a display width with an ellipsis. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
