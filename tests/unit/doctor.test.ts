/** `earshot doctor`'s pure part: probing through a stub client, classification by error class, the hint, the lines. */
import { describe, expect, it } from 'vitest';
import {
  classifyProbe,
  doctorLines,
  emptyHint,
  headerQuota,
  probeSource,
  summarise,
  type DoctorCheck,
  type DoctorStatus,
  type ProbeJob,
  type ProbeOutcome,
  type TokenState,
} from '../../src/audit/doctor.js';
import { AuthRequiredError, BlockedError, BudgetSpentError, NetworkError, RateLimitedError, SourceSkippedError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { HttpClient, HttpResponse } from '../../src/http/types.js';
import { SOURCES } from '../../src/sources/index.js';
import type { Source, SourceBatch, SourceQuery } from '../../src/sources/types.js';
import { mention } from '../helpers/make-mention.js';

const QUERY: SourceQuery = { query: 'acme cloud', brand: 'acme cloud', brandHandles: [], since: new Date('2026-11-09T00:00:00Z'), limit: 500, options: {} };
const job = (id: string, query: Partial<SourceQuery> = {}): ProbeJob => ({ source: SOURCES[id]!, baseUrl: 'http://127.0.0.1:1', query: { ...QUERY, ...query } });
const outcome = (o: Partial<ProbeOutcome> = {}): ProbeOutcome => ({ mentions: 0, requests: 1, answered: 0, ...o });
const refused = (): NetworkError => new NetworkError('Could not reach 127.0.0.1:1 (ECONNREFUSED); check your connection and the host name.', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

describe('headerQuota', () => {
  it('reads GitHub, Reddit (a float) and IETF draft headers; nothing without a remaining count', () => {
    expect(headerQuota({ 'x-ratelimit-remaining': '57', 'x-ratelimit-limit': '60' })).toEqual({ remaining: 57, limit: 60 });
    expect(headerQuota({ 'x-ratelimit-remaining': '598.0' })).toEqual({ remaining: 598 });
    expect(headerQuota({ 'ratelimit-remaining': '2999', 'ratelimit-limit': '3000' })).toEqual({ remaining: 2999, limit: 3000 });
    expect(headerQuota({ 'x-ratelimit-limit': '60' })).toBeUndefined();
    expect(headerQuota({ 'x-ratelimit-remaining': 'lots' })).toBeUndefined();
  });

  it('Stack Exchange reads its quota from the body', () => {
    const res = { url: 'x', status: 200, headers: {}, body: '{"items":[],"has_more":false,"quota_max":10000,"quota_remaining":9990}', fromCache: false, fetchedAt: '' };
    expect(SOURCES['stackexchange']!.quotaLeft!(res)).toEqual({ remaining: 9990, limit: 10000 });
    expect(SOURCES['stackexchange']!.quotaLeft!({ ...res, body: 'not json' })).toBeUndefined();
  });
});

describe('classifyProbe', () => {
  const status = (id: string, o: Partial<ProbeOutcome>, env: Record<string, string> = {}): [DoctorStatus, TokenState, boolean] => {
    const c = classifyProbe(job(id), outcome(o), env);
    return [c.status, c.token, c.usable];
  };

  it('maps each error class to what to fix, and the token to set, accepted or rejected', () => {
    expect(status('github', { mentions: 1, answered: 1 }, { GITHUB_TOKEN: 'ghp_x' })).toEqual(['ok', 'accepted', true]);
    expect(status('hn', { mentions: 0, answered: 1 })).toEqual(['no-results', 'not-used', true]);
    expect(status('github', { error: new AuthRequiredError('401') }, { GITHUB_TOKEN: 'ghp_x' })).toEqual(['token-rejected', 'rejected', false]);
    expect(status('github', { error: new AuthRequiredError('401') })).toEqual(['token-required', 'not-set', false]);
    expect(status('trustpilot', { error: new BlockedError('wall') })).toEqual(['blocked', 'not-set', false]);
    expect(status('hn', { error: refused() })).toEqual(['unreachable', 'not-used', false]);
    expect(status('rss', { error: new SourceSkippedError('no feeds'), requests: 0 })).toEqual(['not-configured', 'not-set', false]);
    // A token set but never checked (the request failed before any answer) is only "set".
    expect(status('github', { error: new NetworkError('down') }, { GITHUB_TOKEN: 'ghp_x' })).toEqual(['unreachable', 'set', false]);
    // An account name alone (a Bluesky handle) is not a token.
    expect(status('bluesky', { mentions: 1, answered: 1 }, { BLUESKY_HANDLE: 'acme.bsky.social' })).toEqual(['ok', 'not-set', true]);
  });

  it('rate-limited: the reset time, also through a source that re-worded the error', () => {
    const resetAt = new Date('2026-11-23T09:02:00Z');
    const direct = classifyProbe(job('hn'), outcome({ error: new RateLimitedError('429', { resetAt }) }), {});
    expect(direct).toMatchObject({ status: 'rate-limited', resetAt: '2026-11-23T09:02:00.000Z', usable: false, reachable: true });
    const reworded = classifyProbe(job('discourse'), outcome({ error: new RateLimitedError('the forum rate-limited us', { cause: new RateLimitedError('429', { resetAt }) }) }), {});
    expect(reworded.resetAt).toBe('2026-11-23T09:02:00.000Z');
  });

  it("earshot's own budget refusing the request: rate-limited until then, no request counted as sent", () => {
    const resetAt = new Date('2026-11-23T10:00:00Z');
    const spent = new BudgetSpentError('No request sent to www.reddit.com: the budget is spent.', { resetAt, reason: 'spent' });
    const c = classifyProbe(job('reddit'), outcome({ error: spent, requests: 1 }), {});
    expect(c).toMatchObject({ status: 'rate-limited', resetAt: '2026-11-23T10:00:00.000Z', requests: 0 });
    expect(c.reachable).toBeUndefined();
    // After two feeds were read, the third refused: two sent, the server answered.
    expect(classifyProbe(job('reddit'), outcome({ error: spent, requests: 3, answered: 2 }), {})).toMatchObject({ requests: 2, reachable: true });
  });

  it('never shows a token value, even one a server echoed into the message', () => {
    const c = classifyProbe(job('github'), outcome({ error: new AuthRequiredError('github: Bad credentials for ghp_secretvalue123') }), { GITHUB_TOKEN: 'ghp_secretvalue123' });
    expect(c.message).not.toContain('ghp_secretvalue123');
    expect(doctorLines(summarise([c], [outcome()]))).not.toContain('ghp_secretvalue123');
  });
});

describe('the route', () => {
  it("says which way Reddit reads, naming variables, never values", () => {
    const anonymous = classifyProbe(job('reddit'), outcome({ mentions: 1, answered: 1 }), {});
    // The same words as `earshot sources` (the route is the source's to word).
    expect(doctorLines(summarise([anonymous], [outcome()]))).toBe(`reddit  ok  reachable; no token set; reads ${SOURCES['reddit']!.route!({})}; the query finds mentions; 1 request\n`);
    const oauth = classifyProbe(job('reddit'), outcome({ mentions: 1, answered: 1 }), { REDDIT_CLIENT_ID: 'id-value-1', REDDIT_CLIENT_SECRET: 'secret-value-2' });
    expect(oauth).toMatchObject({ token: 'accepted', route: SOURCES['reddit']!.route!({ REDDIT_CLIENT_ID: 'id-value-1', REDDIT_CLIENT_SECRET: 'secret-value-2' }) });
    expect(oauth.route).not.toBe(anonymous.route);
    expect(JSON.stringify(oauth)).not.toMatch(/id-value-1|secret-value-2/);
  });
});

describe('emptyHint', () => {
  it('a search: the query (a phrase must match as written), the window', () => {
    expect(emptyHint({ ...job('hn'), written: '"acme cloud"' })).toBe(
      'the service found nothing for "acme cloud" (a quoted phrase must appear exactly as written) in the window since 2026-11-09; try a broader --query, a wider --since',
    );
  });

  it("a brand-owned source: its options, and the language it is limited to (given or the default)", () => {
    expect(emptyHint(job('googleplay', { options: { appId: 'com.acme.cloud' }, until: new Date('2026-11-23T00:00:00Z') }))).toBe(
      "the brand's own pages it reads (googleplay.appId) have nothing in the window between 2026-11-09 and 2026-11-23 limited to lang=en, country=us; try other sources.googleplay settings, a wider --since, another lang or country",
    );
    expect(emptyHint(job('stackexchange', { options: { site: 'serverfault', brandUserIds: [1] } }))).toBe(
      'the service found nothing for acme cloud in the window since 2026-11-09 limited to site=serverfault; try a broader --query, a wider --since, another site',
    );
  });

  it('a search scoped by settings names them (subreddits, repos), not the ones that only mark brand replies', () => {
    expect(emptyHint({ ...job('reddit', { options: { subreddits: ['acmecloud'], brandSubreddits: ['acmecloud'] }, since: undefined }), written: 'acme' })).toBe(
      'the service found nothing for acme within reddit.subreddits; try a broader --query or fewer sources.reddit settings',
    );
  });
});

describe('summarise', () => {
  it('"no network" only when every source that tried never reached a server, and more than one did', () => {
    const checks = (n: number): DoctorCheck[] => Array.from({ length: n }, (_, i) => classifyProbe(job(i === 0 ? 'hn' : 'github'), outcome({ error: refused() }), {}));
    expect(summarise(checks(2), [outcome({ error: refused() }), outcome({ error: refused() })])).toMatchObject({ offline: true, offlineCodes: ['ECONNREFUSED'], usable: false });
    expect(summarise(checks(1), [outcome({ error: refused() })]).offline).toBe(false);
    // No DNS on one host and nothing listening on another is still no network; both codes are named.
    const unresolved = new NetworkError('the host name hn.algolia.com could not be resolved (ENOTFOUND)', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) });
    const mixed = summarise(checks(2), [outcome({ error: unresolved }), outcome({ error: refused() })]);
    expect(mixed).toMatchObject({ offline: true, offlineCodes: ['ECONNREFUSED', 'ENOTFOUND'] });
    expect(doctorLines(mixed)).toBe("no network: none of the 2 sources' servers could be reached (ECONNREFUSED, ENOTFOUND); check the connection, DNS or proxy, then run earshot doctor again.\n");
    // A source that made no request (not configured) does not count either way.
    expect(summarise(checks(2), [outcome({ error: refused() }), outcome({ error: new NetworkError('reset', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }) })]).offline).toBe(false);
  });

  it('the lines: aligned, one per source, fields in a fixed order', () => {
    const ok = classifyProbe(job('hn'), outcome({ mentions: 1, answered: 1, requests: 2 }), {});
    const limited = classifyProbe(job('github'), outcome({ error: new RateLimitedError('Rate-limited.', { resetAt: new Date('2026-11-23T09:02:00Z') }), quota: { remaining: 0, limit: 10 } }), {});
    expect(doctorLines(summarise([ok, limited], [outcome(), outcome()]))).toBe(
      'hn      ok            reachable; no token needed; the query finds mentions; 2 requests\n' +
        'github  rate-limited  reachable; no token set; quota 0 of 10 left; rate-limited until 2026-11-23T09:02:00.000Z; Rate-limited; 1 request\n',
    );
  });
});

