/** Reddit's anonymous feeds in 2026: a request budget kept across runs, 429s remembered, private feed links. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetSpentError, RateLimitedError } from '../../../src/core/errors.js';
import { redditSource } from '../../../src/sources/reddit/index.js';
import { createHttpClient, type EarshotHttpClient } from '../../../src/http/index.js';
import { SERVICE_HINTS } from '../../../src/sources/index.js';
import { collect, loggedContext, realHttp, sourceFixtureDir, sourceQuery, type RealHttp } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('reddit');
const NOW = new Date('2026-11-23T09:00:00Z');
const query = sourceQuery({ brandHandles: ['AcmeCloudSupport'], until: NOW, limit: 500 });
const FAST = { defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 }, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, jitter: 0 } };

const open: RealHttp[] = [];
const clients: EarshotHttpClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const r of open.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function ledgerFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'earshot-reddit-budget-'));
  dirs.push(d);
  return join(d, 'request-budgets.json');
}
/** One audit's Reddit part with a fresh client (a new run) on the ledger `file`; `on` reuses a server (its host is the budget's). */
async function run(file: string, over: { options?: Record<string, unknown>; env?: Record<string, string>; on?: RealHttp['server'] } = {}) {
  let server = over.on;
  let http;
  if (server) {
    http = createHttpClient({ serviceHints: { ...SERVICE_HINTS }, ...FAST, budgets: file });
    clients.push(http);
  } else {
    const real = await realHttp(DIR, { client: { ...FAST, budgets: file } });
    open.push(real);
    ({ server, http } = real);
  }
  const before = server.requests.length;
  const { ctx, log } = loggedContext(http, { ...query, options: { pageSize: 5, ...over.options } }, { baseUrl: server.url, env: over.env ?? {}, now: NOW });
  const result = await collect(redditSource, ctx);
  return { ...result, log, server, sent: server.requests.slice(before) };
}

