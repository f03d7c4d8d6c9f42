import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/core/log.js';
import { createHttpClient, redactHeaders, redactText, redactUrl } from '../../../src/http/index.js';
import { startFixtureServer } from '../../../scripts/lib/fixture-server.js';
import type { FixtureServer } from '../../../scripts/lib/fixture-server.js';

const TOKEN = 'tok_4f9a8b7c6d5e4f3a2b1c';
const BEARER = 'ghp_Zx9Yw8Vu7Ts6Rq5Po4Nm3';
const PASSWORD = 'correct-horse-battery';

describe('redactUrl', () => {
  it('replaces credential-like query values and keeps the rest as sent', () => {
    expect(redactUrl('https://api.example.com/s?q=acme%20cloud&access_token=abc123&page=2')).toBe(
      'https://api.example.com/s?q=acme%20cloud&access_token=REDACTED&page=2',
    );
    expect(redactUrl('https://x.example/?apiKey=1&client_secret=2&key=3&sig=4&password=5')).toBe(
      'https://x.example/?apiKey=REDACTED&client_secret=REDACTED&key=REDACTED&sig=REDACTED&password=REDACTED',
    );
    expect(redactUrl('https://user:pa55@x.example/p')).toBe('https://REDACTED:REDACTED@x.example/p');
  });

  it('leaves ordinary parameters such as keywords, author, tags alone', () => {
    const url = 'https://hn.algolia.com/api/v1/search?query=acme&tags=comment,author_pg&keywords=cloud&author=bob';
    expect(redactUrl(url)).toBe(url);
  });

  it('property: a planted token value never survives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('token', 'access_token', 'api_key', 'apikey', 'client_secret', 'password', 'auth', 'key'),
        fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/),
        (name, value) => !redactUrl(`https://x.example/a?q=acme&${name}=${value}`).includes(value),
      ),
    );
  });
});

describe('redactHeaders / redactText', () => {
  it('hides Authorization, cookies and API-key headers', () => {
    expect(redactHeaders({ Authorization: `Bearer ${BEARER}`, Accept: 'application/json', Cookie: 'a=b', 'Api-Key': 'x' })).toEqual({
      Authorization: 'REDACTED',
      Accept: 'application/json',
      Cookie: 'REDACTED',
      'Api-Key': 'REDACTED',
    });
  });

  it('scrubs bearer credentials and name=value secrets from text, leaving prose alone', () => {
    expect(redactText(`sent Authorization: Bearer ${BEARER} to host`)).toBe('sent Authorization: Bearer REDACTED to host');
    expect(redactText('GET /x?access_token=abc&q=1')).toBe('GET /x?access_token=REDACTED&q=1');
    // A Link header keeps its `<…>; rel="next"` shape (it is recorded as evidence and followed on replay).
    expect(redactText('<https://api.example/x?page=2&api_key=abc123>; rel="next"')).toBe('<https://api.example/x?page=2&api_key=REDACTED>; rel="next"');
    expect(redactText("set the source's token environment variable")).toBe("set the source's token environment variable");
    expect(redactText(`value ${TOKEN} here`, [TOKEN])).toBe('value REDACTED here');
  });
});

describe('tokens never reach messages, logs or evidence', () => {
  let server: FixtureServer;
  let dir: string;
  beforeEach(async () => {
    server = await startFixtureServer({
      exact: { '/private': { status: 401, body: 'no' } },
      routes: [{ path: '/ok', body: '{"ok":true}' }],
    });
    dir = await mkdtemp(join(tmpdir(), 'earshot-redact-'));
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('across 401, 404, 500 retries, timeouts, refused connections and successes', async () => {
    server.fault({ match: /\/flaky/, fault: { kind: 'status', status: 500 } });
    server.fault({ match: /\/hang/, fault: { kind: 'hang' } });
    const log = memoryLogger();
    const http = createHttpClient({
      logger: log,
      saveRaw: dir,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      timeouts: { headersMs: 150 },
      defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 },
    });
    const headers = { Authorization: `Bearer ${BEARER}` };
    const messages: string[] = [];
    for (const path of ['/private', '/missing', '/flaky', '/hang', '/ok']) {
      try {
        const res = await http.get(`${server.url}${path}?q=acme&token=${TOKEN}&password=${PASSWORD}`, { headers, sourceId: 'test' });
        messages.push(res.url);
      } catch (err) {
        messages.push((err as Error).message, String((err as Error).stack));
      }
    }
    try {
      await http.get(`http://127.0.0.1:1/x?api_key=${TOKEN}`, { headers });
    } catch (err) {
      messages.push((err as Error).message);
    }
    await http.close();
    // The server did get the real credentials: redaction is for humans, not for the wire.
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${BEARER}`);
    expect(server.requests[0]?.url).toContain(TOKEN);
    expect(messages.filter((m) => /REDACTED|HTTP|within/.test(m)).length).toBeGreaterThan(4);
    const evidence = await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')));
    const everything = [...messages.filter((m) => !m.startsWith('http://')), ...log.lines.map((l) => l.message), ...evidence].join('\n');
    expect(log.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(BEARER);
    expect(everything).not.toContain(PASSWORD);
  });
});

describe('identity headers', () => {
  it("Api-Username is redacted by name but its value (the brand's own account) is not cut out of answers", async () => {
    const server = await startFixtureServer({ routes: [{ path: '/posts.json', body: '{"username":"acme_support","text":"We are on it"}' }] });
    const http = createHttpClient({ defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 } });
    try {
      const res = await http.get(`${server.url}/posts.json`, { headers: { 'Api-Key': 'k3y-secret-123456', 'Api-Username': 'acme_support' } });
      expect(res.body).toContain('"username":"acme_support"');
      expect(redactHeaders({ 'Api-Username': 'acme_support' })).toEqual({ 'Api-Username': 'REDACTED' });
    } finally {
      await http.close();
      await server.close();
    }
  });
});

describe("Reddit's private feed links", () => {
  it('redact the feed= token beside user=, in URLs and in text, and leave a plain ?feed= format alone', async () => {
    const { redactUrl, redactText, secretsOf } = await import('../../../src/http/redact.js');
    const url = 'https://www.reddit.com/search.rss?q=acme&limit=25&feed=7c1e0b2f9a8d4e6f&user=acme_auditor';
    expect(redactUrl(url)).toBe('https://www.reddit.com/search.rss?q=acme&limit=25&feed=REDACTED&user=REDACTED');
    expect(secretsOf(url)).toContain('7c1e0b2f9a8d4e6f');
    // The user name is redacted in URLs but not cut out of answers, where it may be an author's name.
    expect(secretsOf(url)).not.toContain('acme_auditor');
    expect(redactText(`GET ${url} failed`)).toBe('GET https://www.reddit.com/search.rss?q=acme&limit=25&feed=REDACTED&user=REDACTED failed');
    expect(redactText('see /.rss?user=acme_auditor&amp;feed=7c1e0b2f9a8d4e6f')).toBe('see /.rss?user=REDACTED&amp;feed=REDACTED');
    expect(redactUrl('https://blog.example.com/?feed=rss2')).toBe('https://blog.example.com/?feed=rss2');
    expect(redactText('https://blog.example.com/?feed=rss2&paged=2')).toBe('https://blog.example.com/?feed=rss2&paged=2');
  });
});
