/**
 * The one HTTP client every source uses: an undici Agent of its own (keep-alive pools per origin, never a global
 * dispatcher, never global fetch), per-host politeness, retries with backoff and jitter, Retry-After and
 * X-Ratelimit-* honoured, decompression, a body cap, an on-disk cache and raw evidence recording.
 *
 * This file composes the pieces: send.ts (one round trip, body cap, decompress.ts), redirect.ts (3xx hops),
 * classify.ts (status and service hints → error class), retry.ts (backoff, Retry-After), plus the cache and recorder.
 * undici's own redirect/retry/decompress interceptors are not used: each hop must pass through our rate limiter and
 * counters, retries must pause the host in that limiter, and decompression needs the raw-deflate fallback and
 * different caps for data and error bodies.
 */
import { Agent } from 'undici';
import { BadResponseError, BudgetSpentError, NetworkError, RateLimitedError, SourceError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { silentLogger } from '../core/log.js';
import type { BudgetLedger, RequestBudget } from './budget.js';
import { createBudgetLedger, ledgerFile } from './budget.js';
import type { CacheEntry, CacheOptions, DiskCache } from './cache.js';
import { cacheKey, createDiskCache } from './cache.js';
import { classifyResponse, describeFailure, hintsFor } from './classify.js';
import type { Verdict } from './classify.js';
import { DEFAULT_RETRY, formatDuration, rateLimitResetAt } from './policy.js';
import type { RetryOptions } from './policy.js';
import type { Clock, RateLimiter } from './rate-limiter.js';
import { createRateLimiter, systemClock } from './rate-limiter.js';
import type { RawRecorder } from './raw-store.js';
import { openRawRecorder } from './raw-store.js';
import { redactingLogger, redactText, redactUrl, scrubHeaderValues, scrubSecrets, secretsOf, secretsOfBody } from './redact.js';
import { followRedirects } from './redirect.js';
import type { RawResult, RequestContext } from './request.js';
import { errorCodeOf, lowerKeys, neverSentCode } from './request.js';
import { withRetries } from './retry.js';
import { createSend } from './send.js';
import type { HttpTimeouts } from './send.js';
import type { HttpClient, HttpPostOptions, HttpRequestOptions, HttpResponse, RateLimit, ServiceHints } from './types.js';
import { USER_AGENT } from './user-agent.js';


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
  /** Each source's block pages and auth/quota wording, by source id (a request's `sourceId` picks them). */
  serviceHints?: Record<string, ServiceHints>;
  /**
   * Where request budgets are kept across runs: a ledger, or its file. Default: `request-budgets.json` in the cache
   * folder when the cache has one, else for this run only.
   */
  budgets?: string | BudgetLedger;
}

/** Counters for the run summary. */
interface HttpStats {
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
const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerMinute: 60, concurrency: 2 };
/** Default timeouts: the silence limits, and hard limits on one round trip and on one request with its retries. */
const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000, roundTripMs: 60_000, requestMs: 90_000 };
/** Default body cap: 20 MB. */
const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Response header cap: Node's own default, set explicitly so the message for a server over it names the real figure. */
const MAX_HEADER_BYTES = 16 * 1024;

