import { describe, expect, it } from 'vitest';
import type { Mention } from '../../../src/core/mention.js';
import type { EarshotHttpClient } from '../../../src/http/index.js';
import { RateLimitedError, SourceError } from '../../../src/core/errors.js';
import { buildUrl, readRedditOptions, timeWindow } from '../../../src/sources/reddit/fetch.js';
import { redditSource } from '../../../src/sources/reddit/index.js';
import {
  isRedditBlockPage,
  parseAccessToken,
  parseAtomFeed,
  parseListing,
  parseMoreChildren,
  parseThreadJson,
  pruneDeleted,
} from '../../../src/sources/reddit/parse.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { byId, collectOrThrow, fixtureReader, loggedContext, realHttpEachTest, sourceFixtureDir, sourceQuery, type FixtureServer } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('reddit');
const fixture = fixtureReader(DIR);
const NOW = new Date('2026-11-23T09:00:00Z');

const query: SourceQuery = sourceQuery({ brandHandles: ['AcmeCloudSupport', '@acmecloud'], until: NOW, limit: 500 });

function catchError(fn: () => unknown): SourceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error('expected a SourceError');
}

describe('reddit parse: Atom feeds', () => {
  it('reads search.rss entries: ids, dates, authors, titles, plain text without the "submitted by" trailer', () => {
    const r = parseAtomFeed(fixture('search.xml'), query);
    expect(r.warnings).toEqual([]);
    expect(r.entries).toBe(5);
    expect(r.lastName).toBe('t3_1qzx4hv');
    expect(r.mentions.map((m) => m.id)).toEqual([
      'reddit:t3_1r4kz9d',
      'reddit:t3_1r3w7fq',
      'reddit:t3_1r3b2xc',
      'reddit:t3_1r1m8ta',
      'reddit:t3_1qzx4hv',
    ]);
    const d = byId(r.mentions, 'reddit:t3_1r4kz9d');
    expect(d).toMatchObject({
      source: 'reddit',
      kind: 'post',
      title: 'Acme Cloud support ignored my ticket for 3 days',
      createdAt: '2026-11-22T16:20:33.000Z',
      author: { handle: 'tired_of_waiting_42' },
      fromBrand: false,
      brand: 'Acme Cloud',
      threadId: 'reddit:t3_1r4kz9d',
      url: 'https://www.reddit.com/r/webhosting/comments/1r4kz9d/acme_cloud_support_ignored_my_ticket_for_3_days/',
    });
    expect(d.parentId).toBeUndefined();
    expect(d.text).toBe(
      'Opened ticket #88213 on Thursday because my site started returning 502s right after the PHP 8.4 upgrade.\n' +
        'Three days, zero replies. Is anyone at Acme Cloud actually reading these? I\'m paying for the "priority" plan.',
    );
    // Entities decoded, emoji kept.
    const b = byId(r.mentions, 'reddit:t3_1r3w7fq');
    expect(b.title).toBe('Acme Cloud billing charged me twice this month 😡');
    expect(b.text).toContain('$24 & $24');
    // The brand's own promotion; handle match ignores case and the leading @.
    expect(byId(r.mentions, 'reddit:t3_1r3b2xc').fromBrand).toBe(true);
    // A link post has no body: only the title carries words.
    const anvil = byId(r.mentions, 'reddit:t3_1qzx4hv');
    expect(anvil.text).toBe('');
    expect(anvil.title).toBe('When the Acme anvil finally falls out of the cloud');
    expect(r.posts[0]).toEqual({ mentionId: 'reddit:t3_1r4kz9d', id: '1r4kz9d', subreddit: 'webhosting', createdAt: '2026-11-22T16:20:33.000Z' });
    expect(r.posts.map((p) => p.subreddit)).toEqual(['webhosting', 'webhosting', 'AcmeCloud', 'selfhosted', 'funny']);
  });

  it('keeps non-English text intact', () => {
    const r = parseAtomFeed(fixture('search-page2.xml'), query);
    const fr = byId(r.mentions, 'reddit:t3_1qxv3jr');
    expect(fr.title).toBe('Acme Cloud : hébergement très lent depuis la migration vers Paris ?');
    expect(fr.text).toContain("Quelqu'un d'autre a remarqué ça ?");
    expect(fr.createdAt).toBe('2026-11-12T10:14:27.000Z');
  });

  it('reads a comments feed flat: every comment hangs off the post, deleted ones are dropped', () => {
    const r = parseAtomFeed(fixture('comments-1qwd7ks.xml'), query);
    expect(r.mentions.map((m) => m.id)).toEqual(['reddit:t3_1qwd7ks', 'reddit:t1_n8a2k1c', 'reddit:t1_n8a9z3e']);
    expect(r.droppedDeleted).toBe(1);
    const reply = byId(r.mentions, 'reddit:t1_n8a2k1c');
    expect(reply).toMatchObject({
      kind: 'comment',
      fromBrand: true,
      author: { handle: 'AcmeCloudSupport' },
      parentId: 'reddit:t3_1qwd7ks',
      threadId: 'reddit:t3_1qwd7ks',
      // Comment entries carry only <updated>, the creation time of an unedited comment.
      createdAt: '2026-11-10T15:47:30.000Z',
    });
    expect(reply.title).toBeUndefined();
    expect(reply.text).toBe(
      "Sorry about this, and thanks for flagging it. A failover in our us-east-2 Postgres pool took longer than it should have, and the status page wasn't updated automatically.\n" +
        "It's updated now, and we'll post a write-up this week.",
    );
    expect(reply.engagement).toEqual({});
  });

  it('reads the deflection reply and HTML entities in a weekend thread', () => {
    const r = parseAtomFeed(fixture('comments-1r4kz9d.xml'), query);
    expect(r.mentions).toHaveLength(3);
    const brand = byId(r.mentions, 'reddit:t1_nbk7w2m');
    expect(brand.fromBrand).toBe(true);
    expect(brand.text).toContain('Please DM us your account email');
    expect(byId(r.mentions, 'reddit:t1_nbk9p4t').text).toBe("Why can't you just answer the ticket? >:(");
  });

  it('keeps a deleted post as a placeholder when a brand comment hangs beneath it', () => {
    const feed = `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><author><name>/u/[deleted]</name></author><category term="webhosting" label="r/webhosting"/>
        <content type="html">&lt;!-- SC_OFF --&gt;&lt;div class="md"&gt;&lt;p&gt;[deleted]&lt;/p&gt; &lt;/div&gt;&lt;!-- SC_ON --&gt;</content>
        <id>t3_abc123</id><link href="https://www.reddit.com/r/webhosting/comments/abc123/x/"/>
        <updated>2026-11-15T10:00:00+00:00</updated><published>2026-11-15T10:00:00+00:00</published><title>Acme Cloud is down</title></entry>
      <entry><author><name>/u/AcmeCloudSupport</name></author>
        <content type="html">&lt;div class="md"&gt;&lt;p&gt;Fixed now.&lt;/p&gt;&lt;/div&gt;</content>
        <id>t1_def456</id><link href="https://www.reddit.com/r/webhosting/comments/abc123/x/def456/"/>
        <updated>2026-11-15T11:00:00+00:00</updated><title>/u/AcmeCloudSupport on Acme Cloud is down</title></entry>
      <entry><author><name>/u/someone</name></author>
        <content type="html">&lt;div class="md"&gt;&lt;p&gt;[removed]&lt;/p&gt;&lt;/div&gt;</content>
        <id>t1_ghi789</id><link href="https://www.reddit.com/r/webhosting/comments/abc123/x/ghi789/"/>
        <updated>2026-11-15T12:00:00+00:00</updated><title>/u/someone on Acme Cloud is down</title></entry>
    </feed>`;
    const r = parseAtomFeed(feed, query);
    expect(r.mentions.map((m) => m.id)).toEqual(['reddit:t3_abc123', 'reddit:t1_def456']);
    expect(r.mentions[0]).toMatchObject({ text: '[deleted]', author: {}, title: 'Acme Cloud is down' });
    expect(r.droppedDeleted).toBe(1);
  });

  it('is forgiving: a missing author, date or content becomes a warning naming the entry', () => {
    const feed = `<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><content type="html">&lt;div class="md"&gt;&lt;p&gt;hi&lt;/p&gt;&lt;/div&gt;</content><id>t1_aaa111</id>
        <link href="https://www.reddit.com/r/x/comments/zzz999/s/aaa111/"/><updated>2026-11-15T12:00:00+00:00</updated></entry>
      <entry><author><name>/u/bob</name></author><id>t1_bbb222</id>
        <link href="https://www.reddit.com/r/x/comments/zzz999/s/bbb222/"/></entry>
      <entry><author><name>/u/carol</name></author><id>t1_ccc333</id>
        <link href="https://www.reddit.com/r/x/comments/zzz999/s/ccc333/"/><published>2026-11-15T13:00:00+00:00</published></entry>
      <entry><id>t5_2qh1i</id><title>a subreddit</title></entry>
    </feed>`;
    const r = parseAtomFeed(feed, query);
    expect(r.mentions.map((m) => m.id)).toEqual(['reddit:t1_aaa111', 'reddit:t1_ccc333']);
    expect(r.mentions[0]?.author).toEqual({});
    expect(r.mentions[0]?.text).toBe('hi');
    expect(r.mentions[1]?.text).toBe('');
    expect(r.warnings).toEqual([
      'reddit: t1_aaa111: no <author><name>; author left empty.',
      'reddit: t1_bbb222: no readable <published>/<updated> date; entry skipped.',
      'reddit: t1_ccc333: no <content>; text left empty.',
      'reddit: t5_2qh1i: neither <id> nor <link> names a post (t3_) or comment (t1_); entry skipped.',
    ]);
  });

  it('throws bad-response on a body that is not an Atom feed, and blocked on the block page', () => {
    expect(catchError(() => parseAtomFeed('{"kind":"Listing"}', query)).code).toBe('bad-response');
    const html = catchError(() => parseAtomFeed('<!doctype html><html><body><p>Reddit is being redesigned</p></body></html>', query));
    expect(html.code).toBe('bad-response');
    expect(html.message).toBe('Expected a Reddit Atom feed (<feed> with <entry> elements) but got an HTML page.');
    const blocked = catchError(() => parseAtomFeed(fixture('blocked.html'), query));
    expect(blocked.code).toBe('blocked');
    expect(blocked.message).toContain('not "0 mentions"');
    expect(blocked.message).toContain('REDDIT_CLIENT_ID');
  });

  it('recognises both block page wordings and nothing else', () => {
    expect(isRedditBlockPage(fixture('blocked.html'))).toBe(true);
    expect(isRedditBlockPage('<div class="font-bold text-24">You\'ve been blocked by network security.</div>')).toBe(true);
    expect(isRedditBlockPage(fixture('search.xml'))).toBe(false);
  });
});

