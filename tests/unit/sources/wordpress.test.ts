import { describe, expect, it } from 'vitest';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { postsParams, restUrl } from '../../../src/sources/wordpress/fetch.js';
import { wordpressSource } from '../../../src/sources/wordpress/index.js';
import {
  brandOptions,
  gmtToIso,
  pageCount,
  parseComments,
  parsePosts,
  wordpressError,
} from '../../../src/sources/wordpress/parse.js';
import { byId, collect as collectBatches, fixtureReader, realHttp as serveOverHttp, routesContext, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('wordpress');
const fixture = fixtureReader(DIR);
const BASE = 'http://127.0.0.1:40411';
const SITE = 'blog.acmecloud.example';
const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ options: { brandBlog: true, perPage: 2, commentsPerPage: 4 }, ...overrides });
const context = (q: SourceQuery) =>
  routesContext(DIR, q, { baseUrl: BASE, notFound: { status: 404, body: fixture('error-no-route.json') } });
const collect = (ctx: SourceContext) => collectBatches(wordpressSource, ctx);
const realHttp = () => serveOverHttp(DIR);
const post501 = { id: 501, mentionId: `wordpress:${SITE}/501`, site: SITE };
const c = (post: number, id: number) => `wordpress:${SITE}/${post}#comment-${id}`;

