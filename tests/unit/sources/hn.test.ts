import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.js';
import { memoryLogger, silentLogger } from '../../../src/core/log.js';
import type { HttpClient } from '../../../src/http/types.js';
import { hnSource } from '../../../src/sources/hn/index.js';
import { hnSearchUrl, initialWindow, searchWindow, fetchHn } from '../../../src/sources/hn/fetch.js';
import { parseHnItem, parseHnSearch } from '../../../src/sources/hn/parse.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { byId, clientError, collectOrThrow, fixtureReader, realHttp, routesClient as fixtureRoutesClient, sourceContext, sourceFixtureDir, sourceQuery, TEST_NOW, type SeenRequest } from '../../helpers/source-harness.js';

const dir = sourceFixtureDir('hn');
const fixture = fixtureReader(dir);

const query: SourceQuery = sourceQuery({ brandHandles: ['@AcmeCloud_Team'], until: new Date(TEST_NOW), limit: 1000, options: { hitsPerPage: 4 } });

/** The shared routes client (unmatched paths answer Algolia's 404), with the URLs and options it was asked for as lists. */
function routesClient(folder: string): HttpClient & { urls: string[]; options: unknown[] } {
  const seen: SeenRequest[] = [];
  const http = fixtureRoutesClient(folder, seen, { status: 404, body: '{"error":"Not Found"}' });
  return {
    ...http,
    get urls() {
      return seen.map((r) => r.url);
    },
    get options() {
      return seen.map((r) => r.options);
    },
  };
}

const ctxFor = (http: HttpClient, overrides: Partial<SourceContext> = {}, q: Partial<SourceQuery> = {}): SourceContext =>
  sourceContext(http, { ...query, ...q }, { baseUrl: 'http://127.0.0.1:4010', log: silentLogger, ...overrides });

const collect = (ctx: SourceContext) => collectOrThrow(fetchHn, ctx);

describe('parseHnSearch', () => {
  const page = parseHnSearch(fixture('search-page0.json'), query);

  it('reads the paging fields and one mention per hit', () => {
    expect(page).toMatchObject({ nbHits: 6, nbPages: 2, page: 0, hitsPerPage: 4 });
    expect(page.mentions.map((m) => m.id)).toEqual(['hn:48259950', 'hn:48259900', 'hn:48241500', 'hn:48236010']);
    expect(page.warnings).toEqual([]);
  });

  it('lists each hit story once, comment hits by story_id', () => {
    expect(page.storyIds).toEqual([48259900, 48241500, 48235900]);
  });

  it('maps a comment hit: parent/thread links, UTC time, text reduced from HTML', () => {
    const c = byId(page.mentions, 'hn:48259950');
    expect(c).toMatchObject({
      source: 'hn',
      kind: 'comment',
      parentId: 'hn:48259900',
      threadId: 'hn:48259900',
      createdAt: '2026-11-22T04:12:47.000Z',
      url: 'https://news.ycombinator.com/item?id=48259950',
      author: { handle: 'nightowl_dev' },
      fromBrand: false,
      brand: 'Acme Cloud',
    });
    expect(c.text).toBe(
      'Same experience. Acme Cloud support never answered my ticket about being double-charged for the managed DB add-on / three days now.\n\nI\'m paying for "priority support" 🙃',
    );
  });

  it('maps a story hit by the brand handle (case-insensitive, @ stripped) with score and title', () => {
    const s = byId(page.mentions, 'hn:48241500');
    expect(s).toMatchObject({ kind: 'post', fromBrand: true, threadId: 'hn:48241500', engagement: { score: 64, replies: 3 } });
    expect(s.title).toBe('Launch HN: Acme Cloud (YC W21) – database branching for managed Postgres');
    expect(s.text).toContain('code HNBRANCH & free branching');
    expect(s.parentId).toBeUndefined();
  });

  it('forgives a hit with a missing field: undefined plus a warning naming the field and item', () => {
    const raw = JSON.parse(fixture('search-page0.json')) as { hits: Record<string, unknown>[] };
    delete raw.hits[0]!['author'];
    delete raw.hits[0]!['parent_id'];
    const res = parseHnSearch(JSON.stringify(raw), query);
    const c = byId(res.mentions, 'hn:48259950');
    expect(c.author).toEqual({});
    expect(c.parentId).toBeUndefined();
    expect(res.warnings).toEqual(['hn: search hit 48259950 has no author', 'hn: search hit 48259950 has no parent_id']);
  });

  it('falls back to created_at_i when created_at is missing, and skips a hit with no time at all', () => {
    const raw = JSON.parse(fixture('search-page0.json')) as { hits: Record<string, unknown>[] };
    delete raw.hits[0]!['created_at'];
    delete raw.hits[1]!['created_at'];
    delete raw.hits[1]!['created_at_i'];
    const res = parseHnSearch(JSON.stringify(raw), query);
    expect(byId(res.mentions, 'hn:48259950').createdAt).toBe('2026-11-22T04:12:47.000Z');
    expect(res.mentions.map((m) => m.id)).not.toContain('hn:48259900');
    expect(res.warnings).toEqual(['hn: search hit 48259900 has no readable created_at/created_at_i; skipped']);
  });

  it('throws bad-response on HTML or a changed layout', () => {
    const html = '<!DOCTYPE html><html><body>Service Unavailable</body></html>';
    expect(() => parseHnSearch(html, query)).toThrowError(SourceError);
    try {
      parseHnSearch(html, query);
    } catch (err) {
      expect((err as SourceError).code).toBe('bad-response');
      expect((err as SourceError).message).toMatch(/expected a JSON object with a "hits" array.*got an HTML\/XML page/);
    }
    expect(() => parseHnSearch('{"results":[]}', query)).toThrow(/expected a JSON object with a "hits" array/);
  });
});

