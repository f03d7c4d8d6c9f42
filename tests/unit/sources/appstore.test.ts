import { describe, expect, it } from 'vitest';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { SourceError } from '../../../src/core/errors.js';
import { appIdOption, countriesOption, feedUrl, NO_RESPONSES_WARNING } from '../../../src/sources/appstore/fetch.js';
import { appstoreSource } from '../../../src/sources/appstore/index.js';
import { parseAppStoreFeed } from '../../../src/sources/appstore/parse.js';
import { byId, collect as collectBatches, fixtureReader, loggedContext, realHttpForSuite, sourceFixtureDir, sourceQuery, TEST_NOW } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('appstore');
const fixture = fixtureReader(DIR);
const APP = '6449012345';
const US = { appId: APP, country: 'us' };

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ limit: 1000, options: { appId: APP }, ...overrides });

describe('appstore parse', () => {
  it('reads the label-wrapped entries of a feed page', () => {
    const page = parseAppStoreFeed(fixture('us-page1.json'), query(), US);
    expect(page.warnings).toEqual([]);
    expect(page.entryCount).toBe(50);
    expect(page.mentions).toHaveLength(50);
    expect(page.lastPage).toBe(10);
    expect(page.oldest).toBe('2026-11-09T09:00:00.000Z');
    const night = byId(page.mentions, 'appstore:13925117001');
    expect(night).toEqual({
      id: 'appstore:13925117001',
      source: 'appstore',
      kind: 'review',
      url: `https://apps.apple.com/us/app/id${APP}?see-all=reviews`,
      author: { name: 'nightowl_dev', id: '1500007349' },
      fromBrand: false,
      brand: 'Acme Cloud',
      title: 'App logs me out every time',
      text: "Since 4.12 the app logs me out whenever I switch to another app. I can't approve deploys on the go anymore. Saturday night and my DB alerts are piling up.",
      // 20:02:11-08:00 (Cupertino time in the feed) is 04:02:11 UTC the next day.
      createdAt: '2026-11-22T04:02:11.000Z',
      threadId: 'appstore:13925117001',
      rating: 1,
      engagement: { likes: 4 },
      // The feed has no developer responses: analysis leaves these out of response figures.
      replyObservable: false,
    });
  });

  it('keeps newlines, emoji, entities-as-text and non-English text', () => {
    const page = parseAppStoreFeed(fixture('us-page1.json'), query(), US);
    expect(byId(page.mentions, 'appstore:13925069902').text).toBe(
      'Database CPU alerts showed up 3 hours after the incident.\nWhat is the point of mobile alerts then?',
    );
    expect(byId(page.mentions, 'appstore:13924800103').text).toContain('great & the dark mode');
    expect(byId(page.mentions, 'appstore:13924800103').title).toBe('Launch week features 🚀');
    expect(byId(page.mentions, 'appstore:13923512806').title).toBe('Muy útil para monitorear');
  });

  it('reads a single review given as an object, not a list', () => {
    const page = parseAppStoreFeed(fixture('fr-page1.json'), query(), { appId: APP, country: 'fr' });
    expect(page.mentions).toHaveLength(1);
    expect(page.mentions[0]).toMatchObject({
      id: 'appstore:13924655512',
      rating: 2,
      createdAt: '2026-11-19T08:12:40.000Z',
      url: `https://apps.apple.com/fr/app/id${APP}?see-all=reviews`,
      author: { name: 'Cécile B.' },
    });
  });

  it('skips the app entry older feeds put first and marks a brand-named reviewer', () => {
    const page = parseAppStoreFeed(fixture('gb-page1.json'), query({ brandHandles: ['acme cloud'] }), { appId: APP, country: 'gb' });
    expect(page.entryCount).toBe(2);
    expect(page.mentions.map((m) => m.id)).toEqual(['appstore:13924100213', 'appstore:13922200214']);
    expect(page.mentions.map((m) => m.fromBrand)).toEqual([false, true]);
  });

  it('reads an empty feed (no "entry") as no reviews', () => {
    const page = parseAppStoreFeed(fixture('us-page3.json'), query(), US);
    expect(page).toMatchObject({ mentions: [], warnings: [], entryCount: 0 });
  });

  it('turns unreadable fields into undefined plus warnings naming the review', () => {
    const data = JSON.parse(fixture('us-page1.json')) as { feed: { entry: Record<string, unknown>[] } };
    delete data.feed.entry[0]!['im:rating'];
    delete data.feed.entry[0]!['author'];
    delete data.feed.entry[1]!['updated'];
    delete data.feed.entry[2]!['id'];
    const page = parseAppStoreFeed(JSON.stringify(data), query(), US);
    const first = byId(page.mentions, 'appstore:13925117001');
    expect(first.rating).toBeUndefined();
    expect(first.author).toEqual({});
    expect(page.warnings).toEqual([
      'appstore: review 13925117001 has no "author.name.label"; author unknown.',
      'appstore: review 13925117001 has no readable "im:rating.label" (1-5).',
      'appstore: review entry #3 (us) has no "id.label"; skipped.',
      'appstore: 1 review(s) in the us feed carry no readable "updated.label" date (the JSON feed went years without one) and are left out here; the fetch dates them from the XML feed of the same page.',
    ]);
    expect(page.undated).toEqual(['13925069902']);
    expect(page.mentions).toHaveLength(48);
    // With an estimate (what the fetch passes when the XML feed cannot date it) the review is kept and marked.
    const kept = parseAppStoreFeed(JSON.stringify(data), query(), { ...US, estimate: '2026-11-23T09:00:00.000Z' });
    expect(kept.mentions).toHaveLength(49);
    expect(byId(kept.mentions, 'appstore:13925069902')).toMatchObject({ createdAt: '2026-11-23T09:00:00.000Z', dateEstimated: true });
    expect(kept.mentions.filter((m) => m.dateEstimated)).toHaveLength(1);
  });

  it('throws bad-response on HTML or on JSON of another shape', () => {
    expect(() => parseAppStoreFeed('<!DOCTYPE html><html></html>', query(), US)).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: expect.stringContaining('an HTML page') }),
    );
    expect(() => parseAppStoreFeed('{"results":[]}', query(), US)).toThrowError(expect.objectContaining({ code: 'bad-response' }));
  });
});

