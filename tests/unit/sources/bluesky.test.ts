import { describe, expect, it } from 'vitest';
import type { Mention } from '../../../src/core/mention.js';
import type { HttpClient, HttpPostOptions, HttpRequestOptions, HttpResponse } from '../../../src/http/types.js';
import { SourceError, SourceSkippedError } from '../../../src/core/errors.js';
import { blueskySource } from '../../../src/sources/bluesky/index.js';
import {
  brandFromQuery,
  isoToTid,
  parseAuthorFeed,
  parsePostRef,
  parseSearchPosts,
  parseSession,
  parseThread,
  tidToIso,
} from '../../../src/sources/bluesky/parse.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { collect as collectBatches, fixtureReader, loggedContext, findRoute, FETCHED_AT, readRoutes, realHttpEachTest, sourceFixtureDir } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('bluesky');
const read = fixtureReader(DIR);

const BRAND_DID = 'did:plc:acmecloud7x2k4q';
const U = {
  p1: 'at://did:plc:q3m7vxa2lkd5wz4hr6ntbe3u/app.bsky.feed.post/3mzxq26kufh23',
  p1r: 'at://did:plc:acmecloud7x2k4q/app.bsky.feed.post/3mzxrozwgju24',
  p1rr: 'at://did:plc:q3m7vxa2lkd5wz4hr6ntbe3u/app.bsky.feed.post/3mzxsz6muuz25',
  p2: 'at://did:plc:t7yk2f3nq5xwje6raz4m2ldh/app.bsky.feed.post/3n2uazz65tg26',
  p3: 'at://did:plc:s2mq6bv4nehcz7xyt5kwul3a/app.bsky.feed.post/3n2kpek27xi2a',
  p3r: 'at://did:plc:acmecloud7x2k4q/app.bsky.feed.post/3n2lrpdkui52b',
  p4: 'at://did:plc:p6ew3qz7hy2rmxk4vd5ntc4o/app.bsky.feed.post/3n255tqmydp2d',
  p5: 'at://did:plc:f4rl2ocp6znsuvm3k7wqea5y/app.bsky.feed.post/3n26qtqc6nm2e',
  p0: 'at://did:plc:q3m7vxa2lkd5wz4hr6ntbe3u/app.bsky.feed.post/3mzdewnlxhw2g',
  p7: 'at://did:plc:acmecloud7x2k4q/app.bsky.feed.post/3n2vycwisj32h',
  p9: 'at://did:plc:p6ew3qz7hy2rmxk4vd5ntc4o/app.bsky.feed.post/3n2ujx26xw52j',
  pdr: 'at://did:plc:acmecloud7x2k4q/app.bsky.feed.post/3n2gtcgj4ak2k',
  deleted: 'at://did:plc:g7hz2wq4mrk5xoy3ntv6ebca/app.bsky.feed.post/3n2grpsqlor55',
};
const id = (uri: string): string => `bluesky:${uri}`;

function query(over: Partial<SourceQuery> = {}): SourceQuery {
  return { query: 'acme cloud', brand: 'Acme Cloud', brandHandles: [], limit: 500, options: {}, ...over };
}
const brand = brandFromQuery(query(), [BRAND_DID]);

/** In-test HttpClient serving routes.json like the fixture server; throws SourceError for >= 400 like the real client. */
function fakeHttp(dir: string, opts: { failOn?: (url: URL) => SourceError | undefined } = {}) {
  const routes = readRoutes(dir);
  const fixture = fixtureReader(dir);
  const requests: { method: string; url: string; headers: Record<string, string>; sourceId?: string; signal?: AbortSignal; body?: string }[] = [];
  const serve = (method: string, url: string, headers: Record<string, string>): HttpResponse => {
    const u = new URL(url);
    const injected = opts.failOn?.(u);
    if (injected) throw injected;
    const route = findRoute(routes, u, method);
    if (!route) throw new SourceError('not-found', `${u.host} has nothing at ${u.pathname} (HTTP 404)`, { status: 404, sourceId: 'bluesky' });
    const body = fixture(route.file);
    // Every bluesky route states its status; 200 only satisfies the optional type.
    const status = route.status ?? 200;
    if (status >= 400) {
      const code = status === 401 ? 'auth-required' : status === 404 ? 'not-found' : 'bad-response';
      throw new SourceError(code, `${u.host} rejected the request with HTTP ${status}`, { status, sourceId: 'bluesky' });
    }
    void headers;
    return { url, status, headers: route.headers ?? {}, body, fromCache: false, fetchedAt: FETCHED_AT };
  };
  const http: HttpClient = {
    async get(url: string, o?: HttpRequestOptions) {
      requests.push({ method: 'GET', url, headers: o?.headers ?? {}, ...(o?.sourceId ? { sourceId: o.sourceId } : {}), ...(o?.signal ? { signal: o.signal } : {}) });
      return serve('GET', url, o?.headers ?? {});
    },
    async post(url: string, body: string, o: HttpPostOptions) {
      requests.push({ method: 'POST', url, headers: { 'content-type': o.contentType, ...(o.headers ?? {}) }, body, ...(o.sourceId ? { sourceId: o.sourceId } : {}) });
      return serve('POST', url, {});
    },
    async close() {},
  };
  return { http, requests };
}

