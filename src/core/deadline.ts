/** A signal that fires after a delay, for deadlines that may be set longer than setTimeout can hold. */

/** The longest delay setTimeout keeps; past it (about 24.8 days) the timer fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An abort signal that fires after `ms`, and `stop` to cancel it; a delay past setTimeout's range never fires at once. */
export function abortAfter(ms: number): { signal: AbortSignal; stop(): void } {
  const timer = new AbortController();
  // `--timeout 2w` or a four-week source budget must not mean "now".
  const handle = setTimeout(() => timer.abort(), Math.min(ms, MAX_TIMER_MS));
  return { signal: timer.signal, stop: () => clearTimeout(handle) };
}
