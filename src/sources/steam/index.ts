/** The Steam source: an app's user reviews and the developer's responses, from the store's public reviews JSON. */
import type { Source } from '../types.js';
import * as v from 'valibot';
import { pageResult } from '../shared/batches.js';
import { intRange, stringSchema } from '../shared/option-schema.js';
import { DEFAULT_PAGES, fetchSteam, steamAppId } from './fetch.js';
import { parseSteamReviews } from './parse.js';

/** Steam user reviews (keyless): `appreviews/<appid>?json=1`, cursor paging, developer responses as brand replies. */
export const steamSource: Source = {
  id: 'steam',
  title: 'Steam reviews',
  needs: 'option appId (the number in store.steampowered.com/app/<appId>/); optional language (all), pages (10 of 100 reviews); no token',
  tokenEnv: [],
  defaultBaseUrl: 'https://store.steampowered.com',
  // Valve documents no limit for the store's reviews JSON; scrapers report throttling (HTTP 429) past about one
  // request a second, so stay well under it.
  rateLimit: { requestsPerMinute: 20, concurrency: 1 },
  brandReplySignal: "the review's developer_response with timestamp_dev_responded: only the app's developer can respond, so every response is the brand's, with its true time",
  // Reviews of the brand's own app: every item is about the brand.
  filterLocally: false,
  scope: 'brand-owned',
  options: {
    appId: { type: 'string', description: 'the app id (store.steampowered.com/app/<appId>/), or that URL', schema: v.union([stringSchema('the app id, e.g. 570'), v.pipe(v.number(), v.integer())], 'the app id, e.g. 570') },
    language: { type: 'string', description: "Steam's review language (english, german, schinese, …) or all", default: 'all', schema: v.pipe(v.string('a Steam language name such as english, or all'), v.regex(/^[a-z]{2,12}$/i, 'a Steam language name such as english, or all')) },
    pages: { type: 'whole number 1-100', description: 'most review pages read (100 reviews each)', default: DEFAULT_PAGES, schema: intRange(1, 100, 'a whole number of pages from 1 to 100') },
  },
  parsers: {
    reviews: (body, ctx) => pageResult(parseSteamReviews(body, ctx.query, { appId: String(ctx.query.options['appId'] ?? '2954110') })),
  },
  starter: {
    lines: () => ['appId: 2954110            # store.steampowered.com/app/<appId>/'],
  },
  checkSettings: (options) => void steamAppId(options),
  scenario: { options: () => ({ appId: '2954110' }) },
  fetch: fetchSteam,
};
