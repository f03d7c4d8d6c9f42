/**
 * The one HTTP client every source uses: an undici Agent of its own (keep-alive pools per origin, never a global
 * dispatcher, never global fetch), per-host politeness, retries with backoff and jitter, Retry-After and
 * X-Ratelimit-* honoured, decompression, a body cap, an on-disk cache and raw evidence recording.
 */
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { Agent } from 'undici';
import { SourceError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import type { RateLimit } from '../sources/types.js';
import type { CacheEntry, CacheOptions, DiskCache } from './cache.js';
import { cacheKey, createDiskCache } from './cache.js';
import {
  DEFAULT_RETRY,
  backoffDelay,
  detectBlockPage as defaultDetectBlockPage,
  formatDuration,
  parseRetryAfter,
  rateLimitResetAt,
} from './policy.js';
import type { RetryOptions } from './policy.js';
import type { Clock, RateLimiter } from './rate-limiter.js';
import { createRateLimiter, systemClock } from './rate-limiter.js';
import type { RawRecorder } from './raw-store.js';
import { openRawRecorder } from './raw-store.js';
import { isSecretParam, redactText, redactUrl, scrubSecrets, secretsOf } from './redact.js';
import type { HttpClient, HttpPostOptions, HttpRequestOptions, HttpResponse } from './types.js';
import { USER_AGENT } from './user-agent.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);

/** Timeouts in milliseconds. */
export interface HttpTimeouts {
  /** TCP + TLS connect (default 10 s). */
  connectMs: number;
  /** Until response headers arrive (default 30 s). */
  headersMs: number;
  /** Longest silence while the body streams (default 30 s). */
  bodyMs: number;
}

/** Options for createHttpClient; every field has a polite default. */
export interface HttpClientOptions {
  /** User-Agent header (default `earshot/<version> (+https://github.com/earshot-cli/earshot)`). */
  userAgent?: string;
  /** Limit per host when nothing more specific applies (default 60 requests/min, 2 concurrent). */
  defaultRateLimit?: RateLimit;
  /** Limits for particular hosts (hostname → limit). */
  hostRateLimits?: Record<string, RateLimit>;
  /** Limits per source id (e.g. reddit → 10/min); a request carrying that sourceId uses it for its host. */
  rateLimits?: Record<string, RateLimit>;
  retry?: Partial<RetryOptions>;
  timeouts?: Partial<HttpTimeouts>;
  /** Largest body accepted, after decompression (default 20 MB). */
  maxBodyBytes?: number;
  /** Redirects followed per request (default 5). */
  maxRedirects?: number;
  /** On-disk cache: options, a cache instance, or false/undefined for none. */
  cache?: CacheOptions | DiskCache | false;
  /** `--save-raw`: a recorder, or a folder to open one in on first use. */
  saveRaw?: RawRecorder | string;
  /**
   * The audit's "now" (the run clock or --now). Stored as the recording's startedAt, which a --from-raw re-run
   * uses as its clock, so the replayed report is byte-identical. Default: the time of the first recorded request.
   */
  auditNow?: Date;
  logger?: Logger;
  /** Aborts every request of this client (Ctrl-C). */
  signal?: AbortSignal;
  /** Clock and sleeper for rate limits, backoff and fetchedAt (tests inject a fake one). */
  clock?: Clock;
  /** Random source for jitter, [0,1). */
  random?: () => number;
  /** Block-page detector (default: detectBlockPage from policy.ts, which sources can extend). */
  detectBlockPage?: (body: string) => string | undefined;
}

/** Counters for the run summary. */
export interface HttpStats {
  /** Network requests sent (each attempt and redirect hop counts). */
  requests: number;
  /** GETs answered from a fresh cache entry with no request. */
  cacheHits: number;
  /** Stale entries confirmed unchanged by a 304. */
  revalidated: number;
  retries: number;
  /** Body bytes received (after decompression). */
  bytes: number;
  /** Errors surfaced to callers, by code. */
  errors: Partial<Record<ErrorCode, number>>;
}

/** The client plus its counters. */
export interface EarshotHttpClient extends HttpClient {
  stats(): HttpStats;
}

/** Polite per-host default: one request a second, two at a time. */
export const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerMinute: 60, concurrency: 2 };
/** Default timeouts. */
export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };
/** Default body cap: 20 MB. */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