describe('reddit parse: JSON', () => {
  it('reads a search Listing with the after cursor, scores and comment counts', () => {
    const r = parseListing(fixture('api-search.json'), query);
    expect(r.after).toBe('t3_1r3b2xc');
    expect(r.mentions.map((m) => m.id)).toEqual(['reddit:t3_1r3w7fq', 'reddit:t3_1r3b2xc']);
    expect(r.mentions[0]).toMatchObject({
      createdAt: '2026-11-21T03:41:55.000Z',
      author: { handle: 'nightowl_dev', id: 't2_nightowl' },
      engagement: { score: 31, replies: 1 },
      url: 'https://www.reddit.com/r/webhosting/comments/1r3w7fq/acme_cloud_billing_charged_me_twice_this_month/',
      text: 'Got two invoices for the same Pro plan — $24 & $24, both paid from my card.\nSupport chat is closed at this hour. Has anyone had Acme Cloud refund a double charge?',
    });
    expect(parseListing(fixture('api-search-page2.json'), query).after).toBeUndefined();
  });

  it('builds permalinks on the given web base', () => {
    const r = parseListing(fixture('api-search.json'), query, { webUrl: 'http://127.0.0.1:9/' });
    expect(r.mentions[0]?.url).toBe('http://127.0.0.1:9/r/webhosting/comments/1r3w7fq/acme_cloud_billing_charged_me_twice_this_month/');
  });

  it('reads a comment tree with real parents, keeps a deleted parent of a brand reply, lists "more" stubs', () => {
    const r = parseThreadJson(fixture('api-comments-1qwd7ks.json'), query);
    expect(r.linkId).toBe('t3_1qwd7ks');
    expect(r.mentions.map((m) => m.id)).toEqual([
      'reddit:t3_1qwd7ks',
      'reddit:t1_n8a2k1c',
      'reddit:t1_n8a4q7d',
      'reddit:t1_n8a6r2f',
      'reddit:t1_n8a9z3e',
    ]);
    expect(r.droppedDeleted).toBe(1);
    expect(byId(r.mentions, 'reddit:t1_n8a4q7d')).toMatchObject({ text: '[deleted]', author: {}, fromBrand: false });
    expect(byId(r.mentions, 'reddit:t1_n8a6r2f')).toMatchObject({
      parentId: 'reddit:t1_n8a4q7d',
      threadId: 'reddit:t3_1qwd7ks',
      fromBrand: true,
      createdAt: '2026-11-10T16:20:42.000Z',
    });
    expect(byId(r.mentions, 'reddit:t1_n8a2k1c')).toMatchObject({ parentId: 'reddit:t3_1qwd7ks', engagement: { score: 64 } });
    expect(r.more).toEqual([
      { parentId: 't1_n8a2k1c', children: [], count: 0 },
      { parentId: 't1_n8a9z3e', children: ['n8b1x4k', 'n8b2m9p'], count: 2 },
    ]);
  });

  it('counts a moderator-distinguished comment as the brand only in the brand\'s own subreddits', () => {
    const plain = parseThreadJson(fixture('api-comments-1r3b2xc.json'), query);
    expect(byId(plain.mentions, 'reddit:t1_nav6a0s').fromBrand).toBe(false);
    const own = parseThreadJson(fixture('api-comments-1r3b2xc.json'), query, { brandSubreddits: ['r/AcmeCloud'] });
    expect(byId(own.mentions, 'reddit:t1_nav6a0s').fromBrand).toBe(true);
    expect(byId(own.mentions, 'reddit:t1_navb3x7')).toMatchObject({ parentId: 'reddit:t1_nav9k2w', fromBrand: true });
    expect(byId(own.mentions, 'reddit:t1_nav8m1q').fromBrand).toBe(false);
  });

  it('reads a morechildren answer as a flat list with parents', () => {
    const r = parseMoreChildren(fixture('api-morechildren.json'), query);
    expect(r.mentions.map((m) => [m.id, m.parentId, m.fromBrand])).toEqual([
      ['reddit:t1_n8b1x4k', 'reddit:t1_n8a9z3e', false],
      ['reddit:t1_n8b2m9p', 'reddit:t1_n8b1x4k', true],
    ]);
  });

  it('decodes entity-escaped body_html (answers without raw_json=1)', () => {
    const body = JSON.stringify({
      json: { errors: [], data: { things: [{ kind: 't1', data: {
        id: 'x1', name: 't1_x1', author: 'tom', created_utc: 1763200000.0, link_id: 't3_p1', parent_id: 't3_p1',
        body: 'Tom &amp; Jerry', body_html: '&lt;div class="md"&gt;&lt;p&gt;Tom &amp;amp; Jerry&lt;/p&gt;\n&lt;/div&gt;',
      } }] } },
    });
    expect(parseMoreChildren(body, query).mentions[0]?.text).toBe('Tom & Jerry');
  });

  it('is forgiving: a missing date skips the item, a missing author or body becomes a warning', () => {
    const body = JSON.stringify([
      { kind: 'Listing', data: { children: [{ kind: 't3', data: { id: 'p1', name: 't3_p1', title: 'T', created_utc: 1763200000 } }] } },
      { kind: 'Listing', data: { children: [
        { kind: 't1', data: { id: 'c1', name: 't1_c1', link_id: 't3_p1', parent_id: 't3_p1', body: 'hello' } },
        { kind: 't1', data: { id: 'c2', name: 't1_c2', link_id: 't3_p1', parent_id: 't3_p1', created_utc: 1763200100, author: 'amy' } },
      ] } },
    ]);
    const r = parseThreadJson(body, query);
    expect(r.mentions.map((m) => m.id)).toEqual(['reddit:t3_p1', 'reddit:t1_c2']);
    expect(r.mentions[0]?.author).toEqual({});
    expect(r.mentions[1]?.text).toBe('');
    expect(r.warnings).toEqual([
      'reddit: t3_p1: no "author"; author left empty.',
      'reddit: t3_p1: no "selftext"; text left empty.',
      'reddit: t1_c1: no readable "created_utc"; comment skipped.',
      'reddit: t1_c2: no "body"; text left empty.',
    ]);
  });

  it('throws bad-response on changed layouts and blocked on the block page', () => {
    expect(catchError(() => parseListing('{"data":{"items":[]}}', query)).message).toContain('Expected a Reddit Listing');
    expect(catchError(() => parseThreadJson(fixture('api-search.json'), query)).code).toBe('bad-response');
    expect(catchError(() => parseMoreChildren('{"json":{"errors":[["BAD"]]}}', query)).message).toContain('errors: [["BAD"]]');
    expect(catchError(() => parseListing('<html><body>maintenance</body></html>', query)).code).toBe('bad-response');
    expect(catchError(() => parseListing(fixture('blocked.html'), query)).code).toBe('blocked');
  });

  it('reads the token answer and refuses an error answer', () => {
    expect(parseAccessToken(fixture('api-access-token.json'))).toEqual({ token: 'fixture-app-only-token-not-a-real-secret', expiresIn: 86400 });
    const e = catchError(() => parseAccessToken('{"message": "Unauthorized", "error": 401}'));
    expect(e.code).toBe('auth-required');
    expect(e.message).toContain('401, Unauthorized');
  });

  it('pruneDeleted survives a malformed parent cycle', () => {
    const m = (id: string, parentId: string, fromBrand = false): Mention => ({
      id, source: 'reddit', kind: 'comment', author: {}, fromBrand, text: 'x', createdAt: '2026-11-10T00:00:00.000Z', parentId, engagement: {},
    });
    const r = pruneDeleted([m('a', 'b'), m('b', 'a'), m('c', 'a', true)], ['a', 'b']);
    expect(r.mentions.map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('reddit options and URLs', () => {
  it('derives the search window from since', () => {
    expect(timeWindow(NOW, undefined)).toBe('all');
    expect(timeWindow(NOW, new Date('2026-11-22T12:00:00Z'))).toBe('day');
    expect(timeWindow(NOW, new Date('2026-11-17T00:00:00Z'))).toBe('week');
    expect(timeWindow(NOW, new Date('2026-11-09T00:00:00Z'))).toBe('month');
    expect(timeWindow(NOW, new Date('2026-01-09T00:00:00Z'))).toBe('year');
  });

  it('keeps a base URL path prefix and encodes the query', () => {
    expect(buildUrl('http://127.0.0.1:5000/reddit/', '/search.rss', { q: 'acme cloud', after: undefined, limit: '5' })).toBe(
      'http://127.0.0.1:5000/reddit/search.rss?q=acme+cloud&limit=5',
    );
  });

  it('cleans subreddit names and warns about unusable options', () => {
    const warnings: string[] = [];
    const o = readRedditOptions({ subreddits: ['r/webhosting', '/r/selfhosted/', 'not a sub!'], sort: 'best', pageSize: 500 }, warnings);
    expect(o.subreddits).toEqual(['webhosting', 'selfhosted']);
    expect(o.sort).toBe('new');
    expect(o.pageSize).toBe(100);
    expect(o.oauthBaseUrl).toBe('https://oauth.reddit.com');
    expect(warnings).toHaveLength(2);
  });
});

// -------------------------------------------------------------------------------------------------------------
// Fetch: the real HTTP client against the fixture server on 127.0.0.1.

const openReal = realHttpEachTest(DIR, { cache: false, retry: { maxAttempts: 1 }, rateLimits: { reddit: { requestsPerMinute: 60_000, concurrency: 1 } } });
let http: EarshotHttpClient | undefined;

async function setup(routes: Parameters<typeof openReal>[0] = {}): Promise<FixtureServer> {
  const real = await openReal(routes);
  http = real.http;
  return real.server;
}

const context = (s: FixtureServer, over: { query?: Partial<SourceQuery>; env?: Record<string, string> } = {}) =>
  loggedContext(http!, { ...query, ...over.query }, { baseUrl: s.url, env: over.env ?? {}, now: NOW });

const collect = (ctx: SourceContext) => collectOrThrow(redditSource, ctx);

describe('reddit fetch: RSS mode (no keys)', () => {
  it('pages search.rss until a post is older than since, fetches each thread, warns about what RSS lacks', async () => {
    const s = await setup();
    const { ctx, log } = context(s, { query: { options: { pageSize: 5 } } });
    const { mentions, warnings, batches } = await collect(ctx);
    expect(s.unmatched).toEqual([]);
    const searches = s.requests.filter((r) => r.path === '/search.rss');
    expect(searches.map((r) => r.query)).toEqual([
      { q: 'acme cloud', sort: 'new', t: 'month', limit: '5' },
      { q: 'acme cloud', sort: 'new', t: 'month', limit: '5', after: 't3_1qzx4hv' },
    ]);
    const threads = s.requests.filter((r) => r.path.includes('/comments/')).map((r) => r.path);
    expect(threads).toEqual([
      '/r/webhosting/comments/1r4kz9d/.rss',
      '/r/webhosting/comments/1r3w7fq/.rss',
      '/r/AcmeCloud/comments/1r3b2xc/.rss',
      '/r/selfhosted/comments/1r1m8ta/.rss',
      '/r/funny/comments/1qzx4hv/.rss',
      '/r/webhosting/comments/1qyq0ne/.rss',
      '/r/france/comments/1qxv3jr/.rss',
      '/r/webhosting/comments/1qwd7ks/.rss',
    ]);
    // 8 posts in the window (the 2026-10-30 one is older than since) + 10 readable comments.
    expect(mentions).toHaveLength(18);
    expect(mentions.filter((m) => m.kind === 'post')).toHaveLength(8);
    expect(mentions.some((m) => m.id === 'reddit:t3_1qo2b8e')).toBe(false);
    expect(new Set(mentions.map((m) => m.id)).size).toBe(18);
    // One batch per thread, the post first.
    expect(batches[0]?.mentions.map((m) => m.id)).toEqual(['reddit:t3_1r4kz9d', 'reddit:t1_nbk7w2m', 'reddit:t1_nbk9p4t']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('public RSS feeds');
    expect(warnings[0]).toContain('REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET');
    expect(log.lines).toContainEqual({ level: 'debug', message: 'reddit: 1 deleted/removed items skipped in t3_1qwd7ks.' });
    // Every request carried earshot's descriptive User-Agent.
    expect(s.requests.every((r) => /^earshot\//.test(r.headers['user-agent'] ?? ''))).toBe(true);
  });

  it('stops paging at the first post older than since even when the page is full', async () => {
    const s = await setup();
    // pageSize 4: both fixture pages count as full, so only the since rule can stop after page 2.
    const { ctx } = context(s, { query: { options: { pageSize: 4 } } });
    await collect(ctx);
    expect(s.requests.filter((r) => r.path === '/search.rss').map((r) => r.query.after)).toEqual([undefined, 't3_1qzx4hv']);
  });

  it('stops at the limit without reading further pages or threads', async () => {
    const s = await setup();
    const { ctx } = context(s, { query: { limit: 4, options: { pageSize: 5 } } });
    const { mentions } = await collect(ctx);
    expect(mentions.map((m) => m.id)).toEqual(['reddit:t3_1r4kz9d', 'reddit:t1_nbk7w2m', 'reddit:t1_nbk9p4t', 'reddit:t3_1r3w7fq']);
    expect(s.requests.filter((r) => r.path === '/search.rss')).toHaveLength(1);
    expect(s.requests.filter((r) => r.path.includes('/comments/'))).toHaveLength(2);
  });

  it('skips posts newer than until', async () => {
    const s = await setup();
    const { ctx } = context(s, { query: { until: new Date('2026-11-20T00:00:00Z'), options: { pageSize: 5 } } });
    const { mentions } = await collect(ctx);
    const posts = mentions.filter((m) => m.kind === 'post').map((m) => m.id);
    expect(posts).toEqual(['reddit:t3_1r1m8ta', 'reddit:t3_1qzx4hv', 'reddit:t3_1qyq0ne', 'reddit:t3_1qxv3jr', 'reddit:t3_1qwd7ks']);
  });

  it('searches only the given subreddits with restrict_sr=on', async () => {
    const s = await setup();
    const { ctx } = context(s, { query: { options: { subreddits: ['r/webhosting'], pageSize: 5 } } });
    const { mentions } = await collect(ctx);
    expect(s.requests[0]?.path).toBe('/r/webhosting/search.rss');
    expect(s.requests[0]?.query).toMatchObject({ q: 'acme cloud', restrict_sr: 'on', sort: 'new' });
    expect(mentions.filter((m) => m.kind === 'post').map((m) => m.id)).toEqual(['reddit:t3_1r4kz9d', 'reddit:t3_1r3w7fq', 'reddit:t3_1qwd7ks']);
    expect(s.requests.some((r) => r.path === '/search.rss')).toBe(false);
  });

  it('sends If-Modified-Since on every feed request (Reddit answers "Blocked" to some requests without it)', async () => {
    const s = await setup();
    const { ctx } = context(s, { query: { options: { pageSize: 5 } } });
    await collect(ctx);
    expect(s.requests.length).toBeGreaterThan(1);
    expect(s.requests.every((r) => r.headers['if-modified-since'] === 'Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true);
  });

  it('a 429 from the anonymous feeds is rate-limited with the reset time and both ways out, never 0 mentions', async () => {
    const s = await setup();
    s.fault({ match: (r) => r.path === '/search.rss', fault: { kind: 'status', status: 429, headers: { 'retry-after': '3600' }, body: '<html><body>Too Many Requests</body></html>' } });
    const { ctx } = context(s);
    const err = await collect(ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RateLimitedError);
    const e = err as RateLimitedError;
    expect(e.code).toBe('rate-limited');
    expect(e.resetAt).toBeInstanceOf(Date);
    expect(e.message).toMatch(/^Reddit rate-limited the site-wide search \(\/search\.rss\): its anonymous RSS feeds allow a small number of requests per IP address; more requests after \d{4}-\d{2}-\d{2}T.*Z\. Two ways out: an approved Reddit app \(set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET for the JSON API\), or a logged-in user's private feed links \(reddit\.com\/prefs\/feeds: set REDDIT_FEED_TOKEN to the feed= value and REDDIT_FEED_USER to the user= value\)\.$/);
    // Under a budget a 429 is final: retrying would spend the budget on the same answer.
    expect(s.requests.filter((r) => r.path === '/search.rss')).toHaveLength(1);
  });

  it('says "blocked" with what to do when Reddit serves its block page, not 0 mentions', async () => {
    const s = await setup();
    const { ctx } = context(s, { query: { query: 'acme blocked' } });
    const err = await collect(ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('blocked');
    expect((err as SourceError).sourceId).toBe('reddit');
    expect((err as SourceError).message).toContain('whoa there, pardner!');
    expect((err as SourceError).message).toContain('not "0 mentions"');
    expect((err as SourceError).message).toContain('REDDIT_CLIENT_SECRET');
  });

  it('keeps the search results and stops fetching threads once a thread feed is blocked', async () => {
    const s = await setup();
    s.fault({ match: (r) => r.path === '/r/webhosting/comments/1r3w7fq/.rss', fault: { kind: 'status', status: 403, body: fixture('blocked.html'), headers: { 'content-type': 'text/html; charset=utf-8' } } });
    const { ctx } = context(s, { query: { options: { pageSize: 5 } } });
    const { mentions, warnings } = await collect(ctx);
    expect(mentions.filter((m) => m.kind === 'post')).toHaveLength(8);
    // Only the first thread's comments were read.
    expect(mentions.filter((m) => m.kind === 'comment').map((m) => m.id)).toEqual(['reddit:t1_nbk7w2m', 'reddit:t1_nbk9p4t']);
    expect(s.requests.filter((r) => r.path.includes('/comments/'))).toHaveLength(2);
    expect(warnings.some((w) => w.includes('whoa there, pardner!') && w.includes('t3_1r3w7fq on were not'))).toBe(true);
    expect(warnings).toContain('reddit: comment threads of 6 more posts were not fetched after the block.');
  });
});

describe('reddit fetch: OAuth mode (REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET)', () => {
  const env = { REDDIT_CLIENT_ID: 'fixture-client-id', REDDIT_CLIENT_SECRET: 'fixture-client-secret' };

  it('exchanges the credentials, searches the JSON API, expands "more" and "continue this thread" stubs', async () => {
    const s = await setup();
    // Both bases point at the fixture server: ctx.baseUrl (token endpoint) and options.oauthBaseUrl (JSON API).
    const { ctx, log } = context(s, { env, query: { options: { oauthBaseUrl: s.url, pageSize: 2 } } });
    const { mentions, warnings } = await collect(ctx);
    expect(s.unmatched).toEqual([]);
    expect(warnings).toEqual([]);

    const token = s.requests[0]!;
    expect(token).toMatchObject({ method: 'POST', path: '/api/v1/access_token', body: 'grant_type=client_credentials' });
    expect(token.headers['authorization']).toBe(`Basic ${Buffer.from('fixture-client-id:fixture-client-secret').toString('base64')}`);
    expect(token.headers['content-type']).toContain('application/x-www-form-urlencoded');

    const gets = s.requests.filter((r) => r.method === 'GET');
    expect(gets.every((r) => r.headers['authorization'] === 'bearer fixture-app-only-token-not-a-real-secret')).toBe(true);
    expect(gets.every((r) => !r.url.includes('fixture-app-only-token') && !r.url.includes('fixture-client'))).toBe(true);
    expect(gets.map((r) => r.path)).toEqual([
      '/search',
      '/comments/1r3w7fq',
      '/comments/1r3b2xc',
      '/search',
      '/comments/1qwd7ks',
      '/comments/1qwd7ks',
      '/api/morechildren',
    ]);
    expect(gets[0]?.query).toEqual({ q: 'acme cloud', sort: 'new', t: 'month', limit: '2', raw_json: '1', type: 'link' });
    expect(gets[3]?.query.after).toBe('t3_1r3b2xc');
    expect(gets[5]?.query).toMatchObject({ comment: 'n8a2k1c', raw_json: '1' });
    expect(gets[6]?.query).toMatchObject({ api_type: 'json', link_id: 't3_1qwd7ks', children: 'n8b1x4k,n8b2m9p', raw_json: '1' });

    // 3 threads: 2 + 5 + (post, 4 inline incl. the deleted placeholder, 2 continued, 2 from morechildren).
    expect(mentions).toHaveLength(16);
    expect(byId(mentions, 'reddit:t1_n8c3e8j')).toMatchObject({ parentId: 'reddit:t1_n8c0d5h', fromBrand: true });
    expect(byId(mentions, 'reddit:t1_n8b2m9p')).toMatchObject({ parentId: 'reddit:t1_n8b1x4k', fromBrand: true });
    expect(byId(mentions, 'reddit:t1_n8a4q7d').text).toBe('[deleted]');
    expect(mentions.some((m) => m.id === 'reddit:t1_n8a5t0g')).toBe(false);
    expect(mentions.some((m) => m.id === 'reddit:t3_1qo2b8e')).toBe(false);
    expect(byId(mentions, 'reddit:t3_1qwd7ks').engagement).toEqual({ score: 148, replies: 9 });
    expect(log.lines).toContainEqual({ level: 'debug', message: 'reddit: 1 deleted/removed items skipped in t3_1qwd7ks.' });
  });

  it('exchanges the credentials again once when the token is refused mid-run', async () => {
    const s = await setup();
    s.fault({ match: (r) => r.path === '/comments/1r3w7fq', fault: { kind: 'status', status: 401, body: '{"message": "Unauthorized", "error": 401}' }, times: 1 });
    const { ctx } = context(s, { env, query: { options: { oauthBaseUrl: s.url, pageSize: 2 } } });
    const { mentions, warnings } = await collect(ctx);
    expect(warnings).toEqual([]);
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(s.requests.filter((r) => r.path === '/comments/1r3w7fq')).toHaveLength(2);
    expect(mentions).toHaveLength(16);
  });

  it('stops expanding at maxMoreRequests and says how many replies stayed hidden', async () => {
    const s = await setup();
    const { ctx } = context(s, { env, query: { options: { oauthBaseUrl: s.url, pageSize: 2, maxMoreRequests: 0 } } });
    const { warnings } = await collect(ctx);
    // 2 ids behind the morechildren stub, and at least one behind "continue this thread".
    expect(warnings).toEqual(['reddit: at least 3 replies in t3_1qwd7ks left unexpanded (options.maxMoreRequests = 0).']);
    expect(s.requests.some((r) => r.path === '/api/morechildren')).toBe(false);
  });

  const unreadOf = (batches: { unread?: number }[]): number => batches.reduce((n, b) => n + (b.unread ?? 0), 0);

  it.each([
    ['a 404', { kind: 'status', status: 404, body: '{"message": "Not Found", "error": 404}' }],
    ['a 500', { kind: 'status', status: 500, body: '{"message": "Internal Server Error", "error": 500}' }],
    ['a reset connection', { kind: 'reset' }],
    // Concurrent morechildren calls get a 429 with no Retry-After (praw-dev/prawcore PR #112); a stub with too many
    // children a 413 (praw-dev/praw #1401).
    ['a 429 without Retry-After', { kind: 'status', status: 429, body: '{"message": "Too Many Requests", "error": 429}' }],
    ['a 413', { kind: 'status', status: 413, body: '{"message": "Request Entity Too Large", "error": 413}' }],
  ] as const)('keeps the whole tree read so far when one morechildren expansion fails with %s, and names that URL', async (_name, fault) => {
    const s = await setup();
    s.fault({ match: (r) => r.path === '/api/morechildren', fault });
    const { ctx } = context(s, { env, query: { options: { oauthBaseUrl: s.url, pageSize: 2 } } });
    // collectOrThrow: the source must not fail.
    const { mentions, warnings, batches } = await collect(ctx);
    // All 16 but the 2 replies behind the failed expansion (before: the post alone, 1 of the thread's 9).
    expect(mentions).toHaveLength(14);
    expect(byId(mentions, 'reddit:t1_n8c3e8j')).toMatchObject({ parentId: 'reddit:t1_n8c0d5h', fromBrand: true });
    expect(mentions.some((m) => m.id === 'reddit:t1_n8b2m9p')).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^reddit: at least 2 replies in t3_1qwd7ks not read: http:\/\/127\.0\.0\.1:\d+\/api\/morechildren\?api_type=json&link_id=t3_1qwd7ks&children=n8b1x4k%2Cn8b2m9p.* failed: .+; the 8 items already read are kept\.$/);
    expect(unreadOf(batches)).toBe(2);
  });

  it('keeps the tree when a "continue this thread" request fails, and counts what sits behind it', async () => {
    const s = await setup();
    s.fault({ match: (r) => r.path === '/comments/1qwd7ks' && r.query['comment'] === 'n8a2k1c', fault: { kind: 'status', status: 404, body: '{"message": "Not Found", "error": 404}' } });
    const { ctx } = context(s, { env, query: { options: { oauthBaseUrl: s.url, pageSize: 2 } } });
    const { mentions, warnings, batches } = await collect(ctx);
    // The 2 continued replies are lost; the morechildren expansion after it still runs.
    expect(mentions).toHaveLength(14);
    expect(byId(mentions, 'reddit:t1_n8b2m9p')).toMatchObject({ fromBrand: true });
    expect(s.requests.some((r) => r.path === '/api/morechildren')).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^reddit: at least 1 replies in t3_1qwd7ks not read: http:\/\/127\.0\.0\.1:\d+\/comments\/1qwd7ks\?.*comment=n8a2k1c.* failed: /);
    expect(unreadOf(batches)).toBe(1);
  });

  it('stops expanding a thread once Reddit rate-limits an expansion, keeping what was read', async () => {
    const s = await setup();
    s.fault({ match: (r) => r.path === '/comments/1qwd7ks' && r.query['comment'] === 'n8a2k1c', fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: '{"message": "Too Many Requests", "error": 429}' } });
    const { ctx } = context(s, { env, query: { options: { oauthBaseUrl: s.url, pageSize: 2 } } });
    const { mentions, warnings, batches } = await collect(ctx);
    expect(s.requests.some((r) => r.path === '/api/morechildren')).toBe(false);
    expect(mentions).toHaveLength(12);
    expect(warnings).toHaveLength(1);
    expect(unreadOf(batches)).toBe(3);
  });

  it('falls back to RSS with a warning when Reddit refuses the credentials', async () => {
    const s = await setup({
      routes: [{ path: '/api/v1/access_token', method: 'POST', status: 401, headers: { 'content-type': 'application/json' }, body: '{"message": "Unauthorized", "error": 401}' }],
    });
    const { ctx } = context(s, { env, query: { limit: 3, options: { oauthBaseUrl: s.url, pageSize: 5 } } });
    const { mentions, warnings } = await collect(ctx);
    expect(warnings[0]).toContain('the OAuth token exchange failed, falling back to RSS');
    expect(warnings[0]).toContain('REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET');
    expect(warnings.join('\n')).not.toContain('fixture-client-secret');
    expect(s.requests[1]?.path).toBe('/search.rss');
    expect(mentions).toHaveLength(3);
  });

  it('names the missing variable when only one is set', async () => {
    const s = await setup();
    const { ctx } = context(s, { env: { REDDIT_CLIENT_ID: 'only-id' }, query: { limit: 1, options: { pageSize: 5 } } });
    const { warnings } = await collect(ctx);
    expect(warnings[0]).toBe('reddit: only REDDIT_CLIENT_ID is set; the OAuth JSON API needs both REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET.');
    expect(s.requests.some((r) => r.method === 'POST')).toBe(false);
  });
});

describe('reddit source object', () => {
  it('declares its id, env vars and polite defaults', () => {
    expect(redditSource).toMatchObject({
      id: 'reddit',
      defaultBaseUrl: 'https://www.reddit.com',
      tokenEnv: ['REDDIT_CLIENT_ID', 'REDDIT_CLIENT_SECRET', 'REDDIT_FEED_TOKEN', 'REDDIT_FEED_USER'],
      rateLimit: { requestsPerMinute: 10, concurrency: 1 },
    });
  });
});

describe('reddit: deep comment trees', () => {
  /** A thread whose comments reply to each other `depth` deep, the deepest with HTML nesting `tags` deep. */
  const deepThread = (depth: number, tags: number): string => {
    const [post] = JSON.parse(fixture('api-comments-1qwd7ks.json')) as [unknown];
    // Written as text: JSON.stringify itself recurses as deep as the value nests.
    let open = '';
    let close = '';
    for (let i = 1; i <= depth; i += 1) {
      const html = i === depth ? `<div class="md">${'<blockquote>'.repeat(tags)}<strong>still</strong> down${'</blockquote>'.repeat(tags)}</div>` : `<div class="md"><p>reply <em>${i}</em></p></div>`;
      const data = {
        id: `c${i}`,
        name: `t1_c${i}`,
        author: `user${i}`,
        created_utc: 1_794_325_650 + i,
        parent_id: i === 1 ? 't3_1qwd7ks' : `t1_c${i - 1}`,
        link_id: 't3_1qwd7ks',
        body: i === depth ? '> **still** down' : `reply *${i}*`,
        body_html: html,
        permalink: `/r/webhosting/comments/1qwd7ks/x/c${i}/`,
        score: 1,
        depth: i - 1,
      };
      const fields = JSON.stringify(data).slice(0, -1);
      open += `{"kind":"Listing","data":{"after":null,"before":null,"children":[{"kind":"t1","data":${fields},"replies":`;
      close = `}}]}}${close}`;
    }
    return `[${JSON.stringify(post)},${open}""${close}]`;
  };

  it('reads a 5,000-deep reply chain (it overflowed the call stack) in order, naming the comment whose HTML was flattened', () => {
    const depth = 5000;
    const r = parseThreadJson(deepThread(depth, 5000), query);
    const comments = r.mentions.filter((m) => m.kind === 'comment');
    expect(comments).toHaveLength(depth);
    expect(comments.every((m, i) => m.id === `reddit:t1_c${i + 1}` && m.parentId === (i === 0 ? 'reddit:t3_1qwd7ks' : `reddit:t1_c${i}`))).toBe(true);
    expect(comments[0]!.text).toBe('reply 1');
    expect(comments[depth - 1]!.text).toBe('still down');
    expect(r.warnings).toEqual([
      `reddit: comment t1_c${depth} nests its HTML more than 512 tags deep; the tags below that depth were dropped and their text kept.`,
    ]);
  });
});