describe('probeSource', () => {
  const response = (headers: Record<string, string>): HttpResponse => ({ url: 'http://127.0.0.1:1/x', status: 200, headers, body: '{}', fromCache: false, fetchedAt: '' });

  it('asks with a limit of 1, stops at the first page with a mention, counts requests and keeps the lowest quota', async () => {
    let limit = 0;
    let pagesAsked = 0;
    const stub: Source = {
      ...SOURCES['hn']!,
      async *fetch(ctx): AsyncIterable<SourceBatch> {
        limit = ctx.query.limit;
        for (let page = 0; page < 5; page += 1) {
          pagesAsked += 1;
          await ctx.http.get(`${ctx.baseUrl}/page/${page}`);
          yield { mentions: page === 0 ? [] : [mention(`m${page}`, '2026-11-20T10:00:00Z', 'acme cloud is down')], warnings: [] };
        }
      },
    };
    let remaining = 10;
    const http: HttpClient = { get: () => Promise.resolve(response({ 'x-ratelimit-remaining': String((remaining -= 1)), 'x-ratelimit-limit': '10' })), post: () => Promise.reject(new Error('no')), close: () => Promise.resolve() };
    const o = await probeSource({ source: stub, baseUrl: 'http://127.0.0.1:1', query: QUERY }, { http, log: silentLogger, signal: new AbortController().signal, env: {}, now: new Date() });
    expect({ limit, pagesAsked, requests: o.requests, answered: o.answered, mentions: o.mentions, quota: o.quota, error: o.error }).toEqual({
      limit: 1,
      pagesAsked: 2,
      requests: 2,
      answered: 2,
      mentions: 1,
      quota: { remaining: 8, limit: 10 },
      error: undefined,
    });
  });
});