// Statuses worth another try: throttling and server-side trouble that usually passes.
const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);
// Network error codes where nothing reached the server, so even a POST may be retried.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
// Certificate problems: retrying will not help.
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|ALTNAME/i;
// 403 bodies that mean "authenticate" or "quota spent" rather than "blocked".
const AUTH_HINT = /AuthMissing|AuthRequired|"login_required"|Authentication Required|Bad credentials|not_authorized/i;
const QUOTA_HINT = /quotaExceeded|rateLimitExceeded|secondary rate limit|API rate limit exceeded/i;
// How much of an error body we read (for block-page detection and nothing else).
const ERROR_BODY_CAP = 256 * 1024;

interface RawResult {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface RequestContext {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  sourceId: string | undefined;
  signal: AbortSignal | undefined;
  secrets: string[];
}

/** An error that carries our classification until it is turned into a SourceError. */
class Failure extends Error {
  /** Attempts made before giving up (set by the retry loop). */
  attempts = 1;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retry: boolean,
    readonly status?: number,
    readonly waitMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function errorCodeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = headerValue(value);
    if (v !== undefined) out[name.toLowerCase()] = v;
  }
  return out;
}

function lowerKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // Unknown label: fall back to UTF-8, which is what almost every API sends anyway.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  if (/html/i.test(contentType ?? '')) return true;
  return /^\s*(<!doctype html|<html)/i.test(body.slice(0, 512));
}

