/**
 * Credentials and redirects: what a request carries to authenticate (credential headers, `key=`/`access_token=`
 * parameters, a login body) never travels to another origin, and a token a server echoes back (in any response
 * header, in a redirect's URL, in a Link URL a source follows) never reaches the raw evidence, the cache or a log line.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.js';
import { memoryLogger } from '../../src/core/log.js';
import { createHttpClient } from '../../src/http/index.js';
import type { EarshotHttpClient, HttpClientOptions } from '../../src/http/index.js';
import { followRedirects } from '../../src/http/redirect.js';
import type { RawResult, RequestContext } from '../../src/http/request.js';
import { SCENARIOS, scenarioArgs } from '../faults/scenarios.js';
import { serveFixtureDir, startFixtureServer } from '../helpers/fixture-server.js';
import type { FixtureRoute, FixtureServer, RecordedRequest } from '../helpers/fixture-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

// Every kind of credential a source sends: the headers of GitHub/Mastodon/Bluesky/Reddit (Authorization), Trustpilot
// (Cookie), Discourse (Api-Key, Api-Username), and the API-key headers redact.ts knows; letters and digits only, so a
// search for each is exact whatever the encoding.
const CREDENTIAL_HEADERS: Record<string, string> = {
  authorization: 'Bearer AUTHtoken8a7b6c5d4e',
  cookie: 'session=COOKIEvalue1a2b3c4d',
  'proxy-authorization': `Basic ${Buffer.from('proxyuser:PROXYsecret9z8y7x').toString('base64')}`,
  'api-key': 'APIKEYdiscourse4e5f6g7h',
  'api-username': 'APIUSERdiscourse7h8i9j',
  'x-api-key': 'XAPIKEY0j1k2l3m4n',
  'x-auth-token': 'XAUTHTOKEN4n5o6p7q',
};
// Stack Exchange sends `key=`, OAuth APIs `access_token=`.
const QUERY_KEY = 'QUERYKEY7q8r9s0t1u';
const QUERY_TOKEN = 'ACCESSTOKEN1u2v3w4x';
/** Every secret value above, and the decoded halves of the Basic pair. */
const SECRET_VALUES = [
  ...Object.values(CREDENTIAL_HEADERS).map((v) => v.replace(/^(Bearer|Basic) |^session=/, '')),
  'PROXYsecret9z8y7x',
  QUERY_KEY,
  QUERY_TOKEN,
];
const STATUSES = [301, 302, 303, 307, 308] as const;
/** What a fixture server's handler answers. */
type Answer = Omit<FixtureRoute, 'path'>;

let a: FixtureServer;
let b: FixtureServer;
let clients: EarshotHttpClient[] = [];

function client(options: HttpClientOptions = {}): EarshotHttpClient {
  const c = createHttpClient({ retry: { maxAttempts: 1 }, defaultRateLimit: { requestsPerMinute: 60_000, concurrency: 4 }, ...options });
  clients.push(c);
  return c;
}

/** Everything a server saw of a request: URL, headers and body, as one searchable string. */
const seen = (req: RecordedRequest): string => `${decodeURIComponent(req.url)} ${JSON.stringify(req.headers)} ${req.body}`;

beforeEach(async () => {
  b = await startFixtureServer({ handler: () => ({ body: '{"ok":true}', headers: { 'content-type': 'application/json' } }) });
  // `/to-b/<status>` redirects to the other server, copying the query string (as canonical-host redirects do) and
  // adding the token it received as `e=`; `/here/<status>` redirects within the same origin.
  a = await startFixtureServer({
    handler: (req): Answer => {
      const m = /^\/(to-b|here)\/(\d{3})$/.exec(req.path);
      if (!m) return { body: '{"ok":"a"}', headers: { 'content-type': 'application/json' } };
      const search = req.url.slice(req.path.length);
      const target = m[1] === 'to-b' ? `${b.url}/landed${search}` : `/landed${search}`;
      return { status: Number(m[2]), headers: { location: `${target}${search ? '&' : '?'}e=${CREDENTIAL_HEADERS['x-auth-token']}` } };
    },
  });
  clients = [];
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([a.close(), b.close()]);
});

