/** What the CLI and sources import from the HTTP layer. */
export type { HttpClient, HttpPostOptions, HttpRequestOptions, HttpResponse, RateLimit, ServiceHints } from './types.js';
export {
  createHttpClient,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TIMEOUTS,
} from './client.js';
export type { EarshotHttpClient, HttpClientOptions, HttpStats, HttpTimeouts } from './client.js';
export { cacheKey, createDiskCache, DEFAULT_CACHE_TTL_MS, defaultCacheDir } from './cache.js';
export type { CacheEntry, CacheMode, CacheOptions, DiskCache } from './cache.js';
export { createReplayClient, loadRawManifest, openRawRecorder, redactCredentialBody } from './raw-store.js';
export type { RawEntry, RawManifest, RawRecorder, ReplayClient } from './raw-store.js';
export {
  backoffDelay,
  DEFAULT_RETRY,
  detectBlockPage,
  formatBytes,
  formatDuration,
  GENERIC_HINTS,
  parseRetryAfter,
  rateLimitResetAt,
} from './policy.js';
export type { BlockPattern, RetryOptions } from './policy.js';
export { createRateLimiter, manualClock, systemClock } from './rate-limiter.js';
export type { Clock, RateLimiter } from './rate-limiter.js';
export { redactHeaders, redactText, redactUrl, REDACTED } from './redact.js';
export { PROJECT_URL, readPackageVersion, USER_AGENT, userAgent, VERSION } from './user-agent.js';
