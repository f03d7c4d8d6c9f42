/** The "selectors" source: any HTML review/comment page read with CSS selectors from the config. */
import type { Source } from '../types.js';
import { fetchSelectors } from './fetch.js';
import { positiveInt, stringSchema } from '../shared/option-schema.js';
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
    url: { type: 'URL', description: 'the first page to read (required)', schema: stringSchema('a URL, or a path on the base URL (a string)') },
    item: { type: 'CSS selector', description: 'one review or comment (required)', schema: stringSchema('a CSS selector (a string)') },
    text: { type: 'CSS selector', description: "the item's text, inside the item (required)", schema: stringSchema('a CSS selector (a string)') },
    date: { type: 'CSS selector', description: "the item's date (required)", schema: stringSchema('a CSS selector (a string)') },
    dateAttr: { type: 'attribute name', description: 'read the date from this attribute instead of the text', schema: stringSchema('an attribute name (a string)') },
    author: { type: 'CSS selector', description: "the item's author", schema: stringSchema('a CSS selector (a string)') },
    title: { type: 'CSS selector', description: "the item's title", schema: stringSchema('a CSS selector (a string)') },
    link: { type: 'CSS selector', description: "the item's permalink", schema: stringSchema('a CSS selector (a string)') },
    rating: { type: 'CSS selector', description: 'the rating (selector@attribute reads an attribute)', schema: stringSchema('a CSS selector (a string)') },
    ratingPattern: { type: 'regular expression', description: 'the number in the rating text (first group)', schema: stringSchema('a regular expression (a string)') },
    reply: { type: 'CSS selector', description: "the company's reply block", schema: stringSchema('a CSS selector (a string)') },
    replyText: { type: 'CSS selector', description: "the reply's text", schema: stringSchema('a CSS selector (a string)') },
    replyDate: { type: 'CSS selector', description: "the reply's date", schema: stringSchema('a CSS selector (a string)') },
    replyAuthor: { type: 'CSS selector', description: "the reply's author", schema: stringSchema('a CSS selector (a string)') },
    next: { type: 'CSS selector', description: 'the link to the next page', schema: stringSchema('a CSS selector (a string)') },
    maxPages: { type: 'whole number', description: 'most pages read', default: 10, schema: positiveInt('a whole number of pages, at least 1') },
    id: { type: 'attribute name', description: "the item's id attribute", schema: stringSchema('an attribute name (a string)') },
    removed: { type: 'CSS selector', description: 'marks a removed item', schema: stringSchema('a CSS selector (a string)') },
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
