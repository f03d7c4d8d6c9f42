/** The Trustpilot source: a company's reviews and its replies to them. */
import type { Source } from '../types.js';
import { checkTrustpilotSettings, fetchTrustpilot } from './fetch.js';
import { positiveInt, stringSchema } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseTrustpilotPage } from './parse.js';

/** Trustpilot company reviews from the review pages' `__NEXT_DATA__` (live with a browser cookie, or saved pages). */
export const trustpilotSource: Source = {
  id: 'trustpilot',
  title: 'Trustpilot reviews',
  needs:
    'option domain (the company\'s Trustpilot domain, trustpilot.com/review/<domain>); the site\'s bot wall blocks plain HTTP, so set TRUSTPILOT_COOKIE (a browser Cookie header) or give fromHtml (--from-html DIR, saved review pages, no network)',
  tokenEnv: ['TRUSTPILOT_COOKIE'],
  defaultBaseUrl: 'https://www.trustpilot.com',
  // A page holds 20 reviews; a slow pace keeps a browser-issued cookie from being flagged.
  rateLimit: { requestsPerMinute: 10, concurrency: 1 },
  brandReplySignal: 'review.reply {message, publishedDate}: only the company can reply, so every reply is the brand\'s',
  // Reviews of the brand's own page or app: every item is about the brand.
  filterLocally: false,
  scope: 'brand-owned',
  options: {
    domain: { type: 'string', description: "the company's Trustpilot domain (trustpilot.com/review/<domain>)", schema: stringSchema('a domain such as acmecloud.example') },
    pages: { type: 'whole number', description: 'most review pages read', schema: positiveInt('a whole number of pages, at least 1') },
    fromHtml: { type: 'folder path', description: 'read saved review pages from this folder instead of the network (--from-html)', schema: stringSchema('a folder path') },
  },
  parsers: {
    'review-page': (body, ctx) => pageResult(parseTrustpilotPage(body, ctx.query)),
  },
  scenario: { options: () => ({ domain: 'acmecloud.example' }) },
  checkSettings: checkTrustpilotSettings,
  fetch: fetchTrustpilot,
};
