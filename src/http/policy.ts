/** Pure retry and classification rules: backoff, Retry-After / X-Ratelimit-* parsing, block-page detection. */
import type { ServiceHints } from './types.js';

/** Retry settings. */
export interface RetryOptions {
  /** Total attempts including the first (default 4). */
  maxAttempts: number;
  /** First backoff delay in ms (default 500). */
  baseDelayMs: number;
  /** Upper bound on one backoff delay in ms (default 30 000). */
  maxDelayMs: number;
  /** Fraction of the delay randomised, 0..1 (default 0.5: "equal jitter"). */
  jitter: number;
  /** Longest Retry-After / rate-limit reset we are willing to wait, in ms (default 60 000). */
  maxRetryAfterMs: number;
}

/** Polite retry defaults. */
export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  jitter: 0.5,
  maxRetryAfterMs: 60_000,
};

/** Exponential backoff before retry number `attempt` (1 = first retry), jittered with `random()` in [0,1). */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.round(exp * (1 - jitter) + exp * jitter * random());
}

/** Milliseconds to wait from a Retry-After value (delta seconds or an HTTP date), or undefined when unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * When a host says its quota is spent (`x-ratelimit-remaining: 0` or `ratelimit-remaining: 0`), the epoch ms at which
 * it resets. Reset values differ by service: seconds until reset (Reddit), epoch seconds (GitHub, Bluesky),
 * or an ISO date (Mastodon); all are accepted. Undefined when requests may continue.
 */
export function rateLimitResetAt(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  if (remaining === undefined) return undefined;
  const left = Number(remaining.trim());
  if (!Number.isFinite(left) || left >= 1) return undefined;
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (reset === undefined) return undefined;
  const r = reset.trim();
  if (/^\d+(\.\d+)?$/.test(r)) {
    const n = Number(r);
    // Anything past 2001 in epoch seconds is an absolute time; smaller numbers are a delta in seconds.
    if (n > 1_000_000_000) return Math.round(n * 1000);
    return nowMs + Math.round(n * 1000);
  }
  const at = Date.parse(r);
  return Number.isNaN(at) ? undefined : at;
}

/** A recognisable "you are blocked" page: a pattern and a short label for messages. */
export interface BlockPattern {
  label: string;
  pattern: RegExp;
}

// Kept small and specific: a false "blocked" would hide a real result. Only pages that are no one service's live here;
// a service's own block pages, login and quota wording come from its source's `hints`.
const GENERIC_BLOCK_PAGES: readonly BlockPattern[] = [
  { label: 'Cloudflare challenge page', pattern: /<title>\s*(Just a moment\.\.\.|Attention Required! \| Cloudflare)\s*<\/title>/i },
  { label: 'AWS WAF challenge page', pattern: /aws-waf-token|awswafintegration/i },
];

/** Hints that hold for any service: challenge pages of common WAFs and generic "log in" wording. */
export const GENERIC_HINTS: ServiceHints = {
  blockPages: GENERIC_BLOCK_PAGES,
  authRequired: [/Authentication Required|not_authorized/i],
};

/**
 * Which block page a body is, if any (checked on 200 HTML and 403 answers): a service's own `pages` first, then the
 * generic ones.
 */
export function detectBlockPage(body: string, pages: readonly BlockPattern[] = []): string | undefined {
  // Block pages are short; looking at the head keeps this cheap on large JSON bodies.
  const head = body.length > 64_000 ? body.slice(0, 64_000) : body;
  for (const { label, pattern } of [...pages, ...GENERIC_BLOCK_PAGES]) {
    if (pattern.test(head)) return label;
  }
  return undefined;
}

/** Human-friendly duration for messages: "800 ms", "12 s", "3 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/**
 * What earshot says when a service asks it to wait longer than it waits (`maxMs`, 60 s by default): a Retry-After, a
 * rate-limit reset, or a wait in the answer's body (Stack Exchange's `backoff`, Discourse's `wait_seconds`).
 */
export function waitTooLong(waitMs: number, maxMs: number): string {
  return `it asked to wait ${formatDuration(waitMs)}, longer than the ${formatDuration(maxMs)} earshot waits; try again later or lower this source's request rate`;
}

/** "1.5 MB" style sizes for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
}