/** Create the client. Call close() at the end of the run (it also finalises the --save-raw manifest). */
export function createHttpClient(options: HttpClientOptions = {}): EarshotHttpClient {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const timeouts: HttpTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = options.userAgent ?? USER_AGENT;
  const detectBlock = options.detectBlockPage ?? defaultDetectBlockPage;
  const limiter: RateLimiter = createRateLimiter(clock);
  const clientSignal = options.signal;
  const cache: DiskCache | undefined =
    options.cache === false || options.cache === undefined
      ? undefined
      : 'read' in options.cache
        ? options.cache
        : createDiskCache(options.cache, logger);
  let recorder: Promise<RawRecorder> | undefined =
    options.saveRaw === undefined
      ? undefined
      : typeof options.saveRaw === 'string'
        ? undefined
        : Promise.resolve(options.saveRaw);
  const rawDir = typeof options.saveRaw === 'string' ? options.saveRaw : undefined;
  const getRecorder = (): Promise<RawRecorder> | undefined => {
    if (recorder === undefined && rawDir !== undefined) {
      recorder = openRawRecorder(rawDir, {
        now: () => new Date(clock.now()),
        ...(options.auditNow ? { startedAt: options.auditNow } : {}),
      });
    }
    return recorder;
  };

  // One Agent per client: keep-alive pools per origin, nothing global.
  const agent = new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });

  const stats: HttpStats = { requests: 0, cacheHits: 0, revalidated: 0, retries: 0, bytes: 0, errors: {} };
  let closed = false;

  const limitFor = (host: string, sourceId: string | undefined): { key: string; limit: RateLimit } => {
    const bySource = sourceId !== undefined ? options.rateLimits?.[sourceId] : undefined;
    if (bySource) return { key: `${host}#${sourceId}`, limit: bySource };
    return { key: host, limit: options.hostRateLimits?.[host] ?? options.defaultRateLimit ?? DEFAULT_RATE_LIMIT };
  };

  const nowIso = (): string => new Date(clock.now()).toISOString();

  /** Read a body stream fully, enforcing the cap and checking Content-Length. */
  const readBody = async (
    body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown },
    headers: Record<string, string>,
    cap: number,
    host: string,
  ): Promise<Buffer> => {
    const declared = headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
    if (declared !== undefined && Number.isFinite(declared) && declared > cap) {
      body.destroy();
      throw new Failure(
        'bad-response',
        `${host} sent a ${formatBytes(declared)} body, more than the ${formatBytes(cap)} limit; narrow the query or raise the body size limit.`,
        false,
      );
    }
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of body) {
        received += chunk.length;
        if (received > cap) {
          body.destroy();
          throw new Failure(
            'bad-response',
            `${host} sent a body larger than the ${formatBytes(cap)} limit; narrow the query or raise the body size limit.`,
            false,
          );
        }
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof Failure) throw err;
      const code = errorCodeOf(err);
      if (code === 'UND_ERR_BODY_TIMEOUT') {
        throw new Failure('timeout', `${host} stopped sending the response body for ${formatDuration(timeouts.bodyMs)}`, true, undefined, undefined, { cause: err });
      }
      if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
        throw new Failure('bad-response', `${host} sent a truncated response (shorter than its Content-Length)`, true, undefined, undefined, { cause: err });
      }
      if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') throw err;
      if (declared !== undefined && Number.isFinite(declared) && received < declared) {
        throw new Failure('bad-response', `${host} cut the response off after ${received} of ${declared} bytes`, true, undefined, undefined, { cause: err });
      }
      throw new Failure('network', `the connection to ${host} dropped mid-response (${code ?? 'socket closed'})`, true, undefined, undefined, { cause: err });
    }
    if (declared !== undefined && Number.isFinite(declared) && received !== declared) {
      throw new Failure('bad-response', `${host} sent a truncated response (${received} of ${declared} bytes)`, true);
    }
    return Buffer.concat(chunks);
  };

  const decompress = async (raw: Buffer, encoding: string | undefined, host: string, cap: number): Promise<Buffer> => {
    if (!encoding || raw.length === 0) return raw;
    let out = raw;
    const codings = encoding
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '' && c !== 'identity')
      .reverse();
    try {
      for (const coding of codings) {
        if (coding === 'gzip' || coding === 'x-gzip') out = await gunzipAsync(out, { maxOutputLength: cap });
        else if (coding === 'br') out = await brotliAsync(out, { maxOutputLength: cap });
        else if (coding === 'deflate') {
          // Some servers send raw deflate without the zlib wrapper the spec asks for.
          try {
            out = await inflateAsync(out, { maxOutputLength: cap });
          } catch (err) {
            if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw err;
            out = await inflateRawAsync(out, { maxOutputLength: cap });
          }
        } else throw new Failure('bad-response', `${host} used an unsupported content encoding "${coding}"`, false);
      }
    } catch (err) {
      if (err instanceof Failure) throw err;
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Failure('bad-response', `${host} sent a body larger than the ${formatBytes(cap)} limit once decompressed; narrow the query or raise the body size limit.`, false);
      }
      // A corrupt or cut-off compressed stream is usually a transient transfer problem.
      throw new Failure('bad-response', `${host} sent a compressed body that could not be decompressed (${(err as Error).message})`, true, undefined, undefined, { cause: err });
    }
    return out;
  };

  /** One network round trip (no redirects, no retries): status, headers and the decoded body. */
  const send = async (ctx: RequestContext, url: URL): Promise<RawResult> => {
    const host = url.host;
    stats.requests += 1;
    logger.debug(`${ctx.method} ${redactUrl(url.toString())}`);
    let res;
    try {
      res = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: ctx.method,
        headers: ctx.headers,
        body: ctx.body ?? null,
        signal: ctx.signal,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      });
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      const code = errorCodeOf(err);
      if (code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new Failure('timeout', `could not connect to ${host} within ${formatDuration(timeouts.connectMs)}`, true, undefined, undefined, { cause: err });
      }
      if (code === 'UND_ERR_HEADERS_TIMEOUT') {
        throw new Failure('timeout', `${host} did not answer within ${formatDuration(timeouts.headersMs)}`, true, undefined, undefined, { cause: err });
      }
      if (code && TLS_CODE.test(code)) {
        throw new Failure('network', `the TLS certificate of ${host} was rejected (${code})`, false, undefined, undefined, { cause: err });
      }
      if (code === 'ENOTFOUND') {
        throw new Failure('network', `the host name ${host} could not be resolved (ENOTFOUND)`, true, undefined, undefined, { cause: err });
      }
      throw new Failure('network', `could not reach ${host} (${code ?? (err as Error).message})`, true, undefined, undefined, { cause: err });
    }
    const headers = flattenHeaders(res.headers as Record<string, string | string[] | undefined>);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    if (res.statusCode === 304 || res.statusCode === 204) {
      await res.body.dump().catch(() => undefined);
      return { url: url.toString(), status: res.statusCode, headers, body: '' };
    }
    if (res.statusCode >= 300 && res.statusCode < 400) {
      await res.body.dump().catch(() => undefined);
      return { url: url.toString(), status: res.statusCode, headers, body: '' };
    }
    const cap = ok ? maxBodyBytes : ERROR_BODY_CAP;
    let raw: Buffer;
    try {
      raw = await readBody(res.body, headers, cap, host);
    } catch (err) {
      if (!ok && err instanceof Failure && err.code === 'bad-response' && !err.retry) raw = Buffer.alloc(0);
      else throw err;
    }
    let bytes: Buffer;
    try {
      bytes = await decompress(raw, headers['content-encoding'], host, ok ? maxBodyBytes : ERROR_BODY_CAP * 8);
    } catch (err) {
      // An unreadable error body still has a usable status.
      if (!ok) bytes = Buffer.alloc(0);
      else throw err;
    }
    stats.bytes += bytes.length;
    return { url: url.toString(), status: res.statusCode, headers, body: decodeText(bytes, headers['content-type']) };
  };

  /** Send with redirects followed (each hop rate-limited), classify, retry; returns a 2xx/304 result or throws. */
  const perform = async (ctx: RequestContext): Promise<RawResult> => {
    let lastFailure: Failure | undefined;
    for (let attempt = 1; attempt <= Math.max(1, retry.maxAttempts); attempt += 1) {
      let url = new URL(ctx.url);
      let headers = { ...ctx.headers };
      let method = ctx.method;
      let body = ctx.body;
      const seen = new Set<string>([url.toString()]);
      let failure: Failure | undefined;
      let result: RawResult | undefined;
      try {
        for (let hop = 0; ; hop += 1) {
          const { key, limit } = limitFor(url.hostname, ctx.sourceId);
          const release = await limiter.acquire(key, limit, ctx.signal);
          let res: RawResult;
          try {
            res = await send({ ...ctx, method, headers, body }, url);
          } finally {
            release();
          }
          const resetAt = rateLimitResetAt(res.headers, clock.now());
          if (resetAt !== undefined && resetAt > clock.now()) {
            const capped = Math.min(resetAt, clock.now() + retry.maxRetryAfterMs);
            limiter.pauseUntil(key, capped);
            logger.info(`${url.host} says its request quota is spent; pausing requests to it for ${formatDuration(capped - clock.now())}.`);
          }
          if (res.status >= 300 && res.status < 400 && res.status !== 304) {
            const location = res.headers['location'];
            if (!location) {
              throw new Failure('bad-response', `${url.host} answered HTTP ${res.status} without a Location to follow`, false, res.status);
            }
            const next = new URL(location, url);
            if (next.protocol !== 'http:' && next.protocol !== 'https:') {
              throw new Failure('bad-response', `${url.host} redirected to an unsupported URL scheme (${next.protocol})`, false, res.status);
            }
            if (seen.has(next.toString()) || hop + 1 > maxRedirects) {
              throw new Failure('bad-response', `${url.host} redirected in a loop or more than ${maxRedirects} times`, false, res.status);
            }
            seen.add(next.toString());
            if (next.origin !== url.origin) {
              // Never carry credentials to another origin.
              headers = Object.fromEntries(
                Object.entries(headers).filter(([n]) => !/^(authorization|cookie|proxy-authorization)$/i.test(n)),
              );
            }
            if (method === 'POST' && res.status !== 307 && res.status !== 308) {
              // 301/302/303 after a POST mean "now GET this"; browsers and curl do the same.
              method = 'GET';
              body = undefined;
              delete headers['content-type'];
            }
            url = next;
            continue;
          }
          result = res;
          break;
        }
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        if (!(err instanceof Failure)) throw err;
        failure = err;
      }
      if (result) {
        failure = classify(result);
        if (!failure) return result;
      }
      if (!failure) throw new Error('unreachable');
      failure.attempts = attempt;
      lastFailure = failure;
      const canRetry =
        failure.retry &&
        attempt < retry.maxAttempts &&
        (ctx.method === 'GET' || failure.status !== undefined || CONNECT_CODES.has(errorCodeOf(failure.cause) ?? ''));
      if (!canRetry) break;
      if (failure.waitMs !== undefined && failure.waitMs > retry.maxRetryAfterMs) break;
      const wait = failure.waitMs ?? backoffDelay(attempt, retry, random);
      if (failure.waitMs !== undefined) {
        const { key } = limitFor(new URL(ctx.url).hostname, ctx.sourceId);
        limiter.pauseUntil(key, clock.now() + wait);
      }
      stats.retries += 1;
      logger.info(
        `${capitalise(redactText(failure.message, ctx.secrets))}; retrying in ${formatDuration(wait)} (attempt ${attempt + 1} of ${retry.maxAttempts}).`,
      );
      await clock.sleep(wait, ctx.signal);
    }
    throw lastFailure ?? new Failure('network', 'request failed', false);
  };

  /** Status → Failure (undefined when the response is usable). */
  const classify = (res: RawResult): Failure | undefined => {
    const host = new URL(res.url).host;
    const s = res.status;
    const contentType = res.headers['content-type'];
    if ((s >= 200 && s < 300) || s === 304) {
      if (s === 200 && looksLikeHtml(res.body, contentType)) {
        const block = detectBlock(res.body);
        if (block) return new Failure('blocked', `${host} answered with a ${block} instead of data`, false, s);
      }
      return undefined;
    }
    const retryAfter = parseRetryAfter(res.headers['retry-after'], clock.now());
    const quotaReset = rateLimitResetAt(res.headers, clock.now());
    // GitHub signals spent quotas with 403 plus x-ratelimit-remaining: 0 or Retry-After: that is throttling, not a block.
    if (s === 429 || (s === 403 && (quotaReset !== undefined || retryAfter !== undefined))) {
      const wait = retryAfter ?? (quotaReset !== undefined ? Math.max(0, quotaReset - clock.now()) : undefined);
      return new Failure('rate-limited', `${host} is rate-limiting requests (HTTP ${s})`, true, s, wait);
    }
    if (s === 401) return new Failure('auth-required', `${host} requires authentication (HTTP 401)`, false, s);
    if (s === 407) return new Failure('auth-required', `a proxy in front of ${host} requires authentication (HTTP 407)`, false, s);
    if (s === 403) {
      // Several APIs answer 403 for "log in first" (Bluesky AuthMissing, Discourse login_required) or for a spent
      // quota (YouTube quotaExceeded, GitHub secondary limits); those need a different fix than a block.
      const head = res.body.slice(0, 4096);
      if (AUTH_HINT.test(head)) return new Failure('auth-required', `${host} requires authentication (HTTP 403)`, false, s);
      if (QUOTA_HINT.test(head)) return new Failure('rate-limited', `${host} is rate-limiting requests (HTTP 403, quota exceeded)`, true, s);
      const block = detectBlock(res.body);
      return new Failure('blocked', `${host} refused the request (HTTP 403${block ? `, ${block}` : ''})`, false, s);
    }
    if (s === 404 || s === 410) {
      const path = new URL(redactUrl(res.url)).pathname;
      return new Failure('not-found', `${host} has nothing at ${path} (HTTP ${s})`, false, s);
    }
    if (RETRY_STATUS.has(s)) {
      return new Failure(s === 408 ? 'timeout' : 'bad-response', `${host} failed with HTTP ${s}`, true, s, retryAfter);
    }
    if (s >= 500) return new Failure('bad-response', `${host} failed with HTTP ${s}`, false, s);
    return new Failure('bad-response', `${host} rejected the request with HTTP ${s}`, false, s);
  };

  /** Turn the last Failure into the SourceError callers see: one sentence naming the host and what to do. */
  const toSourceError = (err: unknown, ctx: RequestContext, attempts: number): SourceError => {
    const base: { sourceId?: string; cause?: unknown } = {};
    if (ctx.sourceId !== undefined) base.sourceId = ctx.sourceId;
    if (err instanceof SourceError) return err;
    if (ctx.signal?.aborted || errorCodeOf(err) === 'UND_ERR_ABORTED' || (err as Error | undefined)?.name === 'AbortError') {
      return new SourceError('interrupted', `The request to ${new URL(ctx.url).host} was cancelled.`, { ...base, retryable: false });
    }
    if (!(err instanceof Failure)) {
      const message = redactText(`Request to ${redactUrl(ctx.url)} failed unexpectedly: ${(err as Error)?.message ?? String(err)}.`, ctx.secrets);
      return new SourceError('network', message, { ...base, cause: err, retryable: true });
    }
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    let advice: string;
    switch (err.code) {
      case 'blocked':
        advice = 'the service blocks this kind of client or network; try later from another network, or use the source with an API token if it has one';
        break;
      case 'rate-limited':
        advice =
          err.waitMs !== undefined && err.waitMs > retry.maxRetryAfterMs
            ? `it asked to wait ${formatDuration(err.waitMs)}, longer than the ${formatDuration(retry.maxRetryAfterMs)} earshot waits; try again later or lower this source's request rate`
            : "try again later or lower this source's request rate";
        break;
      case 'auth-required':
        advice = "set the source's token environment variable (see `earshot sources`) or check that it is still valid";
        break;
      case 'not-found':
        advice = 'check the URL, feed or query';
        break;
      case 'timeout':
        advice = 'try again later or raise the timeout';
        break;
      case 'network':
        advice = 'check your connection and the host name';
        break;
      default:
        advice = 'try again later; if it persists the service may have changed';
    }
    const message = redactText(`${capitalise(err.message)}${tries}; ${advice}.`, ctx.secrets);
    const opts: { sourceId?: string; cause?: unknown; status?: number; retryable: boolean } = {
      ...base,
      cause: err,
      retryable: err.retry || err.code === 'rate-limited',
    };
    if (err.status !== undefined) opts.status = err.status;
    return new SourceError(err.code, message, opts);
  };

  const prepare = (method: 'GET' | 'POST', url: string, options: HttpRequestOptions | undefined): RequestContext => {
    const sourceId = options?.sourceId;
    const signals = [options?.signal, clientSignal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
      ...lowerKeys(options?.headers),
    };
    const ctx: RequestContext = { method, url, headers, sourceId, signal, secrets: secretsOf(url, headers) };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SourceError('bad-response', `"${redactText(url, ctx.secrets)}" is not a valid URL; check the source's base URL or feed URL.`, sourceId === undefined ? {} : { sourceId });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SourceError('bad-response', `${redactUrl(url)} is not an http(s) URL; earshot only fetches web addresses.`, sourceId === undefined ? {} : { sourceId });
    }
    if (closed) throw new SourceError('interrupted', 'The HTTP client was already closed.', sourceId === undefined ? {} : { sourceId });
    return ctx;
  };

  const count = (err: SourceError): SourceError => {
    stats.errors[err.code] = (stats.errors[err.code] ?? 0) + 1;
    return err;
  };

  const fromEntry = (url: string, entry: CacheEntry): HttpResponse => ({
    url,
    status: entry.status,
    headers: { ...entry.headers },
    body: entry.body,
    fromCache: true,
    fetchedAt: entry.fetchedAt,
  });

  const record = async (method: 'GET' | 'POST', url: string, response: HttpResponse): Promise<void> => {
    const r = getRecorder();
    if (!r) return;
    await (await r).record(method, url, response);
  };
  const recordError = async (method: 'GET' | 'POST', url: string, err: SourceError): Promise<void> => {
    const r = getRecorder();
    if (!r || err.code === 'interrupted') return;
    await (await r).recordError(method, url, err, nowIso());
  };

  const attemptsOf = (err: unknown): number => (err instanceof Failure ? err.attempts : 1);

  return {
    async get(url, requestOptions) {
      const ctx = prepare('GET', url, requestOptions);
      let response: HttpResponse;
      try {
        const key = cache ? cacheKey(url, lowerKeys(requestOptions?.headers)) : '';
        const entry = cache && cache.mode !== 'off' ? await cache.read(key) : undefined;
        if (cache && entry && cache.isFresh(entry, clock.now())) {
          stats.cacheHits += 1;
          logger.debug(`GET ${redactUrl(url)} (from cache)`);
          response = fromEntry(url, entry);
        } else {
          const conditional = cache && entry && cache.mode === 'normal';
          if (conditional && entry.headers['etag']) ctx.headers['if-none-match'] = entry.headers['etag'];
          if (conditional && entry.headers['last-modified']) ctx.headers['if-modified-since'] = entry.headers['last-modified'];
          const res = await perform(ctx);
          res.body = scrubSecrets(res.body, ctx.secrets);
          const fetchedAt = nowIso();
          if (res.status === 304 && entry) {
            stats.revalidated += 1;
            const refreshed = { ...entry, fetchedAt };
            await cache?.write(key, refreshed);
            response = fromEntry(url, refreshed);
          } else {
            response = { url: res.url, status: res.status, headers: res.headers, body: res.body, fromCache: false, fetchedAt };
            if (cache && res.status === 200) await cache.write(key, { url, status: res.status, headers: res.headers, body: res.body, fetchedAt });
          }
        }
      } catch (err) {
        const se = count(toSourceError(err, ctx, attemptsOf(err)));
        await recordError('GET', url, se).catch((e: unknown) => logger.warn(`Could not save raw evidence: ${(e as Error).message}`));
        throw se;
      }
      await record('GET', url, response);
      return response;
    },
    async post(url, body, postOptions: HttpPostOptions) {
      const ctx = prepare('POST', url, postOptions);
      ctx.headers['content-type'] = postOptions.contentType;
      ctx.body = body;
      // A request body's secrets (passwords, client secrets) must never reach a message either.
      for (const part of body.split(/[&\s"':,{}]+/)) {
        const eq = part.indexOf('=');
        const value = eq >= 0 ? part.slice(eq + 1) : '';
        if (value.length >= 6) ctx.secrets.push(value, decodeURIComponentSafe(value));
      }
      // JSON logins ({"identifier": ..., "password": ...}): the values of credential-named keys.
      for (const value of jsonCredentials(body)) ctx.secrets.push(value);
      let response: HttpResponse;
      try {
        const res = await perform(ctx);
        res.body = scrubSecrets(res.body, ctx.secrets);
        response = { url: res.url, status: res.status, headers: res.headers, body: res.body, fromCache: false, fetchedAt: nowIso() };
      } catch (err) {
        const se = count(toSourceError(err, ctx, attemptsOf(err)));
        await recordError('POST', url, se).catch((e: unknown) => logger.warn(`Could not save raw evidence: ${(e as Error).message}`));
        throw se;
      }
      await record('POST', url, response);
      return response;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        // Opening here too means a run that made no request still leaves a valid (empty) recording.
        const r = getRecorder();
        if (r) await (await r).close();
      } finally {
        await agent.close().catch(() => agent.destroy());
      }
    },
    stats: () => ({ ...stats, errors: { ...stats.errors } }),
  };
}

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** Values of credential-named keys (password, token, secret...) at the top level of a JSON object body. */
function jsonCredentials(body: string): string[] {
  if (!body.trimStart().startsWith('{')) return [];
  try {
    const data = JSON.parse(body) as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
    return Object.entries(data as Record<string, unknown>)
      .filter(([k, v]) => typeof v === 'string' && v.length >= 6 && isSecretParam(k))
      .map(([, v]) => v as string);
  } catch {
    return [];
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** "1.5 MB" style sizes for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
}