const context = (http: HttpClient, over: { query?: Partial<SourceQuery>; env?: Record<string, string>; baseUrl?: string } = {}) =>
  loggedContext(http, query(over.query), { baseUrl: over.baseUrl ?? 'http://127.0.0.1:4001', env: over.env ?? {} });

const collect = (ctx: SourceContext) => collectBatches(blueskySource, ctx);

const LOGIN_ENV = { BLUESKY_HANDLE: 'samir.bsky.social', BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' };

describe('bluesky TIDs and references', () => {
  it('decodes record keys to their creation time and round-trips', () => {
    expect(tidToIso('3memlv65ejk2y')?.slice(0, 16)).toBe('2026-02-11T23:09');
    expect(tidToIso(isoToTid('2026-11-16T14:52:00.000Z', 99))).toBe('2026-11-16T14:52:00.000Z');
    expect(tidToIso('self')).toBeUndefined();
  });

  it('reads bsky.app URLs and at:// URIs', () => {
    expect(parsePostRef('https://bsky.app/profile/maya.bsky.social/post/3mzxq26kufh23')).toEqual({ repo: 'maya.bsky.social', rkey: '3mzxq26kufh23' });
    expect(parsePostRef(U.p1)).toEqual({ repo: 'did:plc:q3m7vxa2lkd5wz4hr6ntbe3u', rkey: '3mzxq26kufh23' });
    expect(parsePostRef('https://bsky.app/profile/maya.bsky.social')).toBeUndefined();
    expect(parsePostRef('at://did:plc:x/app.bsky.feed.like/3abc')).toBeUndefined();
  });
});

describe('bluesky parse', () => {
  it('parses a searchPosts page with its cursor', () => {
    const r = parseSearchPosts(read('searchPosts-page1.json'), brand);
    expect(r.cursor).toBe('4');
    expect(r.warnings).toEqual([]);
    expect(r.mentions.map((m) => m.id)).toEqual([id(U.p7), id(U.p2), id(U.p3), id(U.p5)]);
    const [promo, weekend, billing, french] = r.mentions as [Mention, Mention, Mention, Mention];
    expect(promo.fromBrand).toBe(true);
    expect(promo.author).toEqual({ id: BRAND_DID, handle: 'acmecloud.bsky.social', name: 'Acme Cloud' });
    expect(weekend).toMatchObject({
      kind: 'post',
      fromBrand: false,
      brand: 'Acme Cloud',
      createdAt: '2026-11-21T23:30:45.007Z',
      threadId: id(U.p2),
      url: 'https://bsky.app/profile/devon.codes/post/3n2uazz65tg26',
      engagement: { likes: 9, replies: 1 },
      language: 'en',
    });
    expect(weekend.parentId).toBeUndefined();
    expect(billing.text).toContain('2 × $49.00) & the billing page');
    expect(french.language).toBe('fr');
    expect(french.text).toContain('terminée en une soirée');
  });

  it('parses a thread: replies nested, parent and thread links, brand reply by DID', () => {
    const r = parseThread(read('getPostThread-p1.json'), brand);
    expect(r.mentions.map((m) => m.id)).toEqual([id(U.p1), id(U.p1r), id(U.p1rr)]);
    const [complaint, reply, thanks] = r.mentions as [Mention, Mention, Mention];
    expect(complaint.fromBrand).toBe(false);
    expect(reply).toMatchObject({ kind: 'comment', fromBrand: true, parentId: id(U.p1), threadId: id(U.p1), createdAt: '2026-11-10T15:41:37.902Z' });
    expect(thanks).toMatchObject({ parentId: id(U.p1r), threadId: id(U.p1), fromBrand: false });
    // Answered within the hour, in business hours (10:12 → 10:41 America/New_York).
    expect(Date.parse(reply.createdAt) - Date.parse(complaint.createdAt)).toBeLessThan(3600_000);
  });

  it('recognises the brand by configured handle when the DID is unknown', () => {
    const byHandle = brandFromQuery(query({ brandHandles: ['@AcmeCloud.bsky.social'] }));
    const r = parseThread(read('getPostThread-p3.json'), byHandle);
    expect(r.mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([id(U.p3r)]);
    expect(r.mentions.find((m) => m.fromBrand)?.text).toMatch(/Please DM us your account email/);
  });

  it('folds the parent chain of an anchored thread into parent links', () => {
    const r = parseThread(read('getPostThread-p1r.json'), brand);
    expect(r.mentions.map((m) => m.id)).toEqual([id(U.p1), id(U.p1r), id(U.p1rr)]);
    expect(r.mentions[1]?.parentId).toBe(id(U.p1));
  });

  it('keeps a [deleted] placeholder above a brand reply, timed from its record key', () => {
    const r = parseThread(read('getPostThread-deleted-parent.json'), brand);
    expect(r.mentions.map((m) => m.id)).toEqual([id(U.deleted), id(U.pdr)]);
    expect(r.mentions[0]).toMatchObject({ text: '[deleted]', fromBrand: false, createdAt: '2026-11-16T14:52:00.000Z', threadId: id(U.deleted) });
    expect(r.mentions[1]).toMatchObject({ fromBrand: true, parentId: id(U.deleted), threadId: id(U.deleted) });
    expect(r.dropped).toBe(0);
  });

  it('drops deleted replies without a brand reply beneath, counting them', () => {
    const body = JSON.parse(read('getPostThread-p2.json')) as { thread: { replies: unknown[] } };
    body.thread.replies.push({ $type: 'app.bsky.feed.defs#notFoundPost', uri: 'at://did:plc:x/app.bsky.feed.post/3n2ucadaktt29', notFound: true });
    const r = parseThread(JSON.stringify(body), brand);
    expect(r.mentions).toHaveLength(2);
    expect(r.dropped).toBe(1);
    expect(r.warnings).toEqual([]);
  });

  it('parses the author feed and leaves reposts out', () => {
    const r = parseAuthorFeed(read('getAuthorFeed-acmecloud.json'), brand);
    expect(r.mentions.map((m) => m.id)).toEqual([
      id(U.p7),
      id(U.p3r),
      id(U.pdr),
      id(U.p1r),
      'bluesky:at://did:plc:acmecloud7x2k4q/app.bsky.feed.post/3mz3wv6gynp2l',
    ]);
    expect(r.mentions.every((m) => m.fromBrand)).toBe(true);
    expect(r.dropped).toBe(1);
    expect(r.cursor).toBe('2026-10-30T14:00:00.000Z');
  });

  it('uses min(createdAt, indexedAt) like Bluesky sortAt', () => {
    const body = JSON.parse(read('getPostThread-p6.json')) as { thread: { post: { record: { createdAt: string }; indexedAt: string } } };
    body.thread.post.record.createdAt = '2030-01-01T00:00:00.000Z'; // client clock ahead
    const r = parseThread(JSON.stringify(body), brand);
    expect(r.mentions[0]?.createdAt).toBe(body.thread.post.indexedAt);
  });

  it('turns missing fields into undefined plus a warning naming the field and post', () => {
    const body = JSON.parse(read('searchPosts-page1.json')) as { posts: Record<string, unknown>[] };
    delete body.posts[1]!['author'];
    delete (body.posts[2]!['record'] as Record<string, unknown>)['text'];
    const r = parseSearchPosts(JSON.stringify(body), brand);
    expect(r.mentions).toHaveLength(4);
    expect(r.mentions[1]?.author.handle).toBeUndefined();
    expect(r.mentions[1]?.author.id).toBe('did:plc:t7yk2f3nq5xwje6raz4m2ldh'); // from the URI
    expect(r.mentions[2]?.text).toBe('');
    expect(r.warnings).toEqual([
      `bluesky: post ${U.p2} has no readable "author".`,
      `bluesky: post ${U.p3} has no readable "record.text".`,
    ]);
  });

  it('throws bad-response on HTML or a changed layout', () => {
    expect(() => parseSearchPosts('<html><title>403 Forbidden</title></html>', brand)).toThrowError(/HTML page where a searchPosts result was expected/);
    try {
      parseThread('{"posts":[]}', brand);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SourceError);
      expect((err as SourceError).code).toBe('bad-response');
    }
    expect(() => parseSearchPosts('{"feed":[]}', brand)).toThrowError(SourceError);
    expect(() => parseSession('{"did":"did:plc:x"}')).toThrowError(/accessJwt/);
  });
});

describe('bluesky fetch', () => {
  it('without a login: warns that search is unavailable, audits given posts and the brand feed', async () => {
    const { http, requests } = fakeHttp(DIR);
    const { ctx } = context(http, {
      query: {
        since: new Date('2026-11-09T00:00:00Z'),
        options: { posts: ['https://bsky.app/profile/maya.bsky.social/post/3mzxq26kufh23'], brandActor: 'acmecloud.bsky.social' },
      },
    });
    const { mentions, warnings, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(warnings[0]).toMatch(/post search is unavailable.*BLUESKY_HANDLE and BLUESKY_APP_PASSWORD/);
    expect(requests.some((r) => r.url.includes('searchPosts'))).toBe(false);
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    const paths = requests.map((r) => decodeURIComponent(r.url.replace('http://127.0.0.1:4001', '')));
    expect(paths[0]).toBe('/xrpc/com.atproto.identity.resolveHandle?handle=acmecloud.bsky.social');
    expect(paths[1]).toBe('/xrpc/com.atproto.identity.resolveHandle?handle=maya.bsky.social');
    expect(paths[2]).toBe(`/xrpc/app.bsky.feed.getPostThread?uri=${U.p1}&depth=10&parentHeight=80`);
    expect(paths).toContain(`/xrpc/app.bsky.feed.getAuthorFeed?actor=${BRAND_DID}&filter=posts_with_replies&limit=50`);
    // The feed page reaches before `since`: no second page, and the October post is not expanded.
    expect(paths.filter((p) => p.includes('getAuthorFeed'))).toHaveLength(1);
    expect(paths.some((p) => p.includes('3mz3wv6gynp2l'))).toBe(false);
    // Threads: p1 (given), then feed items p7, p3r, pdr (p1r already seen as part of p1's thread is still fetched as its own anchor).
    const ids = mentions.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([id(U.p1), id(U.p1r), id(U.p7), id(U.p3), id(U.p3r), id(U.deleted), id(U.pdr)]));
    expect(mentions.find((m) => m.id === id(U.p7))?.fromBrand).toBe(true);
    expect(requests.every((r) => r.sourceId === 'bluesky' && r.signal === ctx.signal)).toBe(true);
  });

  it('with a login: one createSession, searches with Bearer token on authBaseUrl, pages by cursor, expands threads', async () => {
    const { http, requests } = fakeHttp(DIR);
    const { ctx, log } = context(http, {
      env: LOGIN_ENV,
      query: {
        since: new Date('2026-11-09T00:00:00Z'),
        until: new Date('2026-11-23T00:00:00Z'),
        options: { authBaseUrl: 'http://127.0.0.1:4002/', brandActor: BRAND_DID },
      },
    });
    const { mentions, warnings, error } = await collect(ctx);
    expect(error).toBeUndefined();
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url).toBe('http://127.0.0.1:4002/xrpc/com.atproto.server.createSession');
    expect(JSON.parse(posts[0]?.body ?? '{}')).toEqual({ identifier: 'samir.bsky.social', password: 'abcd-efgh-ijkl-mnop' });
    const searches = requests.filter((r) => r.url.includes('searchPosts'));
    expect(searches.map((r) => new URL(r.url).host)).toEqual(['127.0.0.1:4002', '127.0.0.1:4002', '127.0.0.1:4002']);
    expect(searches.every((r) => r.headers['authorization']?.startsWith('Bearer eyJ0eXAiOiJhdCtqd3Qi'))).toBe(true);
    const s0 = new URL(searches[0]!.url).searchParams;
    expect(Object.fromEntries(s0)).toMatchObject({ q: 'acme cloud', sort: 'latest', since: '2026-11-09T00:00:00.000Z', until: '2026-11-23T00:00:00.000Z' });
    expect(new URL(searches[1]!.url).searchParams.get('cursor')).toBe('4');
    expect(new URL(searches[2]!.url).searchParams.get('mentions')).toBe(BRAND_DID);
    // Public reads stay on the AppView base URL and carry no token.
    const threads = requests.filter((r) => r.url.includes('getPostThread'));
    expect(threads.every((r) => r.url.startsWith('http://127.0.0.1:4001/') && !r.headers['authorization'])).toBe(true);
    const ids = mentions.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // p0 is older than since: returned by the server page but not kept.
    expect(ids).not.toContain(id(U.p0));
    expect(ids).toEqual(expect.arrayContaining([id(U.p7), id(U.p2), id(U.p3), id(U.p3r), id(U.p5), id(U.p1), id(U.p1r), id(U.p9), id(U.pdr), id(U.deleted)]));
    // p4 was deleted before its thread was read: the hit is kept, with a warning.
    expect(ids).toContain(id(U.p4));
    expect(warnings).toContain(`bluesky: post ${U.p4} was not found (deleted or hidden); its replies could not be read.`);
    expect(warnings.some((w) => /unavailable/.test(w))).toBe(false);
    expect(log.lines.some((l) => l.level === 'debug' && /left out 1 deleted, blocked or reposted/.test(l.message))).toBe(true);
    // The token never shows up in URLs, warnings or logs.
    const everything = JSON.stringify({ urls: requests.map((r) => r.url), warnings, log: log.lines, mentions });
    expect(everything).not.toContain('FIXTURE-ACCESS-TOKEN');
    expect(everything).not.toContain('abcd-efgh-ijkl-mnop');
  });

  it('stops at the limit, counting thread replies', async () => {
    const { http, requests } = fakeHttp(DIR);
    const { ctx } = context(http, { env: LOGIN_ENV, query: { limit: 3 } });
    const { mentions } = await collect(ctx);
    expect(mentions).toHaveLength(3);
    expect(mentions.map((m) => m.id)).toEqual([id(U.p7), 'bluesky:at://did:plc:t7yk2f3nq5xwje6raz4m2ldh/app.bsky.feed.post/3n2vz5mcw5y2i', id(U.p2)]);
    expect(requests.filter((r) => r.url.includes('searchPosts'))).toHaveLength(1);
  });

  it('a refused login is auth-required naming the variables, never the password', async () => {
    const { http } = fakeHttp(DIR, {
      failOn: (u) => (u.pathname.endsWith('createSession') ? new SourceError('auth-required', 'bsky.social requires authentication (HTTP 401)', { status: 401 }) : undefined),
    });
    const { ctx } = context(http, { env: LOGIN_ENV });
    const { error, mentions } = await collect(ctx);
    expect(mentions).toEqual([]);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('auth-required');
    expect((error as SourceError).message).toMatch(/BLUESKY_HANDLE and BLUESKY_APP_PASSWORD/);
    expect((error as SourceError).message).not.toContain('abcd-efgh');
  });

  it('surfaces a failure mid-run as a thrown SourceError, keeping batches already yielded', async () => {
    const { http } = fakeHttp(DIR, {
      failOn: (u) => (u.searchParams.get('cursor') === '4' ? new SourceError('rate-limited', 'bsky.social kept answering 429', { status: 429 }) : undefined),
    });
    const { ctx } = context(http, { env: LOGIN_ENV });
    const { mentions, error } = await collect(ctx);
    expect((error as SourceError).code).toBe('rate-limited');
    expect(mentions.map((m) => m.id)).toContain(id(U.p5)); // from page 1, before the failure
  });

  it('is skipped (not "ok, 0 mentions") when there is nothing to audit without a login', async () => {
    const { http, requests } = fakeHttp(DIR);
    const { ctx } = context(http);
    const { error, mentions } = await collect(ctx);
    expect(mentions).toEqual([]);
    expect(requests).toEqual([]);
    expect(error).toBeInstanceOf(SourceSkippedError);
    expect(error).toMatchObject({ code: 'auth-required', message: expect.stringMatching(/^bluesky: nothing to audit: post search needs a login \(set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD/) });
  });

  it('rejects bad options with a config error', async () => {
    const { http } = fakeHttp(DIR);
    const { ctx } = context(http, { query: { options: { posts: 'https://bsky.app/x' } } });
    const { error } = await collect(ctx);
    expect((error as SourceError).code).toBe('config');
  });

  it('describes itself', () => {
    expect(blueskySource.id).toBe('bluesky');
    expect(blueskySource.tokenEnv).toEqual(['BLUESKY_HANDLE', 'BLUESKY_APP_PASSWORD']);
    expect(blueskySource.defaultBaseUrl).toBe('https://public.api.bsky.app');
  });
});

describe('bluesky fetch over real HTTP (fixture server)', () => {
  const setup = realHttpEachTest(DIR, { defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });

  it('logs in once with a JSON POST, searches with the Bearer token, reads threads without it', async () => {
    const { server: s, http: h } = await setup();
    const { ctx } = context(h, { baseUrl: s.url, env: LOGIN_ENV, query: { since: new Date('2026-11-09T00:00:00Z'), options: { authBaseUrl: s.url, brandActor: 'acmecloud.bsky.social' } } });
    const { mentions, warnings, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(s.unmatched).toEqual([]);
    const login = s.requests.filter((r) => r.method === 'POST');
    expect(login).toHaveLength(1);
    expect(login[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(login[0]?.body ?? '{}')).toEqual({ identifier: 'samir.bsky.social', password: 'abcd-efgh-ijkl-mnop' });
    const searches = s.requests.filter((r) => r.path === '/xrpc/app.bsky.feed.searchPosts');
    expect(searches).toHaveLength(3);
    expect(searches.every((r) => r.headers['authorization']?.startsWith('Bearer ') && r.headers['authorization'].includes('FIXTURE-ACCESS-TOKEN'))).toBe(true);
    const threads = s.requests.filter((r) => r.path === '/xrpc/app.bsky.feed.getPostThread');
    expect(threads.every((r) => r.headers['authorization'] === undefined)).toBe(true);
    expect(threads.map((r) => r.query['uri'])).toContain(U.p4); // answered 400 NotFound
    expect(warnings).toContain(`bluesky: post ${U.p4} was not found (deleted or hidden); its replies could not be read.`);
    expect(mentions.filter((m) => m.fromBrand).map((m) => m.id).sort()).toEqual([id(U.p1r), id(U.p3r), id(U.p7), id(U.pdr)].sort());
    expect(s.requests.every((r) => !r.url.includes('FIXTURE-ACCESS-TOKEN') && !r.url.includes('abcd-efgh'))).toBe(true);
  });

  it('a thread that keeps failing throws the SourceError, keeping the threads already yielded', async () => {
    const { server: s, http: h } = await setup();
    s.fault({ match: (r) => r.query['uri'] === U.p3, fault: { kind: 'status', status: 502 } });
    const { ctx } = context(h, { baseUrl: s.url, env: LOGIN_ENV, query: { options: { authBaseUrl: s.url } } });
    const { mentions, error } = await collect(ctx);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('bad-response');
    expect(mentions.map((m) => m.id)).toEqual([id(U.p7), 'bluesky:at://did:plc:t7yk2f3nq5xwje6raz4m2ldh/app.bsky.feed.post/3n2vz5mcw5y2i', id(U.p2), 'bluesky:at://did:plc:j3xo5qk7wn2cv6rez4ymda2b/app.bsky.feed.post/3n2ucadaktt27']);
  });

  it('an HTML block page instead of JSON is classified, not returned as empty', async () => {
    const { server: s, http: h } = await setup();
    s.fault({ match: /getAuthorFeed/, fault: { kind: 'malformed', body: '<html><head><title>403 Forbidden</title></head><body>Forbidden</body></html>', contentType: 'text/html' } });
    const { ctx } = context(h, { baseUrl: s.url, query: { options: { brandActor: 'did:plc:acmecloud7x2k4q' } } });
    const { error, warnings } = await collect(ctx);
    expect(error).toBeInstanceOf(SourceError);
    expect(['bad-response', 'blocked']).toContain((error as SourceError).code);
    expect(warnings[0]).toMatch(/post search is unavailable/);
  });
});
