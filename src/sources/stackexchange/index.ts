/** The Stack Exchange source: questions mentioning the brand with their answers and comments. */
import type { Source } from '../types.js';
import { createStackExchangeFetch, type StackExchangeDeps } from './fetch.js';

/** Builds the source; tests inject a recording `sleep` to check that `backoff` is obeyed without waiting. */
export function createStackExchangeSource(deps: StackExchangeDeps = {}): Source {
  return {
    id: 'stackexchange',
    title: 'Stack Exchange (Stack Overflow)',
    needs:
      'a query (and/or option tagged); options site (default stackoverflow), brandUserIds (numeric user ids); STACKEXCHANGE_KEY optional (quota 300 → 10,000 requests/day)',
    tokenEnv: ['STACKEXCHANGE_KEY'],
    defaultBaseUrl: 'https://api.stackexchange.com/2.3',
    // The API allows 30 requests/s per IP, but the daily quota (300 keyless) is the real constraint.
    rateLimit: { requestsPerMinute: 30, concurrency: 1 },
    brandReplySignal: 'owner.user_id in brandUserIds, or owner display_name in brandHandles',
    fetch: createStackExchangeFetch(deps),
  };
}

/** Stack Exchange API 2.3 source with a real timer for `backoff`. */
export const stackexchangeSource: Source = createStackExchangeSource();