describe('wordpress parse', () => {
  it('reads date_gmt as UTC (it carries no zone) and keeps explicit zones', () => {
    expect(gmtToIso('2026-11-21T03:12:44')).toBe('2026-11-21T03:12:44.000Z');
    expect(gmtToIso('2026-11-21 03:12:44')).toBe('2026-11-21T03:12:44.000Z');
    expect(gmtToIso('2026-11-21T03:12:44+01:00')).toBe('2026-11-21T02:12:44.000Z');
    expect(gmtToIso('')).toBeUndefined();
    expect(gmtToIso('not a date')).toBeUndefined();
  });

  it('parses posts: ids from the post link host, titles and HTML reduced to text', () => {
    const page = parsePosts(fixture('posts-page1.json'), { query: query(), fallbackSite: '127.0.0.1:1' });
    expect(page.warnings).toEqual([]);
    expect(page.posts.map((p) => p.mentionId)).toEqual([`wordpress:${SITE}/501`, `wordpress:${SITE}/498`]);
    const launch = byId(page.mentions, `wordpress:${SITE}/501`);
    expect(launch).toMatchObject({
      kind: 'post',
      source: 'wordpress',
      fromBrand: true,
      brand: 'Acme Cloud',
      createdAt: '2026-11-19T15:00:00.000Z',
      threadId: `wordpress:${SITE}/501`,
      title: 'Managed Postgres 16 is here — 20% off for three months',
      author: { id: '2' },
      url: 'https://blog.acmecloud.example/2026/11/19/managed-postgres-16-launch/',
    });
    expect(launch.text).toBe(
      'Today we’re launching Managed Postgres 16 on Acme Cloud, with point-in-time recovery and read replicas in every region.\n\n' +
        'For the rest of November, new databases are 20% off for three months. Use code PG16LAUNCH at checkout.',
    );
    // Not the brand's blog: posts are only brand when their author is listed.
    const third = parsePosts(fixture('posts-page1.json'), { query: query({ options: { brandAuthors: [3] } }), fallbackSite: SITE });
    expect(third.mentions.map((m) => m.fromBrand)).toEqual([false, false]);
  });

  it('parses comments: parent links, guests vs registered users, entities, emoji and non-ASCII', () => {
    const page = parseComments(fixture('comments-501-page1.json'), post501, { query: query() });
    expect(page.warnings).toEqual([]);
    expect(page.mentions.map((m) => [m.id, m.parentId, m.fromBrand, m.createdAt])).toEqual([
      [c(501, 9001), `wordpress:${SITE}/501`, false, '2026-11-20T14:05:12.000Z'],
      [c(501, 9002), c(501, 9001), true, '2026-11-20T14:41:30.000Z'],
      [c(501, 9005), `wordpress:${SITE}/501`, false, '2026-11-20T19:30:00.000Z'],
      [c(501, 9006), c(501, 9005), false, '2026-11-20T20:02:00.000Z'],
    ]);
    const complaint = byId(page.mentions, c(501, 9001));
    expect(complaint.author).toEqual({ name: 'Dan Whitfield' });
    expect(complaint.threadId).toBe(`wordpress:${SITE}/501`);
    expect(complaint.text).toContain('died with “connection reset by peer” at ~80%');
    expect(complaint.url).toBe('https://blog.acmecloud.example/2026/11/19/managed-postgres-16-launch/#comment-9001');
    const reply = byId(page.mentions, c(501, 9002));
    expect(reply.author).toEqual({ id: '2', name: 'Priya Raman' });
    expect(reply.text).toBe(
      'Hi Dan — sorry about that. We found a timeout on large TOAST tables and shipped a fix at 14:30 UTC, so a third run should go through.\nIf it doesn’t, reply here and I’ll look at your job myself.',
    );
    expect(byId(page.mentions, c(501, 9005)).text).toBe('Does the Acme anvil come with managed hosting? Asking for a roadrunner 😂');
    const page2 = parseComments(fixture('comments-501-page2.json'), post501, { query: query() });
    expect(page2.mentions[0]?.text).toContain('Support chat is closed. 😡');
    expect(page2.mentions[1]).toMatchObject({ author: { name: 'Lucía Fernández' }, fromBrand: false });
    expect(page2.mentions[1]?.text).toBe('¿El descuento del 20 % también se aplica a las bases de datos que ya tenemos? ¡Gracias!');
    const praise = parseComments(fixture('comments-498.json'), { id: 498, mentionId: `wordpress:${SITE}/498`, site: SITE }, { query: query() });
    expect(byId(praise.mentions, c(498, 8952)).text).toBe(
      'Great write-up & thanks for publishing the numbers — our p95 cold start dropped from 900 ms to 180 ms.\n\nAny plans for Python 3.13?',
    );
  });

  it('keeps smiley images as their alt text', () => {
    const raw = JSON.parse(fixture('comments-498.json')) as { content: { rendered: string } }[];
    raw[2]!.content.rendered = '<p>Love it <img draggable="false" role="img" class="emoji" alt="🙂" src="https://s.w.org/images/core/emoji/15.0.3/svg/1f642.svg"> <img src="/chart.png" alt="p95 latency chart"></p>';
    const page = parseComments(JSON.stringify(raw), { id: 498, mentionId: `wordpress:${SITE}/498`, site: SITE }, { query: query() });
    expect(page.mentions[2]?.text).toBe('Love it 🙂');
  });

  it('without brandBlog, recognises brand authors by id, name or brand handle', () => {
    const ref = { id: 498, mentionId: `wordpress:${SITE}/498`, site: SITE };
    const none = parseComments(fixture('comments-498.json'), ref, { query: query({ options: {} }) });
    expect(none.mentions.filter((m) => m.fromBrand)).toEqual([]);
    const byIdOpt = parseComments(fixture('comments-498.json'), ref, { query: query({ options: { brandAuthors: [3] } }) });
    expect(byIdOpt.mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([c(498, 8951)]);
    const byName = parseComments(fixture('comments-498.json'), ref, { query: query({ options: { brandAuthors: ['priya raman'] } }) });
    expect(byName.mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([c(498, 8953)]);
    const byHandle = parseComments(fixture('comments-498.json'), ref, { query: query({ options: {}, brandHandles: ['@OMAR HADDAD'] }) });
    expect(byHandle.mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([c(498, 8951)]);
    expect(() => brandOptions(query({ options: { brandAuthors: [{}] } }))).toThrowError(expect.objectContaining({ code: 'config' }));
  });

  it('is forgiving about missing fields and skips unapproved comments and pingbacks', () => {
    const raw = JSON.parse(fixture('comments-498.json')) as Record<string, unknown>[];
    delete raw[0]!['author_name'];
    delete raw[0]!['content'];
    delete raw[1]!['date_gmt'];
    raw[2]!['type'] = 'pingback';
    raw[3]!['status'] = 'hold';
    const page = parseComments(JSON.stringify(raw), { id: 498, mentionId: `wordpress:${SITE}/498`, site: SITE }, { query: query() });
    expect(page.mentions).toHaveLength(1);
    expect(page.mentions[0]).toMatchObject({ author: {}, text: '' });
    expect(page.skipped).toBe(2);
    expect(page.warnings).toEqual([
      'wordpress: field "author_name" unreadable on comment 8950 of post 498.',
      'wordpress: field "content.rendered" unreadable on comment 8950 of post 498; text left empty.',
      'wordpress: field "date_gmt" unreadable on comment 8951 of post 498; skipped.',
    ]);
    const posts = JSON.parse(fixture('posts-page1.json')) as Record<string, unknown>[];
    delete posts[0]!['title'];
    delete posts[1]!['date_gmt'];
    const parsed = parsePosts(JSON.stringify(posts), { query: query(), fallbackSite: SITE });
    expect(parsed.posts).toHaveLength(2);
    expect(parsed.mentions).toHaveLength(1);
    expect(parsed.mentions[0]?.title).toBeUndefined();
    expect(parsed.warnings).toEqual([
      'wordpress: field "title.rendered" unreadable on post 501.',
      'wordpress: field "date_gmt" unreadable on post 498; post skipped, its comments still read.',
    ]);
  });

  it('throws bad-response on an HTML page or a changed layout, and classifies rest_* errors', () => {
    expect(() => parsePosts(fixture('home.html'), { query: query(), fallbackSite: SITE })).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: 'wordpress: expected a JSON array from /wp/v2/posts but got an HTML page.' }),
    );
    expect(() => parseComments('{"comments":[]}', post501, { query: query() })).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: 'wordpress: expected a JSON array of items from /wp/v2/comments.' }),
    );
    expect(() => parseComments(fixture('error-rest-disabled.json'), post501, { query: query() })).toThrowError(
      expect.objectContaining({ code: 'auth-required' }),
    );
    const disabled = wordpressError(401, fixture('error-rest-disabled.json'));
    expect(disabled).toMatchObject({ code: 'auth-required', status: 401, sourceId: 'wordpress' });
    expect(disabled.message).toBe(
      'wordpress: this blog does not let anonymous readers use its REST API (rest_disabled: The WordPress REST API has been disabled.); only the blog\'s owner can open it.',
    );
    expect(wordpressError(400, fixture('error-invalid-page.json')).code).toBe('not-found');
    expect(wordpressError(404, fixture('error-no-route.json')).message).toContain('rest_no_route');
    expect(wordpressError(503, '<html>')).toMatchObject({ code: 'bad-response', retryable: true });
  });

  it('reads the paging headers case-insensitively', () => {
    expect(pageCount({ 'X-WP-Total': '6', 'X-WP-TotalPages': '2' })).toEqual({ total: 6, totalPages: 2 });
    expect(pageCount({ 'x-wp-total': 'many' })).toEqual({});
  });
});

