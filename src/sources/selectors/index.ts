/** The "selectors" source: any HTML review/comment page read with CSS selectors from the config. */
import type { Source } from '../types.js';
import { fetchSelectors } from './fetch.js';

/** A generic HTML scraper for review sites no other source covers; configured entirely by options, no token. */
export const selectorsSource: Source = {
  id: 'selectors',
  title: 'Any HTML page (CSS selectors)',
  needs:
    'options url, item, text, date (required) and author, title, link, rating/ratingPattern, reply/replyText/replyDate/replyAuthor, next, maxPages, id, removed, dateAttr (optional); no token',
  tokenEnv: [],
  // No default: the start page comes from the `url` option (a base URL override rebases it, e.g. for tests).
  defaultBaseUrl: '',
  // Scraping someone's HTML: one page at a time, at most one every six seconds.
  rateLimit: { requestsPerMinute: 10, concurrency: 1 },
  brandReplySignal: 'every block matched by the "reply" selector is the company\'s reply; item authors matching brandHandles also count',
  // Reviews of the brand's own page or app: every item is about the brand.
  filterLocally: false,
  fetch: fetchSelectors,
};
