import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/http/index.js';
import { serveFixtureDir } from '../../../scripts/lib/fixture-server.js';
import type { FixtureServer } from '../../../scripts/lib/fixture-server.js';

let dir: string;
let server: FixtureServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-fixtures-'));
  await writeFile(join(dir, 'search.xml'), '<feed><entry><title>Acme Cloud</title></entry></feed>');
  await writeFile(join(dir, 'page2.xml'), '<feed><entry><title>page 2</title></entry></feed>');
  await writeFile(
    join(dir, 'routes.json'),
    JSON.stringify({
      routes: [
        { path: '/search.rss', query: { q: 'acme cloud', after: 't3_x' }, file: 'page2.xml' },
        { path: '/search.rss', query: { q: 'acme cloud' }, status: 200, headers: { 'content-type': 'application/atom+xml; charset=UTF-8' }, file: 'search.xml' },
        { path: '/limited', status: 429, headers: { 'retry-after': '0' }, body: 'slow down' },
      ],
    }),
  );
});

afterEach(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('serveFixtureDir (routes.json)', () => {
  it('matches path exactly and query params as a subset, first match wins', async () => {
    server = await serveFixtureDir(dir);
    const http = createHttpClient({ retry: { maxAttempts: 1 }, defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 2 } });
    const first = await http.get(`${server.url}/search.rss?q=acme+cloud&sort=new`);
    expect(first.body).toContain('Acme Cloud');
    expect(first.headers['content-type']).toBe('application/atom+xml; charset=UTF-8');
    const second = await http.get(`${server.url}/search.rss?after=t3_x&q=acme%20cloud`);
    expect(second.body).toContain('page 2');
    await expect(http.get(`${server.url}/search.rss?q=other`)).rejects.toMatchObject({ code: 'not-found' });
    await expect(http.get(`${server.url}/search.rss/extra?q=acme+cloud`)).rejects.toMatchObject({ code: 'not-found' });
    await expect(http.get(`${server.url}/limited`)).rejects.toMatchObject({ code: 'rate-limited' });
    expect(server.unmatched.map((r) => r.path)).toEqual(['/search.rss', '/search.rss/extra']);
    expect(server.requestsTo('/search.rss')).toHaveLength(3);
    await http.close();
  });

  it('close() returns promptly even with a hung request open', async () => {
    server = await serveFixtureDir(dir);
    server.fault({ fault: { kind: 'hang' } });
    const http = createHttpClient({ retry: { maxAttempts: 1 }, timeouts: { headersMs: 10_000 } });
    const pending = http.get(`${server.url}/search.rss?q=acme+cloud`).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await server.close();
    server = undefined;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toMatchObject({ code: 'network' });
    await http.close();
  });
});
