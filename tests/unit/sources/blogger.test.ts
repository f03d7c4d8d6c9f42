import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../src/http/types.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { commentsFeedUrl, postsFeedUrl } from '../../../src/sources/blogger/fetch.js';
import { bloggerSource } from '../../../src/sources/blogger/index.js';
import {
  hasMore,
  parseCommentsFeed,
  parsePostsFeed,
  parseTagId,
  pruneRemoved,
} from '../../../src/sources/blogger/parse.js';
import { byId, clientError, collect as collectBatches, fixtureReader, realHttp as serveOverHttp, routesContext, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('blogger');
const fixture = fixtureReader(DIR);
const BASE = 'http://127.0.0.1:40412';
const BLOG = '7120455883366211452';
const P1 = '3318842200915540021';
const P2 = '5590127734410982267';
const post = (id: string) => `blogger:${BLOG}/${id}`;
const cm = (p: string, id: string) => `blogger:${BLOG}/${p}/c${id}`;
const OWNER = { name: 'Acme Cloud', uri: 'https://www.blogger.com/profile/04417735512348851234', profileId: '04417735512348851234' };
const ref1 = { id: P1, blogId: BLOG, mentionId: post(P1), author: OWNER };

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ options: { brandBlog: true, perPage: 2, commentsPerPage: 4 }, ...overrides });
const context = (q: SourceQuery) =>
  routesContext(DIR, q, { baseUrl: BASE, notFound: { status: 404, body: fixture('blog-not-found.html') } });
const collect = (ctx: SourceContext) => collectBatches(bloggerSource, ctx);
const realHttp = () => serveOverHttp(DIR);

