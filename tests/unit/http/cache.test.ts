import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/core/log.js';
import { cacheKey, createDiskCache, createHttpClient, defaultCacheDir, manualClock } from '../../../src/http/index.js';
import type { CacheMode, EarshotHttpClient } from '../../../src/http/index.js';
import { startFixtureServer } from '../../../scripts/lib/fixture-server.js';
import type { FixtureServer } from '../../../scripts/lib/fixture-server.js';
import { failure } from '../../helpers/failure.js';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;
const BODY = JSON.stringify({ hits: [{ objectID: '1', title: 'Acme Cloud outage' }], nbHits: 1 });

let server: FixtureServer;
let dir: string;
let clients: EarshotHttpClient[];

function client(clock: ReturnType<typeof manualClock>, mode: CacheMode = 'normal', extra: { logger?: ReturnType<typeof memoryLogger> } = {}) {
  const c = createHttpClient({
    clock,
    cache: { dir, mode, ttlMs: HOUR },
    defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 2 },
    retry: { maxAttempts: 1 },
    ...extra,
  });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-cache-'));
  clients = [];
  server = await startFixtureServer({
    exact: {
      '/api/v1/search?query=acme': { body: BODY, headers: { 'content-type': 'application/json', etag: 'W/"v1"' } },
      '/feed.xml': { body: '<rss><channel><title>Acme</title></channel></rss>', headers: { 'content-type': 'application/rss+xml', 'last-modified': 'Sun, 22 Nov 2026 10:00:00 GMT' } },
      '/plain': { body: 'no validators' },
      '/missing': { status: 404, body: 'nope' },
    },
  });
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('defaultCacheDir', () => {
  it('uses an absolute XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/ann')).toBe('/var/cache/me/earshot');
    expect(defaultCacheDir({}, '/home/ann')).toBe('/home/ann/.cache/earshot');
    // The XDG spec says relative values are invalid and ignored.
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, '/home/ann')).toBe('/home/ann/.cache/earshot');
  });
});