describe('wordpress fetch', () => {
  it('builds REST URLs for pretty and plain permalinks', () => {
    expect(restUrl('https://blog.acmecloud.example/', '/wp/v2/posts', { page: '1' })).toBe('https://blog.acmecloud.example/wp-json/wp/v2/posts?page=1');
    expect(restUrl('https://example.org/blog', '/wp/v2/comments', { post: '4' }, true)).toBe(
      'https://example.org/blog/?rest_route=%2Fwp%2Fv2%2Fcomments&post=4',
    );
    expect(postsParams({ query: query({ options: {} }) }, 1, 100, 30)).toEqual({
      search: 'acme cloud',
      after: '2026-10-10T00:00:00Z',
      before: '2026-11-22T23:59:59Z',
      per_page: '100',
      page: '1',
      orderby: 'date',
      order: 'desc',
      _fields: 'id,date_gmt,modified_gmt,link,title,content,excerpt,author,comment_status',
    });
  });

  it('brand blog: lists recent posts page by page, reads every comments page, applies the window', async () => {
    const { ctx, requests } = context(query());
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    const mentions = batches.flatMap((b) => b.mentions);
    expect(requests.every((r) => r.url.startsWith(BASE) && r.options?.sourceId === 'wordpress' && r.options.signal === ctx.signal)).toBe(true);
    const paths = requests.map((r) => {
      const u = new URL(r.url);
      return `${u.pathname}?${['post', 'page'].map((k) => `${k}=${u.searchParams.get(k) ?? ''}`).join('&')}`;
    });
    expect(paths).toEqual([
      '/wp-json/wp/v2/posts?post=&page=1',
      '/wp-json/wp/v2/comments?post=501&page=1',
      '/wp-json/wp/v2/comments?post=501&page=2',
      '/wp-json/wp/v2/comments?post=498&page=1',
      '/wp-json/wp/v2/posts?post=&page=2',
      '/wp-json/wp/v2/comments?post=497&page=1',
    ]);
    expect(new URL(requests[0]!.url).searchParams.has('search')).toBe(false);
    expect(new URL(requests[1]!.url).searchParams.get('per_page')).toBe('4');
    // Post 497 is older than the window: kept as the root of its in-window comment; its Nov 3 comment dropped.
    expect(mentions.map((m) => m.id)).toEqual([
      `wordpress:${SITE}/501`, c(501, 9001), c(501, 9002), c(501, 9005), c(501, 9006), c(501, 9003), c(501, 9004),
      `wordpress:${SITE}/498`, c(498, 8950), c(498, 8951), c(498, 8952), c(498, 8953),
      `wordpress:${SITE}/497`, c(497, 8900),
    ]);
    expect(mentions.filter((m) => m.fromBrand).map((m) => m.id)).toEqual([
      `wordpress:${SITE}/501`, c(501, 9002), `wordpress:${SITE}/498`, c(498, 8951), c(498, 8953), `wordpress:${SITE}/497`,
    ]);
    expect(batches.flatMap((b) => b.warnings)).toEqual([]);
  });

  it('third-party blog: searches for the query and stops at the limit', async () => {
    const { ctx, requests } = context(query({ limit: 3, options: { brandAuthors: [2, 3] } }));
    const { batches } = await collect(ctx);
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.id)).toEqual([`wordpress:${SITE}/501`, c(501, 9001), c(501, 9002)]);
    // Post 501 is by user 2, listed in brandAuthors: a brand broadcast.
    expect(mentions.map((m) => m.fromBrand)).toEqual([true, false, true]);
    expect(new URL(requests[0]!.url).searchParams.get('search')).toBe('acme cloud');
    expect(requests.some((r) => r.url.includes('post=498'))).toBe(false);
  });

  it('keeps late replies to in-window comments but drops new threads after until', async () => {
    const { ctx } = context(query({ since: new Date('2026-11-20T00:00:00Z'), until: new Date('2026-11-20T14:30:00Z'), options: { brandBlog: true, perPage: 2, commentsPerPage: 4 } }));
    const mentions = (await collect(ctx)).batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.id)).toEqual([`wordpress:${SITE}/501`, c(501, 9001), c(501, 9002)]);
  });

  it('degrades when comments are switched off: posts only, one warning that says what is missing', async () => {
    const { ctx } = context(query({ query: 'commentsoff', options: {} }));
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(batches.flatMap((b) => b.mentions).map((m) => m.id)).toEqual([`wordpress:${SITE}/420`]);
    const warnings = batches.flatMap((b) => b.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^wordpress: comments are not readable through this blog's REST API \(wordpress: this blog does not let anonymous readers/);
    expect(warnings[0]).toContain('brand replies cannot be seen');
  });

  it('falls back to ?rest_route= when /wp-json/ is missing (no pretty permalinks)', async () => {
    const { ctx, requests } = context(query({ query: 'plainpermalinks', options: { commentsPerPage: 4 } }));
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(batches.flatMap((b) => b.mentions)).toHaveLength(2 + 6 + 4);
    expect(new URL(requests[1]!.url).searchParams.get('rest_route')).toBe('/wp/v2/posts');
    expect(requests.slice(1).every((r) => new URL(r.url).pathname === '/')).toBe(true);
    expect(batches.flatMap((b) => b.warnings)[0]).toContain('using ?rest_route=');
  });

  it('surfaces a disabled REST API, an HTML page and a missing base URL as classified errors', async () => {
    expect((await collect(context(query({ query: 'restdisabled', options: {} })).ctx)).error).toMatchObject({ code: 'auth-required', status: 401 });
    expect((await collect(context(query({ query: 'brokenlayout', options: {} })).ctx)).error).toMatchObject({ code: 'bad-response' });
    const { ctx } = context(query());
    expect((await collect({ ...ctx, baseUrl: '' })).error).toMatchObject({ code: 'config' });
    expect((await collect({ ...ctx, query: query({ options: { perPage: 500 } }) })).error).toMatchObject({
      code: 'config',
      message: 'wordpress: option "perPage" must be a whole number from 0 to 100.',
    });
  });

  it('returns nothing (and no error) for a search without results', async () => {
    const { batches, error } = await collect(context(query({ query: 'nothing', options: {} })).ctx);
    expect(error).toBeUndefined();
    expect(batches.flatMap((b) => b.mentions)).toEqual([]);
  });
});

