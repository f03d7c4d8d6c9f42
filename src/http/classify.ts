/** Status (and body) → what the caller does next; and the last failure → the one sentence the caller sees. */
import {
  AuthRequiredError,
  BadResponseError,
  BlockedError,
  createSourceError,
  NotFoundError,
  RateLimitedError,
  SourceError,
  TimeoutError,
  type SourceErrorOptions,
} from '../core/errors.js';
import { detectBlockPage, GENERIC_HINTS, parseRetryAfter, rateLimitResetAt, waitTooLong } from './policy.js';
import { redactText, redactUrl } from './redact.js';
import type { RawResult, RequestContext } from './request.js';
import { adviceOf, capitalise } from './request.js';
import type { ServiceHints } from './types.js';

/** A failed attempt: the error (phrased as a reason, not yet for the user) and how long the service asked us to wait. */
export interface Verdict {
  error: SourceError;
  waitMs?: number | undefined;
}

// Statuses worth another try: throttling and server-side trouble that usually passes.
const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);

/** How much of an error answer travels on the error (enough for any service's JSON error object). */
const ERROR_BODY_CHARS = 8192;

/** Undefined when a response is usable (2xx, 304, and no block page behind a 200); otherwise why not. */
export function classifyResponse(res: RawResult, hints: ServiceHints, nowMs: number): Verdict | undefined {
  const host = new URL(res.url).host;
  const s = res.status;
  const contentType = res.headers['content-type'];
  if ((s >= 200 && s < 300) || s === 304) {
    if (s === 200 && looksLikeHtml(res.body, contentType)) {
      const block = detectBlockPage(res.body, hints.blockPages);
      if (block) return { error: new BlockedError(`${host} answered with a ${block} instead of data`, { status: s }) };
    }
    return undefined;
  }
  // Error answers often say more than their status (GitHub's 422 details, Stack Exchange's throttle_violation):
  // the error keeps the start of the body so the source can read it; the client redacts it with the message.
  const answer = { status: s, ...(res.body !== '' ? { body: res.body.slice(0, ERROR_BODY_CHARS) } : {}) };
  const retryAfter = parseRetryAfter(res.headers['retry-after'], nowMs);
  const quotaReset = rateLimitResetAt(res.headers, nowMs);
  // GitHub signals spent quotas with 403 plus x-ratelimit-remaining: 0 or Retry-After: that is throttling, not a block.
  if (s === 429 || (s === 403 && (quotaReset !== undefined || retryAfter !== undefined))) {
    const waitMs = retryAfter ?? (quotaReset !== undefined ? Math.max(0, quotaReset - nowMs) : undefined);
    // A wait past Date's range (a garbled header) gives no reset time rather than an Invalid Date.
    const resetMs = waitMs !== undefined ? nowMs + waitMs : Number.NaN;
    const resetAt = Number.isFinite(resetMs) && Math.abs(resetMs) <= 8.64e15 ? { resetAt: new Date(resetMs) } : {};
    return { error: new RateLimitedError(`${host} is rate-limiting requests (HTTP ${s})`, { ...answer, retryable: true, ...resetAt }), waitMs };
  }
  if (s === 401) return { error: new AuthRequiredError(`${host} requires authentication (HTTP 401)`, answer) };
  if (s === 407) return { error: new AuthRequiredError(`a proxy in front of ${host} requires authentication (HTTP 407)`, answer) };
  if (s === 403) {
    // Several APIs answer 403 for "log in first" or for a spent quota; those need a different fix than a block.
    const head = res.body.slice(0, 4096);
    if (matchesAny(head, GENERIC_HINTS.authRequired, hints.authRequired)) {
      return { error: new AuthRequiredError(`${host} requires authentication (HTTP 403)`, answer) };
    }
    if (matchesAny(head, GENERIC_HINTS.quotaExceeded, hints.quotaExceeded)) {
      return { error: new RateLimitedError(`${host} is rate-limiting requests (HTTP 403, quota exceeded)`, { ...answer, retryable: true }) };
    }
    const block = detectBlockPage(res.body, hints.blockPages);
    return { error: new BlockedError(`${host} refused the request (HTTP 403${block ? `, ${block}` : ''})`, answer) };
  }
  if (s === 404 || s === 410) {
    const path = new URL(redactUrl(res.url)).pathname;
    return { error: new NotFoundError(`${host} has nothing at ${path} (HTTP ${s})`, answer) };
  }
  if (RETRY_STATUS.has(s)) {
    const message = `${host} failed with HTTP ${s}`;
    const error = s === 408 ? new TimeoutError(message, { ...answer, retryable: true }) : new BadResponseError(message, { ...answer, retryable: true });
    return { error, waitMs: retryAfter };
  }
  if (s >= 500) return { error: new BadResponseError(`${host} failed with HTTP ${s}`, answer) };
  return { error: new BadResponseError(`${host} rejected the request with HTTP ${s}`, answer) };
}

/** The hints for a request: its source's (when the caller passed any for that source id), else none. */
export function hintsFor(serviceHints: Readonly<Record<string, ServiceHints>> | undefined, sourceId: string | undefined): ServiceHints {
  return (sourceId !== undefined && Object.hasOwn(serviceHints ?? {}, sourceId) ? serviceHints![sourceId] : undefined) ?? {};
}

/**
 * The error callers see for the last failed attempt: same class and code, one sentence naming the host and what to
 * do, secrets redacted, the attempt's error as `cause`.
 */
export function describeFailure(last: Verdict, ctx: RequestContext, attempts: number, maxRetryAfterMs: number): SourceError {
  const err = last.error;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const advice = adviceOf(err) ?? usualAdvice(last, maxRetryAfterMs);
  const message = redactText(`${capitalise(err.message)}${tries}; ${advice}.`, ctx.secrets);
  const opts: SourceErrorOptions & { resetAt?: Date } = {
    cause: err,
    retryable: err.retryable || err.code === 'rate-limited',
  };
  if (ctx.sourceId !== undefined) opts.sourceId = ctx.sourceId;
  if (err.status !== undefined) opts.status = err.status;
  if (err.body !== undefined) opts.body = redactText(err.body, ctx.secrets);
  if (err instanceof RateLimitedError && err.resetAt !== undefined) opts.resetAt = err.resetAt;
  return createSourceError(err.code, message, opts);
}

/** What to do about a failure of this code, when the failure brought no advice of its own. */
function usualAdvice(last: Verdict, maxRetryAfterMs: number): string {
  switch (last.error.code) {
    case 'blocked':
      return 'the service blocks this kind of client or network; try later from another network, or use the source with an API token if it has one';
    case 'rate-limited':
      return last.waitMs !== undefined && last.waitMs > maxRetryAfterMs
        ? waitTooLong(last.waitMs, maxRetryAfterMs)
        : "try again later or lower this source's request rate";
    case 'auth-required':
      return "set the source's token environment variable (see `earshot sources`) or check that it is still valid";
    case 'not-found':
      return 'check the URL, feed or query';
    case 'timeout':
      return 'try again later or raise the timeout';
    case 'network':
      return 'check your connection and the host name';
    default:
      return 'try again later; if it persists the service may have changed';
  }
}

function matchesAny(text: string, ...lists: (readonly RegExp[] | undefined)[]): boolean {
  return lists.some((list) => list?.some((re) => re.test(text)) ?? false);
}

function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  if (/html/i.test(contentType ?? '')) return true;
  return /^\s*(<!doctype html|<html)/i.test(body.slice(0, 512));
}
