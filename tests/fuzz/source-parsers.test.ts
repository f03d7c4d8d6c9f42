/**
 * Every source's exported parse functions on mutated fixture bodies (cut at random points, JSON keys deleted or
 * retyped, random bytes spliced in, random HTML/XML): each call returns a result or throws an EarshotError whose
 * message says what was expected. Any other exception (TypeError from a missing guard, a raw JSON.parse
 * SyntaxError) or a slow case fails the property with the shrunk input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EarshotError, SourceError } from '../../src/core/errors.js';
import { parseAppStoreFeed } from '../../src/sources/appstore/parse.js';
import { parseCommentsFeed, parsePostsFeed } from '../../src/sources/blogger/parse.js';
import { brandFromQuery, parseAuthorFeed, parseResolveHandle, parseSearchPosts, parseSession, parseThread } from '../../src/sources/bluesky/parse.js';
import { discourseError, parseSearch as parseDiscourseSearch, parseTopic, readPosts } from '../../src/sources/discourse/parse.js';
import { githubError, parseIssueComments, parseSearchIssues } from '../../src/sources/github/parse.js';
import { parsePlayReviews } from '../../src/sources/googleplay/parse.js';
import { parseHnItem, parseHnSearch } from '../../src/sources/hn/parse.js';
import { parseAccount, parseContext, parseSearch as parseMastodonSearch, parseStatuses } from '../../src/sources/mastodon/parse.js';
import { parseAccessToken, parseAtomFeed, parseListing, parseMoreChildren, parseThreadJson } from '../../src/sources/reddit/parse.js';
import { parseFeed } from '../../src/sources/rss/parse.js';
import { parsePage, readOptions } from '../../src/sources/selectors/parse.js';
import { parseSearch as parseSeSearch, readWrapper, stackExchangeError } from '../../src/sources/stackexchange/parse.js';
import { parseTrustpilotPage } from '../../src/sources/trustpilot/parse.js';
import { parseComments as parseWpComments, parsePosts as parseWpPosts, wordpressError } from '../../src/sources/wordpress/parse.js';
import type { Mention } from '../../src/core/mention.js';
import type { SourceQuery } from '../../src/sources/types.js';
import { ROOT } from '../helpers/run-cli.js';
import { SELECTORS_FIXTURE_OPTIONS } from '../helpers/source-harness.js';
import { SOURCE_IDS } from '../faults/scenarios.js';
import { mutateJson, params, timed } from './fuzz-settings.js';

const fixture = (source: string, file: string): string => readFileSync(join(ROOT, 'fixtures/sources', source, file), 'utf8');

const query = (options: Record<string, unknown> = {}): SourceQuery => ({
  query: 'acme cloud',
  brand: 'Acme Cloud',
  brandHandles: ['acmecloud', 'AcmeCloudSupport'],
  since: new Date('2026-11-09T00:00:00Z'),
  limit: 500,
  options,
});

const SELECTOR_OPTIONS = readOptions(SELECTORS_FIXTURE_OPTIONS);
const bskyBrand = brandFromQuery(query(), ['did:plc:acmecloud7x2k4q']);
const mastoBrand = { brand: 'Acme Cloud', accountUrls: ['https://mastodon.social/@acmecloud'], handles: [], instanceHost: 'mastodon.social' };
const mastoAnchor: Mention = {
  id: 'mastodon:https://mastodon.social/users/maya/statuses/1',
  source: 'mastodon',
  author: { handle: 'maya@mastodon.social' },
  text: 'acme cloud is down',
  createdAt: '2026-11-20T10:00:00.000Z',
  fromBrand: false,
} as Mention;
const BLOG = '7120455883366211452';
const bloggerPost = { id: '3318842200915540021', blogId: BLOG, mentionId: `blogger:${BLOG}/3318842200915540021` };
const wpPost = { id: 501, mentionId: 'wordpress:blog.acmecloud.example/501', site: 'blog.acmecloud.example' };

/** One parse entry point, the fixtures it is fed, and the body shape (for shape-aware mutations). */
interface Parser {
  source: string;
  name: string;
  shape: 'json' | 'xml' | 'html' | 'batchexecute';
  files: string[];
  parse(body: string): unknown;
}