describe('parseHnItem', () => {
  it('flattens the tree parents first, with parent and thread links', () => {
    const tree = parseHnItem(fixture('item-48213001.json'), query);
    expect(tree.mentions.map((m) => m.id)).toEqual([
      'hn:48213001', 'hn:48213045', 'hn:48213102', 'hn:48213060', 'hn:48213077', 'hn:48213090',
    ]);
    expect(tree.mentions.every((m) => m.threadId === 'hn:48213001')).toBe(true);
    expect(byId(tree.mentions, 'hn:48213102').parentId).toBe('hn:48213045');
    expect(byId(tree.mentions, 'hn:48213001')).toMatchObject({ kind: 'post', engagement: { score: 41, replies: 4 } });
    expect(tree.warnings).toEqual([]);
  });

  it('marks brand replies and keeps their timing (answered 36 minutes after the question)', () => {
    const tree = parseHnItem(fixture('item-48213001.json'), query);
    const reply = byId(tree.mentions, 'hn:48213045');
    expect(reply.fromBrand).toBe(true);
    const gap = Date.parse(reply.createdAt) - Date.parse(byId(tree.mentions, 'hn:48213001').createdAt);
    expect(gap / 60000).toBeCloseTo(36.3, 1);
    expect(reply.text).toContain('Updates: https://status.acmecloud.example/incidents/4412');
    expect(reply.text).toContain('sorry about that.\n\nUpdates:');
    expect(byId(tree.mentions, 'hn:48213060').fromBrand).toBe(false);
  });

  it('keeps a deleted comment as [deleted] only when a brand reply sits beneath it', () => {
    const tree = parseHnItem(fixture('item-48213001.json'), query);
    expect(byId(tree.mentions, 'hn:48213077')).toMatchObject({ text: '[deleted]', author: {}, fromBrand: false });
    expect(byId(tree.mentions, 'hn:48213090')).toMatchObject({ fromBrand: true, parentId: 'hn:48213077' });
    expect(tree.mentions.map((m) => m.id)).not.toContain('hn:48213080');
    expect(tree.dropped).toBe(1);
  });

  it('decodes entities and keeps non-ASCII text', () => {
    const tree = parseHnItem(fixture('item-48259900.json'), query);
    expect(byId(tree.mentions, 'hn:48259931').text).toBe(
      "L'offre base de données d'Acme Cloud est très bien, mais la facturation en euros reste incompréhensible. Dommage.",
    );
    expect(byId(tree.mentions, 'hn:48259900')).toMatchObject({ text: '', title: expect.stringContaining('off Acme Cloud') });
    expect(tree.mentions.filter((m) => m.fromBrand)).toHaveLength(0);
  });

  it('throws bad-response when the body is not an item', () => {
    expect(() => parseHnItem('{"hits":[]}', query)).toThrow(/expected a JSON item object/);
    expect(() => parseHnItem('<html></html>', query)).toThrow(SourceError);
  });

  it('warns about a child that is not an object instead of crashing', () => {
    const raw = JSON.parse(fixture('item-48235900.json')) as { children: unknown[] };
    raw.children.push('garbage');
    const tree = parseHnItem(JSON.stringify(raw), query);
    expect(tree.mentions).toHaveLength(3);
    expect(tree.warnings).toEqual(['hn: item 48235900: child at root.1 is not an object; skipped']);
  });
});

