import { describe, expect, it } from 'vitest';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { SourceError } from '../../../src/core/errors.js';
import { appIdOption, EXPERIMENTAL_WARNING, rpcBody, rpcUrl } from '../../../src/sources/googleplay/fetch.js';
import { googleplaySource } from '../../../src/sources/googleplay/index.js';
import { parsePlayReviews, playTime, readEnvelopes } from '../../../src/sources/googleplay/parse.js';
import { byId, collect as collectBatches, fixtureReader, loggedContext, realHttpForSuite, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('googleplay');
const fixture = fixtureReader(DIR);
const APP = 'example.acmecloud.mobile';

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ limit: 1000, options: { appId: APP, perPage: 8 }, ...overrides });

/** Wraps a payload the way the RPC does: inner JSON string inside the wrb.fr envelope. */
const answer = (payload: unknown): string =>
  `)]}'\n\n${JSON.stringify([['wrb.fr', 'UsvDTd', JSON.stringify(payload), null, null, null, 'generic'], ['di', 12]])}`;

describe('googleplay parse', () => {
  it('reads reviews, the next-page token and developer replies', () => {
    const page = parsePlayReviews(fixture('reviews-page1.txt'), query(), { appId: APP });
    expect(page.warnings).toEqual([]);
    expect(page.reviewCount).toBe(8);
    expect(page.nextToken).toMatch(/^CtMBAXr8Zk0s/);
    expect(page.oldest).toBe('2026-11-15T20:15:00.417Z');
    expect(page.mentions.filter((m) => m.kind === 'review')).toHaveLength(8);
    expect(page.mentions.filter((m) => m.kind === 'comment')).toHaveLength(3);
    const night = byId(page.mentions, 'googleplay:8f3c2a71-5b9e-4d0a-9c61-2e7d4f1a0b01');
    expect(night).toEqual({
      id: 'googleplay:8f3c2a71-5b9e-4d0a-9c61-2e7d4f1a0b01',
      source: 'googleplay',
      kind: 'review',
      url: `https://play.google.com/store/apps/details?id=${APP}&reviewId=8f3c2a71-5b9e-4d0a-9c61-2e7d4f1a0b01`,
      author: { name: 'Jordan Ellis' },
      fromBrand: false,
      brand: 'Acme Cloud',
      text: 'App crashes every time I open the database metrics tab 😡 It is Saturday night and I cannot see why my site is down.',
      createdAt: '2026-11-22T05:20:41.417Z',
      threadId: 'googleplay:8f3c2a71-5b9e-4d0a-9c61-2e7d4f1a0b01',
      rating: 1,
      engagement: { replies: 0, likes: 6 },
    });
  });

  it('makes the developer reply a brand comment dated by the reply', () => {
    const page = parsePlayReviews(fixture('reviews-page1.txt'), query(), { appId: APP });
    const reply = byId(page.mentions, 'googleplay:4a9f0d3e-6b1c-4e7a-a2d5-8c0e2f4b6a04:reply');
    expect(reply).toMatchObject({
      kind: 'comment',
      fromBrand: true,
      parentId: 'googleplay:4a9f0d3e-6b1c-4e7a-a2d5-8c0e2f4b6a04',
      threadId: 'googleplay:4a9f0d3e-6b1c-4e7a-a2d5-8c0e2f4b6a04',
      createdAt: '2026-11-19T15:02:44.263Z',
      author: { name: 'Acme Cloud, Inc.' },
    });
    expect(reply.text).toContain('with your account email');
    expect(byId(page.mentions, 'googleplay:4a9f0d3e-6b1c-4e7a-a2d5-8c0e2f4b6a04').text).toBe(
      'Was charged for a database I deleted two weeks ago.\nSupport keeps sending me to the FAQ.',
    );
  });

  it("decodes Google's \\u003d-style escapes, keeps non-English text and rating-only reviews", () => {
    const page = parsePlayReviews(fixture('reviews-page1.txt'), query(), { appId: APP });
    expect(byId(page.mentions, 'googleplay:c7e1a3f5-9d2b-4c6e-8a0f-3b5d7e9c1a03').text).toBe(
      'Launch week widgets are great & the 40% discount made me move my agency over <3',
    );
    expect(byId(page.mentions, 'googleplay:e2b8d4f6-3a5c-4b7d-9e1f-0a2c4e6b8d05').text).toMatch(/^¿Hay modo oscuro\?/);
    const ratingOnly = byId(page.mentions, 'googleplay:6c0e2a4b-8d1f-4c3e-b5a7-2d4f6b8c0e06');
    expect(ratingOnly.text).toBe('');
    expect(ratingOnly.rating).toBe(4);
  });

  it('reads the last page (no token) and the chunked rt=c form', () => {
    const last = parsePlayReviews(fixture('reviews-page2.txt'), query(), { appId: APP });
    expect(last.nextToken).toBeUndefined();
    expect(last.reviewCount).toBe(4);
    const chunked = parsePlayReviews(fixture('reviews-chunked.txt'), query(), { appId: APP });
    expect(chunked.mentions.map((m) => m.id)).toEqual([
      'googleplay:5f7b9d1e-3c4a-4f6b-b8d0-2e4a6c8e0f09',
      'googleplay:5f7b9d1e-3c4a-4f6b-b8d0-2e4a6c8e0f09:reply',
    ]);
    expect(readEnvelopes(fixture('reviews-chunked.txt'))).toHaveLength(2);
  });

  it('reads an empty payload as no reviews', () => {
    expect(parsePlayReviews(fixture('reviews-empty.txt'), query(), { appId: APP })).toEqual({ mentions: [], warnings: [], reviewCount: 0 });
  });

  it('converts [seconds, nanos] to ISO UTC', () => {
    expect(playTime([1795324841, 417000000])).toBe('2026-11-22T05:20:41.417Z');
    expect(playTime([1795324841])).toBe('2026-11-22T05:20:41.000Z');
    expect(playTime('1795324841')).toBeUndefined();
  });

  it('warns about single unreadable fields and skips undatable reviews or replies', () => {
    const good = JSON.parse(JSON.parse(fixture('reviews-page1.txt').slice(6))[0][2]) as unknown[][][];
    const reviews = good[0]!;
    reviews[0]![2] = null; // stars
    reviews[1]![1] = null; // user
    reviews[2]![5] = null; // date
    (reviews[3]![7] as unknown[])[2] = null; // reply date
    const page = parsePlayReviews(answer(good), query(), { appId: APP });
    expect(page.warnings).toEqual([
      'googleplay: review 8f3c2a71-5b9e-4d0a-9c61-2e7d4f1a0b01 has no star rating (1-5) at [2].',
      'googleplay: review 1d4b6e92-0c3f-4a8b-b5d2-9f6e1c7a3b02 has no user name at [1][0]; author unknown.',
      'googleplay: review c7e1a3f5-9d2b-4c6e-8a0f-3b5d7e9c1a03 has no readable date at [5]; skipped.',
      'googleplay: the developer reply to review 4a9f0d3e-6b1c-4e7a-a2d5-8c0e2f4b6a04 has no readable date at [7][2]; reply ignored.',
    ]);
    expect(byId(page.mentions, 'googleplay:8f3c2a71-5b9e-4d0a-9c61-2e7d4f1a0b01').rating).toBeUndefined();
    expect(byId(page.mentions, 'googleplay:1d4b6e92-0c3f-4a8b-b5d2-9f6e1c7a3b02').author).toEqual({});
    expect(page.mentions.some((m) => m.id.startsWith('googleplay:c7e1a3f5'))).toBe(false);
    expect(page.mentions.some((m) => m.id === 'googleplay:4a9f0d3e-6b1c-4e7a-a2d5-8c0e2f4b6a04:reply')).toBe(false);
  });

  it('throws bad-response naming what moved when the layout changes', () => {
    expect(() => parsePlayReviews(fixture('reviews-moved.txt'), query(), { appId: APP })).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: expect.stringContaining('review[0] (id) is a list, not text') }),
    );
    expect(() => parsePlayReviews(answer({ reviews: [] }), query(), { appId: APP })).toThrowError(/payload to be a list/);
    expect(() => parsePlayReviews(answer([{ a: 1 }, null]), query(), { appId: APP })).toThrowError(/review list at payload\[0\]/);
  });

  it('throws bad-response on an error row, a missing envelope, HTML or a cut-off body', () => {
    expect(() => parsePlayReviews(fixture('reviews-error.txt'), query(), { appId: APP })).toThrowError(/refused the reviews request \(status 3\)/);
    expect(() => parsePlayReviews(`)]}'\n\n[["di",12]]`, query(), { appId: APP })).toThrowError(/\["wrb.fr","UsvDTd",…\] row/);
    expect(() => parsePlayReviews('<!DOCTYPE html><html></html>', query(), { appId: APP })).toThrowError(/an HTML page/);
    expect(() => parsePlayReviews(`)]}'\n\n[["wrb.fr","UsvDTd","[[[\\"x\\"`, query(), { appId: APP })).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: expect.stringContaining('cut off') }),
    );
  });
});

