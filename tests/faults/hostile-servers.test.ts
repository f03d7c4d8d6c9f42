/**
 * Servers that misbehave in ways the fault matrix does not cover, over real sockets on 127.0.0.1: each failure must
 * get the code that says what to do next and one sentence a user can act on (docs/security.md lists each one).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/log.js';
import { createHttpClient, type EarshotHttpClient, type HttpClientOptions } from '../../src/http/index.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { runCli } from '../helpers/run-cli.js';
import { gather } from '../../src/audit/gather.js';
import type { Source } from '../../src/sources/types.js';
import { mention } from '../helpers/make-mention.js';
import { failure } from '../helpers/failure.js';

let server: FixtureServer;
const clients: EarshotHttpClient[] = [];

/** A server that declares `bytes` bytes of JSON and sends one of them every `everyMs`: never silent for long. */
async function startDripServer(bytes: number, everyMs: number): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes) });
    let sent = 0;
    const tick = setInterval(() => {
      if (res.destroyed) return clearInterval(tick);
      res.write(sent === 0 ? '[' : sent === bytes - 1 ? ']' : ' ');
      sent += 1;
      if (sent === bytes) {
        clearInterval(tick);
        res.end();
      }
    }, everyMs);
    timers.add(tick);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A client with quick retries, so a failure that is (wrongly) retried shows up as extra requests, not as waiting. */