describe('cacheKey', () => {
  it('depends on URL and answer-changing headers, not on User-Agent or validators', () => {
    const a = cacheKey('https://x.example/a');
    expect(cacheKey('https://x.example/a', { 'User-Agent': 'other' })).toBe(a);
    expect(cacheKey('https://x.example/a', { 'if-none-match': '"1"' })).toBe(a);
    expect(cacheKey('https://x.example/b')).not.toBe(a);
    expect(cacheKey('https://x.example/a', { Accept: 'application/json' })).not.toBe(a);
    // Authenticated and anonymous answers differ; rotating tokens must not defeat the cache.
    expect(cacheKey('https://x.example/a', { authorization: 'Bearer one' })).not.toBe(a);
    expect(cacheKey('https://x.example/a', { authorization: 'Bearer one' })).toBe(cacheKey('https://x.example/a', { Authorization: 'Bearer two' }));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('HTTP cache', () => {
  it('a second identical GET within the TTL makes zero requests', async () => {
    const clock = manualClock(T0);
    const url = `${server.url}/api/v1/search?query=acme`;
    const first = await client(clock).get(url);
    clock.advance(10 * 60_000);
    const c2 = client(clock);
    const second = await c2.get(url);
    expect(server.requests).toHaveLength(1);
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(second.body).toBe(first.body);
    expect(second.status).toBe(200);
    expect(second.fetchedAt).toBe(first.fetchedAt);
    expect(second.headers['etag']).toBe('W/"v1"');
    expect(c2.stats().cacheHits).toBe(1);
  });

  it('a cache hit still honours an aborted signal: interrupted, not an answer (a loop over cached pages ignored Ctrl-C)', async () => {
    const clock = manualClock(T0);
    const url = `${server.url}/api/v1/search?query=acme`;
    await client(clock).get(url);
    const c2 = client(clock);
    const controller = new AbortController();
    controller.abort();
    const err = await failure(c2.get(url, { signal: controller.signal, sourceId: 'hn' }));
    expect(err).toMatchObject({ code: 'interrupted', sourceId: 'hn' });
    expect(err.message).toBe(`The request to ${new URL(server.url).host} was cancelled.`);
    expect(c2.stats().cacheHits).toBe(0);
    expect(server.requests).toHaveLength(1);
    // The same client, signal not aborted, answers from the cache as before.
    expect((await c2.get(url)).fromCache).toBe(true);
  });

  it('a stale entry is revalidated with If-None-Match and a 304 is served from cache', async () => {
    const clock = manualClock(T0);
    const url = `${server.url}/api/v1/search?query=acme`;
    await client(clock).get(url);
    clock.advance(2 * HOUR);
    const c2 = client(clock);
    const res = await c2.get(url);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['if-none-match']).toBe('W/"v1"');
    expect(res.fromCache).toBe(true);
    expect(res.body).toBe(BODY);
    expect(res.fetchedAt).toBe(new Date(T0 + 2 * HOUR).toISOString());
    expect(c2.stats().revalidated).toBe(1);
    // Revalidation restarts the TTL: the next run within the hour asks nothing.
    clock.advance(30 * 60_000);
    await client(clock).get(url);
    expect(server.requests).toHaveLength(2);
  });

  it('revalidates with If-Modified-Since when only Last-Modified is known', async () => {
    const clock = manualClock(T0);
    await client(clock).get(`${server.url}/feed.xml`);
    clock.advance(2 * HOUR);
    const res = await client(clock).get(`${server.url}/feed.xml`);
    expect(server.requests[1]?.headers['if-modified-since']).toBe('Sun, 22 Nov 2026 10:00:00 GMT');
    expect(res.fromCache).toBe(true);
  });

  it('a stale entry without validators is fetched again in full', async () => {
    const clock = manualClock(T0);
    await client(clock).get(`${server.url}/plain`);
    clock.advance(2 * HOUR);
    const res = await client(clock).get(`${server.url}/plain`);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
    expect(res.fromCache).toBe(false);
  });

  it('--refresh forces a full request and still stores the answer', async () => {
    const clock = manualClock(T0);
    const url = `${server.url}/api/v1/search?query=acme`;
    await client(clock).get(url);
    const res = await client(clock, 'refresh').get(url);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
    expect(res.fromCache).toBe(false);
    clock.advance(1000);
    await client(clock).get(url);
    expect(server.requests).toHaveLength(2);
  });

  it('--no-cache neither reads nor writes', async () => {
    const clock = manualClock(T0);
    const url = `${server.url}/api/v1/search?query=acme`;
    await client(clock, 'off').get(url);
    await client(clock, 'off').get(url);
    expect(server.requests).toHaveLength(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it('errors are not cached', async () => {
    const clock = manualClock(T0);
    await expect(client(clock).get(`${server.url}/missing`)).rejects.toMatchObject({ code: 'not-found' });
    await expect(client(clock).get(`${server.url}/missing`)).rejects.toMatchObject({ code: 'not-found' });
    expect(server.requests).toHaveLength(2);
  });

  it('a corrupt cache file is ignored with a debug log, never a crash', async () => {
    const clock = manualClock(T0);
    const url = `${server.url}/api/v1/search?query=acme`;
    await client(clock).get(url);
    const key = cacheKey(url);
    const file = join(dir, 'http', key.slice(0, 2), `${key}.json`);
    await writeFile(file, '{"version":1,"status":200,"bo', 'utf8');
    const log = memoryLogger();
    const res = await client(clock, 'normal', { logger: log }).get(url);
    expect(res.body).toBe(BODY);
    expect(res.fromCache).toBe(false);
    expect(server.requests).toHaveLength(2);
    expect(log.lines.some((l) => l.level === 'debug' && /corrupt cache entry/.test(l.message))).toBe(true);
    // The bad entry was replaced by a good one.
    expect(JSON.parse(await readFile(file, 'utf8')).body).toBe(BODY);
  });

  it('writes atomically: no temp files are left behind', async () => {
    const clock = manualClock(T0);
    const c = client(clock);
    await Promise.all([c.get(`${server.url}/plain`), c.get(`${server.url}/feed.xml`), c.get(`${server.url}/api/v1/search?query=acme`)]);
    const sub = await readdir(join(dir, 'http'));
    const files = (await Promise.all(sub.map((s) => readdir(join(dir, 'http', s))))).flat();
    expect(files).toHaveLength(3);
    expect(files.every((f) => f.endsWith('.json') && !f.includes('.tmp'))).toBe(true);
  });

  it('never stores a token from the URL in the cache file', async () => {
    const clock = manualClock(T0);
    server.addRoute({ path: '/api/v1/search', query: { access_token: 'sk_live_SUPERSECRET123' }, body: BODY });
    await client(clock).get(`${server.url}/api/v1/search?q=acme&access_token=sk_live_SUPERSECRET123`);
    const key = cacheKey(`${server.url}/api/v1/search?q=acme&access_token=sk_live_SUPERSECRET123`);
    const text = await readFile(join(dir, 'http', key.slice(0, 2), `${key}.json`), 'utf8');
    expect(text).not.toContain('SUPERSECRET');
    expect(text).toContain('access_token=REDACTED');
  });

  it('createDiskCache.read returns undefined for a missing key', async () => {
    const cache = createDiskCache({ dir });
    expect(await cache.read('ab'.repeat(32))).toBeUndefined();
  });
});
