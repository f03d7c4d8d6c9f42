/** The Apple App Store source: an app's customer reviews from the public per-country feed. */
import type { Source } from '../types.js';
import { fetchAppStore } from './fetch.js';

/** App Store customer reviews (keyless JSON feed; up to 10 pages × 50 reviews per country; no developer responses). */
export const appstoreSource: Source = {
  id: 'appstore',
  title: 'Apple App Store reviews',
  needs:
    'option appId (numeric id from the App Store URL); optional countries (default us), pages (≤10); no token. The feed holds the 500 newest reviews per country and no developer responses',
  tokenEnv: [],
  defaultBaseUrl: 'https://itunes.apple.com',
  // Ten pages per country at most; Apple throttles bursts from one address, so stay slow.
  rateLimit: { requestsPerMinute: 20, concurrency: 1 },
  brandReplySignal:
    'none: the feed carries no developer responses, so replies cannot be observed (reviewer names matching brandHandles count as the brand)',
  // Reviews of the brand's own page or app: every item is about the brand.
  filterLocally: false,
  fetch: fetchAppStore,
};
