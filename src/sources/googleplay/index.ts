/** The Google Play source (experimental): an app's reviews and the developer's replies. */
import type { Source } from '../types.js';
import { fetchGooglePlay } from './fetch.js';

/** Google Play reviews through the store's undocumented web RPC (keyless; experimental). */
export const googleplaySource: Source = {
  id: 'googleplay',
  title: 'Google Play reviews (experimental)',
  needs:
    'option appId (package name, play.google.com/store/apps/details?id=<appId>); optional lang (en), country (us), pages (10), perPage (100); no token. Experimental: undocumented web RPC that may break',
  tokenEnv: [],
  defaultBaseUrl: 'https://play.google.com',
  // The RPC throttles bursts (scrapers report empty pages under load): keep it slow.
  rateLimit: { requestsPerMinute: 10, concurrency: 1 },
  brandReplySignal: "the review's developer reply (review[7]: text and date); only the developer can reply, so every reply is the brand's",
  // Reviews of the brand's own page or app: every item is about the brand.
  filterLocally: false,
  fetch: fetchGooglePlay,
};
