/** The HTTP seam every source uses; implemented by src/http/client.ts on undici. */
import type { RequestBudget } from './budget.js';

/** A fetched response; the body is text (JSON sources parse it themselves, purely). */
export interface HttpResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when served from the on-disk cache or a --from-raw folder without a network request. */
  fromCache: boolean;
  /** ISO 8601 time the body was fetched from the network. */
  fetchedAt: string;
}

/** Per-request options. */
export interface HttpRequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Which source asks: selects its rate limit and labels errors. */
  sourceId?: string;
  /**
   * A budget of requests kept across runs (src/http/budget.ts): each request sent (retries and redirects too) is
   * counted; none is sent once it is spent, or before a 429's reset time, and a 429 is then not retried.
   */
  budget?: RequestBudget;
}

/** Options for a POST (login and token exchanges). */
export interface HttpPostOptions extends HttpRequestOptions {
  /** Content-Type of the body, e.g. application/json or application/x-www-form-urlencoded. */
  contentType: string;
}

/** Client with pooling, retries, rate limits, cache and raw evidence. */
export interface HttpClient {
  /** GET: cached, rate-limited, retried, recorded by --save-raw. */
  get(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** POST for logins/token exchanges: rate-limited and retried on 429/5xx, never cached, never recorded (bodies hold credentials). */
  post(url: string, body: string, options: HttpPostOptions): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** Polite defaults for a host; per-source overrides come from flags/config. */
export interface RateLimit {
  requestsPerMinute: number;
  concurrency: number;
}

/**
 * What one service's error and block pages look like, so the client can tell "log in", "quota spent" and "blocked"
 * apart; a source owns its hints and the caller passes them to createHttpClient keyed by source id.
 */
export interface ServiceHints {
  /** Pages that mean "this client or network is blocked" (checked on HTML 200 answers and on 403 bodies). */
  blockPages?: readonly { label: string; pattern: RegExp }[];
  /** 403 bodies that mean "authenticate first" rather than "blocked". */
  authRequired?: readonly RegExp[];
  /** 403 bodies that mean "quota spent" (rate-limited) rather than "blocked". */
  quotaExceeded?: readonly RegExp[];
}
