import { describe, expect, it } from 'vitest';
import type { Mention } from '../../../src/core/mention.js';
import type { HttpClient } from '../../../src/http/types.js';
import { SourceError } from '../../../src/core/errors.js';
import { defaultTag } from '../../../src/sources/mastodon/fetch.js';
import { mastodonSource } from '../../../src/sources/mastodon/index.js';
import {
  statusHtmlToText,
  isoToSnowflake,
  nextMaxId,
  parseContext,
  parseSearch,
  parseStatuses,
  snowflakeToIso,
  statusToMention,
  type MastodonBrand,
} from '../../../src/sources/mastodon/parse.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { collect as collectBatches, fixtureReader, loggedContext, realHttpEachTest, sourceFixtureDir } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('mastodon');
const read = fixtureReader(DIR);

const ID = {
  m0: '117551687270455511',
  m1: '117632391731298358',
  m1r: '117632543628871287',
  m1rr: '117632615310998310',
  m2: '117658215186705543',
  m3: '117643977983288342',
  m3r: '117644085493761175',
  m4: '117614523187264262',
  m5: '117622407823363751',
  m6: '117660686745616374',
  m6r: '117660775335692983',
  m7: '117600997802046182',
  m7r: '117604012523567303',
  m8: '117626005094454230',
  mdr: '117649244160010983',
  deleted: '117648937451561670',
};
const mid = (k: keyof typeof ID): string => `mastodon:${ID[k]}`;

const BRAND: MastodonBrand = {
  brand: 'Acme Cloud',
  accountUrls: ['https://mastodon.social/@acmecloud'],
  handles: [],
  instanceHost: 'mastodon.social',
};

function query(over: Partial<SourceQuery> = {}): SourceQuery {
  return { query: 'acme cloud', brand: 'Acme Cloud', brandHandles: [], limit: 500, options: { brandAccounts: ['https://mastodon.social/@acmecloud'] }, ...over };
}

describe('mastodon helpers', () => {
  it('reduces status HTML to text: paragraphs, <br>, entities, hidden link parts', () => {
    expect(statusHtmlToText('<p>a &amp; b &lt;3 it&#39;s</p><p>line<br>two <a href="x"><span class="invisible">https://</span><span>ex.am/ple</span></a></p>')).toBe(
      "a & b <3 it's\n\nline\ntwo https://ex.am/ple",
    );
    expect(statusHtmlToText('plain &quot;text&quot;')).toBe('plain "text"');
  });

  it('reads a status nesting 20,000 tags flattened (reading the deep tree overflowed the call stack) and says so', () => {
    let deep = 0;
    const html = `<p>${'<span>'.repeat(20_000)}Acme Cloud is down${'</span>'.repeat(20_000)}</p>`;
    expect(statusHtmlToText(html, () => (deep += 1))).toBe('Acme Cloud is down');
    expect(deep).toBe(1);
  });

  it('reads times from snowflake ids and builds max_id from a date', () => {
    expect(snowflakeToIso(ID.m1)).toBe('2026-11-17T15:04:12.345Z');
    expect(snowflakeToIso(ID.deleted)).toBe('2026-11-20T13:12:00.000Z');
    expect(snowflakeToIso(isoToSnowflake(new Date('2026-11-23T00:00:00Z')))).toBe('2026-11-23T00:00:00.000Z');
    expect(snowflakeToIso('abc')).toBeUndefined();
  });

  it('reads the next max_id from a Link header', () => {
    const link = '<https://mastodon.social/api/v1/timelines/tag/acmecloud?max_id=117632391731298358>; rel="next", <https://mastodon.social/api/v1/timelines/tag/acmecloud?min_id=117660686745616374>; rel="prev"';
    expect(nextMaxId(link)).toBe('117632391731298358');
    expect(nextMaxId('<https://x/api?min_id=1>; rel="prev"')).toBeUndefined();
    expect(nextMaxId(undefined)).toBeUndefined();
  });

  it('derives the default hashtag from the query words', () => {
    expect(defaultTag('acme cloud')).toBe('acmecloud');
    expect(defaultTag('Café Olé!')).toBe('caféolé');
  });
});