describe('googleplay request', () => {
  it('builds the f.req form body the scrapers use', () => {
    const body = rpcBody(APP, 100, 'TOKEN');
    expect(body.startsWith('f.req=%5B%5B%5B%22UsvDTd%22')).toBe(true);
    const envelope = JSON.parse(decodeURIComponent(body.slice('f.req='.length))) as [[[string, string, null, string]]];
    expect(envelope[0][0][0]).toBe('UsvDTd');
    expect(envelope[0][0][3]).toBe('generic');
    expect(JSON.parse(envelope[0][0][1])).toEqual([null, null, [2, 2, [100, null, 'TOKEN'], null, []], [APP, 7]]);
    const first = JSON.parse(decodeURIComponent(rpcBody(APP, 20, undefined).slice(6))) as [[[string, string]]];
    expect(JSON.parse(first[0][0][1])[2]).toEqual([2, 2, [20, null, null], null, []]);
  });

  it('builds the RPC URL on the base URL in force', () => {
    const url = new URL(rpcUrl('http://127.0.0.1:8080', 'en', 'us', 2));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:8080/_/PlayStoreUi/data/batchexecute');
    expect(url.searchParams.get('rpcids')).toBe('UsvDTd');
    expect(url.searchParams.get('hl')).toBe('en');
    expect(url.searchParams.get('gl')).toBe('us');
    expect(url.searchParams.get('_reqid')).toBe('201063');
  });

  it('requires a package name and accepts a Play URL', () => {
    expect(appIdOption({ appId: `https://play.google.com/store/apps/details?id=${APP}&hl=en` })).toBe(APP);
    expect(() => appIdOption({})).toThrowError(expect.objectContaining({ code: 'config', message: expect.stringContaining('"appId" is required') }));
    expect(() => appIdOption({ appId: 'acme cloud' })).toThrowError(expect.objectContaining({ code: 'config' }));
  });
});