const PARSERS: Parser[] = [
  { source: 'reddit', name: 'parseAtomFeed', shape: 'xml', files: ['search.xml', 'comments-1qwd7ks.xml'], parse: (b) => parseAtomFeed(b, query()) },
  { source: 'reddit', name: 'parseListing', shape: 'json', files: ['api-search.json'], parse: (b) => parseListing(b, query()) },
  { source: 'reddit', name: 'parseThreadJson', shape: 'json', files: ['api-comments-1qwd7ks.json'], parse: (b) => parseThreadJson(b, query()) },
  { source: 'reddit', name: 'parseMoreChildren', shape: 'json', files: ['api-morechildren.json'], parse: (b) => parseMoreChildren(b, query()) },
  { source: 'reddit', name: 'parseAccessToken', shape: 'json', files: ['api-access-token.json'], parse: (b) => parseAccessToken(b) },
  { source: 'hn', name: 'parseHnSearch', shape: 'json', files: ['search-page0.json'], parse: (b) => parseHnSearch(b, query()) },
  { source: 'hn', name: 'parseHnItem', shape: 'json', files: ['item-48213001.json'], parse: (b) => parseHnItem(b, query()) },
  { source: 'rss', name: 'parseFeed', shape: 'xml', files: ['google-news-search.xml', 'google-alerts.xml', 'acme-blog.xml'], parse: (b) => parseFeed(b, query(), { feedLabel: 'fuzz', fromBrandFeed: false }) },
  { source: 'bluesky', name: 'parseSearchPosts', shape: 'json', files: ['searchPosts-page1.json'], parse: (b) => parseSearchPosts(b, bskyBrand) },
  { source: 'bluesky', name: 'parseAuthorFeed', shape: 'json', files: ['getAuthorFeed-acmecloud.json'], parse: (b) => parseAuthorFeed(b, bskyBrand) },
  { source: 'bluesky', name: 'parseThread', shape: 'json', files: ['getPostThread-p1.json', 'getPostThread-p3.json'], parse: (b) => parseThread(b, bskyBrand) },
  { source: 'bluesky', name: 'parseSession', shape: 'json', files: ['createSession.json'], parse: (b) => parseSession(b) },
  { source: 'bluesky', name: 'parseResolveHandle', shape: 'json', files: ['resolveHandle-acmecloud.json'], parse: (b) => parseResolveHandle(b) },
  { source: 'mastodon', name: 'parseStatuses', shape: 'json', files: ['tag-acmecloud-page1.json'], parse: (b) => parseStatuses(b, mastoBrand) },
  { source: 'mastodon', name: 'parseSearch', shape: 'json', files: ['search-statuses.json'], parse: (b) => parseMastodonSearch(b, mastoBrand) },
  { source: 'mastodon', name: 'parseContext', shape: 'json', files: ['context-m1.json'], parse: (b) => parseContext(b, mastoAnchor, mastoBrand) },
  { source: 'mastodon', name: 'parseAccount', shape: 'json', files: ['account-lookup-acmecloud.json'], parse: (b) => parseAccount(b) },
  { source: 'github', name: 'parseSearchIssues', shape: 'json', files: ['search-issues-page1.json'], parse: (b) => parseSearchIssues(b, query({ brandOrgs: ['acmecloud'] })) },
  {
    source: 'github',
    name: 'parseIssueComments',
    shape: 'json',
    files: ['comments-412-page1.json'],
    parse: (b) => parseIssueComments(b, { mentionId: 'github:acmecloud/acme-cli#412', repo: 'acmecloud/acme-cli', number: 412, comments: 3 }, query()),
  },
  { source: 'discourse', name: 'parseSearch', shape: 'json', files: ['search-page1.json'], parse: (b) => parseDiscourseSearch(b) },
  { source: 'discourse', name: 'parseTopic', shape: 'json', files: ['t-5012.json', 't-5034.json'], parse: (b) => parseTopic(b, { baseUrl: 'https://forum.example', query: query({ brandGroups: ['acme_staff'] }) }) },
  { source: 'discourse', name: 'readPosts', shape: 'json', files: ['t-5020-posts.json'], parse: (b) => readPosts(b, 5020) },
  { source: 'stackexchange', name: 'parseSearch', shape: 'json', files: ['search-page1.json'], parse: (b) => parseSeSearch(b, { query: query(), site: 'stackoverflow' }) },
  { source: 'stackexchange', name: 'readWrapper', shape: 'json', files: ['answers-page1.json', 'question-comments-page1.json'], parse: (b) => readWrapper(b, '/answers') },
  { source: 'trustpilot', name: 'parseTrustpilotPage', shape: 'html', files: ['review-page1.html'], parse: (b) => parseTrustpilotPage(b, query()) },
  { source: 'appstore', name: 'parseAppStoreFeed', shape: 'json', files: ['us-page1.json'], parse: (b) => parseAppStoreFeed(b, query(), { appId: '6449012345', country: 'us' }) },
  { source: 'googleplay', name: 'parsePlayReviews', shape: 'batchexecute', files: ['reviews-page1.txt', 'reviews-chunked.txt'], parse: (b) => parsePlayReviews(b, query(), { appId: 'example.acmecloud.mobile' }) },
  { source: 'wordpress', name: 'parsePosts', shape: 'json', files: ['posts-page1.json'], parse: (b) => parseWpPosts(b, { query: query({ brandBlog: true }), fallbackSite: 'blog.acmecloud.example' }) },
  { source: 'wordpress', name: 'parseComments', shape: 'json', files: ['comments-501-page1.json'], parse: (b) => parseWpComments(b, wpPost, { query: query({ brandBlog: true }) }) },
  { source: 'blogger', name: 'parsePostsFeed', shape: 'json', files: ['posts-search-page1.json'], parse: (b) => parsePostsFeed(b, { query: query({ brandBlog: true }) }) },
  { source: 'blogger', name: 'parseCommentsFeed', shape: 'json', files: ['comments-3318842200915540021-page1.json'], parse: (b) => parseCommentsFeed(b, bloggerPost, { query: query({ brandBlog: true }) }) },
  {
    source: 'selectors',
    name: 'parsePage',
    shape: 'html',
    files: ['reviews-page1.html', 'reviews-page2.html'],
    parse: (b) => parsePage(b, { options: SELECTOR_OPTIONS, pageUrl: 'https://www.hostingverdict.example/reviews/acme-cloud', query: query(), requireItems: true }),
  },
];

