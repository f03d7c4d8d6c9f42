import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/core/log.js';
import { createHttpClient, manualClock, USER_AGENT, VERSION } from '../../../src/http/index.js';
import type { EarshotHttpClient, HttpClientOptions } from '../../../src/http/index.js';
import { startFixtureServer } from '../../../scripts/lib/fixture-server.js';
import type { FixtureServer } from '../../../scripts/lib/fixture-server.js';
import { SERVICE_HINTS, SOURCES } from '../../../src/sources/index.js';
import { failure } from '../../helpers/failure.js';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const LISTING = JSON.stringify({ kind: 'Listing', data: { children: [{ kind: 't3', data: { id: 'abc123', title: 'Acme Cloud is down again 😡 — déjà vu' } }] } });
const BIG = JSON.stringify({ hits: Array.from({ length: 3000 }, (_, i) => ({ objectID: String(i), comment_text: `Acme Cloud comment number ${i}` })) });
// What openSession passes: every source's hints by id.
const REDDIT_BLOCK =
  '<!doctype html><html><head><title>Blocked</title></head><body><h1>whoa there, pardner!</h1><p>Your request has been blocked due to a network policy.</p></body></html>';

let server: FixtureServer;
let clients: EarshotHttpClient[] = [];

/** A client with fast retries and no real waiting unless a test wants it. */
function client(options: HttpClientOptions = {}): EarshotHttpClient {
  const c = createHttpClient({
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 },
    timeouts: { headersMs: 400, bodyMs: 400, connectMs: 1000 },
    serviceHints: SERVICE_HINTS,
    ...options,
  });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  server = await startFixtureServer({
    exact: {
      '/r/acme/search.json?q=acme%20cloud': { body: LISTING, headers: JSON_TYPE },
      '/big.json': { body: BIG, headers: JSON_TYPE },
      '/gz.json': { body: BIG, headers: JSON_TYPE, encoding: 'gzip' },
      '/br.json': { body: BIG, headers: JSON_TYPE, encoding: 'br' },
      '/deflate.json': { body: BIG, headers: JSON_TYPE, encoding: 'deflate' },
      '/latin1.txt': { body: Buffer.from([0x63, 0x61, 0x66, 0xe9]), headers: { 'content-type': 'text/plain; charset=iso-8859-1' } },
      // Real feeds and pages often name their charset only inside the document (issue 15 item 3).
      '/latin1-decl.xml': { body: Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><t>caf\xe9</t></rss>', 'latin1'), headers: { 'content-type': 'application/rss+xml' } },
      '/latin1-meta.html': { body: Buffer.from('<!doctype html><html><head><meta charset="windows-1252"><title>caf\xe9 \x93quoted\x94</title>', 'latin1'), headers: { 'content-type': 'text/html' } },
      '/latin1-http-equiv.html': { body: Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>caf\xe9</body></html>', 'latin1'), headers: { 'content-type': 'text/html' } },
      '/header-wins.xml': { body: Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>café</t>', 'utf8'), headers: { 'content-type': 'application/xml; charset=utf-8' } },
      '/bom-wins.txt': { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('café', 'utf8')]), headers: { 'content-type': 'text/plain; charset=iso-8859-1' } },
      '/utf16-decl.html': { body: Buffer.from('<meta charset="utf-16"><p>café</p>', 'utf8'), headers: { 'content-type': 'text/html' } },
      '/gone': { status: 410, body: 'gone' },
      '/private.json': { status: 401, body: '{"error":"unauthorized"}', headers: JSON_TYPE },
      '/blocked.json': { status: 403, body: REDDIT_BLOCK, headers: { 'content-type': 'text/html' } },
      '/soft-block': { status: 200, body: REDDIT_BLOCK, headers: { 'content-type': 'text/html; charset=utf-8' } },
      '/quoted.xml': {
        status: 200,
        body: '<feed><entry><title>whoa there, pardner! Reddit blocked me</title></entry></feed>',
        headers: { 'content-type': 'application/atom+xml' },
      },
      '/github-quota': {
        status: 403,
        body: '{"message":"API rate limit exceeded"}',
        headers: { ...JSON_TYPE, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) },
      },
      '/quota-spent.json': {
        body: '{"ok":true}',
        headers: { ...JSON_TYPE, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2', 'x-ratelimit-used': '10' },
      },
      '/moved': { status: 301, headers: { location: '/big.json' } },
      '/teapot': { status: 418, body: 'no' },
    },
  });
  clients = [];
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

describe('successful requests', () => {
  it('fetches a body over real HTTP and sends an earshot User-Agent with the version', async () => {
    const res = await client().get(`${server.url}/r/acme/search.json?q=acme%20cloud`, { sourceId: 'reddit' });
    expect(res.status).toBe(200);
    expect(res.fromCache).toBe(false);
    expect(JSON.parse(res.body).data.children[0].data.title).toBe('Acme Cloud is down again 😡 — déjà vu');
    expect(res.headers['content-type']).toContain('application/json');
    expect(Number.isNaN(Date.parse(res.fetchedAt))).toBe(false);
    const ua = server.requests[0]?.headers['user-agent'];
    expect(ua).toBe(USER_AGENT);
    expect(ua).toMatch(/^earshot\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/earshot-cli\/earshot\)$/);
    expect(VERSION).toBe('0.1.0');
    expect(server.requests[0]?.headers['accept-encoding']).toContain('gzip');
  });

  it.each(['gz', 'br', 'deflate'])('decompresses %s bodies', async (name) => {
    const res = await client().get(`${server.url}/${name}.json`);
    expect(res.body).toBe(BIG);
    expect(res.headers['content-encoding']).toBeDefined();
  });

  it('decodes a declared non-UTF-8 charset', async () => {
    const res = await client().get(`${server.url}/latin1.txt`);
    expect(res.body).toBe('café');
  });

  it('reads the charset in the standard order: BOM, Content-Type, the XML declaration or meta tag, then UTF-8', async () => {
    const c = client();
    expect((await c.get(`${server.url}/latin1-decl.xml`)).body).toContain('<t>café</t>');
    expect((await c.get(`${server.url}/latin1-meta.html`)).body).toContain('<title>café “quoted”</title>');
    expect((await c.get(`${server.url}/latin1-http-equiv.html`)).body).toContain('<body>café</body>');
    // Content-Type outranks the document's own declaration (RFC 7303), and a BOM outranks both.
    expect((await c.get(`${server.url}/header-wins.xml`)).body).toContain('<t>café</t>');
    expect((await c.get(`${server.url}/bom-wins.txt`)).body).toBe('café');
    // An ASCII-compatible document cannot be UTF-16: the declaration is ignored.
    expect((await c.get(`${server.url}/utf16-decl.html`)).body).toContain('<p>café</p>');
  });

  it('follows redirects and reports the final URL', async () => {
    const res = await client().get(`${server.url}/moved`);
    expect(res.url).toBe(`${server.url}/big.json`);
    expect(res.body).toBe(BIG);
  });

  it('reuses keep-alive connections for one host', async () => {
    const c = client({ defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 1 } });
    for (let i = 0; i < 5; i += 1) await c.get(`${server.url}/big.json`);
    expect(server.requests).toHaveLength(5);
    expect(server.requests.every((r) => r.headers['connection'] === 'keep-alive')).toBe(true);
  });
});