describe('blogger parse', () => {
  it('reads tag ids of posts, comments and comment feeds', () => {
    expect(parseTagId(`tag:blogger.com,1999:blog-${BLOG}.post-${P1}`)).toEqual({ blogId: BLOG, itemId: P1 });
    expect(parseTagId(`tag:blogger.com,1999:blog-${BLOG}`)).toEqual({ blogId: BLOG });
    expect(parseTagId('urn:something')).toBeUndefined();
  });

  it('parses a posts feed page: ids, owner, comment counts, paging numbers', () => {
    const page = parsePostsFeed(fixture('posts-search-page1.json'), { query: query() });
    expect(page.warnings).toEqual([]);
    expect(page.head).toEqual({ blogId: BLOG, owner: OWNER, totalResults: 3, startIndex: 1, itemsPerPage: 2, entries: 2 });
    expect(hasMore(page.head, 1)).toBe(true);
    expect(page.posts.map((p) => [p.mentionId, p.comments])).toEqual([[post(P1), 7], [post(P2), 3]]);
    expect(byId(page.mentions, post(P1))).toMatchObject({
      kind: 'post',
      source: 'blogger',
      fromBrand: true,
      brand: 'Acme Cloud',
      createdAt: '2026-11-17T16:30:00.000Z',
      title: 'Introducing Acme Cloud Edge Cache — free during the beta',
      url: 'https://acmecloud.blogspot.com/2026/11/introducing-edge-cache.html',
      author: { id: '04417735512348851234', name: 'Acme Cloud' },
      engagement: { replies: 7 },
      threadId: post(P1),
    });
    expect(byId(page.mentions, post(P1)).text).toBe(
      'Edge Cache puts your static assets in 40 cities. It is free during the beta, and beta users get 30% off for a year after launch.\n\nTurn it on in the dashboard under Sites → Performance.',
    );
    expect(byId(page.mentions, post(P2)).text).toBe(
      'Connection pooling, vacuum tuning and three more lessons from running Acme Cloud managed Postgres.\n\n1. Pool connections before they pool you.',
    );
    const last = parsePostsFeed(fixture('posts-search-page2.json'), { query: query() });
    expect(hasMore(last.head, 3)).toBe(false);
    expect(last.posts[0]?.comments).toBe(0);
    const empty = parsePostsFeed(fixture('posts-search-empty.json'), { query: query() });
    expect(empty.posts).toEqual([]);
    expect(hasMore(empty.head, 1)).toBe(false);
  });

  it('parses comments: reply links, owner replies as brand, offsets to UTC, removed placeholders', () => {
    const page = parseCommentsFeed(fixture(`comments-${P1}-page1.json`), ref1, { query: query() });
    expect(page.warnings).toEqual([]);
    expect(page.head).toMatchObject({ totalResults: 7, startIndex: 1, entries: 4 });
    expect(page.mentions.map((m) => [m.id, m.parentId, m.fromBrand, m.createdAt])).toEqual([
      [cm(P1, '6601224488113355771'), post(P1), false, '2026-11-17T17:02:41.118Z'],
      [cm(P1, '6601224488113355902'), cm(P1, '6601224488113355771'), true, '2026-11-17T17:31:09.774Z'],
      [cm(P1, '6601224488113356017'), post(P1), false, '2026-11-18T14:10:02.511Z'],
      [cm(P1, '6601224488113356140'), cm(P1, '6601224488113356017'), true, '2026-11-18T14:40:55.002Z'],
    ]);
    expect(page.removedIds).toEqual([cm(P1, '6601224488113356017')]);
    const removed = byId(page.mentions, cm(P1, '6601224488113356017'));
    expect(removed).toMatchObject({ text: '[deleted]', author: {} });
    const first = byId(page.mentions, cm(P1, '6601224488113355771'));
    expect(first).toMatchObject({
      kind: 'comment',
      threadId: post(P1),
      author: { id: '17720033184455109921', name: 'Tomasz Nowak' },
      text: 'The purge API returns HTTP 500 for wildcard paths like /assets/*. Is that a known issue?',
      url: 'https://acmecloud.blogspot.com/2026/11/introducing-edge-cache.html?showComment=1794934961118#c6601224488113355771',
    });
    expect(byId(page.mentions, cm(P1, '6601224488113355902')).text).toBe(
      'Hi Tomasz, yes — wildcard purges hit a bug in the beta. A fix is rolling out today; until then purge by prefix with ?prefix=/assets/.',
    );
    const page2 = parseCommentsFeed(fixture(`comments-${P1}-page2.json`), ref1, { query: query() });
    expect(page2.mentions.map((m) => m.createdAt)).toEqual(['2026-11-19T04:15:30.000Z', '2026-11-20T08:00:00.000Z', '2026-11-22T04:48:12.345Z']);
    expect(page2.mentions[0]?.text).toBe('Super service ! La migration s\'est faite en 10 minutes 👍');
    expect(page2.mentions[2]).toMatchObject({ author: { name: 'Anonymous' }, fromBrand: false });
    expect(page2.mentions[2]?.text).toBe('Is anyone there? Edge Cache is serving stale pages since this evening & support chat is closed.\nPlease help!');
  });

  it('keeps a removed comment only when a brand reply sits beneath it', () => {
    const a = parseCommentsFeed(fixture(`comments-${P1}-page1.json`), ref1, { query: query() });
    const b = parseCommentsFeed(fixture(`comments-${P1}-page2.json`), ref1, { query: query() });
    const pruned = pruneRemoved([...a.mentions, ...b.mentions], [...a.removedIds, ...b.removedIds]);
    expect(pruned.removed).toBe(1);
    expect(pruned.mentions.map((m) => m.id)).toContain(cm(P1, '6601224488113356017'));
    expect(pruned.mentions.map((m) => m.id)).not.toContain(cm(P1, '6601224488113356391'));
  });

  it('without brandBlog the owner is brand only through brandHandles (name or profile id)', () => {
    const none = parseCommentsFeed(fixture(`comments-${P2}.json`), { ...ref1, id: P2, mentionId: post(P2) }, { query: query({ options: {} }) });
    expect(none.mentions.filter((m) => m.fromBrand)).toEqual([]);
    const byProfile = parseCommentsFeed(fixture(`comments-${P2}.json`), { ...ref1, id: P2, mentionId: post(P2) }, {
      query: query({ options: {}, brandHandles: ['04417735512348851234'] }),
    });
    expect(byProfile.mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([cm(P2, '7713005566778899117')]);
    expect(byProfile.mentions[1]?.text).toBe('Good question! Please DM us your account email and we\'ll check which plan you\'re on.');
    // An anonymous commenter named like the owner is not the owner.
    const raw = JSON.parse(fixture(`comments-${P2}.json`)) as { feed: { entry: { author: { name: { $t: string }; uri?: unknown }[] }[] } };
    raw.feed.entry[0]!.author[0]!.name.$t = 'Acme Cloud';
    delete raw.feed.entry[0]!.author[0]!.uri;
    const spoof = parseCommentsFeed(JSON.stringify(raw), { ...ref1, id: P2, mentionId: post(P2) }, { query: query() });
    expect(spoof.mentions[0]?.fromBrand).toBe(false);
  });

  it('is forgiving about missing fields', () => {
    const raw = JSON.parse(fixture(`comments-${P2}.json`)) as { feed: { entry: Record<string, unknown>[] } };
    delete raw.feed.entry[0]!['published'];
    delete raw.feed.entry[1]!['content'];
    delete raw.feed.entry[2]!['author'];
    const page = parseCommentsFeed(JSON.stringify(raw), { ...ref1, id: P2, mentionId: post(P2) }, { query: query() });
    expect(page.mentions.map((m) => m.id)).toEqual([cm(P2, '7713005566778899117'), cm(P2, '7713005566778899230')]);
    expect(page.mentions[0]?.text).toBe('');
    expect(page.mentions[1]?.author).toEqual({});
    expect(page.warnings).toEqual([
      `blogger: field "published" unreadable on comment 7713005566778899001 of post ${P2}; skipped.`,
      `blogger: field "content" unreadable on comment 7713005566778899117 of post ${P2}; text left empty.`,
      `blogger: field "author" unreadable on comment 7713005566778899230 of post ${P2}; author left empty.`,
    ]);
  });

  it('throws bad-response on an HTML page or a changed layout', () => {
    expect(() => parsePostsFeed(fixture('blog-home.html'), { query: query() })).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: 'blogger: expected a Blogger JSON feed (posts) but got an HTML page.' }),
    );
    expect(() => parseCommentsFeed('{"items":[]}', ref1, { query: query() })).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: `blogger: expected a Blogger JSON feed with a "feed" object (comments of post ${P1}).` }),
    );
  });
});

