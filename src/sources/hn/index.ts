/** The Hacker News source (Algolia HN Search API, keyless). */
import type { Source } from '../types.js';
import { fetchHn } from './fetch.js';
import { positiveInt } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseHnItem, parseHnSearch } from './parse.js';

/** Hacker News stories and comments mentioning the query, with their whole reply trees. */
export const hnSource: Source = {
  id: 'hn',
  title: 'Hacker News (Algolia HN Search)',
  needs: 'a query; no token (keyless Algolia HN Search API; option hitsPerPage, 1-1000)',
  tokenEnv: [],
  defaultBaseUrl: 'https://hn.algolia.com',
  // Algolia allows 10,000 requests an hour per IP (~166/min); stay well under it and share it with other runs.
  rateLimit: { requestsPerMinute: 100, concurrency: 2 },
  brandReplySignal: 'a reply in the item tree whose author matches a configured brand handle (HN has no staff badges)',
  scope: 'search',
  options: {
    hitsPerPage: { type: 'whole number 1-1000', description: 'search hits per page', schema: positiveInt('a whole number from 1 to 1000') },
  },
  parsers: {
    search: (body, ctx) => pageResult(parseHnSearch(body, ctx.query)),
    item: (body, ctx) => pageResult(parseHnItem(body, ctx.query)),
  },
  starter: { audited: true, lines: () => [] },
  scenario: { options: () => ({ hitsPerPage: 4 }) },
  fetch: fetchHn,
};