describe('retries', () => {
  it('honours 429 Retry-After (seconds) and then succeeds', async () => {
    server.fault({ match: '/big.json', fault: { kind: 'rate-limit', retryAfter: 1 }, times: 1 });
    const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
    const log = memoryLogger();
    const res = await client({ clock, logger: log }).get(`${server.url}/big.json`);
    expect(res.body).toBe(BIG);
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toContain(1000);
    expect(log.lines.some((l) => l.level === 'info' && /HTTP 429.*retrying in 1 s/.test(l.message))).toBe(true);
  });

  it('honours a Retry-After given as an HTTP date, really waiting about that long', async () => {
    // HTTP dates have whole-second precision, so aim two seconds ahead and accept anything from 1 s.
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toUTCString();
    server.fault({ match: '/big.json', fault: { kind: 'rate-limit', retryAfter: at }, times: 1 });
    const started = Date.now();
    const res = await client().get(`${server.url}/big.json`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(4000);
  });

  it('gives up at once when Retry-After exceeds the cap, and says so', async () => {
    server.fault({ fault: { kind: 'rate-limit', retryAfter: 600 } });
    const clock = manualClock(0);
    const err = await failure(client({ clock, retry: { maxAttempts: 4, maxRetryAfterMs: 60_000 } }).get(`${server.url}/big.json`, { sourceId: 'reddit' }));
    expect(err.code).toBe('rate-limited');
    expect(err.retryable).toBe(true);
    expect(err.sourceId).toBe('reddit');
    expect(err.message).toMatch(/asked to wait 10 min, longer than the 60 s earshot waits/);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps.filter((s) => s >= 60_000)).toHaveLength(0);
  });

  it('429 forever → rate-limited after all attempts', async () => {
    server.fault({ fault: { kind: 'rate-limit', retryAfter: 0 } });
    const err = await failure(client().get(`${server.url}/big.json`));
    expect(err.code).toBe('rate-limited');
    expect(err.status).toBe(429);
    expect(server.requests).toHaveLength(3);
    expect(err.message).toContain('after 3 attempts');
  });

  it('retries a burst of 503s with exponential backoff and then succeeds', async () => {
    server.fault({ match: '/big.json', fault: { kind: 'status', status: 503 }, times: 2 });
    const clock = manualClock(0);
    const c = client({ clock, random: () => 0.5, retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.5 } });
    const res = await c.get(`${server.url}/big.json`);
    expect(res.body).toBe(BIG);
    expect(server.requests).toHaveLength(3);
    // Equal jitter with random 0.5: 75% of 1 s, then of 2 s.
    expect(clock.sleeps.filter((s) => s >= 500)).toEqual([750, 1500]);
    expect(c.stats().retries).toBe(2);
  });

  it('503 forever → bad-response after N attempts, retryable', async () => {
    server.fault({ fault: { kind: 'status', status: 503 } });
    const err = await failure(client({ retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } }).get(`${server.url}/big.json`));
    expect(err.code).toBe('bad-response');
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
    expect(server.requests).toHaveLength(4);
    expect(err.message).toMatch(/^127\.0\.0\.1:\d+ failed with HTTP 503 after 4 attempts; try again later/);
  });

  it('does not retry a 500 more than maxAttempts even with Retry-After: 0', async () => {
    server.fault({ fault: { kind: 'status', status: 500, headers: { 'retry-after': '0' } } });
    await failure(client({ retry: { maxAttempts: 2 } }).get(`${server.url}/big.json`));
    expect(server.requests).toHaveLength(2);
  });
});

