/** The HTTP side of a run: a live client (polite per-source limits, optional cache and raw recorder) or a replay. */
import { UsageError } from '../core/errors.js';
import { parseTimeBound } from '../core/duration.js';
import type { Logger } from '../core/log.js';
import { createHttpClient, createReplayClient, openRawRecorder, type CacheMode } from '../http/index.js';
import type { BudgetLedger } from '../http/index.js';
import type { HttpClient, RateLimit, ServiceHints } from '../http/types.js';
import { SERVICE_HINTS, SOURCES } from '../sources/index.js';

/** How to open a session. */
export interface SessionOptions {
  /** Per source id, its rate limit. */
  rateLimits: Readonly<Record<string, RateLimit>>;
  /** The real clock. */
  clock: () => Date;
  /** `--now` as written (read against the real clock), or the audit time itself. */
  now?: string | Date;
  /**
   * `--timeout` in ms (default 30 s): the longest silence (connecting: at most 10 s); one round trip gets twice this
   * in all, one request with its retries three times (docs/http.md).
   */
  timeoutMs?: number;
  /** Cache folder and mode; false or absent for none. */
  cache?: false | { dir: string; mode: CacheMode };
  /** Keep every raw response in this folder (with a manifest). */
  saveRaw?: string;
  /** Replay a `saveRaw` folder instead of the network. */
  fromRaw?: string;
  /** The request-budget ledger, or its file (default: the one in the cache folder, else this run only); see docs/http.md. */
  budgets?: string | BudgetLedger;
  /** Attempts per request, the first included (default 4); `earshot doctor` makes one, so a 429 is reported, not waited out. */
  maxAttempts?: number;
  log: Logger;
}

/** An open session: the client, the audit clock, an abort switch, and `close()`. */
export interface AuditSession {
  http: HttpClient;
  /** The audit clock: `now`, else a replay's recording time, else the real time. */
  now: Date;
  abort: AbortController;
  close(): Promise<void>;
}

/** Opens the live client (or the replay) a run fetches through. */
export async function openSession(options: SessionOptions): Promise<AuditSession> {
  const abort = new AbortController();
  const given = (fallback: Date): Date => (options.now === undefined ? fallback : options.now instanceof Date ? options.now : parseTimeBound(options.now, options.clock(), '--now'));
  let http: HttpClient;
  let now: Date;
  let stats: (() => { requests: number; cacheHits: number }) | undefined;
  if (options.fromRaw !== undefined) {
    if (options.saveRaw !== undefined) throw new UsageError('--from-raw and --save-raw cannot be combined: a replay makes no requests to save.');
    const replay = createReplayClient(options.fromRaw);
    const manifest = await replay.manifest();
    http = replay;
    // A replay is judged at the time it was recorded, so the report comes out the same byte for byte.
    now = options.now !== undefined ? given(new Date(0)) : new Date(manifest.startedAt);
  } else {
    const timeout = options.timeoutMs ?? 30_000;
    // 0 would switch every limit off (undici reads 0 as "none"): a run that can hang forever.
    if (!(timeout > 0)) throw new UsageError(`The timeout must be more than zero, not ${timeout} ms: a server that never answers would hold the run forever.`);
    now = given(options.clock());
    // Opening the recorder first refuses a folder that already holds a recording before any request is made.
    const recorder = options.saveRaw !== undefined ? await openRawRecorder(options.saveRaw, { startedAt: now }) : undefined;
    const client = createHttpClient({
      rateLimits: { ...options.rateLimits },
      serviceHints: { ...SERVICE_HINTS },
      auditNow: now,
      timeouts: { connectMs: Math.min(timeout, 10_000), headersMs: timeout, bodyMs: timeout, roundTripMs: 2 * timeout, requestMs: 3 * timeout },
      cache: options.cache ?? false,
      ...(options.maxAttempts !== undefined ? { retry: { maxAttempts: options.maxAttempts } } : {}),
      ...(options.budgets !== undefined ? { budgets: options.budgets } : {}),
      ...(recorder ? { saveRaw: recorder } : {}),
      logger: options.log,
      signal: abort.signal,
    });
    http = client;
    stats = () => client.stats();
  }
  return {
    http,
    now,
    abort,
    async close() {
      await http.close();
      if (stats) {
        const s = stats();
        options.log.debug(`http: ${s.requests} requests, ${s.cacheHits} answered from cache`);
      }
    },
  };
}
