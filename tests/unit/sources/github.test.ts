import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../src/http/types.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { RateLimitedError, SourceError } from '../../../src/core/errors.js';
import { buildSearchQuery } from '../../../src/sources/github/fetch.js';
import { githubSource } from '../../../src/sources/github/index.js';
import {
  githubError,
  nextLink,
  parseIssueComments,
  parseSearchIssues,
  type GithubIssueRef,
} from '../../../src/sources/github/parse.js';
import { byId, clientError, collect as collectBatches, fixtureReader, realHttp as serveOverHttp, routesContext, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('github');
const fixture = fixtureReader(DIR);

const BASE = 'http://127.0.0.1:40401';

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ brandHandles: ['acme-jane', '@Acme-Omar'], options: { brandOrgs: ['acmecloud'], perPage: 2 }, ...overrides });

const context = (q: SourceQuery, env: Record<string, string | undefined> = {}) =>
  routesContext(DIR, q, { baseUrl: BASE, env, notFound: { status: 404, body: '{"message":"Not Found"}' } });

const collect = (ctx: SourceContext) => collectBatches(githubSource, ctx);
const realHttp = () => serveOverHttp(DIR);

describe('github parse', () => {
  it('parses a search page into issue mentions with refs', () => {
    const page = parseSearchIssues(fixture('search-issues-page1.json'), query());
    expect(page.warnings).toEqual([]);
    expect(page.totalCount).toBe(6);
    expect(page.incompleteResults).toBe(false);
    expect(page.mentions.map((m) => m.id)).toEqual(['github:fastdeploy/fastdeploy#1290', 'github:acmecloud/acme-cli#418']);
    const fr = byId(page.mentions, 'github:fastdeploy/fastdeploy#1290');
    expect(fr).toMatchObject({
      kind: 'post',
      source: 'github',
      fromBrand: false,
      brand: 'Acme Cloud',
      createdAt: '2026-11-22T01:30:18.000Z',
      threadId: 'github:fastdeploy/fastdeploy#1290',
      url: 'https://github.com/fastdeploy/fastdeploy/issues/1290',
      author: { handle: 'camille-dubois', id: '8800512' },
      title: 'Comment déployer sur Acme Cloud avec une base de données gérée ?',
    });
    expect(fr.text).toContain('« connection refused »');
    expect(page.issues[1]).toEqual({
      mentionId: 'github:acmecloud/acme-cli#418',
      repo: 'acmecloud/acme-cli',
      number: 418,
      comments: 1,
      commentsUrl: 'https://api.github.com/repos/acmecloud/acme-cli/issues/418/comments',
    });
    expect(byId(page.mentions, 'github:acmecloud/acme-cli#418').engagement).toEqual({ score: 6, likes: 7, replies: 1 });
  });

  it('strips issue-template comments and keeps the markdown text', () => {
    const page = parseSearchIssues(fixture('search-issues-page3.json'), query());
    const issue = byId(page.mentions, 'github:acmecloud/acme-cli#412');
    expect(issue.text.startsWith('### What happened?')).toBe(true);
    expect(issue.text).not.toContain('<!--');
    expect(issue.text).not.toContain('\r');
  });

  it('marks a brand promotion by a MEMBER of a brand org as fromBrand', () => {
    const page = parseSearchIssues(fixture('search-issues-page2.json'), query());
    expect(byId(page.mentions, 'github:acmecloud/acme-cli#420').fromBrand).toBe(true);
    expect(byId(page.mentions, 'github:acmecloud/acme-cli#415').fromBrand).toBe(false);
  });

  const ref = (repo: string, number: number): GithubIssueRef => ({
    mentionId: `github:${repo}#${number}`,
    repo,
    number,
    comments: 1,
  });

  it('uses author_association only in brand repositories and never for bots', () => {
    const c412 = parseIssueComments(fixture('comments-412-page1.json'), ref('acmecloud/acme-cli', 412), query());
    expect(c412.mentions.map((m) => [m.id, m.fromBrand, m.createdAt])).toEqual([
      ['github:acmecloud/acme-cli#412/c2530014411', true, '2026-11-10T15:48:40.000Z'],
      ['github:acmecloud/acme-cli#412/c2530020873', false, '2026-11-10T16:05:02.000Z'],
    ]);
    expect(c412.mentions[0]).toMatchObject({
      kind: 'comment',
      parentId: 'github:acmecloud/acme-cli#412',
      threadId: 'github:acmecloud/acme-cli#412',
      url: 'https://github.com/acmecloud/acme-cli/issues/412#issuecomment-2530014411',
    });
    const bot = parseIssueComments(fixture('comments-412-page2.json'), ref('acmecloud/acme-cli', 412), query());
    expect(bot.mentions[0]?.author.handle).toBe('github-actions[bot]');
    expect(bot.mentions[0]?.fromBrand).toBe(false);
    // The OWNER of a third-party repository is not the brand.
    const owner = parseIssueComments(fixture('comments-7.json'), ref('wile-e-dev/roadrunner-traps', 7), query());
    expect(owner.mentions[0]?.fromBrand).toBe(false);
    // Without brandOrgs the same MEMBER reply is only brand through the configured handle.
    const noOrg = parseIssueComments(fixture('comments-412-page1.json'), ref('acmecloud/acme-cli', 412), query({
      brandHandles: [],
      options: {},
    }));
    expect(noOrg.mentions[0]?.fromBrand).toBe(false);
  });

  it('recognises staff logins in third-party repositories (case-insensitive, @ stripped)', () => {
    const c = parseIssueComments(fixture('comments-1290.json'), ref('fastdeploy/fastdeploy', 1290), query({
      brandHandles: ['@ACME-JANE'],
    }));
    expect(c.mentions[0]?.fromBrand).toBe(true);
    expect(c.mentions[0]?.text).toContain('Please DM us your account email');
  });

  it('is forgiving about missing fields', () => {
    const raw = JSON.parse(fixture('search-issues-page1.json')) as { items: Record<string, unknown>[] };
    delete raw.items[0]!['user'];
    delete raw.items[0]!['title'];
    raw.items[0]!['body'] = null;
    delete raw.items[1]!['created_at'];
    const page = parseSearchIssues(JSON.stringify(raw), query());
    expect(page.mentions).toHaveLength(1);
    expect(page.mentions[0]).toMatchObject({ author: {}, text: '' });
    expect(page.mentions[0]?.title).toBeUndefined();
    expect(page.warnings).toEqual([
      'github: field "user" unreadable on issue fastdeploy/fastdeploy#1290; author left empty.',
      'github: field "title" unreadable on issue fastdeploy/fastdeploy#1290.',
      'github: field "created_at" unreadable on issue acmecloud/acme-cli#418; skipped.',
    ]);
  });

  it('throws bad-response on an HTML page or a changed layout', () => {
    expect(() => parseSearchIssues(fixture('unicorn.html'), query())).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: 'github: expected a /search/issues JSON object but got an HTML page.' }),
    );
    expect(() => parseSearchIssues('{"results":[]}', query())).toThrowError(expect.objectContaining({ code: 'bad-response' }));
    expect(() => parseIssueComments('{"items":[]}', ref('a/b', 1), query())).toThrowError(
      expect.objectContaining({ code: 'bad-response' }),
    );
  });

  it('reads rel="next" from Link headers', () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"')).toBe(
      'https://api.github.com/x?page=2',
    );
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });

  it('rewords what the client throws in GitHub terms, from the error answer it keeps', () => {
    const thrown = (status: number, body: string, headers: Record<string, string> = {}) =>
      clientError({ url: `${BASE}/search/issues`, status, body, headers }, 'github')!;
    const rl = githubError(thrown(403, fixture('error-rate-limit.json'), { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1795424460' }), false);
    expect(rl).toBeInstanceOf(RateLimitedError);
    expect(rl.message).toContain('2026-11-23T');
    expect(rl.message).toContain('GITHUB_TOKEN');
    expect(githubError(thrown(403, fixture('error-rate-limit.json')), true).message).not.toContain('GITHUB_TOKEN');
    const rejected = githubError(thrown(422, fixture('error-validation.json')), false);
    expect(rejected).toMatchObject({ code: 'config', status: 422 });
    expect(rejected.message).toContain("Query must include 'is:issue'");
    expect(githubError(thrown(401, '{"message":"Bad credentials"}'), true)).toMatchObject({ code: 'auth-required' });
    expect(githubError(thrown(401, '{}'), true).message).toContain('GITHUB_TOKEN was rejected');
    const saml = githubError(thrown(403, '{"message":"Resource protected by organization SAML enforcement."}'), true);
    expect(saml).toMatchObject({ code: 'blocked' });
    expect(saml.message).toContain('SAML');
    expect(githubError(thrown(503, '<html>'), true)).toMatchObject({ code: 'bad-response', retryable: true });
  });
});

describe('github fetch', () => {
  it('builds the search query with scope and window qualifiers', () => {
    const q = query({ options: { repos: ['acmecloud/acme-cli', 'acmecloud/terraform-provider-acme'], org: 'acmecloud' } });
    expect(buildSearchQuery({ query: q })).toBe(
      'acme cloud in:title,body,comments is:issue repo:acmecloud/acme-cli repo:acmecloud/terraform-provider-acme org:acmecloud created:>=2026-11-09 created:<=2026-11-22',
    );
  });

  it('pages through search, fetches every thread on the overridden base URL, keyless', async () => {
    const { ctx, requests } = context(query());
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions).toHaveLength(6 + 7);
    expect(requests.every((r) => r.url.startsWith(BASE))).toBe(true);
    expect(requests.every((r) => r.options?.sourceId === 'github' && r.options.signal === ctx.signal)).toBe(true);
    const paths = requests.map((r) => { const u = new URL(r.url); return u.pathname + (u.searchParams.get('page') ? `?page=${u.searchParams.get('page')}` : ''); });
    expect(paths).toEqual([
      '/search/issues',
      '/repos/fastdeploy/fastdeploy/issues/1290/comments',
      '/repos/acmecloud/acme-cli/issues/418/comments',
      '/search/issues?page=2',
      '/repos/acmecloud/acme-cli/issues/415/comments',
      '/search/issues?page=3',
      '/repos/wile-e-dev/roadrunner-traps/issues/7/comments',
      '/repos/acmecloud/acme-cli/issues/412/comments',
      '/repositories/700123456/issues/412/comments?page=2',
    ]);
    const first = new URL(requests[0]!.url);
    expect(first.searchParams.get('q')).toBe('acme cloud in:title,body,comments is:issue created:>=2026-11-09 created:<=2026-11-22');
    expect(first.searchParams.get('sort')).toBe('created');
    expect(requests[0]!.options?.headers).toEqual({ Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' });
    // #420 has no comments: no request. The brand answered #412 within the hour.
    expect(byId(mentions, 'github:acmecloud/acme-cli#412/c2530014411').fromBrand).toBe(true);
    expect(byId(mentions, 'github:acmecloud/acme-cli#412/c2530031190').author.handle).toBe('github-actions[bot]');
    const warnings = batches.flatMap((b) => b.warnings);
    expect(warnings[0]).toContain('GITHUB_TOKEN is not set');
    expect(warnings).toHaveLength(1);
  });

  it('sends the token only in Authorization and drops the keyless warning', async () => {
    const { ctx, requests, log } = context(query(), { GITHUB_TOKEN: 'ghp_secretsecret' });
    const { batches } = await collect(ctx);
    expect(requests[0]!.options?.headers?.['Authorization']).toBe('Bearer ghp_secretsecret');
    expect(requests.some((r) => r.url.includes('ghp_'))).toBe(false);
    expect(log.lines.some((l) => l.message.includes('ghp_'))).toBe(false);
    expect(batches.flatMap((b) => b.warnings)).toEqual([]);
  });

  it('stops at the limit without requesting further pages', async () => {
    const { ctx, requests } = context(query({ limit: 3 }));
    const { batches } = await collect(ctx);
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.id)).toEqual([
      'github:fastdeploy/fastdeploy#1290',
      'github:fastdeploy/fastdeploy#1290/c2534001881',
      'github:acmecloud/acme-cli#418',
    ]);
    expect(requests.some((r) => new URL(r.url).searchParams.get('page') === '2')).toBe(false);
  });

  it('drops issues created before since (day-granular search)', async () => {
    const { ctx } = context(query({ since: new Date('2026-11-13T12:00:00Z') }));
    const { batches } = await collect(ctx);
    const roots = batches.flatMap((b) => b.mentions).filter((m) => m.kind === 'post').map((m) => m.id);
    expect(roots).toEqual(['github:fastdeploy/fastdeploy#1290', 'github:acmecloud/acme-cli#418', 'github:acmecloud/acme-cli#420']);
  });

  it('degrades keyless: caps comment requests and says which env var lifts it', async () => {
    const { ctx, requests } = context(query({ options: { brandOrgs: ['acmecloud'], perPage: 2, maxCommentRequests: 2 } }));
    const { batches } = await collect(ctx);
    expect(requests.filter((r) => r.url.includes('/comments')).length).toBe(2);
    const warnings = batches.flatMap((b) => b.warnings);
    expect(warnings.at(-1)).toBe(
      'github: comments of 3 issues were not fetched (keyless budget of 2 comment requests used); set GITHUB_TOKEN to fetch every thread.',
    );
  });

  it('surfaces a rate limit as a SourceError, never as zero results', async () => {
    const { ctx } = context(query({ query: 'ratelimited', since: undefined, until: undefined }));
    const { batches, error } = await collect(ctx);
    expect(batches.flatMap((b) => b.mentions)).toEqual([]);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'rate-limited', sourceId: 'github', status: 403 });
  });

  it('surfaces a rejected query and an HTML page as classified errors', async () => {
    const rejected = context(query({ since: undefined, until: undefined, options: { repos: ['acmecloud/no-such-repo'] } }));
    const r1 = await collect(rejected.ctx);
    expect(r1.error).toMatchObject({ code: 'config', status: 422 });
    expect((r1.error as Error).message).toContain('cannot be searched either because the resources do not exist');
    const html = context(query({ query: 'brokenlayout', since: undefined, until: undefined }));
    const r2 = await collect(html.ctx);
    expect(r2.error).toMatchObject({ code: 'bad-response' });
  });

  it('keeps batches yielded before a failure', async () => {
    const { ctx } = context(query());
    const failing: HttpClient = {
      ...ctx.http,
      get: async (url, options) => {
        if (url.includes('/search/issues') && new URL(url).searchParams.get('page') === '2') {
          throw clientError({ url, status: 502, body: '<html>bad gateway</html>' }, 'github');
        }
        return ctx.http.get(url, options);
      },
    };
    const { batches, error } = await collect({ ...ctx, http: failing });
    expect(batches.flatMap((b) => b.mentions)).toHaveLength(4);
    expect(error).toMatchObject({ code: 'bad-response', retryable: true, status: 502 });
  });
});