describe('appstore options', () => {
  it('requires a numeric appId and accepts an App Store URL', () => {
    expect(appIdOption({ appId: 'id6449012345' })).toBe(APP);
    expect(appIdOption({ appId: 6449012345 })).toBe(APP);
    expect(appIdOption({ appId: `https://apps.apple.com/us/app/acme-cloud/id${APP}` })).toBe(APP);
    expect(() => appIdOption({})).toThrowError(expect.objectContaining({ code: 'config', message: expect.stringContaining('"appId" is required') }));
    expect(() => appIdOption({ appId: 'example.acmecloud.mobile' })).toThrowError(expect.objectContaining({ code: 'config' }));
  });

  it('defaults countries to us and validates codes', () => {
    expect(countriesOption({})).toEqual(['us']);
    expect(countriesOption({ countries: ['US', 'fr', 'us'] })).toEqual(['us', 'fr']);
    expect(() => countriesOption({ countries: ['usa'] })).toThrowError(expect.objectContaining({ code: 'config' }));
  });

  it('builds the feed URL on the base URL in force', () => {
    expect(feedUrl('https://itunes.apple.com', 'us', APP, 3)).toBe(
      `https://itunes.apple.com/us/rss/customerreviews/page=3/id=${APP}/sortby=mostrecent/json`,
    );
  });
});