describe('wordpress over real HTTP (fixture server + real client)', () => {
  it('reads both posts pages and every thread, sending Accept: application/json', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query());
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(14);
      expect(server.unmatched).toEqual([]);
      expect(server.requests[0]!.headers['accept']).toBe('application/json');
      expect(server.requests[0]!.headers['user-agent']).toMatch(/^earshot\//);
    } finally {
      await close();
    }
  });

  it('a 401 rest_disabled is explained from its rest_* code over real HTTP, as in memory', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ query: 'restdisabled', options: {} }));
      const { error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toMatchObject({ code: 'auth-required', sourceId: 'wordpress', status: 401 });
      expect((error as Error).message).toMatch(/^wordpress: this blog does not let anonymous readers use its REST API \(rest_disabled: /);
    } finally {
      await close();
    }
  });

  it('comments switched off over real HTTP degrade to posts with a warning', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ query: 'commentsoff', options: {} }));
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(1);
      expect(batches.flatMap((b) => b.warnings)[0]).toContain('this blog does not let anonymous readers use its REST API (rest_disabled');
    } finally {
      await close();
    }
  });

  it('the ?rest_route= fallback works over real HTTP after a 404 HTML page', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ query: 'plainpermalinks', options: { commentsPerPage: 4 } }));
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(12);
    } finally {
      await close();
    }
  });

  it('a transient 503 on a comments page is retried and the thread still arrives', async () => {
    const { server, http, close } = await realHttp();
    try {
      server.fault({ match: (r) => r.path === '/wp-json/wp/v2/comments' && r.query['post'] === '498', fault: { kind: 'status', status: 503 }, times: 1 });
      const { ctx } = context(query());
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions).filter((m) => m.threadId === `wordpress:${SITE}/498`)).toHaveLength(5);
    } finally {
      await close();
    }
  });
});

describe('wordpress: one deep comment', () => {
  it('reads a comment whose HTML nests 5,000 tags (it overflowed the call stack) and keeps the other comments', () => {
    const comments = JSON.parse(fixture('comments-501-page1.json')) as { id: number; content: { rendered: string } }[];
    comments[2]!.content.rendered = `${'<blockquote><em>'.repeat(2500)}Still broken for us${'</em></blockquote>'.repeat(2500)}`;
    const page = parseComments(JSON.stringify(comments), post501, { query: query() });
    expect(page.mentions.map((m) => m.id)).toEqual([c(501, 9001), c(501, 9002), c(501, 9005), c(501, 9006)]);
    expect(byId(page.mentions, c(501, 9005)).text).toBe('Still broken for us');
    // Read flattened past 512 levels (parsing it whole costs depth × tags); the warning names the comment.
    expect(page.warnings).toEqual([expect.stringMatching(/^wordpress: comment 9005 of post 501 \(https?:\/\/\S+\) nests its HTML more than 512 tags deep; the tags below that depth were dropped and their text kept\.$/)]);
  });
});
