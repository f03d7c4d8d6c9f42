import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../src/http/types.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { startUrl } from '../../../src/sources/selectors/fetch.js';
import { selectorsSource } from '../../../src/sources/selectors/index.js';
import { parseLooseDate, parsePage, readOptions, readRating } from '../../../src/sources/selectors/parse.js';
import { byId, collect as collectBatches, fixtureReader, realHttp as serveOverHttp, routesContext, SELECTORS_FIXTURE_OPTIONS, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('selectors');
const fixture = fixtureReader(DIR);
const BASE = 'http://127.0.0.1:40413';
const PUBLIC = 'https://www.hostingverdict.example/reviews/acme-cloud';
const HOST = 'www.hostingverdict.example';
const id = (rid: string) => `selectors:${HOST}/${rid}`;

const OPTIONS = { ...SELECTORS_FIXTURE_OPTIONS, url: PUBLIC, removed: '.review--removed' };

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ options: OPTIONS, ...overrides });

const context = (q: SourceQuery) =>
  routesContext(DIR, q, { baseUrl: BASE, notFound: { status: 404, body: '<html><body>Not found</body></html>' } });

const collect = (ctx: SourceContext) => collectBatches(selectorsSource, ctx);

const page = (file: string, requireItems = true, pageUrl = PUBLIC) =>
  parsePage(fixture(file), { options: readOptions(OPTIONS), pageUrl, query: query(), requireItems });

describe('selectors options and dates', () => {
  it('validates options up front, naming what is missing or malformed', () => {
    expect(() => readOptions({})).toThrowError(
      expect.objectContaining({ code: 'config', message: 'selectors: option "url" is required (the first page to read).' }),
    );
    expect(() => readOptions({ url: PUBLIC, item: 'article', text: 'p' })).toThrowError(
      expect.objectContaining({ code: 'config', message: 'selectors: option "date" is required (a CSS selector for the review\'s date inside the block).' }),
    );
    expect(() => readOptions({ ...OPTIONS, item: 'article[' })).toThrowError(
      expect.objectContaining({ code: 'config', message: 'selectors: option "item" is not a valid CSS selector: "article[".' }),
    );
    expect(() => readOptions({ ...OPTIONS, ratingPattern: '(' })).toThrowError(expect.objectContaining({ code: 'config' }));
    expect(() => readOptions({ ...OPTIONS, maxPages: 0 })).toThrowError(expect.objectContaining({ code: 'config' }));
    expect(() => readOptions({ ...OPTIONS, replyText: undefined })).toThrowError(expect.objectContaining({ message: expect.stringContaining('"replyText" is required') }));
    expect(readOptions(OPTIONS).maxPages).toBe(10);
  });

  it('parses dates forgivingly, never in the machine\'s local zone', () => {
    expect(parseLooseDate('2026-11-21T23:10:00Z')).toBe('2026-11-21T23:10:00.000Z');
    expect(parseLooseDate('2026-11-21T18:10:00-05:00')).toBe('2026-11-21T23:10:00.000Z');
    expect(parseLooseDate('2026-11-21 18:10')).toBe('2026-11-21T18:10:00.000Z');
    expect(parseLooseDate('2026-11-21')).toBe('2026-11-21T00:00:00.000Z');
    expect(parseLooseDate('Sat, 21 Nov 2026 23:15:00 +0000')).toBe('2026-11-21T23:15:00.000Z');
    expect(parseLooseDate('Nov 21, 2026')).toBe('2026-11-21T00:00:00.000Z');
    expect(parseLooseDate('November 21, 2026 at 3:15 PM')).toBe('2026-11-21T15:15:00.000Z');
    expect(parseLooseDate('21 November 2026')).toBe('2026-11-21T00:00:00.000Z');
    expect(parseLooseDate('Saturday, 21st Nov. 2026')).toBe('2026-11-21T00:00:00.000Z');
    expect(parseLooseDate('31 November 2026')).toBeUndefined();
    expect(parseLooseDate('last week')).toBeUndefined();
    expect(parseLooseDate('')).toBeUndefined();
  });

  it('reads ratings from a pattern, a number or stars', () => {
    expect(readRating('Rated 3 out of 5', /Rated (\d) out of 5/)).toBe(3);
    expect(readRating('4.5/5')).toBe(4.5);
    expect(readRating('★★☆☆☆')).toBe(2);
    expect(readRating('Rated 9 out of 10', /Rated (\d) out of/)).toBeUndefined();
  });
});