describe('fetchHn', () => {
  it('pages the window, fetches each story tree once, and yields every thread mention', async () => {
    const http = routesClient(dir);
    const log = memoryLogger();
    const { mentions, warnings } = await collect(ctxFor(http, { log }));
    expect(warnings).toEqual([]);
    const paths = http.urls.map((u) => new URL(u).pathname + (new URL(u).searchParams.get('page') ?? ''));
    expect(paths).toEqual([
      '/api/v1/search_by_date0',
      '/api/v1/items/48259900',
      '/api/v1/items/48241500',
      '/api/v1/items/48235900',
      '/api/v1/search_by_date1',
      '/api/v1/items/48186900',
      '/api/v1/items/48213001',
    ]);
    expect(mentions).toHaveLength(21);
    expect(new Set(mentions.map((m) => m.id)).size).toBe(21);
    expect(mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([
      'hn:48241500', 'hn:48241610', 'hn:48187400', 'hn:48213045', 'hn:48213090',
    ]);
    expect(byId(mentions, 'hn:48187400').parentId).toBe('hn:48187020');
    expect(log.lines).toContainEqual({ level: 'debug', message: 'hn: left out 1 deleted items with no brand reply beneath them' });
  });

  it('requests the right URLs under the overridden base URL, with sourceId and signal', async () => {
    const http = routesClient(dir);
    const controller = new AbortController();
    await collect(ctxFor(http, { signal: controller.signal }));
    const first = new URL(http.urls[0]!);
    expect(first.origin).toBe('http://127.0.0.1:4010');
    expect(Object.fromEntries(first.searchParams)).toEqual({
      query: 'acme cloud',
      tags: '(story,comment)',
      numericFilters: 'created_at_i>=1794182400,created_at_i<1795424400',
      hitsPerPage: '4',
      page: '0',
    });
    expect(http.options.every((o) => (o as { sourceId: string }).sourceId === 'hn')).toBe(true);
    expect(http.options.every((o) => (o as { signal: AbortSignal }).signal === controller.signal)).toBe(true);
  });

  it('stops at the limit without reading further pages or threads', async () => {
    const http = routesClient(dir);
    const { mentions } = await collect(ctxFor(http, {}, { limit: 5 }));
    expect(mentions.map((m) => m.id)).toEqual(['hn:48259900', 'hn:48259931', 'hn:48259950', 'hn:48259990', 'hn:48241500']);
    expect(http.urls.map((u) => new URL(u).pathname)).toEqual([
      '/api/v1/search_by_date',
      '/api/v1/items/48259900',
      '/api/v1/items/48241500',
    ]);
  });

  it('keeps the search hits with a warning when a thread cannot be read', async () => {
    const inner = routesClient(dir);
    const http: HttpClient = {
      ...inner,
      get: (url, opts) =>
        url.endsWith('/items/48235900')
          ? Promise.reject(clientError({ url, status: 404, body: '{"status":404,"error":"Not Found"}' }, 'hn'))
          : inner.get(url, opts),
    };
    const { mentions, warnings } = await collect(ctxFor(http));
    expect(warnings).toEqual([
      'hn: thread 48235900 could not be read (127.0.0.1:4010 has nothing at /api/v1/items/48235900 (HTTP 404); check the URL, feed or query.); keeping its search hits without replies',
    ]);
    expect(mentions.map((m) => m.id)).toContain('hn:48236010');
    expect(mentions.map((m) => m.id)).not.toContain('hn:48236044');
  });

  it('stops the whole source on a rate limit instead of hammering on', async () => {
    const http: HttpClient = {
      get: async (url) => {
        throw clientError({ url, status: 429, body: '' }, 'hn');
      },
      post: async () => {
        throw new Error('no');
      },
      close: async () => {},
    };
    await expect(collect(ctxFor(http))).rejects.toMatchObject({ code: 'rate-limited', sourceId: 'hn', retryable: true });
  });

  it('defaults the window to all of HN up to now when since/until are not given', () => {
    expect(initialWindow(undefined, undefined, new Date('2026-11-23T09:00:00Z'))).toEqual({ lo: 1160418111, hi: 1795424400 });
    expect(initialWindow(new Date('2026-11-09T00:00:00.500Z'), undefined, new Date('2026-11-23T09:00:00Z')).lo).toBe(1794182401);
  });
});

describe('fetchHn over the fixture server and the real HTTP client', () => {
  it('reads the same 21 mentions over real HTTP, with the base URL pointing at 127.0.0.1', async () => {
    const { server, http, close } = await realHttp(dir, { client: { retry: { maxAttempts: 1 }, defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 }, cache: false } });
    try {
      const { mentions, warnings } = await collect(ctxFor(http, { baseUrl: server.url }));
      expect(warnings).toEqual([]);
      expect(server.unmatched).toEqual([]);
      expect(mentions).toHaveLength(21);
      expect(server.requests.map((r) => r.path).filter((p) => p.startsWith('/api/v1/items/'))).toHaveLength(5);
      expect(server.requests[0]!.headers['accept']).toBe('application/json');
    } finally {
      await close();
    }
  });
});