describe('blogger fetch', () => {
  it('builds feed URLs on the base URL', () => {
    expect(postsFeedUrl('https://acmecloud.blogspot.com/', { q: 'acme cloud', perPage: 25, startIndex: 26 })).toBe(
      'https://acmecloud.blogspot.com/feeds/posts/default?alt=json&q=acme+cloud&max-results=25&start-index=26',
    );
    expect(commentsFeedUrl('https://acmecloud.blogspot.com', P1, 200, 1)).toBe(
      `https://acmecloud.blogspot.com/feeds/${P1}/comments/default?alt=json&max-results=200&start-index=1`,
    );
  });

  it('brand blog: pages posts and comment feeds, skips posts without comments, keeps the window', async () => {
    const { ctx, requests, log } = context(query());
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(requests.every((r) => r.url.startsWith(BASE) && r.options?.sourceId === 'blogger' && r.options.signal === ctx.signal)).toBe(true);
    expect(requests.map((r) => { const u = new URL(r.url); return `${u.pathname}@${u.searchParams.get('start-index')}`; })).toEqual([
      '/feeds/posts/default@1',
      `/feeds/${P1}/comments/default@1`,
      `/feeds/${P1}/comments/default@5`,
      `/feeds/${P2}/comments/default@1`,
      '/feeds/posts/default@3',
    ]);
    expect(new URL(requests[0]!.url).searchParams.has('q')).toBe(false);
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.id)).toEqual([
      post(P1),
      cm(P1, '6601224488113355771'),
      cm(P1, '6601224488113355902'),
      cm(P1, '6601224488113356017'),
      cm(P1, '6601224488113356140'),
      cm(P1, '6601224488113356288'),
      cm(P1, '6601224488113356505'),
      post(P2),
      cm(P2, '7713005566778899001'),
      cm(P2, '7713005566778899117'),
      cm(P2, '7713005566778899230'),
    ]);
    expect(mentions.filter((m) => m.kind === 'comment' && m.fromBrand)).toHaveLength(3);
    expect(batches.flatMap((b) => b.warnings)).toEqual([]);
    expect(log.lines.some((l) => l.level === 'debug' && l.message.includes('1 removed comments without a brand reply'))).toBe(true);
  });

  it('third-party blog: searches with q and stops at the limit', async () => {
    const { ctx, requests } = context(query({ limit: 2, options: { perPage: 2, commentsPerPage: 4 } }));
    const mentions = (await collect(ctx)).batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.id)).toEqual([post(P1), cm(P1, '6601224488113355771')]);
    expect(mentions[0]?.fromBrand).toBe(false);
    expect(new URL(requests[0]!.url).searchParams.get('q')).toBe('acme cloud');
    expect(requests).toHaveLength(3);
  });

  it('a narrow window keeps the root and in-window comments only', async () => {
    const { ctx } = context(query({ since: new Date('2026-11-21T00:00:00Z'), until: new Date('2026-11-22T23:59:59Z') }));
    const mentions = (await collect(ctx)).batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.id)).toEqual([post(P1), cm(P1, '6601224488113356505')]);
  });

  it('a comment feed that is gone is a warning, not a failure', async () => {
    const { ctx } = context(query());
    const http: HttpClient = {
      ...ctx.http,
      get: async (url, options) =>
        url.includes(`/feeds/${P2}/comments`)
          ? Promise.reject(clientError({ url, status: 404, body: fixture('blog-not-found.html') }, 'blogger'))
          : ctx.http.get(url, options),
    };
    const { batches, error } = await collect({ ...ctx, http });
    expect(error).toBeUndefined();
    expect(batches.flatMap((b) => b.mentions).some((m) => m.id === post(P2))).toBe(true);
    expect(batches.flatMap((b) => b.warnings)).toEqual([
      `blogger: the comments of post ${P2} could not be read (127.0.0.1:40412 has nothing at /feeds/${P2}/comments/default (HTTP 404); check the URL, feed or query.); post kept without them.`,
    ]);
  });

  it('classifies a removed blog, an HTML page and a missing base URL', async () => {
    expect((await collect(context(query({ query: 'removedblog', options: {} })).ctx)).error).toMatchObject({ code: 'not-found', status: 404 });
    expect((await collect(context(query({ query: 'brokenlayout', options: {} })).ctx)).error).toMatchObject({ code: 'bad-response' });
    const { ctx } = context(query());
    expect((await collect({ ...ctx, baseUrl: '' })).error).toMatchObject({ code: 'config' });
    const nothing = await collect(context(query({ query: 'nothing', options: {} })).ctx);
    expect(nothing.error).toBeUndefined();
    expect(nothing.batches.flatMap((b) => b.mentions)).toEqual([]);
  });
});

describe('blogger over real HTTP (fixture server + real client)', () => {
  it('reads every page over sockets', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query());
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(11);
      expect(server.unmatched).toEqual([]);
      expect(server.requests[0]!.headers['user-agent']).toMatch(/^earshot\//);
    } finally {
      await close();
    }
  });

  it('a removed blog (404 HTML) is a not-found error naming the blog', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ query: 'removedblog', options: {} }));
      const { error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toMatchObject({ code: 'not-found', sourceId: 'blogger' });
      expect((error as Error).message).toContain('has no posts feed');
    } finally {
      await close();
    }
  });

  it('a 429 on the posts feed surfaces as rate-limited, never as zero results', async () => {
    const { server, http, close } = await realHttp();
    try {
      server.fault({ match: (r) => r.path === '/feeds/posts/default', fault: { kind: 'rate-limit', retryAfter: 3600 } });
      const { ctx } = context(query());
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(batches.flatMap((b) => b.mentions)).toEqual([]);
      expect(error).toMatchObject({ code: 'rate-limited', sourceId: 'blogger' });
    } finally {
      await close();
    }
  });
});