describe('selectors parse', () => {
  it('reads reviews, company replies as brand comments, ratings, links and the next page', () => {
    const p1 = page('reviews-page1.html');
    expect(p1.warnings).toEqual([]);
    expect(p1.items).toBe(4);
    expect(p1.nextUrl).toBe(`${PUBLIC}?page=2`);
    expect(p1.mentions.map((m) => [m.id, m.kind, m.fromBrand, m.createdAt, m.parentId])).toEqual([
      [id('r-88231'), 'review', false, '2026-11-22T13:45:00.000Z', undefined],
      [id('r-88219'), 'review', false, '2026-11-21T23:10:00.000Z', undefined],
      [id('r-88190'), 'review', false, '2026-11-20T14:02:00.000Z', undefined],
      [`${id('r-88190')}/reply`, 'comment', true, '2026-11-20T14:40:00.000Z', id('r-88190')],
      [id('r-88102'), 'review', false, '2026-11-18T16:20:00.000Z', undefined],
      [`${id('r-88102')}/reply`, 'comment', true, '2026-11-18T17:05:00.000Z', id('r-88102')],
    ]);
    expect(byId(p1.mentions, id('r-88231'))).toMatchObject({
      source: 'selectors',
      brand: 'Acme Cloud',
      author: { name: 'Kenji Watanabe' },
      title: 'Outage on a Sunday and nobody answers',
      rating: 1,
      url: 'https://www.hostingverdict.example/reviews/acme-cloud/r-88231',
      threadId: id('r-88231'),
      text: 'Our store has been down since this morning. Ticket #48213 has had no answer for 6 hours.\n\nPaying for "premium support" & getting silence. 😤',
    });
    expect(byId(p1.mentions, id('r-88190')).text).toBe('The database failover on Thursday took 11 minutes.\nSupport answered in 20 minutes though 👍');
    expect(byId(p1.mentions, `${id('r-88190')}/reply`)).toMatchObject({
      author: { name: 'Acme Cloud' },
      threadId: id('r-88190'),
      text: 'Hi Maya, thanks for the honest review. Thursday’s failover was slower than our 60-second target; the postmortem is on our status page.',
    });
    // The removed review stays as a placeholder because the company answered it.
    expect(byId(p1.mentions, id('r-88102'))).toMatchObject({ text: '[deleted]', author: {} });
    expect(byId(p1.mentions, id('r-88102')).rating).toBeUndefined();
    expect(byId(p1.mentions, id('r-88219')).text).toContain('Abrí un ticket el sábado');
  });

  it('reads other date formats and skips an undated item with a warning', () => {
    const p2 = page('reviews-page2.html', false, `${PUBLIC}?page=2`);
    expect(p2.nextUrl).toBeUndefined();
    expect(p2.mentions.map((m) => [m.id, m.createdAt])).toEqual([
      [id('r-88050'), '2026-11-16T00:00:00.000Z'],
      [id('r-88011'), '2026-11-13T21:30:00.000Z'],
      [`${id('r-88011')}/reply`, '2026-11-16T00:00:00.000Z'],
      [id('r-87955'), '2026-11-09T08:00:00.000Z'],
    ]);
    expect(p2.warnings).toEqual([`selectors: unreadable date "last week" in item 3 on ${PUBLIC}?page=2 (r-87990); skipped.`]);
  });

  it('hashes url+author+date+text when there is no native id, stably', () => {
    const noId = { ...OPTIONS, id: undefined };
    const a = parsePage(fixture('reviews-page1.html'), { options: readOptions(noId), pageUrl: PUBLIC, query: query(), requireItems: true });
    const b = parsePage(fixture('reviews-page1.html'), { options: readOptions(noId), pageUrl: PUBLIC, query: query(), requireItems: true });
    expect(a.mentions[0]?.id).toMatch(/^selectors:www\.hostingverdict\.example\/[0-9a-f]{16}$/);
    expect(a.mentions.map((m) => m.id)).toEqual(b.mentions.map((m) => m.id));
    expect(new Set(a.mentions.map((m) => m.id)).size).toBe(a.mentions.length);
  });

  it('drops removed items nobody answered, and marks brand handles', () => {
    const html = fixture('reviews-page1.html').replace(/<div class="company-reply">[\s\S]*?<\/div>\s*<\/div>/g, '');
    const p = parsePage(html, { options: readOptions(OPTIONS), pageUrl: PUBLIC, query: query({ brandHandles: ['maya patel'] }), requireItems: true });
    expect(p.removed).toBe(1);
    expect(p.mentions.map((m) => m.id)).toEqual([id('r-88231'), id('r-88219'), id('r-88190')]);
    expect(p.mentions[2]?.fromBrand).toBe(true);
  });

  it('is forgiving about a missing author, link or rating', () => {
    const html = fixture('reviews-page1.html').replace('<span class="reviewer">Kenji Watanabe</span>', '').replace('aria-label="Rated 2 out of 5"', '');
    const p = parsePage(html, { options: readOptions(OPTIONS), pageUrl: PUBLIC, query: query(), requireItems: true });
    expect(p.mentions[0]?.author).toEqual({});
    expect(p.mentions[1]?.rating).toBeUndefined();
    expect(p.warnings).toEqual([
      `selectors: no author found by ".reviewer" in item 1 on ${PUBLIC} (r-88231).`,
      `selectors: no rating from 1 to 5 found by ".stars@aria-label" in item 2 on ${PUBLIC} (r-88219).`,
    ]);
  });

  it('throws bad-response naming the selector when the layout changed', () => {
    expect(() => page('redesigned.html')).toThrowError(
      expect.objectContaining({
        code: 'bad-response',
        message: `selectors: the "item" selector "article.review" matched nothing on ${PUBLIC}; the page layout may have changed.`,
      }),
    );
    const textGone = fixture('reviews-page1.html').replace(/review-body/g, 'rv-body');
    expect(() => parsePage(textGone, { options: readOptions(OPTIONS), pageUrl: PUBLIC, query: query(), requireItems: true })).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: expect.stringContaining('the "text" selector ".review-body" matched nothing') }),
    );
    expect(() => parsePage('{"reviews":[]}', { options: readOptions(OPTIONS), pageUrl: PUBLIC, query: query(), requireItems: true })).toThrowError(
      expect.objectContaining({ code: 'bad-response' }),
    );
    // Later pages with no items are not a layout change.
    expect(page('redesigned.html', false).items).toBe(0);
  });
});