describe('window slicing', () => {
  /** A fake Algolia over a synthetic hit list: honours created_at_i filters and caps paging at 1,000 hits. */
  function fakeAlgolia(times: number[]): HttpClient & { windows: string[] } {
    const windows: string[] = [];
    return {
      windows,
      async get(url) {
        const u = new URL(url);
        if (u.pathname.startsWith('/api/v1/items/')) {
          const id = Number(u.pathname.split('/').pop());
          const t = id;
          const body = { id, type: 'story', author: 'someone', title: 'Acme Cloud story', created_at_i: t, created_at: new Date(t * 1000).toISOString(), children: [], story_id: id };
          return { url, status: 200, headers: {}, body: JSON.stringify(body), fromCache: false, fetchedAt: '' };
        }
        const nf = u.searchParams.get('numericFilters') ?? '';
        const m = /created_at_i>=(\d+),created_at_i<(\d+)/.exec(nf);
        const lo = Number(m?.[1]);
        const hi = Number(m?.[2]);
        const page = Number(u.searchParams.get('page'));
        const per = Number(u.searchParams.get('hitsPerPage'));
        if (page === 0) windows.push(`${lo}-${hi}`);
        const inWindow = times.filter((t) => t >= lo && t < hi).sort((a, b) => b - a);
        const nbPages = Math.min(Math.ceil(inWindow.length / per), Math.floor(1000 / per));
        const hits = inWindow.slice(page * per, (page + 1) * per).map((t) => ({
          _tags: ['story', 'author_someone', `story_${t}`], author: 'someone', title: 'Acme Cloud story',
          created_at: new Date(t * 1000).toISOString(), created_at_i: t, objectID: String(t), story_id: t, points: 1, num_comments: 0,
        }));
        const body = { hits, nbHits: inWindow.length, nbPages, page, hitsPerPage: per };
        return { url, status: 200, headers: {}, body: JSON.stringify(body), fromCache: false, fetchedAt: '' };
      },
      async post() {
        throw new Error('no');
      },
      async close() {},
    };
  }

  it('splits a window whose hits exceed what paging can reach, newer half first, and reads every hit', async () => {
    // 2,500 stories one second apart: more than the 1,000 reachable from one query.
    const start = 1794182400;
    const times = Array.from({ length: 2500 }, (_, i) => start + i);
    const http = fakeAlgolia(times);
    const ctx = ctxFor(http, {}, { since: new Date(start * 1000), until: new Date((start + 2500) * 1000), limit: 10000, options: { hitsPerPage: 500 } });
    const seen = new Set<string>();
    for await (const page of searchWindow(ctx, initialWindow(ctx.query.since, ctx.query.until, ctx.now), 500)) {
      for (const m of page.mentions) seen.add(m.id);
    }
    expect(seen.size).toBe(2500);
    expect(http.windows.slice(0, 3)).toEqual([`${start}-${start + 2500}`, `${start + 1250}-${start + 2500}`, `${start + 1875}-${start + 2500}`]);
    // Newest first: the first window read in full is the newest quarter.
    expect(http.windows).toHaveLength(7);
  });

  it('warns, not loops, when one second holds more than paging can reach', async () => {
    const t = 1794182400;
    const times = Array.from({ length: 1200 }, () => t);
    const http = fakeAlgolia(times);
    const ctx = ctxFor(http, {}, { since: new Date(t * 1000), until: new Date((t + 1) * 1000) });
    const pages = [];
    for await (const page of searchWindow(ctx, { lo: t, hi: t + 1 }, 1000)) pages.push(page);
    expect(pages[0]!.warnings[0]).toMatch(/1200 hits fall in the one-second window at 2026-11-09T00:00:00.000Z; only 1000 can be read/);
  });

  it('does not split a window whose first page is empty, whatever nbHits claims', async () => {
    const calls: string[] = [];
    const http: HttpClient = {
      get: async (url) => {
        calls.push(url);
        return { url, status: 200, headers: {}, body: '{"hits":[],"nbHits":5000,"nbPages":0,"page":0,"hitsPerPage":100}', fromCache: false, fetchedAt: '' };
      },
      post: async () => {
        throw new Error('no');
      },
      close: async () => {},
    };
    const { mentions } = await collect(ctxFor(http));
    expect(mentions).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('builds search URLs with parentheses and filters encoded', () => {
    const url = hnSearchUrl('https://hn.algolia.com/', 'acme cloud', { lo: 1, hi: 2 }, 3, 100);
    expect(url).toBe(
      'https://hn.algolia.com/api/v1/search_by_date?query=acme+cloud&tags=%28story%2Ccomment%29&numericFilters=created_at_i%3E%3D1%2Ccreated_at_i%3C2&hitsPerPage=100&page=3',
    );
  });
});

describe('hnSource', () => {
  it('describes itself', () => {
    expect(hnSource).toMatchObject({ id: 'hn', tokenEnv: [], defaultBaseUrl: 'https://hn.algolia.com' });
    expect(hnSource.rateLimit.requestsPerMinute).toBeLessThanOrEqual(166);
  });
});

describe('deep Hacker News trees', () => {
  it('reads a 3,000-deep reply chain (it overflowed the call stack) in tree order, with a deep HTML comment in it', () => {
    const depth = 3000;
    let open = '';
    let close = '';
    for (let i = 1; i <= depth; i += 1) {
      const text = i === depth ? `${'<i>'.repeat(5000)}deepest${'</i>'.repeat(5000)}` : `reply ${i}`;
      open += `{"id":${i},"type":"${i === 1 ? 'story' : 'comment'}","title":"t","author":"u${i}","text":${JSON.stringify(text)},"created_at_i":${1_700_000_000 + i},${i > 1 ? `"parent_id":${i - 1},` : ''}"children":[`;
      close += ']}';
    }
    const tree = parseHnItem(open + close, query);
    // The one comment nesting 5,000 tags is read flattened (parsing it whole costs depth × tags) and named.
    expect(tree.warnings).toEqual([
      `hn: item ${depth} (https://news.ycombinator.com/item?id=${depth}) nests its HTML more than 512 tags deep; the tags below that depth were dropped and their text kept.`,
    ]);
    expect(tree.mentions).toHaveLength(depth);
    expect(tree.mentions.map((m) => m.id).slice(0, 3)).toEqual(['hn:1', 'hn:2', 'hn:3']);
    expect(tree.mentions.every((m, i) => m.id === `hn:${i + 1}` && (i === 0 || m.parentId === `hn:${i}`))).toBe(true);
    expect(tree.mentions[depth - 1]!.text).toBe('deepest');
  });
});