describe('googleplay fetch over real HTTP', () => {
  const real = realHttpForSuite(DIR);

  const context = (q: SourceQuery): SourceContext => loggedContext(real.http, q, { baseUrl: real.server.url }).ctx;

  const collect = (ctx: SourceContext) => collectBatches(googleplaySource, ctx);

  it('POSTs page after page with the token, keeps the window and warns that it is experimental', async () => {
    real.server.resetLog();
    const { mentions, warnings, error } = await collect(context(query()));
    expect(error).toBeUndefined();
    expect(real.server.requests).toHaveLength(2);
    const [first, second] = real.server.requests;
    expect(first!.method).toBe('POST');
    expect(first!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(first!.query).toMatchObject({ rpcids: 'UsvDTd', hl: 'en', gl: 'us', _reqid: '101063' });
    expect(first!.body).toBe(rpcBody(APP, 8, undefined));
    expect(second!.body).toContain(encodeURIComponent('CtMBAXr8Zk0s'));
    // Page 1: 8 reviews + 3 replies; page 2: 2 reviews in the window + 1 reply.
    expect(mentions).toHaveLength(14);
    expect(mentions.some((m) => m.id === 'googleplay:3d5f7b9c-1e2a-4c4d-8f6a-0b2d4f6a8c11')).toBe(false);
    expect(byId(mentions, 'googleplay:5f7b9d1e-3c4a-4f6b-b8d0-2e4a6c8e0f09:reply').createdAt).toBe('2026-11-12T16:44:00.263Z');
    expect(warnings).toEqual([EXPERIMENTAL_WARNING]);
  });

  it('stops when a page reaches back past since, and at the limit', async () => {
    real.server.resetLog();
    const recent = await collect(context(query({ since: new Date('2026-11-18T00:00:00Z') })));
    expect(real.server.requests).toHaveLength(1);
    expect(recent.mentions.filter((m) => m.kind === 'review')).toHaveLength(5);
    real.server.resetLog();
    const few = await collect(context(query({ limit: 3 })));
    expect(few.mentions).toHaveLength(3);
    expect(real.server.requests).toHaveLength(1);
  });

  it('warns when the page cap stops it before the last page', async () => {
    const { warnings } = await collect(context(query({ options: { appId: APP, perPage: 8, pages: 1 } })));
    expect(warnings).toContain('googleplay: stopped after 1 pages (option "pages"); older reviews were not read.');
  });

  it('reads the chunked answer form over HTTP', async () => {
    const { mentions, error } = await collect(context(query({ options: { appId: APP, country: 'jp' } })));
    expect(error).toBeUndefined();
    expect(mentions).toHaveLength(2);
  });

  it('says when there are no reviews', async () => {
    const { mentions, warnings } = await collect(context(query({ options: { appId: APP, country: 'fr' } })));
    expect(mentions).toEqual([]);
    expect(warnings[1]).toMatch(/returned no reviews for example\.acmecloud\.mobile \(en-fr\)/);
  });

  it.each([
    ['gb', /layout changed/],
    ['de', /refused the reviews request/],
    ['br', /an HTML page/],
  ])('fails with bad-response on a malformed RPC answer (%s)', async (country, message) => {
    const { error } = await collect(context(query({ options: { appId: APP, country } })));
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('bad-response');
    expect((error as SourceError).message).toMatch(message);
  });

  it('keeps the page read before a cut-off one', async () => {
    const { mentions, error } = await collect(context(query({ options: { appId: APP, country: 'ca', perPage: 8 } })));
    expect((error as SourceError).code).toBe('bad-response');
    expect(mentions).toHaveLength(11);
  });
});