describe('reddit: the feed budget', () => {
  it('stops at options.rssBudget feed requests, keeps what was read, and the next run asks Reddit nothing', async () => {
    const file = ledgerFile();
    const first = await run(file, { options: { rssBudget: 3 } });
    // The search page and two comment feeds: three requests, then the budget is spent.
    expect(first.sent).toHaveLength(3);
    // The second search page is not asked for either: the source ends partial, with what it read kept.
    expect(first.error).toBeInstanceOf(BudgetSpentError);
    expect((first.error as Error | undefined)?.message).toMatch(/^Reddit not asked for the site-wide search \(\/search\.rss\)/);
    expect(first.mentions.filter((m) => m.kind === 'post').length).toBeGreaterThan(2);
    expect(first.mentions.filter((m) => m.kind === 'comment').length).toBeGreaterThan(0);
    const said = first.warnings.find((w) => w.includes('Reddit not asked for the comments feed'));
    expect(said).toMatch(/earshot's budget of 3 feed requests per hour from this machine \(options\.rssBudget, shared by every run\) is spent; the next is allowed at \d{4}-\d{2}-\d{2}T/);
    expect(said).toContain('REDDIT_FEED_TOKEN');
    expect(first.warnings.some((w) => /comment threads of \d+ more posts were not fetched after the rate limit/.test(w))).toBe(true);
    // The threads not read make the source partial, not ok: one unread item per comments feed not fetched.
    expect(first.batches.reduce((n, b) => n + (b.unread ?? 0), 0)).toBe(3);

    const second = await run(file, { options: { rssBudget: 3 }, on: first.server });
    expect(second.sent).toHaveLength(0);
    expect(second.error).toBeInstanceOf(BudgetSpentError);
    expect((second.error as Error | undefined)?.message).toMatch(/^Reddit not asked for the site-wide search \(\/search\.rss\): earshot's budget of 3 feed requests per hour/);
    expect(second.mentions).toEqual([]);
  });

  it('remembers a 429 from Reddit until its reset: not retried, and not asked again by the next run', async () => {
    const file = ledgerFile();
    const first = await realHttp(DIR, {
      client: { ...FAST, budgets: file },
      server: { faults: [{ match: (r) => r.path.includes('/comments/'), fault: { kind: 'status', status: 429, headers: { 'retry-after': '1800' }, body: 'Too Many Requests' } }] },
    });
    open.push(first);
    const { ctx } = loggedContext(first.http, { ...query, options: { pageSize: 5 } }, { baseUrl: first.server.url, env: {}, now: NOW });
    const r1 = await collect(redditSource, ctx);
    const comments = first.server.requests.filter((r) => r.path.includes('/comments/'));
    // One 429, not retried (a retry would spend the budget on the same answer), and no other thread asked for.
    expect(comments).toHaveLength(1);
    expect(r1.warnings.some((w) => /Reddit rate-limited the comments feed of t3_\w+ .*: its anonymous RSS feeds allow a small number of requests per IP address; more requests after/.test(w))).toBe(true);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { budgets: Record<string, { limitedUntil?: number }> };
    expect(Object.values(saved.budgets)[0]?.limitedUntil).toBeGreaterThan(Date.now() + 1_700_000);

    const second = await run(file, { on: first.server });
    expect(second.sent).toHaveLength(0);
    expect(second.error).toBeInstanceOf(RateLimitedError);
    expect((second.error as Error | undefined)?.message).toMatch(/Reddit rate-limited its feeds for this machine until \d{4}-.*, and earshot does not ask again before then\. Two ways out/);
  });

  it('sends If-Modified-Since on every feed request', async () => {
    const r = await run(ledgerFile());
    expect(r.server.requests.length).toBeGreaterThan(1);
    for (const req of r.server.requests) expect(req.headers['if-modified-since']).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it("reads through a user's private feed links when both variables are set, on a budget of their own", async () => {
    const file = ledgerFile();
    // The anonymous budget is spent...
    const anonymous = await run(file, { options: { rssBudget: 1 } });
    expect(anonymous.sent).toHaveLength(1);
    const env = { REDDIT_FEED_TOKEN: '7c1e0b2f9a8d4e6f1a2b3c4d5e6f7a8b9c0d1e2f', REDDIT_FEED_USER: 'acme_auditor' };
    // ...but the private feed links are counted apart.
    const r = await run(file, { options: { rssBudget: 1 }, env, on: anonymous.server });
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.query).toMatchObject({ feed: env.REDDIT_FEED_TOKEN, user: 'acme_auditor' });
    const everything = JSON.stringify([r.warnings, (r.error as Error | undefined)?.message, r.log.lines, r.mentions]);
    expect(everything).not.toContain(env.REDDIT_FEED_TOKEN);
    expect(r.warnings.some((w) => w.includes("REDDIT_FEED_USER's private feed links"))).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain(env.REDDIT_FEED_TOKEN);
  });

  it('warns when only one of the private feed variables is set, and reads the anonymous feeds', async () => {
    const r = await run(ledgerFile(), { env: { REDDIT_FEED_USER: 'acme_auditor' } });
    expect(r.warnings).toContain('reddit: only REDDIT_FEED_USER is set; private feed links need both REDDIT_FEED_TOKEN and REDDIT_FEED_USER, so the anonymous feeds are read.');
    expect(r.server.requests[0]!.query['user']).toBeUndefined();
  });

  it('shows in `earshot sources` which feed route is used and why', () => {
    expect(redditSource.route?.({})).toMatch(/^the public RSS feeds: REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET are not set \(flat threads, and a small per-IP request budget since 2026, kept across runs\)$/);
    expect(redditSource.route?.({ REDDIT_FEED_TOKEN: 'x', REDDIT_FEED_USER: 'y' })).toMatch(/private feed links/);
    expect(redditSource.route?.({ REDDIT_FEED_TOKEN: 'x' })).toMatch(/only REDDIT_FEED_TOKEN is set, private feed links need both/);
  });
});