describe('a redirect to another origin carries no credential', () => {
  it.each(STATUSES)('GET, HTTP %i to another port on 127.0.0.1: no credential header, no key/access_token parameter, no echoed token', async (status) => {
    const res = await client().get(`${a.url}/to-b/${status}?q=acme&key=${QUERY_KEY}&access_token=${QUERY_TOKEN}`, { headers: CREDENTIAL_HEADERS });
    expect(res.status).toBe(200);
    expect(b.requests).toHaveLength(1);
    const landed = b.requests[0]!;
    // What is not a credential still goes: the hop is followed, the query kept.
    expect(landed.path).toBe('/landed');
    expect(landed.query['q']).toBe('acme');
    for (const name of Object.keys(CREDENTIAL_HEADERS)) expect(landed.headers[name], name).toBeUndefined();
    expect(landed.query['key']).toBeUndefined();
    expect(landed.query['access_token']).toBeUndefined();
    expect(landed.query['e'], 'a parameter holding one of our secrets').toBeUndefined();
    for (const secret of SECRET_VALUES) expect(seen(landed), secret).not.toContain(secret);
  });

  it.each(STATUSES)('POST with a body, HTTP %i to another origin: never re-sent there', async (status) => {
    const body = JSON.stringify({ identifier: 'me.bsky.social', password: 'APPpassword5r6s7t8u' });
    const p = client().post(`${a.url}/to-b/${status}`, body, { contentType: 'application/json', headers: CREDENTIAL_HEADERS });
    if (status === 307 || status === 308) {
      // Re-sending means re-posting the password to a server nobody chose: fail, and say why.
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SourceError);
      expect((err as SourceError).code).toBe('bad-response');
      expect((err as SourceError).message).toMatch(new RegExp(`${a.url.replace('http://', '')} redirected a POST with a request body .* to another origin \\(${b.url.replace('http://', '')}, HTTP ${status}\\)`));
      expect((err as SourceError).message).not.toContain('APPpassword5r6s7t8u');
      expect(b.requests).toHaveLength(0);
    } else {
      // 301/302/303 turn the POST into a GET without its body.
      expect((await p).status).toBe(200);
      expect(b.requests).toHaveLength(1);
      expect(b.requests[0]!.method).toBe('GET');
      expect(seen(b.requests[0]!)).not.toContain('APPpassword5r6s7t8u');
      for (const secret of SECRET_VALUES) expect(seen(b.requests[0]!), secret).not.toContain(secret);
    }
  });

  it('a 307 within the same origin still re-sends the POST with its body and credentials', async () => {
    const body = JSON.stringify({ identifier: 'me.bsky.social', password: 'APPpassword5r6s7t8u' });
    const res = await client().post(`${a.url}/here/307`, body, { contentType: 'application/json', headers: CREDENTIAL_HEADERS });
    expect(res.status).toBe(200);
    const landed = a.requests.find((r) => r.path === '/landed')!;
    expect(landed.method).toBe('POST');
    expect(landed.body).toBe(body);
    expect(landed.headers['api-key']).toBe(CREDENTIAL_HEADERS['api-key']);
  });

  it.each(STATUSES)('GET, HTTP %i within the same origin keeps the credentials (the server already has them)', async (status) => {
    await client().get(`${a.url}/here/${status}?key=${QUERY_KEY}`, { headers: CREDENTIAL_HEADERS });
    const landed = a.requests.find((r) => r.path === '/landed')!;
    for (const [name, value] of Object.entries(CREDENTIAL_HEADERS)) expect(landed.headers[name], name).toBe(value);
    expect(landed.query['key']).toBe(QUERY_KEY);
  });

  it.each([
    ['another host, same port', 'http://api.example:8080/a', 'http://cdn.example:8080/b'],
    ['another port', 'http://127.0.0.1:8080/a', 'http://127.0.0.1:8081/b'],
    ['http to https', 'http://api.example/a', 'https://api.example/b'],
  ])('%s counts as another origin', async (_name, from, to) => {
    const sent: { url: string; req: RequestContext }[] = [];
    const hop = async (req: RequestContext, url: URL): Promise<RawResult> => {
      sent.push({ url: url.toString(), req });
      return sent.length === 1 ? { url: url.toString(), status: 302, headers: { location: `${to}?key=${QUERY_KEY}&q=1` }, body: '' } : { url: url.toString(), status: 200, headers: {}, body: 'ok' };
    };
    const ctx: RequestContext = { method: 'GET', url: from, headers: { ...CREDENTIAL_HEADERS, accept: '*/*' }, sourceId: undefined, signal: undefined, secrets: [QUERY_KEY] };
    await followRedirects(ctx, 5, hop);
    expect(sent[1]!.url).toBe(`${to}?q=1`);
    expect(sent[1]!.req.headers).toEqual({ accept: '*/*' });
  });
});