function client(options: HttpClientOptions = {}): EarshotHttpClient {
  const c = createHttpClient({
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, jitter: 0 },
    defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 },
    ...options,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startFixtureServer({
    exact: {
      '/ok.json': { body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
      // 70 KB of headers: more than any API sends, and more than the client reads.
      '/huge-headers': { body: '{}', headers: { 'content-type': 'application/json', 'x-filler': 'a'.repeat(70 * 1024) } },
      '/big.json': { body: 'x'.repeat(50_000), headers: { 'content-type': 'application/json' } },
      '/big.gz': { body: 'x'.repeat(50_000), headers: { 'content-type': 'application/json' }, encoding: 'gzip' },
    },
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

describe('misclassified failures (issue 19, item 16)', () => {
  it('a redirect to a Location that is not a URL is bad-response naming it, not a network error "Invalid URL"', async () => {
    server.resetLog();
    server.fault({ match: '/moved', fault: { kind: 'redirect', location: 'http://exa mple.com:99999/feed' } });
    const log = memoryLogger();
    const err = await failure(client({ logger: log }).get(`${server.url}/moved`, { sourceId: 'rss' }));
    expect(err.code).toBe('bad-response');
    expect(err.status).toBe(302);
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      `127.0.0.1:${server.port} redirected (HTTP 302) to "http://exa mple.com:99999/feed", which is not a valid URL; earshot cannot follow it and does not retry; check the source's base URL, and if it is right the service may have changed.`,
    );
    expect(err.message).not.toMatch(/Invalid URL|unexpectedly|connection/);
    expect(server.requestsTo('/moved')).toHaveLength(1);
  });

  it('70 KB of response headers are bad-response, not retried, and not "check your connection"', async () => {
    server.resetLog();
    const log = memoryLogger();
    const err = await failure(client({ logger: log }).get(`${server.url}/huge-headers`));
    expect(err.code).toBe('bad-response');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      `127.0.0.1:${server.port} answered with more than 16 KB of response headers; earshot does not read or retry such an answer; check the source's base URL, or whether a proxy or captive portal on this network rewrites answers.`,
    );
    expect(server.requestsTo('/huge-headers')).toHaveLength(1);
    // No "retrying in …" notice either.
    expect(log.lines.filter((l) => /retrying/.test(l.message))).toEqual([]);
  });

  it('a body over the cap says what happened in one sentence, is not retried, and names no option that does not exist', async () => {
    server.resetLog();
    for (const path of ['/big.json', '/big.gz']) {
      const err = await failure(client({ maxBodyBytes: 10_000 }).get(`${server.url}${path}`));
      expect(err.code).toBe('bad-response');
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/^127\.0\.0\.1:\d+ sent a (49 KB body, more than|body of more than) the 10 KB limit on one response( once decompressed)?; earshot stops reading there and does not retry; check that the source's base URL or feed URL points at an API page or a feed, not a large file\.$/);
      // The old message: "…raise the body size limit.; try again later; if it persists…".
      expect(err.message).not.toMatch(/\.;|try again later|raise the body size limit/);
      expect(server.requestsTo(path)).toHaveLength(1);
    }
  });
});

describe('hard deadlines (issue 19, item 8)', () => {
  it('a body that drips one byte every half of the silence limit still ends at the round-trip deadline, and the request at its own', async () => {
    // 100 bytes at one per 100 ms would take 10 s; the silence limit (200 ms) never fires.
    const drip = await startDripServer(100, 100);
    try {
      const c = client({ timeouts: { connectMs: 1000, headersMs: 200, bodyMs: 200, roundTripMs: 400, requestMs: 1000 } });
      const started = Date.now();
      const err = await failure(c.get(`${drip.url}/feed.json`));
      const took = Date.now() - started;
      expect(err.code).toBe('timeout');
      expect(err.retryable).toBe(true);
      // Two round trips of 400 ms; a third would have had less than the 200 ms a server gets to answer.
      expect(err.message).toMatch(/^127\.0\.0\.1:\d+ did not finish sending the response within 400 ms \(\d+ B by then\) after 2 attempts; try again later or raise the timeout\.$/);
      expect(drip.requests()).toBe(2);
      // Bounded by the request's deadline (1 s) plus scheduling slack, far from the 10 s the drip would take.
      expect(took).toBeLessThan(3000);
    } finally {
      await drip.close();
    }
  });

  it('limits longer than setTimeout can hold (about 24.8 days, e.g. --timeout 2w) are long, not "at once"', async () => {
    const week = 7 * 24 * 3600 * 1000;
    const c = client({ timeouts: { connectMs: 10_000, headersMs: 2 * week, bodyMs: 2 * week, roundTripMs: 4 * week, requestMs: 6 * week } });
    const res = await c.get(`${server.url}/ok.json`);
    expect(res.body).toBe('{"ok":true}');
  });

  it("a round trip is cut at what is left of the request's deadline, and says so", async () => {
    const drip = await startDripServer(100, 100);
    try {
      const c = client({ retry: { maxAttempts: 1 }, timeouts: { connectMs: 1000, headersMs: 200, bodyMs: 200, roundTripMs: 5000, requestMs: 500 } });
      const err = await failure(c.get(`${drip.url}/feed.json`));
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(/^127\.0\.0\.1:\d+ did not finish sending the response within the 500 ms earshot gives one request \(retries included\); try again later or raise the timeout\.$/);
    } finally {
      await drip.close();
    }
  });

  it('a server that never answers costs one request at most its deadline, not four full header timeouts', async () => {
    server.resetLog();
    server.fault({ match: '/never', fault: { kind: 'hang' } });
    // undici's own header timer is coarse (it may fire a second late); the round-trip deadline is exact.
    const c = client({ timeouts: { connectMs: 1000, headersMs: 5000, bodyMs: 5000, roundTripMs: 300, requestMs: 700 } });
    const started = Date.now();
    const err = await failure(c.get(`${server.url}/never`));
    expect(err.code).toBe('timeout');
    // 300 ms and a retry; a third attempt would start with less than 300 ms of the 700 left.
    expect(err.message).toMatch(/did not answer within 300 ms after 2 attempts/);
    expect(server.requestsTo('/never')).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('the per-source budget and --timeout (issue 19, item 8)', () => {
  it("a source whose next page drips is stopped at its budget mid-request, keeping the first page's mentions", async () => {
    const drip = await startDripServer(1000, 50);
    try {
      // Generous HTTP limits: only the source's budget can end this in time.
      const http = client({ timeouts: { connectMs: 1000, headersMs: 10_000, bodyMs: 10_000, roundTripMs: 60_000, requestMs: 90_000 } });
      const source: Source = {
        id: 'paged', title: 'paged', needs: '', tokenEnv: [], defaultBaseUrl: drip.url, rateLimit: { requestsPerMinute: 6000, concurrency: 1 }, brandReplySignal: '', scope: 'search', options: {}, parsers: {}, scenario: { options: () => ({}) },
        async *fetch(ctx) {
          await ctx.http.get(`${server.url}/ok.json`, { sourceId: 'paged' });
          yield { mentions: [mention('1', '2026-11-10T00:00:00Z', 'page one', { source: 'paged', id: 'paged:1' })], warnings: [] };
          // Page two never finishes: 1000 bytes at one per 50 ms.
          await ctx.http.get(`${drip.url}/page2.json`, { sourceId: 'paged' });
          yield { mentions: [mention('2', '2026-11-10T00:00:00Z', 'page two', { source: 'paged', id: 'paged:2' })], warnings: [] };
        },
      };
      const started = Date.now();
      const r = await gather([{ source, baseUrl: drip.url, query: { query: 'acme', brand: 'Acme', brandHandles: [], limit: 100, options: {} } }], {
        http, log: memoryLogger(), signal: new AbortController().signal, env: {}, now: new Date('2026-11-23T09:00:00Z'), sourceBudgetMs: 600,
      });
      expect(r.coverage[0]).toMatchObject({ source: 'paged', status: 'partial', mentions: 1, error: { code: 'timeout' } });
      expect(r.coverage[0]!.error!.message).toMatch(/^did not finish within the 600 ms one source may take/);
      expect(r.mentions.map((m) => m.id)).toEqual(['paged:1']);
      expect(drip.requests()).toBe(1);
      // The budget, not the 50 s the drip would take.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await drip.close();
    }
  });

  it('earshot audit: a source that never answers is a timeout at --source-budget, told in one sentence (exit 3: nothing fetched)', async () => {
    server.fault({ match: /^\/api\/v1\//, fault: { kind: 'hang' } });
    try {
      const run = await runCli(['audit', 'acme', '--source', 'hn', '--base-url', `hn=${server.url}`, '--no-cache', '--timeout', '30s', '--source-budget', '1s', '--now', '2026-11-23T09:00:00Z', '-f', 'json'], { timeoutMs: 15_000 });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('hn: did not finish within the 1 s one source may take, so it stopped with what it had fetched; raise the source budget (--source-budget, sourceBudget in earshot.yml) to let it run longer.');
      expect(run.stderr).toMatch(/^earshot: Nothing could be fetched: every source failed or was skipped \(hn failed \(timeout\)\); nothing was written\.$/m);
    } finally {
      server.clearFaults();
    }
  });

  it('--timeout 0s, EARSHOT_TIMEOUT=0s and --source-budget 0s are usage errors (exit 2) before any request: no limit can be switched off', async () => {
    server.resetLog();
    const base = ['audit', 'acme', '--source', 'hn', '--base-url', `hn=${server.url}`, '--no-cache'];
    const flag = await runCli([...base, '--timeout', '0s']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe("earshot: --timeout '0s' must be more than zero (a limit cannot be switched off): write e.g. 30s, 2m or 10m.");
    const env = await runCli(base, { env: { EARSHOT_TIMEOUT: '0ms' } });
    expect(env.code).toBe(2);
    expect(env.stderr.trim()).toBe("earshot: EARSHOT_TIMEOUT='0ms' must be more than zero (a limit cannot be switched off): write e.g. 30s, 2m or 10m.");
    const budget = await runCli([...base, '--source-budget', '0m']);
    expect(budget.code).toBe(2);
    expect(budget.stderr.trim()).toBe("earshot: --source-budget '0m' must be more than zero (a limit cannot be switched off): write e.g. 30s, 2m or 10m.");
    expect(server.requests).toHaveLength(0);
  });
});
