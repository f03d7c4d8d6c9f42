/**
 * Servers that misbehave in ways the fault matrix does not cover, over real sockets on 127.0.0.1: each failure must
 * get the code that says what to do next and one sentence a user can act on (docs/security.md lists each one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.js';
import { memoryLogger } from '../../src/core/log.js';
import { createHttpClient, type EarshotHttpClient, type HttpClientOptions } from '../../src/http/index.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
const clients: EarshotHttpClient[] = [];

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

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the request to fail');
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