describe('github over real HTTP (fixture server + real client)', () => {
  it('reads every page and thread, sends the GitHub headers and the earshot User-Agent', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query());
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(13);
      expect(server.unmatched).toEqual([]);
      expect(server.requests.map((r) => r.path)).toContain('/repositories/700123456/issues/412/comments');
      const first = server.requests[0]!;
      expect(first.headers['accept']).toBe('application/vnd.github+json');
      expect(first.headers['x-github-api-version']).toBe('2022-11-28');
      expect(first.headers['user-agent']).toMatch(/^earshot\//);
      expect(first.headers['authorization']).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('a spent quota (403, x-ratelimit-remaining: 0) surfaces as rate-limited', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ query: 'ratelimited', since: undefined, until: undefined }));
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(batches.flatMap((b) => b.mentions)).toEqual([]);
      expect(error).toMatchObject({ code: 'rate-limited', sourceId: 'github' });
    } finally {
      await close();
    }
  });

  it('a rejected query (422) is reported as a query problem', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ since: undefined, until: undefined, options: { repos: ['acmecloud/no-such-repo'] } }));
      const { error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toMatchObject({ code: 'config', status: 422, sourceId: 'github' });
    } finally {
      await close();
    }
  });

  it('a transient 503 on a comments page is retried by the client and the thread still arrives', async () => {
    const { server, http, close } = await realHttp();
    try {
      server.fault({ match: '/repos/acmecloud/acme-cli/issues/418/comments', fault: { kind: 'status', status: 503 }, times: 1 });
      const { ctx } = context(query({ limit: 4 }));
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions).map((m) => m.id)).toContain('github:acmecloud/acme-cli#418/c2533990412');
      expect(server.requestsTo('/repos/acmecloud/acme-cli/issues/418/comments')).toHaveLength(2);
    } finally {
      await close();
    }
  });
});
