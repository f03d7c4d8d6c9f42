/** The Apple App Store source: an app's customer reviews from the public per-country feed. */
import type { ParseContext, Source } from '../types.js';
import * as v from 'valibot';
import { appIdOption, countriesOption, fetchAppStore } from './fetch.js';
import { intRange, oneOrList, stringOrNumber } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseAppStoreFeed, parseAppStoreXmlFeed, type AppStoreParseOptions } from './parse.js';

/** The app and storefront a feed page's URL names (`/<cc>/rss/customerreviews/…/id=<appId>/…`). */
function pageOf(ctx: ParseContext): AppStoreParseOptions {
  const country = /\/([a-z]{2})\/rss\/customerreviews/.exec(ctx.url)?.[1] ?? 'us';
  const appId = /\/id=(\d+)/.exec(ctx.url)?.[1] ?? String(ctx.query.options['appId'] ?? '');
  return { appId, country };
}

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
  scope: 'brand-owned',
  options: {
    appId: { type: 'number', description: 'the numeric app id from the App Store URL', schema: stringOrNumber('the numeric App Store id (apps.apple.com/…/id<appId>)') },
    countries: { type: 'list of strings', description: 'two-letter storefront codes', default: 'us', schema: oneOrList(v.string('a two-letter storefront code'), 'a list of two-letter storefront codes such as us, fr') },
    pages: { type: 'whole number ≤ 10', description: 'feed pages read per country', default: 10, schema: intRange(1, 10, 'a whole number of pages from 1 to 10') },
  },
  parsers: {
    feed: (body, ctx) => pageResult(parseAppStoreFeed(body, ctx.query, pageOf(ctx))),
    xml: (body, ctx) => pageResult(parseAppStoreXmlFeed(body, ctx.query, pageOf(ctx))),
  },
  scenario: { options: () => ({ appId: 6449012345 }) },
  // Without an app id there is no feed to read: a usage error before any request.
  checkSettings: (options) => {
    appIdOption(options);
    countriesOption(options);
  },
  fetch: fetchAppStore,
};
