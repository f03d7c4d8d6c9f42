/** What the CLI and sources import from the HTTP layer. */
export type { HttpClient } from './types.js';
export {
  createHttpClient,
} from './client.js';
export type { EarshotHttpClient, HttpClientOptions } from './client.js';
export { cacheKey, createDiskCache, defaultCacheDir } from './cache.js';
export { createBudgetLedger, ledgerFile } from './budget.js';
export type { BudgetLedger, RequestBudget } from './budget.js';
export type { CacheMode } from './cache.js';
export { createReplayClient, loadRawManifest, openRawRecorder } from './raw-store.js';
export type { RawManifest } from './raw-store.js';
export {
  backoffDelay,
  DEFAULT_RETRY,
  detectBlockPage,
  formatDuration,
  parseRetryAfter,
  rateLimitResetAt,
} from './policy.js';
export { createRateLimiter, manualClock } from './rate-limiter.js';
export { redactHeaders, redactingLogger, redactText, redactUrl } from './redact.js';
export { neverSentCode } from './request.js';
export { readPackageVersion, USER_AGENT, userAgent, VERSION } from './user-agent.js';