const MARKUP = ['<', '>', '</', '/>', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&#0;', '&#x110000;', '&bogus;', '"', "'", '=', '\u0000', '\uFFFD', '\u202E'];
const HTML_BITS = [
  '<script id="__NEXT_DATA__" type="application/json">',
  '</script>',
  '{"props":{"pageProps":{"reviews":[',
  '<article class="review" data-review-id="r1">',
  '</article>',
  '<div class="review-body">',
  '<time datetime="2026-11-20T10:00:00Z">',
  '<a class="next" href="?page=2">',
  '<span class="stars" aria-label="Rated 9 out of 5">',
  '<entry>',
  '</entry>',
  '<feed xmlns="http://www.w3.org/2005/Atom">',
  '<rss><channel><item>',
  ')]}\'\n',
  '[["wrb.fr","UsvDTd","[[]]"]]',
  ...MARKUP,
];

/** A mutated body for a parser: shape-aware where it helps, otherwise blind byte-level damage. */
function bodies(p: Parser): fc.Arbitrary<string> {
  const base = fc.constantFrom(...p.files.map((f) => fixture(p.source, f)));
  const cut = fc.tuple(base, fc.nat()).map(([b, n]) => b.slice(0, n % (b.length + 1)));
  const splice = fc
    .tuple(base, fc.nat(), fc.nat({ max: 64 }), fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...MARKUP), fc.string({ unit: 'binary', maxLength: 20 })))
    .map(([b, at, del, ins]) => {
      const i = at % (b.length + 1);
      return b.slice(0, i) + ins + b.slice(i + del);
    });
  const markup = fc.array(fc.oneof(fc.constantFrom(...HTML_BITS), fc.string({ maxLength: 12 })), { maxLength: 30 }).map((xs) => xs.join(''));
  const noise = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', ' ', 'null', '[]', '{}', '0', '"x"', 'true', '<html></html>', '<?xml version="1.0"?>'));
  const arbitraries: fc.Arbitrary<string>[] = [cut, splice, markup, noise];
  if (p.shape === 'json') {
    const docs = p.files.map((f) => JSON.parse(fixture(p.source, f)) as unknown);
    arbitraries.push(
      fc
        .tuple(fc.constantFrom(...docs), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }))
        .map(([doc, choices, reps]) => JSON.stringify(mutateJson(doc, choices, reps))),
      // Several mutations in a row reach deeper combinations (a retyped array inside a deleted key's sibling...).
      fc
        .tuple(fc.constantFrom(...docs), fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 5 }), fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }))
        .map(([doc, steps, reps]) => JSON.stringify(steps.reduce<unknown>((d, choices) => mutateJson(d, choices, reps), doc))),
    );
  }
  return fc.oneof(...arbitraries);
}