describe('appstore fetch over real HTTP', () => {
  const real = realHttpForSuite(DIR);

  const context = (q: SourceQuery): SourceContext => loggedContext(real.http, q, { baseUrl: real.server.url }).ctx;

  const collect = (ctx: SourceContext) => collectBatches(appstoreSource, ctx);

  it('pages until a page reaches back past since, and warns once that replies are not observable', async () => {
    real.server.resetLog();
    const { mentions, warnings, error } = await collect(context(query()));
    expect(error).toBeUndefined();
    expect(real.server.requests.map((r) => r.path)).toEqual([
      `/us/rss/customerreviews/page=1/id=${APP}/sortby=mostrecent/json`,
      `/us/rss/customerreviews/page=2/id=${APP}/sortby=mostrecent/json`,
    ]);
    expect(mentions).toHaveLength(51);
    expect(mentions.at(-1)!.id).toBe('appstore:13920011109');
    expect(warnings).toEqual([NO_RESPONSES_WARNING]);
    expect(mentions.every((m) => m.kind === 'review' && m.parentId === undefined)).toBe(true);
  });

  it('without a window stops at the first empty page', async () => {
    real.server.resetLog();
    const { mentions } = await collect(context(query({ since: undefined, until: undefined })));
    expect(real.server.requests).toHaveLength(3);
    expect(mentions).toHaveLength(53);
  });

  it('walks every country, stops at the limit', async () => {
    real.server.resetLog();
    const many = await collect(context(query({ options: { appId: APP, countries: ['fr', 'gb'] } })));
    expect(many.error).toBeUndefined();
    expect(many.mentions.map((m) => m.id)).toEqual(['appstore:13924655512', 'appstore:13924100213', 'appstore:13922200214']);
    expect(real.server.requests.map((r) => r.path.split('/')[1])).toEqual(['fr', 'fr', 'gb', 'gb']);
    real.server.resetLog();
    const few = await collect(context(query({ limit: 5 })));
    expect(few.mentions).toHaveLength(5);
    expect(real.server.requests).toHaveLength(1);
  });

  it('says when a storefront feed comes back empty', async () => {
    const { warnings } = await collect(context(query({ options: { appId: APP, countries: ['gb'], pages: 1 } })));
    expect(warnings).toEqual([NO_RESPONSES_WARNING]);
    real.server.addRoute({
      path: `/de/rss/customerreviews/page=1/id=${APP}/sortby=mostrecent/json`,
      headers: { 'content-type': 'text/javascript; charset=utf-8' },
      body: fixture('us-page3.json'),
    });
    const empty = await collect(context(query({ options: { appId: APP, countries: ['de'] } })));
    expect(empty.warnings[1]).toMatch(/the de feed for app 6449012345 returned no reviews/);
  });

  it('maps an unknown app to a config error and an HTML body to bad-response', async () => {
    const missing = await collect(context(query({ options: { appId: '6449000404' } })));
    expect(missing.error).toMatchObject({ code: 'config' });
    const html = await collect(context(query({ options: { appId: '6449000500' } })));
    expect(html.error).toBeInstanceOf(SourceError);
    expect((html.error as SourceError).code).toBe('bad-response');
  });

  it('keeps the pages read before a malformed one', async () => {
    const { mentions, error } = await collect(context(query({ options: { appId: '6449000777' } })));
    expect((error as SourceError).code).toBe('bad-response');
    expect(mentions).toHaveLength(50);
  });

  it('treats a page past the end that answers 404 as the end of the storefront', async () => {
    real.server.addRoute({
      path: `/ca/rss/customerreviews/page=1/id=${APP}/sortby=mostrecent/json`,
      headers: { 'content-type': 'text/javascript; charset=utf-8' },
      body: fixture('fr-page1.json'),
    });
    const { mentions, error } = await collect(context(query({ options: { appId: APP, countries: ['ca'] } })));
    expect(error).toBeUndefined();
    expect(mentions).toHaveLength(1);
  });

  it('dates reviews the JSON feed left undated from the XML feed of the same page (real feeds 2016-2021, 2023-)', async () => {
    real.server.resetLog();
    const { mentions, warnings, error } = await collect(context(query({ options: { appId: APP, countries: ['nz'] } })));
    expect(error).toBeUndefined();
    expect(real.server.requests.map((r) => r.path)).toEqual([
      `/nz/rss/customerreviews/page=1/id=${APP}/sortby=mostrecent/json`,
      `/nz/rss/customerreviews/page=1/id=${APP}/sortby=mostrecent/xml`,
    ]);
    expect(mentions.map((m) => [m.id, m.createdAt, m.rating])).toEqual([
      ['appstore:14011200301', '2026-11-22T07:40:12.000Z', 1],
      ['appstore:14011200302', '2026-11-21T17:05:44.000Z', 5],
      ['appstore:14011200303', '2026-11-21T02:30:00.000Z', 2],
      ['appstore:14011200304', '2026-11-19T15:12:09.000Z', 4],
    ]);
    expect(mentions.some((m) => m.dateEstimated)).toBe(false);
    expect(warnings).toEqual([NO_RESPONSES_WARNING]);
  });

  it('keeps undated reviews with the time they were read, marked dateEstimated, when the XML feed fails too', async () => {
    // An audit's window ends at its as-of time, which is when the feed was read.
    const { ctx } = loggedContext(real.http, query({ until: new Date(TEST_NOW), options: { appId: APP, countries: ['ie'] } }), { baseUrl: real.server.url });
    const { mentions, warnings, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(mentions).toHaveLength(4);
    expect(mentions.every((m) => m.dateEstimated === true && m.createdAt === '2026-11-23T09:00:00.000Z')).toBe(true);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^appstore: ie page 1: 4 review\(s\) carry no date in the JSON feed and the XML feed could not date them \(.*HTTP 404.*\); they are kept with the time they were read \(2026-11-23T09:00:00.000Z\) and marked dateEstimated\.$/);
    // A window that ends before the reading leaves them out, and says how many.
    const earlier = await collect(context(query({ options: { appId: APP, countries: ['ie'] } })));
    expect(earlier.mentions).toHaveLength(0);
    expect(earlier.warnings.at(-1)).toBe('appstore: ie page 1: 4 undated review(s) left out because the time they were read (2026-11-23T09:00:00.000Z) is outside the audit window.');
  });

  it('requires appId', async () => {
    const { error } = await collect(context(query({ options: {} })));
    expect(error).toMatchObject({ code: 'config' });
  });
});
