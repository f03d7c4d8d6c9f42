/** The "selectors" source: any HTML review/comment page read with CSS selectors from the config. */
import type { Source } from '../types.js';
import { fetchSelectors } from './fetch.js';
import { anyValue } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parsePage, readOptions } from './parse.js';

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
  scope: 'brand-owned',
  options: {
    url: { type: 'URL', description: 'the first page to read (required)', schema: anyValue() },
    item: { type: 'CSS selector', description: 'one review or comment (required)', schema: anyValue() },
    text: { type: 'CSS selector', description: "the item's text, inside the item (required)", schema: anyValue() },
    date: { type: 'CSS selector', description: "the item's date (required)", schema: anyValue() },
    dateAttr: { type: 'attribute name', description: 'read the date from this attribute instead of the text', schema: anyValue() },
    author: { type: 'CSS selector', description: "the item's author", schema: anyValue() },
    title: { type: 'CSS selector', description: "the item's title", schema: anyValue() },
    link: { type: 'CSS selector', description: "the item's permalink", schema: anyValue() },
    rating: { type: 'CSS selector', description: 'the rating (selector@attribute reads an attribute)', schema: anyValue() },
    ratingPattern: { type: 'regular expression', description: 'the number in the rating text (first group)', schema: anyValue() },
    reply: { type: 'CSS selector', description: "the company's reply block", schema: anyValue() },
    replyText: { type: 'CSS selector', description: "the reply's text", schema: anyValue() },
    replyDate: { type: 'CSS selector', description: "the reply's date", schema: anyValue() },
    replyAuthor: { type: 'CSS selector', description: "the reply's author", schema: anyValue() },
    next: { type: 'CSS selector', description: 'the link to the next page', schema: anyValue() },
    maxPages: { type: 'whole number', description: 'most pages read', default: 10, schema: anyValue() },
    id: { type: 'attribute name', description: "the item's id attribute", schema: anyValue() },
    removed: { type: 'CSS selector', description: 'marks a removed item', schema: anyValue() },
  },
  parsers: {
    page: (body, ctx) => pageResult(parsePage(body, { options: readOptions(ctx.query.options), pageUrl: ctx.url, query: ctx.query, requireItems: true })),
  },
  scenario: { options: () => ({ ...SELECTORS_FIXTURE_OPTIONS }) },
  fetch: fetchSelectors,
};

/** Selectors that read the recorded review pages in fixtures/sources/selectors/. */
const SELECTORS_FIXTURE_OPTIONS = {
  url: 'https://www.hostingverdict.example/reviews/acme-cloud',
  item: 'article.review',
  text: '.review-body',
  author: '.reviewer',
  date: 'time',
  dateAttr: 'datetime',
  title: '.review-title',
  link: 'a.review-permalink',
  rating: '.stars@aria-label',
  ratingPattern: 'Rated (\\d) out of 5',
  reply: '.company-reply',
  replyText: '.reply-body',
  replyDate: 'time',
  next: 'a.next',
  id: 'data-review-id',
};
