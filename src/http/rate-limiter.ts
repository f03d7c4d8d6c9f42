/** Per-key politeness: requests-per-minute spacing plus a concurrency cap, with an injectable clock. */
import type { RateLimit } from './types.js';

/** Time source and sleeper; tests inject a fake pair so nothing really waits. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolve after `ms` (rejects with the signal's reason when aborted). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time: Date.now and a timer that honours an AbortSignal. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A fake clock for tests: sleeping never really waits. Pending sleeps are woken in time order, the clock jumping
 * to each wake-up time, so concurrent sleepers see consistent time. Records every sleep for assertions.
 */
export function manualClock(start = 0): Clock & { sleeps: number[]; advance(ms: number): void } {
  let t = start;
  const sleeps: number[] = [];
  const pending: { at: number; resolve: () => void }[] = [];
  let scheduled = false;
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    // A macrotask lets every caller that is about to sleep register first.
    setTimeout(() => {
      scheduled = false;
      pending.sort((a, b) => a.at - b.at);
      const first = pending[0];
      if (!first) return;
      t = Math.max(t, first.at);
      while (pending.length > 0 && (pending[0]?.at ?? Infinity) <= t) pending.shift()?.resolve();
      if (pending.length > 0) schedule();
    }, 0);
  };
  return {
    sleeps,
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    sleep(ms: number, signal?: AbortSignal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        const entry = {
          at: t + Math.max(0, ms),
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const i = pending.indexOf(entry);
          if (i >= 0) pending.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.push(entry);
        schedule();
      });
    },
  };
}

interface Bucket {
  /** Earliest time the next request may start. */
  nextStart: number;
  /** Server-imposed pause (Retry-After, X-Ratelimit-Reset). */
  pausedUntil: number;
  active: number;
  waiters: (() => void)[];
  /** Resolves when the previous caller has started: callers pass the start gate one at a time. */
  gate: Promise<void>;
  /** Wakes the caller waiting for its start time, so it looks again (after a refund). */
  wake: (() => void) | undefined;
}

/** Hands out permission to start requests per key (a host, or host plus source). */
export interface RateLimiter {
  /** Wait for a concurrency slot and the next start time; returns the release function. */
  acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<() => void>;
  /** Hold every request for `key` until `until` (epoch ms), e.g. after X-Ratelimit-Remaining: 0. */
  pauseUntil(key: string, until: number): void;
  /**
   * Gives back the last start for `key`: the request never reached the server (its name did not resolve, nothing was
   * listening), so the next one need not wait out the interval. Without this an offline run waited 6 s per Reddit request.
   */
  refund(key: string, startedAt: number): void;
  /** Current activity for a key (tests, debug). */
  snapshot(key: string): { active: number; waiting: number; nextStart: number; pausedUntil: number };
}

/** `p`, or a rejection with the signal's reason if it aborts first. */
function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, reject);
  });
}

/** Starts are spaced a little wider than 60000/rpm so jitter on the wire never shows the server rpm + 1. */
const SPACING_SLACK = 1.02;

/** Create a limiter: starts are spaced by 60000/rpm ms plus 2% (no bursts, so no rolling minute exceeds rpm). */
export function createRateLimiter(clock: Clock = systemClock): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string): Bucket => {
    let b = buckets.get(key);
    if (!b) {
      b = { nextStart: 0, pausedUntil: 0, active: 0, waiters: [], gate: Promise.resolve(), wake: undefined };
      buckets.set(key, b);
    }
    return b;
  };

  /** `clock.sleep`, ended early by `b.wake()` (the caller then recomputes its start time). */
  const wakeableSleep = async (b: Bucket, ms: number, signal: AbortSignal | undefined): Promise<void> => {
    const stop = new AbortController();
    b.wake = () => stop.abort();
    try {
      await clock.sleep(ms, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
    } catch (err) {
      // Woken: not an error. An abort of the caller's own signal is.
      if (signal?.aborted || !stop.signal.aborted) throw err;
    } finally {
      if (b.wake !== undefined) b.wake = undefined;
    }
  };

  const takeSlot = async (b: Bucket, concurrency: number, signal?: AbortSignal): Promise<void> => {
    while (b.active >= Math.max(1, concurrency)) {
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = b.waiters.indexOf(wake);
          if (i >= 0) b.waiters.splice(i, 1);
          reject(signal?.reason);
        };
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        b.waiters.push(wake);
      });
    }
    b.active += 1;
  };

  return {
    async acquire(key, limit, signal) {
      const b = bucket(key);
      await takeSlot(b, limit.concurrency, signal);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        b.active -= 1;
        b.waiters.shift()?.();
      };
      try {
        // 2% slack: starts exactly 60000/rpm apart reach the server with network jitter, and a request delayed by a few
        // ms next to one on time would put rpm + 1 arrivals in a rolling minute as the server counts them.
        const interval = limit.requestsPerMinute > 0 ? (60_000 / limit.requestsPerMinute) * SPACING_SLACK : 0;
        // Callers pass one at a time, and each computes its wait from the previous caller's *actual* start, so a
        // timer that fires late never squeezes the next gap below the interval.
        const previous = b.gate;
        let open!: () => void;
        b.gate = new Promise<void>((r) => {
          open = r;
        });
        try {
          await abortable(previous, signal);
          for (;;) {
            const now = clock.now();
            const start = Math.max(b.nextStart, b.pausedUntil);
            if (start <= now) break;
            await wakeableSleep(b, start - now, signal);
          }
          b.nextStart = clock.now() + interval;
        } finally {
          // An aborted caller must not hold up the ones behind it; it lets them pass once its own turn comes.
          void previous.then(open);
        }
      } catch (err) {
        release();
        throw err;
      }
      return release;
    },
    pauseUntil(key, until) {
      const b = bucket(key);
      if (until > b.pausedUntil) b.pausedUntil = until;
    },
    refund(key, startedAt) {
      const b = bucket(key);
      if (startedAt < b.nextStart) b.nextStart = startedAt;
      b.wake?.();
    },
    snapshot(key) {
      const b = bucket(key);
      return { active: b.active, waiting: b.waiters.length, nextStart: b.nextStart, pausedUntil: b.pausedUntil };
    },
  };
}