describe('selectors fetch', () => {
  it('resolves the start URL', () => {
    expect(startUrl(PUBLIC, '')).toBe(PUBLIC);
    expect(startUrl('/reviews/acme-cloud', 'https://www.hostingverdict.example')).toBe(PUBLIC);
    expect(() => startUrl('/reviews/acme-cloud', '')).toThrowError(expect.objectContaining({ code: 'config' }));
  });

  it('follows the next link on the overridden base URL, keeps public URLs in mentions', async () => {
    const { ctx, requests } = context(query());
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.url)).toEqual([`${BASE}/reviews/acme-cloud`, `${BASE}/reviews/acme-cloud?page=2`]);
    expect(requests.every((r) => r.options?.sourceId === 'selectors' && r.options.signal === ctx.signal)).toBe(true);
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions).toHaveLength(10);
    expect(mentions.every((m) => m.url?.startsWith('https://www.hostingverdict.example/'))).toBe(true);
    expect(mentions.filter((m) => m.fromBrand)).toHaveLength(3);
    expect(batches.flatMap((b) => b.warnings)).toHaveLength(1);
  });

  it('stops paging at the limit and when a page is entirely before since', async () => {
    const limited = context(query({ limit: 3 }));
    const a = await collect(limited.ctx);
    expect(a.batches.flatMap((b) => b.mentions)).toHaveLength(3);
    expect(limited.requests).toHaveLength(1);
    const late = context(query({ since: new Date('2026-11-23T00:00:00Z'), until: undefined }));
    const b = await collect(late.ctx);
    expect(b.batches.flatMap((x) => x.mentions)).toEqual([]);
    expect(late.requests).toHaveLength(1);
    // A review before the window stays as the root of a reply inside it.
    const mid = context(query({ since: new Date('2026-11-15T00:00:00Z') }));
    const ids = (await collect(mid.ctx)).batches.flatMap((x) => x.mentions).map((m) => m.id);
    expect(ids).toContain(id('r-88011'));
    expect(ids).not.toContain(id('r-87955'));
  });

  it('never follows a next link to another host, and honours maxPages', async () => {
    const { ctx } = context(query());
    const offsite: HttpClient = {
      ...ctx.http,
      get: async (url, options) => {
        const res = await ctx.http.get(url, options);
        return { ...res, body: res.body.replace('href="/reviews/acme-cloud?page=2">Next', 'href="https://ads.example/next">Next') };
      },
    };
    const r1 = await collect({ ...ctx, http: offsite });
    expect(r1.batches.flatMap((b) => b.warnings)).toEqual([
      'selectors: the next-page link https://ads.example/next leaves www.hostingverdict.example; not followed.',
    ]);
    const capped = context(query({ options: { ...OPTIONS, maxPages: 1 } }));
    const r2 = await collect(capped.ctx);
    expect(capped.requests).toHaveLength(1);
    expect(r2.batches.flatMap((b) => b.warnings).at(-1)).toBe(
      `selectors: stopped after 1 pages (maxPages); ${PUBLIC}?page=2 and later pages were not read.`,
    );
  });

  it('a changed layout on the first page is an error, not zero results; bad options fail before any request', async () => {
    const { ctx, requests } = context(query({ options: { ...OPTIONS, url: 'https://www.hostingverdict.example/reviews/redesigned' } }));
    const { batches, error } = await collect(ctx);
    expect(batches).toEqual([]);
    expect(error).toMatchObject({ code: 'bad-response', message: expect.stringContaining('"item" selector') });
    expect(requests).toHaveLength(1);
    const bad = context(query({ options: { url: PUBLIC } }));
    expect((await collect(bad.ctx)).error).toMatchObject({ code: 'config' });
    expect(bad.requests).toHaveLength(0);
  });
});

