/** The Steam source against its recorded pages over real HTTP: cursor paging, developer responses, ratings, faults. */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.js';
import { steamAppId } from '../../../src/sources/steam/fetch.js';
import { steamSource } from '../../../src/sources/steam/index.js';
import { parseSteamReviews, steamText } from '../../../src/sources/steam/parse.js';
import { collect, collectOrThrow, fixtureReader, loggedContext, realHttpEachTest, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('steam');
const fixture = fixtureReader(DIR);
const NOW = new Date('2026-11-23T09:00:00Z');
const query = sourceQuery({ until: NOW, limit: 500, options: { appId: '2954110' } });
const open = realHttpEachTest(DIR);

describe('steam parse', () => {
  it('reads BBCode-like markup as text: tags gone, list items and headings on their own lines, [url] as its label', () => {
    expect(steamText('[h1]Title[/h1]\r\nBody [b]bold[/b] [url=https://x.example]the docs[/url].[list][*]a[*]b[/list]')).toBe('Title\n\nBody bold the docs.\n\na\nb');
    expect(steamText('[url=https://x.example][/url]')).toBe('https://x.example');
  });

  it('maps voted_up to a rating and a developer_response to a brand reply at its own time', () => {
    const page = parseSteamReviews(fixture('reviews-page1.json'), query, { appId: '2954110' });
    expect(page).toMatchObject({ reviewCount: 4, cursor: 'AoJwqNG5vJkDd7jXpAM=', totalReviews: 509 });
    const [down, reply, up] = page.mentions;
    expect(down).toMatchObject({ id: 'steam:214873301', kind: 'review', rating: 1, fromBrand: false, author: { id: '76561198114470921' }, language: 'en' });
    expect(reply).toMatchObject({ id: 'steam:214873301:reply', fromBrand: true, parentId: 'steam:214873301', createdAt: '2026-11-22T09:15:00.000Z' });
    expect(up).toMatchObject({ rating: 5 });
  });

  it('refuses an answer that is not a reviews page, saying what was expected', () => {
    const err = (body: string): string => {
      try {
        parseSteamReviews(body, query, { appId: '1' });
      } catch (e) {
        return (e as SourceError).message;
      }
      return 'no error';
    };
    expect(err('{"success":2}')).toBe('steam: expected "success": 1 for app 1, found 2; check option appId.');
    expect(err('{"success":1,"reviews":{}}')).toBe('steam: expected a "reviews" list in the answer for app 1.');
  });

  it('needs the app id, from the number or a store URL', () => {
    expect(steamAppId({ appId: 'https://store.steampowered.com/app/2954110/Acme_Cloud_Sync/' })).toBe('2954110');
    expect(steamAppId({ appId: 570 })).toBe('570');
    expect(() => steamAppId({})).toThrow(/option "appId" is required/);
    expect(() => steamSource.checkSettings?.({ appId: 'acme' })).toThrow(/must be the number in store\.steampowered\.com\/app\/<appId>\/, not "acme"/);
  });
});

describe('steam fetch', () => {
  it('pages by cursor (URL-encoded) until the empty last page, and counts developer responses as answers', async () => {
    const { server, http } = await open();
    const { ctx } = loggedContext(http, query, { baseUrl: server.url, env: {}, now: NOW });
    const { mentions, warnings } = await collectOrThrow(steamSource, ctx);
    expect(server.unmatched).toEqual([]);
    expect(server.requests.map((r) => r.query['cursor'])).toEqual(['*', 'AoJwqNG5vJkDd7jXpAM=', 'AoJw+JXQtJkDe/KbowM=']);
    // The raw query string carries the cursor encoded: `+` sent bare would read as a space.
    expect(server.requests[2]!.url).toContain('cursor=AoJw%2BJXQtJkDe%2FKbowM%3D');
    expect(server.requests[0]!.query).toMatchObject({ json: '1', filter: 'recent', num_per_page: '100' });
    expect(mentions.filter((m) => m.kind === 'review')).toHaveLength(6);
    expect(mentions.filter((m) => m.fromBrand).map((m) => m.parentId)).toEqual(['steam:214873301', 'steam:214802288']);
    expect(warnings).toEqual([]);
  });

  it('stops at the page that reaches before --since, keeping only reviews (and their responses) in the window', async () => {
    const { server, http } = await open();
    const { ctx } = loggedContext(http, { ...query, since: new Date('2026-11-21T00:00:00Z') }, { baseUrl: server.url, env: {}, now: NOW });
    const { mentions } = await collectOrThrow(steamSource, ctx);
    expect(server.requests).toHaveLength(1);
    expect(mentions.map((m) => m.id)).toEqual(['steam:214873301', 'steam:214873301:reply', 'steam:214860554']);
  });

  it('says so when the app has no reviews, instead of a silent 0', async () => {
    const { server, http } = await open({ routes: [{ path: '/appreviews/1', status: 200, headers: { 'content-type': 'application/json' }, body: '{"success":1,"query_summary":{"num_reviews":0},"reviews":[],"cursor":"*"}' }] });
    const { ctx } = loggedContext(http, { ...query, options: { appId: '1' } }, { baseUrl: server.url, env: {}, now: NOW });
    const { mentions, warnings } = await collectOrThrow(steamSource, ctx);
    expect(mentions).toEqual([]);
    expect(warnings).toEqual(['steam: Steam has no reviews for app 1 (filter=recent); check option appId or language.']);
  });

  it('keeps page 1 when page 2 fails, and reports the failure', async () => {
    const { server, http } = await open({ faults: [{ match: (r) => r.query['cursor'] !== '*', fault: { kind: 'status', status: 503 } }] });
    const { ctx } = loggedContext(http, query, { baseUrl: server.url, env: {}, now: NOW });
    const r = await collect(steamSource, ctx);
    expect(r.mentions.filter((m) => m.kind === 'review')).toHaveLength(4);
    expect(r.error).toBeInstanceOf(SourceError);
    expect((r.error as SourceError).code).toBe('bad-response');
  });
});