// Messages written for users say what they wanted; library messages ("Unexpected token", "Cannot read") do not.
const NAMES_EXPECTATION = /expect|not (a|an|valid|JSON)|missing|has no|no [a-z_"<]|unreadable|invalid|could not|cannot be read|does not|layout|matched nothing|blocked|wall|challenge|cut off|truncated|unterminated|empty/i;
const LIBRARY_TEXT = /Unexpected token|Unexpected end of JSON|JSON at position|is not a function|Cannot read properties|undefined is not|is not iterable/;

describe('source parsers under mutated input', () => {
  it('covers a parse function of every registered source', () => {
    expect([...new Set(PARSERS.map((p) => p.source))].sort()).toEqual([...SOURCE_IDS].sort());
  });

  it('every parser accepts its own unmutated fixtures', () => {
    for (const p of PARSERS) for (const f of p.files) expect(() => p.parse(fixture(p.source, f)), `${p.source}.${p.name} ${f}`).not.toThrow();
  });

  it.each(PARSERS.map((p) => [`${p.source}.${p.name}`, p] as const))('%s: a result or an EarshotError naming what was expected', (label, p) => {
    const heavy = p.shape === 'html' ? 0.3 : 1;
    fc.assert(
      fc.property(bodies(p), (body) => {
        try {
          timed(label, () => p.parse(body));
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('hang:')) throw err;
          if (!(err instanceof EarshotError)) throw new Error(`${label} threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
          if (!NAMES_EXPECTATION.test(err.message) || LIBRARY_TEXT.test(err.message)) throw new Error(`${label}: message does not say what was expected: ${err.message}`);
        }
      }),
      params(heavy),
    );
  }, 120_000);

  it('error builders (HTTP status + body + headers → SourceError) never throw on garbage', () => {
    const status = fc.oneof(fc.constantFrom(400, 401, 403, 404, 410, 422, 429, 500, 502, 503), fc.integer({ min: 100, max: 599 }));
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom(
        fixture('github', 'error-rate-limit.json'),
        fixture('github', 'error-validation.json'),
        fixture('discourse', 'error-rate-limit.json'),
        fixture('wordpress', 'error-rest-disabled.json'),
        fixture('stackexchange', 'error-throttle.json'),
      ),
    );
    const headerValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.double().map(String), fc.constantFrom('0', '99999999999999999', '-1', 'NaN', '1e400'));
    const headers = fc.record({ 'x-ratelimit-remaining': headerValue, 'x-ratelimit-reset': headerValue, 'retry-after': headerValue }, { requiredKeys: [] });
    fc.assert(
      fc.property(status, body, headers, fc.boolean(), (st, b, h, token) => {
        let parsedBody: unknown = null;
        try {
          parsedBody = JSON.parse(b);
        } catch {
          // garbage stays garbage
        }
        const data = parsedBody !== null && typeof parsedBody === 'object' && !Array.isArray(parsedBody) ? (parsedBody as Record<string, unknown>) : {};
        for (const e of [githubError(st, b, h, token), discourseError(st, b, token), wordpressError(st, b), stackExchangeError(data as never, st)]) {
          expect(e).toBeInstanceOf(SourceError);
          expect(e.message.length).toBeGreaterThan(10);
        }
      }),
      params(),
    );
  });
});
