/** Retries: backoff with jitter, Retry-After honoured (and turned into a per-host pause), POSTs only when safe. */
import { SourceError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Verdict } from './classify.js';
import { backoffDelay, formatDuration } from './policy.js';
import type { RetryOptions } from './policy.js';
import type { Clock } from './rate-limiter.js';
import { redactText } from './redact.js';
import type { RawResult, RequestContext } from './request.js';
import { capitalise, errorCodeOf } from './request.js';

/** How a request ended after its retries: a usable result, or the last failure and how many attempts it took. */
export type RetryOutcome = { ok: RawResult } | { failed: Verdict; attempts: number };

/** What the retry loop needs from the client that owns it. */
export interface RetryDeps {
  retry: RetryOptions;
  /** The least of the request's deadline a retry must still have after its wait (else the last failure stands). */
  fairAttemptMs: number;
  clock: Clock;
  random: () => number;
  logger: Logger;
  stats: { retries: number };
  /** Hold every request to this request's host (and source) back for `waitMs`: the service asked us to. */
  pause(ctx: RequestContext, waitMs: number): void;
  /** Milliseconds until the rate limiter lets this request's host (and source) start another request. */
  readyIn(ctx: RequestContext): number;
}

// Network error codes where nothing reached the server, so even a POST may be retried.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Run `attempt` until `judge` accepts its result or retrying stops making sense. SourceErrors thrown by an attempt
 * count as failed attempts; anything else (an abort, a bug) propagates at once.
 */
export async function withRetries(
  ctx: RequestContext,
  attempt: () => Promise<RawResult>,
  judge: (res: RawResult) => Verdict | undefined,
  deps: RetryDeps,
): Promise<RetryOutcome> {
  const { retry, clock, random, logger, stats } = deps;
  let last: { failed: Verdict; attempts: number } | undefined;
  for (let n = 1; n <= Math.max(1, retry.maxAttempts); n += 1) {
    let failure: Verdict;
    try {
      const res = await attempt();
      const verdict = judge(res);
      if (!verdict) return { ok: res };
      failure = verdict;
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      if (!(err instanceof SourceError)) throw err;
      failure = { error: err };
    }
    last = { failed: failure, attempts: n };
    const { error, waitMs } = failure;
    const canRetry =
      error.retryable &&
      n < retry.maxAttempts &&
      (ctx.method === 'GET' || error.status !== undefined || CONNECT_CODES.has(errorCodeOf(error.cause) ?? ''));
    if (!canRetry) break;
    if (waitMs !== undefined && waitMs > retry.maxRetryAfterMs) break;
    const wait = waitMs ?? backoffDelay(n, retry, random);
    // A retry cut short by the request's deadline would only delay the failure (and tell it as a different one).
    if (ctx.deadline && ctx.deadline.limitMs - ctx.deadline.spentMs - wait < deps.fairAttemptMs) break;
    if (waitMs !== undefined) deps.pause(ctx, wait);
    stats.retries += 1;
    // The next attempt also waits for its rate-limit slot (6 s apart on Reddit), so the message says the longer of the two.
    const real = Math.max(wait, deps.readyIn(ctx));
    logger.info(`${capitalise(redactText(error.message, ctx.secrets))}; retrying in ${formatDuration(real)} (attempt ${n + 1} of ${retry.maxAttempts}).`);
    await clock.sleep(wait, ctx.signal);
    if (ctx.deadline) ctx.deadline.spentMs += wait;
  }
  // maxAttempts >= 1 always runs the loop once, so `last` is set.
  return last!;
}