describe('mastodon parse', () => {
  it('parses a hashtag timeline page with HTML reduced to text', () => {
    const r = parseStatuses(read('tag-acmecloud-page1.json'), BRAND);
    expect(r.warnings).toEqual([]);
    expect(r.mentions.map((m) => m.id)).toEqual([mid('m6'), mid('m2'), mid('m3'), mid('m1')]);
    const [promo, night, spanish, mysql] = r.mentions as [Mention, Mention, Mention, Mention];
    expect(promo).toMatchObject({ fromBrand: true, kind: 'post', threadId: mid('m6'), author: { handle: 'acmecloud@mastodon.social', name: 'Acme Cloud' } });
    expect(promo.text).toBe('🖤 Black Friday starts early: 40% off managed databases for your first year. Code BF40 at https://acmecloud.example/bf\n\n#AcmeCloud');
    expect(night).toMatchObject({
      fromBrand: false,
      createdAt: '2026-11-22T04:31:27.004Z',
      url: `https://mastodon.social/@tomasz/${ID.m2}`,
      author: { id: '111345678901234567', handle: 'tomasz@mastodon.social', name: 'Tomasz 🚲' },
      engagement: { likes: 3, replies: 0, followers: 95 },
      language: 'en',
    });
    expect(night.text).toBe('3rd night in a row my Acme Cloud site returns 503 between 4 and 5am. No incident on the status page, no reply from support.\nStarting to look at other hosts. #acmecloud');
    expect(spanish.language).toBe('es');
    expect(spanish.text).toContain('¿Alguien sabe si #AcmeCloud tiene región en São Paulo?');
    expect(mysql.author.handle).toBe('nadia@hachyderm.io');
    expect(mysql.url).toBe('https://hachyderm.io/@nadia/115563311223344556');
    expect(mysql.text).toContain("since this morning's maintenance");
  });

  it('decodes entities and does not take an imposter for the brand', () => {
    const r = parseStatuses(read('tag-acmecloud-page2.json'), { ...BRAND, handles: ['acmecloud'] });
    const imposter = r.mentions.find((m) => m.id === mid('m8'));
    expect(imposter?.author.handle).toBe('acmecloud@fake.example');
    expect(imposter?.fromBrand).toBe(false);
    const praise = r.mentions.find((m) => m.id === mid('m4'));
    expect(praise?.text).toBe("Moved our status page & docs to #AcmeCloud last month and it's been rock solid. <3 Zero downtime so far.\n\nDetails: https://olu.example/blog/moving-hosts");
  });

  it('recognises the brand by a bare handle for local accounts and by user@host', () => {
    const page = read('tag-acmecloud-page1.json');
    const none: MastodonBrand = { ...BRAND, accountUrls: [] };
    expect(parseStatuses(page, none).mentions.filter((m) => m.fromBrand)).toHaveLength(0);
    expect(parseStatuses(page, { ...none, handles: ['@AcmeCloud'] }).mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([mid('m6')]);
    expect(parseStatuses(page, { ...none, handles: ['acmecloud@mastodon.social'] }).mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([mid('m6')]);
  });

  it('parses a context: thread order, parent links, root as threadId, brand reply', () => {
    const anchor = parseStatuses(read('tag-acmecloud-page1.json'), BRAND).mentions.find((m) => m.id === mid('m1'))!;
    const r = parseContext(read('context-m1.json'), anchor, BRAND);
    expect(r.rootId).toBe(mid('m1'));
    expect(r.mentions.map((m) => m.id)).toEqual([mid('m1'), mid('m1r'), mid('m1rr')]);
    const [, reply, thanks] = r.mentions as [Mention, Mention, Mention];
    expect(reply).toMatchObject({ kind: 'comment', fromBrand: true, parentId: mid('m1'), threadId: mid('m1'), createdAt: '2026-11-17T15:42:50.118Z' });
    expect(thanks).toMatchObject({ fromBrand: false, parentId: mid('m1r'), threadId: mid('m1'), author: { handle: 'nadia@hachyderm.io' } });
    // Business-hours complaint answered in under an hour.
    expect(Date.parse(reply.createdAt) - Date.parse(anchor.createdAt)).toBeLessThan(3600_000);
  });

  it('sets the root of a reply from its ancestors', () => {
    const brandStatuses = parseStatuses(read('account-statuses-acmecloud.json'), BRAND);
    const deflection = brandStatuses.mentions.find((m) => m.id === mid('m7r'))!;
    expect(deflection.threadId).toBeUndefined();
    const r = parseContext(read('context-m7r.json'), deflection, BRAND);
    expect(r.mentions.map((m) => [m.id, m.threadId])).toEqual([
      [mid('m7'), mid('m7')],
      [mid('m7r'), mid('m7')],
    ]);
    expect(r.mentions[1]?.text).toMatch(/Please DM us your account email and we will look into the double charge/);
  });

  it('gives a brand reply to a deleted status a [deleted] placeholder parent timed from its id', () => {
    const brandStatuses = parseStatuses(read('account-statuses-acmecloud.json'), BRAND);
    const orphan = brandStatuses.mentions.find((m) => m.id === mid('mdr'))!;
    const r = parseContext(read('context-mdr.json'), orphan, BRAND);
    expect(r.mentions.map((m) => m.id)).toEqual([mid('deleted'), mid('mdr')]);
    expect(r.mentions[0]).toMatchObject({ text: '[deleted]', kind: 'post', createdAt: '2026-11-20T13:12:00.000Z', threadId: mid('deleted'), fromBrand: false });
    expect(r.mentions[1]).toMatchObject({ parentId: mid('deleted'), threadId: mid('deleted'), fromBrand: true });
  });

  it('parses v2 search results and unwraps boosts', () => {
    const r = parseSearch(read('search-statuses.json'), BRAND);
    expect(r.mentions.map((m) => m.id)).toEqual([mid('m2'), mid('m7'), mid('m4')]);
    const status = (JSON.parse(read('tag-acmecloud-page1.json')) as unknown[])[1];
    const boosted = parseStatuses(JSON.stringify([{ id: '117660999999999999', reblog: status, account: {} }]), BRAND);
    expect(boosted.mentions.map((m) => m.id)).toEqual([mid('m2')]);
    expect(boosted.dropped).toBe(1);
  });

  it('turns missing fields into undefined plus a warning naming the field and status', () => {
    const items = JSON.parse(read('tag-acmecloud-page1.json')) as Record<string, unknown>[];
    delete items[1]!['account'];
    delete items[2]!['created_at'];
    delete items[3]!['content'];
    const r = parseStatuses(JSON.stringify(items), BRAND);
    expect(r.mentions).toHaveLength(4);
    expect(r.mentions[1]?.author).toEqual({});
    expect(r.mentions[2]?.createdAt).toBe(snowflakeToIso(ID.m3));
    expect(r.mentions[3]?.text).toBe('');
    expect(r.warnings).toEqual([
      `mastodon: status ${ID.m2} has no readable "account".`,
      `mastodon: status ${ID.m3} has no readable "created_at"; used the time in its id.`,
      `mastodon: status ${ID.m1} has no readable "content".`,
    ]);
    const warnings: string[] = [];
    expect(statusToMention({ content: '<p>x</p>' }, BRAND, warnings)).toBeUndefined();
    expect(warnings).toEqual(['mastodon: skipped a status without an "id" field.']);
  });

  it('throws bad-response on HTML or a changed layout', () => {
    expect(() => parseStatuses('<!DOCTYPE html><html><body>Maintenance</body></html>', BRAND)).toThrowError(/HTML page where a list of statuses was expected/);
    for (const bad of [() => parseStatuses('{"statuses":[]}', BRAND), () => parseSearch('[]', BRAND), () => parseContext('{"ancestors":[]}', { id: 'mastodon:1' } as Mention, BRAND)]) {
      try {
        bad();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(SourceError);
        expect((err as SourceError).code).toBe('bad-response');
      }
    }
  });
});

describe('mastodon fetch over real HTTP (fixture server)', () => {
  const setup = realHttpEachTest(DIR, { defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });

  const context = (h: HttpClient, baseUrl: string, over: { query?: Partial<SourceQuery>; env?: Record<string, string> } = {}) =>
    loggedContext(h, query(over.query), { baseUrl, env: over.env ?? {} });

  const collect = (ctx: SourceContext) => collectBatches(mastodonSource, ctx);

  it('keyless: pages the tag timeline by Link max_id until since, reads contexts, then the brand statuses', async () => {
    const { server: s, http: h } = await setup();
    const { ctx } = context(h, s.url, { query: { since: new Date('2026-11-09T00:00:00Z') } });
    const { mentions, warnings, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(s.unmatched).toEqual([]);
    const urls = s.requests.map((r) => r.url);
    expect(urls.filter((u) => u.startsWith('/api/v1/timelines/tag/acmecloud'))).toEqual([
      '/api/v1/timelines/tag/acmecloud?limit=40',
      `/api/v1/timelines/tag/acmecloud?limit=40&max_id=${ID.m1}`,
      `/api/v1/timelines/tag/acmecloud?limit=40&max_id=${ID.m7}`,
    ]);
    // Contexts only for statuses with replies or parents: m6, m3, m1, m7 (not m2, m4, m5, m8 with replies_count 0).
    const contexts = urls.filter((u) => u.endsWith('/context'));
    expect(contexts.slice(0, 4)).toEqual([ID.m6, ID.m3, ID.m1, ID.m7].map((i) => `/api/v1/statuses/${i}/context`));
    expect(urls).not.toContain(`/api/v1/statuses/${ID.m2}/context`);
    expect(urls).toContain('/api/v1/accounts/lookup?acct=acmecloud%40mastodon.social');
    expect(urls).toContain('/api/v1/accounts/109876543210987654/statuses?exclude_reblogs=true&limit=40');
    expect(urls.some((u) => u.startsWith('/api/v2/search'))).toBe(false);
    expect(warnings).toEqual([
      'mastodon: full-text search is unavailable: 127.0.0.1:' +
        s.port +
        ' searches statuses only for logged-in users; set MASTODON_TOKEN to an access token for 127.0.0.1:' +
        s.port +
        ' to enable it. Only hashtag timelines (#acmecloud) and brand accounts were read.',
    ]);
    const ids = mentions.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(mid('m0')); // before since
    expect(ids).toEqual(expect.arrayContaining([mid('m6'), mid('m6r'), mid('m2'), mid('m3'), mid('m3r'), mid('m1'), mid('m1r'), mid('m1rr'), mid('m8'), mid('m5'), mid('m4'), mid('m7'), mid('m7r'), mid('deleted'), mid('mdr')]));
    expect(mentions.filter((m) => m.fromBrand).map((m) => m.id).sort()).toEqual([mid('m1r'), mid('m3r'), mid('m6'), mid('m7r'), mid('mdr')].sort());
    expect(mentions.find((m) => m.id === mid('m6r'))).toMatchObject({ parentId: mid('m6'), threadId: mid('m6') });
    expect(s.requests.every((r) => r.headers['authorization'] === undefined)).toBe(true);
  });

  it('starts at until (max_id from the date) and stops at the limit', async () => {
    const { server: s, http: h } = await setup();
    const { ctx } = context(h, s.url, { query: { until: new Date('2026-11-23T00:00:00Z'), limit: 2 } });
    const { mentions } = await collect(ctx);
    expect(mentions.map((m) => m.id)).toEqual([mid('m6'), mid('m6r')]);
    expect(s.requests[0]?.url).toBe(`/api/v1/timelines/tag/acmecloud?limit=40&max_id=${isoToSnowflake(new Date('2026-11-23T00:00:00Z'))}`);
    expect(s.requests).toHaveLength(2); // the page and one context
  });

  it('with MASTODON_TOKEN: searches by offset with a Bearer header and no warning', async () => {
    const { server: s, http: h } = await setup();
    const { ctx, log } = context(h, s.url, { env: { MASTODON_TOKEN: 'tok-secret-123' }, query: { options: { tags: ['acmecloud'], pageSize: 3 } } });
    const { warnings, mentions, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    const searches = s.requests.filter((r) => r.path === '/api/v2/search');
    expect(searches.map((r) => r.query)).toEqual([
      { q: 'acme cloud', type: 'statuses', limit: '3', offset: '0' },
      { q: 'acme cloud', type: 'statuses', limit: '3', offset: '3' },
    ]);
    expect(s.requests.every((r) => r.headers['authorization'] === 'Bearer tok-secret-123')).toBe(true);
    expect(s.requests.every((r) => !r.url.includes('tok-secret'))).toBe(true);
    expect(JSON.stringify({ mentions, warnings, log: log.lines })).not.toContain('tok-secret');
  });

  it('a 401 on the tag timeline is auth-required naming MASTODON_TOKEN', async () => {
    const { server: s, http: h } = await setup();
    const { ctx } = context(h, s.url, { query: { options: { tags: ['privatetag'] } } });
    const { error, mentions } = await collect(ctx);
    expect(mentions).toEqual([]);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('auth-required');
    expect((error as SourceError).message).toMatch(/#privatetag hashtag timeline to logged-in users \(HTTP 401\); set MASTODON_TOKEN/);
  });

  it('a failing second page throws the SourceError, keeping what page one yielded', async () => {
    const { server: s, http: h } = await setup();
    s.fault({ match: (r) => r.query['max_id'] === ID.m1, fault: { kind: 'status', status: 503 } });
    const { ctx } = context(h, s.url);
    const { mentions, error } = await collect(ctx);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('bad-response');
    expect(mentions.map((m) => m.id)).toEqual(expect.arrayContaining([mid('m6'), mid('m2'), mid('m3'), mid('m1'), mid('m1r')]));
    expect(mentions.map((m) => m.id)).not.toContain(mid('m8'));
  });

  it('a 429 with Retry-After is waited out by the client and the run completes', async () => {
    const { server: s, http: h } = await setup();
    s.fault({ match: (r) => r.path.endsWith('/context'), fault: { kind: 'rate-limit', retryAfter: 0 }, times: 1 });
    const { ctx } = context(h, s.url, { query: { limit: 5 } });
    const { mentions, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(mentions).toHaveLength(5);
    expect(s.requests.filter((r) => r.url === `/api/v1/statuses/${ID.m6}/context`)).toHaveLength(2);
  });

  it('an HTML page instead of JSON is bad-response', async () => {
    const { server: s, http: h } = await setup();
    s.fault({ match: /timelines/, fault: { kind: 'malformed', body: '<!DOCTYPE html><html><body>Be right back</body></html>', contentType: 'text/html' } });
    const { ctx } = context(h, s.url);
    const { error } = await collect(ctx);
    expect((error as SourceError).code).toBe('bad-response');
    expect((error as SourceError).message).toMatch(/HTML page where a list of statuses was expected/);
  });

  it('rejects bad options with a config error', async () => {
    const { server: s, http: h } = await setup();
    const { ctx } = context(h, s.url, { query: { options: { brandAccounts: ['acmecloud'] } } });
    const { error } = await collect(ctx);
    expect((error as SourceError).code).toBe('config');
    expect(s.requests).toEqual([]);
  });

  it('describes itself', () => {
    expect(mastodonSource.id).toBe('mastodon');
    expect(mastodonSource.tokenEnv).toEqual(['MASTODON_TOKEN']);
    expect(mastodonSource.defaultBaseUrl).toBe('https://mastodon.social');
  });
});