describe('a token echoed back is kept out of the evidence, the cache and the logs', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'earshot-echo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every file under `root` as text. */
  const filesUnder = (root: string): { path: string; text: string }[] =>
    readdirSync(root).flatMap((f) => {
      const p = join(root, f);
      return statSync(p).isDirectory() ? filesUnder(p) : [{ path: p, text: readFileSync(p, 'utf8') }];
    });

  it('in x-echo, Link, ETag, WWW-Authenticate and a same-origin redirect URL (&e=<token>)', async () => {
    const token = 'ECHOEDtoken3c4d5e6f7g';
    const echo = await startFixtureServer({
      handler: (req): Answer => {
        if (req.path === '/start') return { status: 302, headers: { location: `/page?q=acme&e=${token}` } };
        return {
          body: '{"items":[]}',
          headers: {
            'content-type': 'application/json',
            'x-echo': `you sent Bearer ${token}`,
            link: `<${echo.url}/page?page=2&e=${token}>; rel="next"`,
            etag: `"${token}"`,
            'www-authenticate': `Bearer realm="api", error="invalid_token", token="${token}"`,
          },
        };
      },
    });
    try {
      const log = memoryLogger();
      const c = client({ logger: log, saveRaw: join(dir, 'raw'), cache: { dir: join(dir, 'cache') } });
      const res = await c.get(`${echo.url}/start`, { headers: { Authorization: `Bearer ${token}` }, sourceId: 'test' });
      await c.close();
      expect(echo.requests[0]!.headers['authorization']).toBe(`Bearer ${token}`);
      // The answer a source sees: the headers are still there, the token is not.
      expect(res.headers['link']).toBe(`<${echo.url}/page?page=2&e=REDACTED>; rel="next"`);
      expect(res.headers['etag']).toBe('"REDACTED"');
      expect(JSON.stringify(res)).not.toContain(token);
      const files = [...filesUnder(join(dir, 'raw')), ...filesUnder(join(dir, 'cache'))];
      expect(files.map((f) => f.path.replace(dir, '')).sort()).toEqual(expect.arrayContaining(['/raw/manifest.json', '/raw/manifest.ndjson']));
      expect(files.some((f) => f.path.includes('/cache/'))).toBe(true);
      expect(log.lines.filter((l) => l.level === 'debug').map((l) => l.message)).toContain(`GET ${echo.url}/page?q=acme&e=REDACTED`);
      for (const f of files) expect(f.text, f.path).not.toContain(token);
      for (const l of log.lines) expect(l.message).not.toContain(token);
    } finally {
      await echo.close();
    }
  });

  it("GitHub's own `github: GET <url>` debug line: a Link URL's access_token (ours, or one we never sent) is redacted", async () => {
    const ours = 'ghpOURStoken5d6e7f8g9h0i';
    const foreign = 'FOREIGNtoken1j2k3l4m5n';
    const dirOf = join(ROOT, 'fixtures/sources/github');
    const page1 = readFileSync(join(dirOf, 'search-issues-page1.json'), 'utf8');
    const link = (JSON.parse(readFileSync(join(dirOf, 'routes.json'), 'utf8')) as { routes: { path: string; query?: unknown; headers?: Record<string, string> }[] }).routes.find(
      (r) => r.path === '/search/issues' && r.query === undefined,
    )!.headers!['link']!;
    // The first search page's "next" link carries both tokens as access_token parameters.
    const tampered = link.replace('page=2>; rel="next"', `page=2&access_token=${ours}&access_token=${foreign}>; rel="next"`);
    expect(tampered).not.toBe(link);
    const server = await serveFixtureDir(dirOf, {
      faults: [
        {
          match: (req) => req.path === '/search/issues' && req.query['page'] === undefined,
          fault: { kind: 'status', status: 200, headers: { 'content-type': 'application/json; charset=utf-8', link: tampered }, body: page1 },
        },
      ],
    });
    const folder = join(dir, 'github');
    try {
      const run = await runCli(
        [
          'audit', 'acme cloud', '--source', 'github', ...scenarioArgs(SCENARIOS['github']!, server.url), '--rate-limit', 'github=6000',
          '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--debug',
          '--save-raw', join(folder, 'raw'), '--cache-dir', join(folder, 'cache'), '-f', 'json', '-o', join(folder, 'report.json'),
        ],
        { env: { GITHUB_TOKEN: ours } },
      );
      expect(run.code, run.stderr).toBe(0);
      // The page was followed, with the parameters the server asked for.
      expect(server.requests.some((r) => r.query['page'] === '2')).toBe(true);
      const pageLine = run.stderr.split('\n').find((l) => l.startsWith('debug: github: GET ') && l.includes('page=2'));
      expect(pageLine).toBeDefined();
      expect(pageLine).toContain('access_token=REDACTED');
      // Our token is nowhere; the server's own one is in no output, log line or piece of evidence (the cache keeps the
      // Link header as sent, so a cached first page still leads to the second).
      for (const f of filesUnder(folder)) expect(f.text, f.path).not.toContain(ours);
      const shown = [run.stdout, run.stderr, ...filesUnder(folder).filter((f) => !f.path.includes('/cache/')).map((f) => f.text)];
      for (const text of shown) expect(text).not.toContain(foreign);
      expect(run.stderr).not.toContain(ours);
    } finally {
      await server.close();
    }
  });
});
