/**
 * The _template source, as scaffolded by `npm run new-source`. It reads a small made-up JSON search API so it passes
 * every generic test from the start: replace its fetch, parse and fixtures with the real service's, fill in the
 * TODOs, then drop `draft` and run `npm run docs:sources` (CONTRIBUTING.md, "Adding a source").
 */
import type { Source } from '../types.js';
import { pageResult } from '../shared/batches.js';
import { positiveInt } from '../shared/option-schema.js';
import { DEFAULT_MAX_PAGES, fetchTemplate } from './fetch.js';
import { parseTemplateSearch } from './parse.js';

/** TODO: one line on what the service is and how it is read. */
export const _templateSource: Source = {
  id: '_template',
  // TODO: the service's name as users know it.
  title: '_template (scaffold: replace me)',
  // TODO: what the user must give (a query, options, token variables), in one line.
  needs: 'a query; option maxPages; no token',
  // TODO: every environment variable the source reads (the secrets test plants a value in each).
  tokenEnv: [],
  // TODO: the service's API host ('' when every user has their own, e.g. a forum: fetch must then say so).
  defaultBaseUrl: 'https://api.example.invalid',
  // TODO: the service's documented limit, with a margin (say where the number comes from).
  rateLimit: { requestsPerMinute: 30, concurrency: 1 },
  // TODO: how a reply by the brand is recognised.
  brandReplySignal: 'author handle is in brandHandles',
  // 'search' when the service is searched for the query; 'brand-owned' when everything read is the brand's own page.
  scope: 'search',
  options: {
    maxPages: { type: 'whole number ≥ 1', description: 'most search pages read', default: DEFAULT_MAX_PAGES, schema: positiveInt('a whole number of pages, at least 1') },
  },
  // One parser per kind of page, each with a golden pair in fixtures/sources/<id>/golden/<label>/.
  parsers: {
    search: (body, ctx) => pageResult(parseTemplateSearch(body, ctx.query)),
  },
  // Options (and env) that find mentions in fixtures/sources/<id>/ when the fixture server serves it.
  scenario: { options: () => ({ maxPages: 2 }) },
  // Leaves the source out of docs/sources.md until it is finished: remove it, then run `npm run docs:sources`.
  draft: true,
  fetch: fetchTemplate,
};