describe('selectors over real HTTP (fixture server + real client)', () => {
  it('reads both pages over sockets and asks for HTML', async () => {
    const { server, http, close } = await serveOverHttp(DIR);
    try {
      const { ctx } = context(query());
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(10);
      expect(server.requests.map((r) => r.url)).toEqual(['/reviews/acme-cloud', '/reviews/acme-cloud?page=2']);
      expect(server.requests[0]!.headers['accept']).toContain('text/html');
      server.fault({ fault: { kind: 'status', status: 404 } });
      const gone = await collect({ ...ctx, http, baseUrl: server.url });
      expect(gone.error).toMatchObject({ code: 'not-found', sourceId: 'selectors' });
    } finally {
      await close();
    }
  });
});

describe('selectors: a page nesting 200,000 <div>s', () => {
  it('is read flattened in seconds (parse5 took 234 s), keeps every review and names the page in a warning', async () => {
    const depth = 200_000;
    const deep = `<div class="ad">${'<div>'.repeat(depth)}sponsored${'</div>'.repeat(depth)}</div>`;
    const page2 = fixture('reviews-page2.html').replace('<article class="review" data-review-id="r-88011">', `${deep}$&`);
    const { server, http, close } = await serveOverHttp(DIR);
    try {
      server.fault({ match: '/reviews/acme-cloud?page=2', fault: { kind: 'malformed', body: page2, contentType: 'text/html; charset=utf-8' } });
      const { ctx } = context(query());
      const started = Date.now();
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      const elapsed = Date.now() - started;
      expect(error).toBeUndefined();
      // The same 10 mentions as the untouched pages, the reviews after the deep block included.
      const mentions = batches.flatMap((b) => b.mentions);
      expect(mentions).toHaveLength(10);
      expect(byId(mentions, id('r-88011')).text).toContain('Acme Cloud dashboard is slow');
      expect(byId(mentions, id('r-87955')).text).toBe('Support took 3 days to answer a billing question.');
      expect(batches.flatMap((b) => b.warnings)).toContain(
        `selectors: the page ${PUBLIC}?page=2 nests its HTML more than 512 tags deep; the tags below that depth were dropped and their text kept.`,
      );
      expect(elapsed).toBeLessThan(15_000);
    } finally {
      await close();
    }
  }, 120_000);
});