describe('classification', () => {
  it('404/410 → not-found, not retried', async () => {
    const err = await failure(client().get(`${server.url}/nothing-here?q=x`));
    expect(err.code).toBe('not-found');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/has nothing at \/nothing-here \(HTTP 404\)/);
    expect(server.requests).toHaveLength(1);
    expect((await failure(client().get(`${server.url}/gone`))).code).toBe('not-found');
  });

  it('401 → auth-required', async () => {
    const err = await failure(client().get(`${server.url}/private.json`));
    expect(err.code).toBe('auth-required');
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/token environment variable/);
    expect(server.requests).toHaveLength(1);
  });

  it('403 Reddit block page → blocked, naming the block page', async () => {
    const err = await failure(client().get(`${server.url}/blocked.json`, { sourceId: 'reddit' }));
    expect(err.code).toBe('blocked');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('Reddit network-policy block page');
    expect(server.requests).toHaveLength(1);
  });

  it('200 HTML block page → blocked (never a silent empty result)', async () => {
    const err = await failure(client().get(`${server.url}/soft-block`, { sourceId: 'reddit' }));
    expect(err.code).toBe('blocked');
  });

  it("a service's block page counts only for the source whose hints name it", async () => {
    // Another source (or a client built without hints) gets the page as data, or a plain 403 block without the label.
    expect((await client().get(`${server.url}/soft-block`, { sourceId: 'hn' })).body).toContain('pardner');
    expect((await client({ serviceHints: {} }).get(`${server.url}/soft-block`, { sourceId: 'reddit' })).body).toContain('pardner');
    const plain = await failure(client({ serviceHints: {} }).get(`${server.url}/blocked.json`, { sourceId: 'reddit' }));
    expect(plain.code).toBe('blocked');
    expect(plain.message).not.toContain('Reddit network-policy block page');
  });

  it('a feed that merely quotes the block wording is not a block', async () => {
    const res = await client().get(`${server.url}/quoted.xml`);
    expect(res.body).toContain('pardner');
  });

  it('GitHub-style 403 with x-ratelimit-remaining 0 → rate-limited, not blocked', async () => {
    const err = await failure(client().get(`${server.url}/github-quota`));
    expect(err.code).toBe('rate-limited');
    expect(err.message).toMatch(/asked to wait/);
    expect(server.requests).toHaveLength(1);
  });

  it('403 bodies meaning "log in" or "quota spent" are classified as such', async () => {
    server.addRoute({ path: '/xrpc/app.bsky.feed.searchPosts', status: 403, body: '{"error":"AuthMissing","message":"Authentication Required"}', headers: JSON_TYPE });
    server.addRoute({ path: '/youtube/v3/commentThreads', status: 403, body: '{"error":{"code":403,"errors":[{"reason":"quotaExceeded"}]}}', headers: JSON_TYPE });
    expect((await failure(client().get(`${server.url}/xrpc/app.bsky.feed.searchPosts?q=acme`, { sourceId: 'bluesky' }))).code).toBe('auth-required');
    const quota = await failure(client().get(`${server.url}/youtube/v3/commentThreads`, { sourceId: 'blogger' }));
    expect(quota.code).toBe('rate-limited');
    expect(quota.message).toMatch(/quota exceeded/);
    // Google's quota wording is blogger's hint, not everyone's: for another source the same 403 is a block.
    expect((await failure(client().get(`${server.url}/youtube/v3/commentThreads`, { sourceId: 'hn' }))).code).toBe('blocked');
  });

  it('other 4xx → bad-response, not retried', async () => {
    const err = await failure(client().get(`${server.url}/teapot`));
    expect(err.code).toBe('bad-response');
    expect(err.status).toBe(418);
    expect(server.requests).toHaveLength(1);
  });

  it('hanging server → timeout after retries', async () => {
    server.fault({ fault: { kind: 'hang' } });
    const started = Date.now();
    const err = await failure(client({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, timeouts: { headersMs: 200 } }).get(`${server.url}/big.json`));
    expect(err.code).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/did not answer within 200 ms after 2 attempts/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('body that stalls → timeout', async () => {
    server.fault({ fault: { kind: 'hang-body', bytes: 100 } });
    const err = await failure(client({ retry: { maxAttempts: 1 }, timeouts: { bodyMs: 200 } }).get(`${server.url}/big.json`));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/stopped sending the response body/);
  });

  it('connection reset mid-body is retried and then succeeds', async () => {
    server.fault({ match: '/big.json', fault: { kind: 'reset', afterBytes: 1000 }, times: 1 });
    const res = await client().get(`${server.url}/big.json`);
    expect(res.body).toBe(BIG);
    expect(server.requests).toHaveLength(2);
  });

  it('connection reset every time → network or bad-response, retryable', async () => {
    server.fault({ fault: { kind: 'reset', afterBytes: 1000 } });
    const err = await failure(client().get(`${server.url}/big.json`));
    expect(['network', 'bad-response']).toContain(err.code);
    expect(err.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('reset before any response → network', async () => {
    server.fault({ fault: { kind: 'reset-before-headers' } });
    const err = await failure(client().get(`${server.url}/big.json`));
    expect(err.code).toBe('network');
    expect(server.requests).toHaveLength(3);
  });

  it('truncated body (short of Content-Length) → bad-response naming the byte counts', async () => {
    server.fault({ fault: { kind: 'truncate', sendBytes: 500 } });
    const err = await failure(client().get(`${server.url}/big.json`));
    expect(err.code).toBe('bad-response');
    expect(err.message).toMatch(/cut the response off after 500 of \d+ bytes/);
    expect(err.retryable).toBe(true);
  });

  it('truncated gzip body is detected too', async () => {
    server.fault({ fault: { kind: 'truncate', sendBytes: 200 } });
    const err = await failure(client({ retry: { maxAttempts: 1 } }).get(`${server.url}/gz.json`));
    expect(err.code).toBe('bad-response');
  });

  it('body over the cap → bad-response (declared length and streamed)', async () => {
    const err = await failure(client({ maxBodyBytes: 10_000 }).get(`${server.url}/big.json`));
    expect(err.code).toBe('bad-response');
    expect(err.message).toMatch(/more than the 10 KB limit/);
    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('gzip body that inflates past the cap → bad-response', async () => {
    const err = await failure(client({ maxBodyBytes: 20_000 }).get(`${server.url}/gz.json`));
    expect(err.code).toBe('bad-response');
    expect(err.message).toMatch(/once decompressed/);
  });

  it('redirect loop → bad-response', async () => {
    server.fault({ fault: { kind: 'redirect-loop' } });
    const err = await failure(client().get(`${server.url}/big.json`));
    expect(err.code).toBe('bad-response');
    expect(err.message).toMatch(/redirected in a loop/);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('malformed body is returned as-is for the source parser to reject', async () => {
    server.fault({ fault: { kind: 'malformed' } });
    const res = await client().get(`${server.url}/big.json`);
    expect(() => JSON.parse(res.body)).toThrow();
  });

  it('refused connection → network, reported once and not retried (nothing is listening; seconds later there still is not)', async () => {
    const port = server.port;
    await server.close();
    server = await startFixtureServer();
    const log = memoryLogger();
    const c = client({ retry: { maxAttempts: 4, baseDelayMs: 1 }, logger: log });
    const err = await failure(c.get(`http://127.0.0.1:${port}/x`));
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/^Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\); check your connection/);
    expect(err.message).not.toMatch(/attempts/);
    expect(c.stats().retries).toBe(0);
    expect(log.lines.filter((l) => /retrying/.test(l.message))).toEqual([]);
  });

  it('a host name that does not resolve → network, not retried', async () => {
    const log = memoryLogger();
    const c = client({ retry: { maxAttempts: 4, baseDelayMs: 1 }, logger: log });
    // .invalid never resolves (RFC 2606), online or off.
    const err = await failure(c.get('http://earshot-test.invalid/x'));
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/^The host name earshot-test\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\); check your connection and the host name\.$/);
    expect(c.stats()).toMatchObject({ retries: 0, requests: 1 });
    expect(log.lines.filter((l) => /retrying/.test(l.message))).toEqual([]);
  });

  it('a request that never reached the server does not use up its rate-limit slot (offline runs end in seconds)', async () => {
    const sleeps: number[] = [];
    const clock = { now: () => Date.now(), sleep: (ms: number) => (sleeps.push(ms), new Promise<void>((r) => setTimeout(r, ms))) };
    // Reddit's polite limit: starts 6.12 s apart, had the first request reached reddit.
    const c = client({ clock, retry: { maxAttempts: 1 }, rateLimits: { reddit: { requestsPerMinute: 10, concurrency: 1 } } });
    for (const q of ['a', 'b']) {
      const err = await failure(c.get(`http://earshot-test.invalid/search?q=${q}`, { sourceId: 'reddit' }));
      expect(err.code).toBe('network');
    }
    expect(sleeps.filter((ms) => ms > 0)).toEqual([]);
  });

  it('the retry message gives the real wait: the rate-limit slot when it is longer than the backoff', async () => {
    server.fault({ match: '/big.json', fault: { kind: 'status', status: 503 }, times: 1 });
    const clock = manualClock(Date.parse('2026-11-23T09:00:00Z'));
    const log = memoryLogger();
    // Reddit's polite limit: 10 a minute, so starts are 6.12 s apart; the backoff alone would be a few ms.
    const c = client({ clock, logger: log, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, rateLimits: { reddit: { requestsPerMinute: 10, concurrency: 1 } } });
    const res = await c.get(`${server.url}/big.json`, { sourceId: 'reddit' });
    expect(res.body).toBe(BIG);
    const said = log.lines.find((l) => /retrying in/.test(l.message))?.message;
    expect(said).toMatch(/HTTP 503; retrying in 6 s \(attempt 2 of 2\)\.$/);
    // And that is what the client really waited before the second attempt.
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(Math.round(waited / 1000)).toBe(6);
  });

  it('an aborted signal → interrupted, no retries', async () => {
    server.fault({ fault: { kind: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await failure(client({ timeouts: { headersMs: 5000 } }).get(`${server.url}/big.json`, { signal: controller.signal }));
    expect(err.code).toBe('interrupted');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects non-http URLs without a request', async () => {
    const err = await failure(client().get('file:///etc/passwd'));
    expect(err.code).toBe('bad-response');
  });
});

describe('politeness', () => {
  it('never exceeds per-host concurrency', async () => {
    server.fault({ fault: { kind: 'latency', ms: 60 } });
    const c = client({ defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 2 } });
    await Promise.all(Array.from({ length: 8 }, () => c.get(`${server.url}/big.json`)));
    expect(server.requests).toHaveLength(8);
    expect(server.maxConcurrent()).toBe(2);
  });

  it('a per-source limit overrides the host default', async () => {
    server.fault({ fault: { kind: 'latency', ms: 40 } });
    const c = client({ defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 }, rateLimits: { reddit: { requestsPerMinute: 60_000, concurrency: 1 } } });
    await Promise.all(Array.from({ length: 4 }, () => c.get(`${server.url}/big.json`, { sourceId: 'reddit' })));
    expect(server.maxConcurrent()).toBe(1);
  });

  it('spaces requests to respect requests-per-minute (real clock)', async () => {
    // Measured where the client sends (its debug line), not where the server receives, which adds network jitter.
    const sent: number[] = [];
    const logger = { info() {}, warn() {}, debug: (m: string) => (m.startsWith('GET ') ? sent.push(performance.now()) : undefined) };
    const c = client({ logger, defaultRateLimit: { requestsPerMinute: 600, concurrency: 4 } });
    await Promise.all(Array.from({ length: 5 }, () => c.get(`${server.url}/big.json`)));
    expect(sent).toHaveLength(5);
    // Timers may fire a millisecond early; 100 ms is the spacing asked for.
    for (let i = 1; i < sent.length; i += 1) expect((sent[i] ?? 0) - (sent[i - 1] ?? 0)).toBeGreaterThanOrEqual(97);
  });

  it('12 requests at 10/min: starts 6 s apart in (fake) time, no rolling minute holds more than 10', async () => {
    const clock = manualClock(0);
    const starts: number[] = [];
    // The client logs each request at the moment it is sent: capture the fake time there.
    const logger = { info() {}, warn() {}, debug: (m: string) => (m.startsWith('GET ') ? starts.push(clock.now()) : undefined) };
    const c = client({ clock, logger, rateLimits: { reddit: { requestsPerMinute: 10, concurrency: 2 } } });
    await Promise.all(Array.from({ length: 12 }, () => c.get(`${server.url}/big.json`, { sourceId: 'reddit' })));
    const sorted = starts.sort((a, b) => a - b);
    expect(sorted).toHaveLength(12);
    for (let i = 1; i < sorted.length; i += 1) expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(6000);
    for (const t of sorted) expect(sorted.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(10);
  });

  it('pauses a host whose X-Ratelimit-Remaining reaches 0 until X-Ratelimit-Reset', async () => {
    const clock = manualClock(1_000_000);
    const c = client({ clock });
    await c.get(`${server.url}/quota-spent.json`);
    const before = clock.now();
    await c.get(`${server.url}/big.json`);
    expect(clock.now() - before).toBeGreaterThanOrEqual(2000);
  });
});

describe('POST', () => {
  it('sends the body with its content type and is not cached', async () => {
    server.addRoute({ path: '/xrpc/com.atproto.server.createSession', method: 'POST', body: '{"accessJwt":"eyJhbGciOi.abc.def","did":"did:plc:acmecloud7x2k4q"}', headers: JSON_TYPE });
    const c = client();
    const res = await c.post(`${server.url}/xrpc/com.atproto.server.createSession`, '{"identifier":"acme","password":"hunter2-secret"}', {
      contentType: 'application/json',
    });
    expect(JSON.parse(res.body).did).toBe('did:plc:acmecloud7x2k4q');
    expect(server.requests[0]?.method).toBe('POST');
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(server.requests[0]?.body).toContain('hunter2-secret');
  });

  it('follows a 303 after a POST with a GET', async () => {
    server.addRoute({ path: '/login', method: 'POST', status: 303, headers: { location: '/welcome' } });
    server.addRoute({ path: '/welcome', body: 'hello' });
    const res = await client().post(`${server.url}/login`, 'user=a', { contentType: 'application/x-www-form-urlencoded' });
    expect(res.body).toBe('hello');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /login', 'GET /welcome']);
  });

  it('does not retry a POST on a mid-response reset (it may have been applied)', async () => {
    server.addRoute({ path: '/token', method: 'POST', body: BIG, headers: JSON_TYPE });
    server.fault({ fault: { kind: 'reset', afterBytes: 100 } });
    await failure(client().post(`${server.url}/token`, 'grant_type=client_credentials', { contentType: 'application/x-www-form-urlencoded' }));
    expect(server.requests).toHaveLength(1);
  });
});