/** Create the client. Call close() at the end of the run (it also finalises the --save-raw manifest). */
export function createHttpClient(options: HttpClientOptions = {}): EarshotHttpClient {
  // Every secret any request of this client carried (its own, or one learnt at login): a server may echo one back
  // in a later answer, under any header or in a redirect URL, so answers and log lines are scrubbed of all of them.
  const known = new Set<string>();
  const learn = (values: readonly string[]): void => {
    for (const v of values) {
      if (v.length < 6) continue;
      known.add(v);
      known.add(encodeURIComponent(v));
    }
  };
  const knownSecrets = (): string[] => [...known];
  const logger = redactingLogger(options.logger ?? silentLogger, knownSecrets);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const timeouts: HttpTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = options.userAgent ?? USER_AGENT;
  const limiter: RateLimiter = createRateLimiter(clock);
  const clientSignal = options.signal;
  const cache: DiskCache | undefined =
    options.cache === false || options.cache === undefined
      ? undefined
      : 'read' in options.cache
        ? options.cache
        : createDiskCache(options.cache, logger);
  const budgets: BudgetLedger =
    typeof options.budgets === 'object'
      ? options.budgets
      : createBudgetLedger(
          options.budgets ?? (options.cache && !('read' in options.cache) ? ledgerFile(options.cache.dir) : undefined),
          logger,
        );
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
    maxHeaderSize: MAX_HEADER_BYTES,
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

  const send = createSend({ agent, timeouts, maxBodyBytes, maxHeaderBytes: MAX_HEADER_BYTES, logger, stats });

  /** One hop: wait for the host's rate limit, send, and pause the host when it says its quota is spent. */
  const hop = async (req: RequestContext, url: URL): Promise<RawResult> => {
    const { key, limit } = limitFor(url.hostname, req.sourceId);
    const release = await limiter.acquire(key, limit, req.signal);
    const startedAt = clock.now();
    if (req.budget) {
      // Checked again per hop: a retry or a redirect is a request too, and another run may have spent the budget.
      try {
        await budgets.check(req.budget, startedAt);
        await budgets.spend(req.budget, startedAt);
      } catch (err) {
        release();
        throw err;
      }
    }
    let res: RawResult;
    try {
      res = await send(req, url);
    } catch (err) {
      // Nothing reached the server, so the request costs it nothing: the next one need not wait for its slot, and a
      // budget kept across runs gets it back (an offline cron run must not lock the next hour out).
      if (neverSentCode(err) !== undefined) {
        limiter.refund(key, startedAt);
        if (req.budget) await budgets.refund(req.budget, startedAt);
      }
      throw err;
    } finally {
      release();
    }
    const resetAt = rateLimitResetAt(res.headers, clock.now());
    if (resetAt !== undefined && resetAt > clock.now()) {
      const capped = Math.min(resetAt, clock.now() + retry.maxRetryAfterMs);
      limiter.pauseUntil(key, capped);
      logger.info(`${url.host} says its request quota is spent; pausing requests to it for ${formatDuration(capped - clock.now())}.`);
    }
    return res;
  };

  const retryDeps = {
    retry,
    // A retry is worth starting only with time left for the server to answer.
    fairAttemptMs: Math.min(timeouts.headersMs, timeouts.roundTripMs),
    clock,
    random,
    logger,
    stats,
    // The pause after Retry-After holds back the host the request was first sent to, under its source's limit key.
    pause: (ctx: RequestContext, waitMs: number): void => limiter.pauseUntil(limitFor(new URL(ctx.url).hostname, ctx.sourceId).key, clock.now() + waitMs),
    // The limiter set the next start when the failed attempt began, so this is what the retry really waits at least.
    readyIn: (ctx: RequestContext): number => {
      const b = limiter.snapshot(limitFor(new URL(ctx.url).hostname, ctx.sourceId).key);
      return Math.max(0, b.nextStart - clock.now(), b.pausedUntil - clock.now());
    },
  };

  /** Send with redirects followed (each hop rate-limited), classify, retry: a usable result, else throws the outcome. */
  const perform = async (ctx: RequestContext): Promise<RawResult> => {
    const hints = hintsFor(options.serviceHints, ctx.sourceId);
    ctx.deadline = { limitMs: timeouts.requestMs, spentMs: 0 };
    const outcome = await withRetries(
      ctx,
      () => followRedirects(ctx, maxRedirects, hop),
      (res) => budgeted(ctx.budget, classifyResponse(res, hints, clock.now())),
      retryDeps,
    );
    if ('ok' in outcome) return outcome.ok;
    throw new GaveUp(outcome.failed, outcome.attempts);
  };

  /** Whatever ended a request → the SourceError callers see: one sentence naming the host and what to do. */
  const toSourceError = (err: unknown, ctx: RequestContext): SourceError => {
    if (!(err instanceof GaveUp) && err instanceof SourceError) return err;
    // The budget said no before anything was sent: its own sentence, not "… after 2 attempts; try again later".
    if (err instanceof GaveUp && err.failed.error instanceof BudgetSpentError) return budgetError(err.failed.error, ctx);
    const base = ctx.sourceId !== undefined ? { sourceId: ctx.sourceId } : {};
    if (ctx.signal?.aborted || errorCodeOf(err) === 'UND_ERR_ABORTED' || (err as Error | undefined)?.name === 'AbortError') {
      return new SourceError('interrupted', `The request to ${new URL(ctx.url).host} was cancelled.`, { ...base, retryable: false });
    }
    if (!(err instanceof GaveUp)) {
      const message = redactText(`Request to ${redactUrl(ctx.url)} failed unexpectedly: ${(err as Error)?.message ?? String(err)}.`, knownSecrets());
      return new NetworkError(message, { ...base, cause: err, retryable: true });
    }
    return describeFailure(err.failed, { ...ctx, secrets: knownSecrets() }, err.attempts, retry.maxRetryAfterMs);
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
    const ctx: RequestContext = { method, url, headers, sourceId, signal, secrets: secretsOf(url, headers), ...(options?.budget ? { budget: options.budget } : {}) };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BadResponseError(`"${redactText(url, ctx.secrets)}" is not a valid URL; check the source's base URL or feed URL.`, sourceId === undefined ? {} : { sourceId });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new BadResponseError(`${redactUrl(url)} is not an http(s) URL; earshot only fetches web addresses.`, sourceId === undefined ? {} : { sourceId });
    }
    if (closed) throw new SourceError('interrupted', 'The HTTP client was already closed.', sourceId === undefined ? {} : { sourceId });
    learn(ctx.secrets);
    return ctx;
  };

  /**
   * An answer with every known secret cut out of its body, header values and final URL before a source, the cache or
   * the raw evidence sees it: some APIs echo the key they refused, and any server may echo a token in `Link`, `ETag`,
   * `WWW-Authenticate` or a redirect's query. Nothing a source needs is ever its own secret.
   */
  const scrubResult = (res: RawResult): RawResult => {
    const secrets = knownSecrets();
    return { url: scrubSecrets(res.url, secrets), status: res.status, headers: scrubHeaderValues(res.headers, secrets), body: scrubSecrets(res.body, secrets) };
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

  return {
    async get(url, requestOptions) {
      const ctx = prepare('GET', url, requestOptions);
      let response: HttpResponse;
      try {
        const key = cache ? cacheKey(url, lowerKeys(requestOptions?.headers)) : '';
        // A cache hit does no I/O that would notice the signal, so it is checked here: a source looping over
        // cached pages otherwise answered every page after Ctrl-C (checked after the read too, which awaits).
        ctx.signal?.throwIfAborted();
        const entry = cache && cache.mode !== 'off' ? await cache.read(key) : undefined;
        ctx.signal?.throwIfAborted();
        if (cache && entry && cache.isFresh(entry, clock.now())) {
          stats.cacheHits += 1;
          logger.debug(`GET ${redactUrl(url)} (from cache)`);
          response = fromEntry(url, entry);
        } else {
          if (ctx.budget) await budgets.check(ctx.budget, clock.now()).catch((e: unknown) => Promise.reject(e instanceof BudgetSpentError ? budgetError(e, ctx) : e));
          const conditional = cache && entry && cache.mode === 'normal';
          if (conditional && entry.headers['etag']) ctx.headers['if-none-match'] = entry.headers['etag'];
          if (conditional && entry.headers['last-modified']) ctx.headers['if-modified-since'] = entry.headers['last-modified'];
          const res = scrubResult(await perform(ctx));
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
        const se = count(toSourceError(err, ctx));
        // A 429 under a budget: remember its reset (or a whole window) so later runs do not ask before it.
        if (ctx.budget && se.code === 'rate-limited' && !(se instanceof BudgetSpentError)) {
          const now = clock.now();
          const reset = se instanceof RateLimitedError && se.resetAt !== undefined ? se.resetAt.getTime() : Number.NaN;
          await budgets.limit(ctx.budget, Number.isFinite(reset) && reset > now ? reset : now + ctx.budget.windowMs, now);
        }
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
      ctx.secrets.push(...secretsOfBody(body));
      learn(ctx.secrets);
      let response: HttpResponse;
      try {
        const res = scrubResult(await perform(ctx));
        response = { url: res.url, status: res.status, headers: res.headers, body: res.body, fromCache: false, fetchedAt: nowIso() };
      } catch (err) {
        const se = count(toSourceError(err, ctx));
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

/**
 * A failed attempt of a budgeted request, made final when it is a 429: each retry would spend the budget on an
 * answer the service already gave.
 */
function budgeted(budget: RequestBudget | undefined, verdict: Verdict | undefined): Verdict | undefined {
  if (!budget || !verdict || !(verdict.error instanceof RateLimitedError) || !verdict.error.retryable) return verdict;
  const e = verdict.error;
  const kept = { ...(e.status !== undefined ? { status: e.status } : {}), ...(e.body !== undefined ? { body: e.body } : {}), ...(e.resetAt ? { resetAt: e.resetAt } : {}) };
  return { error: new RateLimitedError(e.message, { ...kept, retryable: false }), waitMs: verdict.waitMs };
}

/** The budget's refusal as callers see it: the host, the reason, the time of the next allowed request. */
function budgetError(e: BudgetSpentError, ctx: RequestContext): BudgetSpentError {
  const host = new URL(ctx.url).host;
  return new BudgetSpentError(`No request sent to ${host}: ${e.message}.`, {
    reason: e.reason,
    ...(e.resetAt ? { resetAt: e.resetAt } : {}),
    ...(ctx.sourceId !== undefined ? { sourceId: ctx.sourceId } : {}),
  });
}

/** Carries a request's last failed attempt out of perform (not an Error: it never reaches a caller). */
class GaveUp {
  constructor(
    readonly failed: Verdict,
    readonly attempts: number,
  ) {}
}
