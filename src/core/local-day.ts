/** Local calendar dates for instants, cached: the summary and the HTML report both group by day. */

/** Width of the cached slices of time: every zone offset in use since 1972 is a multiple of 15 minutes. */
const SLICE = 15 * 60_000;
/** Cached slices kept before the cache is cleared (90 days is 8,640 slices). */
const SLICE_CACHE_MAX = 50_000;

/**
 * Returns a function mapping epoch ms to the local calendar date (YYYY-MM-DD) in a time zone.
 * Intl formatting costs microseconds and runs once per mention, so dates are cached per 15-minute slice of time;
 * a slice whose two ends fall on different dates (a midnight inside it, possible with historical offsets) is
 * never cached, so the answer is always exactly Intl's.
 */
export function localDay(timeZone: string): (ms: number) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const slices = new Map<number, string>();
  return (ms) => {
    if (!Number.isFinite(ms)) return fmt.format(ms);
    const slice = Math.floor(ms / SLICE);
    const cached = slices.get(slice);
    if (cached !== undefined) return cached;
    const day = fmt.format(ms);
    const start = slice * SLICE;
    if (fmt.format(start) === day && fmt.format(start + SLICE - 1) === day) {
      if (slices.size >= SLICE_CACHE_MAX) slices.clear();
      slices.set(slice, day);
    }
    return day;
  };
}
