/** The Reddit source: public RSS feeds without keys, the OAuth JSON API with an approved app's id and secret. */
import type { Source } from '../types.js';
import { CLIENT_ID_ENV, CLIENT_SECRET_ENV, DEFAULT_RSS_BUDGET, FEED_TOKEN_ENV, FEED_USER_ENV, feedLinks, fetchReddit } from './fetch.js';
import { REDDIT_WEB_URL } from './parse.js';
import { httpUrl, positiveInt, stringSchema, strings, wholeNumber } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseAtomFeed, parseListing, parseMoreChildren, parseThreadJson } from './parse.js';

/** Reddit posts (search) and their comment threads. */
export const redditSource: Source = {
  id: 'reddit',
  title: 'Reddit',
  needs:
    `A search query; optional options.subreddits (else site-wide); optional ${CLIENT_ID_ENV} + ${CLIENT_SECRET_ENV} ` +
    `(approved Reddit app) for full comment trees via the JSON API, else the public RSS feeds are used (optionally through a logged-in ` +
    `user's private feed links: ${FEED_TOKEN_ENV} + ${FEED_USER_ENV}); feed requests are budgeted per hour across runs (options.rssBudget).`,
  tokenEnv: [CLIENT_ID_ENV, CLIENT_SECRET_ENV, FEED_TOKEN_ENV, FEED_USER_ENV],
  route: (env) => {
    const id = (env[CLIENT_ID_ENV]?.trim() ?? '') !== '';
    const secret = (env[CLIENT_SECRET_ENV]?.trim() ?? '') !== '';
    if (id && secret) return `the OAuth JSON API: ${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV} are set (full comment trees; falls back to the RSS feeds if Reddit refuses them)`;
    const why = id || secret ? `only ${id ? CLIENT_ID_ENV : CLIENT_SECRET_ENV} is set` : `${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV} are not set`;
    const links = feedLinks(env);
    if (links.token !== '' && links.user !== '') return `the RSS feeds through ${FEED_USER_ENV}'s private feed links: ${why}, ${FEED_TOKEN_ENV} and ${FEED_USER_ENV} are set (flat threads; requests budgeted per hour)`;
    const half = links.half !== undefined ? `; only ${links.half} is set, private feed links need both` : '';
    return `the public RSS feeds: ${why}${half} (flat threads, and a small per-IP request budget since 2026, kept across runs)`;
  },
  // The web host serves the RSS feeds and the token endpoint; the JSON API host is options.oauthBaseUrl.
  defaultBaseUrl: REDDIT_WEB_URL,
  // Anonymous clients get about 10 requests a minute (OAuth allows ~100); one at a time keeps the WAF calm.
  rateLimit: { requestsPerMinute: 10, concurrency: 1 },
  brandReplySignal:
    'Author is a configured brand account (or a moderator-distinguished comment in options.brandSubreddits); ' +
    'RSS has no parent ids, so a brand comment counts as a reply to the post.',
  scope: 'search',
  options: {
    subreddits: { type: 'list of strings', description: 'subreddits to search (else site-wide)', schema: strings(), flag: 'subreddit' },
    brandSubreddits: { type: 'list of strings', description: "subreddits whose moderator-distinguished comments count as the brand's", schema: strings() },
    sort: { type: 'string', description: 'search sort order (relevance, new, top, comments)', schema: stringSchema() },
    time: { type: 'string', description: 'search time range (hour, day, week, month, year, all)', schema: stringSchema() },
    pageSize: { type: 'whole number 1-100', description: 'search results per page', schema: positiveInt('a whole number from 1 to 100') },
    maxPages: { type: 'whole number ≥ 1', description: 'most search pages read', schema: positiveInt('a whole number of pages, at least 1') },
    maxMoreRequests: { type: 'whole number ≥ 0', description: 'most "load more comments" requests per thread (JSON API)', schema: wholeNumber('a whole number, 0 or more') },
    rssBudget: {
      type: 'whole number ≥ 1',
      description: `most feed requests per hour from this machine, counted across runs (default ${DEFAULT_RSS_BUDGET}; Reddit answers 429 for hours past its own)`,
      default: DEFAULT_RSS_BUDGET,
      schema: positiveInt('a whole number of requests per hour, at least 1'),
    },
    oauthBaseUrl: { type: 'URL', description: 'the JSON API host (default https://oauth.reddit.com)', schema: httpUrl('an http(s) URL such as https://oauth.reddit.com') },
  },
  parsers: {
    'search-atom': (body, ctx) => pageResult(parseAtomFeed(body, ctx.query)),
    listing: (body, ctx) => pageResult(parseListing(body, ctx.query)),
    thread: (body, ctx) => pageResult(parseThreadJson(body, ctx.query)),
    morechildren: (body, ctx) => pageResult(parseMoreChildren(body, ctx.query)),
  },
  starter: {
    audited: true,
    lines: ({ glued }) => [`subreddits: ["${glued}", "sysadmin"]    # search only these`, 'rateLimit: { requestsPerMinute: 10, concurrency: 1 }'],
  },
  scenario: { options: () => ({}) },
  // Reddit's network-policy block page, served with 200 or 403 to clients its WAF dislikes.
  hints: {
    blockPages: [
      { label: 'Reddit network-policy block page', pattern: /whoa there,\s*pardner!/i },
      { label: 'Reddit network-policy block page', pattern: /blocked due to a network policy/i },
    ],
  },
  fetch: fetchReddit,
};
