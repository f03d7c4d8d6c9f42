/** The Google Play source (experimental): an app's reviews and the developer's replies. */
import type { Source } from '../types.js';
import * as v from 'valibot';
import { fetchGooglePlay } from './fetch.js';
import { intRange, stringSchema } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parsePlayReviews } from './parse.js';

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
  scope: 'brand-owned',
  options: {
    appId: { type: 'string', description: 'the package name (play.google.com/store/apps/details?id=<appId>)', schema: stringSchema('the package name, e.g. com.acme.cloud') },
    lang: { type: 'string', description: 'review language', default: 'en', schema: v.pipe(v.string('a language code such as en or pt-BR'), v.regex(/^[a-z]{2}([-_][a-z]{2})?$/i, 'a language code such as en or pt-BR')) },
    country: { type: 'string', description: 'store country', default: 'us', schema: v.pipe(v.string('a two-letter country code such as us'), v.regex(/^[a-z]{2}$/i, 'a two-letter country code such as us')) },
    pages: { type: 'whole number', description: 'most review pages read', default: 10, schema: intRange(0, 100, 'a whole number of pages from 0 to 100') },
    perPage: { type: 'whole number', description: 'reviews per page', default: 100, schema: intRange(0, 199) },
  },
  parsers: {
    reviews: (body, ctx) => pageResult(parsePlayReviews(body, ctx.query, { appId: String(ctx.query.options['appId'] ?? '') })),
  },
  scenario: { options: () => ({ appId: 'example.acmecloud.mobile' }) },
  fetch: fetchGooglePlay,
};
