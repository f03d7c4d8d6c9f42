import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../src/http/types.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { SourceError } from '../../../src/core/errors.js';
import { buildSearchQuery } from '../../../src/sources/discourse/fetch.js';
import { forumHtmlToText as htmlToText, decodeEntities } from '../../../src/sources/shared/html-text.js';
import { discourseSource } from '../../../src/sources/discourse/index.js';
import { replaceEmojiCodes } from '../../../src/sources/discourse/emoji.js';
import {
  discourseError,
  missingPostIds,
  parseSearch,
  parseTopic,
  readPosts,
  readTopic,
  topicMentions,
} from '../../../src/sources/discourse/parse.js';
import { byId, clientError, collect as collectBatches, fixtureReader, realHttp as serveOverHttp, routesContext, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('discourse');
const fixture = fixtureReader(DIR);

const BASE = 'http://127.0.0.1:40402';

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ limit: 500, options: { brandGroups: ['acme_staff'] }, ...overrides });

const context = (q: SourceQuery, env: Record<string, string | undefined> = {}) =>
  routesContext(DIR, q, { baseUrl: BASE, env, notFound: { status: 404, body: fixture('error-not-found.json') } });

const collect = (ctx: SourceContext) => collectBatches(discourseSource, ctx);
const realHttp = () => serveOverHttp(DIR);

const FORUM = 'https://community.acmecloud.example';

describe('html to text', () => {
  it('keeps paragraphs, decodes entities, drops quotes and keeps emoji alt text', () => {
    expect(htmlToText('<p>A &amp; B &quot;x&quot;</p><p>second<br>line</p><ul><li>one</li><li>two</li></ul>')).toBe(
      'A & B "x"\n\nsecond\nline\n\none\ntwo',
    );
    expect(htmlToText('<aside class="quote"><blockquote><p>them</p></blockquote></aside><p>me <img class="emoji" alt=":+1:"></p>')).toBe('me :+1:');
    expect(decodeEntities('Can&#39;t &quot;deploy&quot; &amp; caf&eacute;')).toBe('Can\'t "deploy" & café');
  });
});

describe('discourse parse', () => {
  it('reads search pages: topic ids in order, deduplicated, and the more flag', () => {
    expect(parseSearch(fixture('search-page1.json'))).toEqual({ topicIds: [5041, 5020, 5034, 4501], more: true, warnings: [] });
    expect(parseSearch(fixture('search-page2.json'))).toEqual({ topicIds: [5020, 4990, 5012], more: false, warnings: [] });
    expect(parseSearch(fixture('search-empty.json'))).toEqual({ topicIds: [], more: false, warnings: [] });
  });

  it('maps a topic: root, staff reply within the hour, quote dropped, small action left out', () => {
    const result = parseTopic(fixture('t-5012.json'), { baseUrl: FORUM, query: query() });
    expect(result.warnings).toEqual([]);
    expect(result.actions).toBe(1);
    expect(result.mentions.map((m) => [m.id, m.kind, m.fromBrand, m.parentId, m.threadId])).toEqual([
      ['discourse:80211', 'post', false, undefined, 'discourse:80211'],
      ['discourse:80219', 'comment', true, 'discourse:80211', 'discourse:80211'],
      ['discourse:80230', 'comment', false, 'discourse:80219', 'discourse:80211'],
    ]);
    const [root, staff, thanks] = result.mentions;
    expect(root).toMatchObject({
      title: 'Managed Redis keeps dropping connections during peak hours',
      createdAt: '2026-11-17T15:05:22.318Z',
      url: `${FORUM}/t/managed-redis-keeps-dropping-connections-during-peak-hours/5012/1`,
      author: { id: '212', handle: 'lena_k', name: 'Lena Köhler' },
      engagement: { replies: 1, score: 27.6 },
    });
    expect(root?.text).toContain('this week & we pay for the "Business" tier!');
    expect(staff?.engagement.likes).toBe(3);
    expect(thanks?.text).toBe('Confirmed, no drops since the move. Thanks for the fast answer 👍');
  });

  it('reads a post whose cooked HTML nests 5,000 tags flattened, naming it, and keeps the other posts', () => {
    const topic = JSON.parse(fixture('t-5012.json')) as { post_stream: { posts: { id: number; cooked: string }[] } };
    topic.post_stream.posts[2]!.cooked = `${'<div><blockquote>'.repeat(2500)}<p>Still dropping</p>${'</blockquote></div>'.repeat(2500)}`;
    const result = parseTopic(JSON.stringify(topic), { baseUrl: FORUM, query: query() });
    expect(result.mentions.map((m) => m.id)).toEqual(['discourse:80211', 'discourse:80219', 'discourse:80230']);
    expect(byId(result.mentions, 'discourse:80230').text).toBe('Still dropping');
    expect(result.warnings).toEqual([
      'discourse: post 80230 of topic 5012 nests its HTML more than 512 tags deep; the tags below that depth were dropped and their text kept.',
    ]);
  });

  it('recognises the brand by staff flag, by group, and by handle; staffIsBrand=false turns the flag off', () => {
    const noGroups = parseTopic(fixture('t-5034.json'), { baseUrl: FORUM, query: query({ options: {} }) });
    expect(noGroups.mentions[0]?.fromBrand).toBe(false);
    const group = parseTopic(fixture('t-5034.json'), { baseUrl: FORUM, query: query() });
    expect(group.mentions[0]?.fromBrand).toBe(true);
    const handle = parseTopic(fixture('t-5034.json'), { baseUrl: FORUM, query: query({ options: {}, brandHandles: ['@Acme_Marketing'] }) });
    expect(handle.mentions[0]?.fromBrand).toBe(true);
    const thirdParty = parseTopic(fixture('t-5012.json'), { baseUrl: FORUM, query: query({ options: { staffIsBrand: false } }) });
    expect(thirdParty.mentions.some((m) => m.fromBrand)).toBe(false);
  });

  it('joins posts.json continuation and handles deleted posts', () => {
    const topic = readTopic(fixture('t-5020.json'));
    expect(topic.posts).toHaveLength(20);
    expect(missingPostIds(topic)).toEqual([80521, 80522, 80523]);
    const more = readPosts(fixture('t-5020-posts.json'), 5020);
    topic.posts.push(...more.posts);
    const result = topicMentions(topic, { baseUrl: FORUM, query: query() });
    expect(result.mentions).toHaveLength(22);
    expect(result.removed).toBe(1);
    // Post 7 was deleted with nothing beneath it: gone. Post 12 carries a brand reply: placeholder.
    expect(result.mentions.find((m) => m.id === 'discourse:80507')).toBeUndefined();
    expect(byId(result.mentions, 'discourse:80512')).toMatchObject({ text: '[deleted]', author: {}, fromBrand: false });
    const deflection = byId(result.mentions, 'discourse:80520');
    expect(deflection).toMatchObject({ fromBrand: true, parentId: 'discourse:80512', threadId: 'discourse:80501' });
    expect(deflection.text).toBe('Hi, we are sorry you’re affected. Please DM us your account email so we can check your instance.');
    const update = byId(result.mentions, 'discourse:80521');
    expect(update).toMatchObject({ fromBrand: true, parentId: 'discourse:80501', createdAt: '2026-11-21T13:30:12.778Z' });
    expect(update.text).toContain('long outage — a post-mortem');
    expect(byId(result.mentions, 'discourse:80522').parentId).toBe('discourse:80521');
    expect(byId(result.mentions, 'discourse:80504').text).toMatch(/^Même problème ici/);
  });

  it('shows known emoji codes as the emoji and leaves unknown ones as written', () => {
    const topic = readTopic(fixture('t-5020.json'));
    topic.posts.push(...readPosts(fixture('t-5020-posts.json'), 5020).posts);
    const mentions = topicMentions(topic, { baseUrl: FORUM, query: query() }).mentions;
    const texts = mentions.map((m) => m.text).join('\n');
    expect(texts).toContain('Not great, Acme. 😒');
    expect(texts).toContain('“All systems operational” 🙄');
    expect(texts).not.toMatch(/:(unamused|roll_eyes|rage):/);
    expect(replaceEmojiCodes(':+1:t3: thanks :tada: see :some_custom_forum_emoji: at 10:30:45')).toBe('👍 thanks 🎉 see :some_custom_forum_emoji: at 10:30:45');
  });

  it('is forgiving about missing fields', () => {
    const raw = JSON.parse(fixture('t-5012.json')) as { title?: string; post_stream: { posts: Record<string, unknown>[] } };
    delete raw.title;
    delete raw.post_stream.posts[1]!['username'];
    delete raw.post_stream.posts[1]!['cooked'];
    delete raw.post_stream.posts[2]!['created_at'];
    const result = parseTopic(JSON.stringify(raw), { baseUrl: FORUM, query: query() });
    expect(result.mentions.map((m) => m.id)).toEqual(['discourse:80211', 'discourse:80219']);
    expect(result.mentions[0]?.title).toBeUndefined();
    expect(result.mentions[1]).toMatchObject({ text: '', author: { id: '3', name: 'Sam Ortega' }, fromBrand: true });
    expect(result.warnings).toEqual([
      'discourse: field "title" unreadable on topic 5012.',
      'discourse: field "cooked" unreadable on post 80219 of topic 5012; text left empty.',
      'discourse: field "username" unreadable on post 80219 of topic 5012.',
      'discourse: field "created_at" unreadable on post 80230 of topic 5012; skipped.',
    ]);
  });

  it('throws bad-response for HTML or a changed layout', () => {
    expect(() => parseSearch('<!DOCTYPE html><html><body>Login</body></html>')).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: 'discourse: expected a /search.json object but got an HTML page.' }),
    );
    expect(() => parseSearch('{"posts":[]}')).toThrowError(expect.objectContaining({ code: 'bad-response' }));
    expect(() => readTopic('{"id":1,"posts":[]}')).toThrowError(expect.objectContaining({ code: 'bad-response' }));
    expect(() => readPosts('[]', 1)).toThrowError(expect.objectContaining({ code: 'bad-response' }));
  });

  it('rewords what the client throws in Discourse terms, from the error answer it keeps', () => {
    const thrown = (status: number, body: string) => clientError({ url: 'https://forum.example/search.json', status, body }, 'discourse')!;
    const rl = discourseError(thrown(429, fixture('error-rate-limit.json')), false);
    expect(rl).toMatchObject({ code: 'rate-limited', retryable: true });
    expect(rl.message).toMatch(/^discourse: the forum rate-limited us; retry after 27 s\. Forum\.example is rate-limiting requests \(HTTP 429\)/);
    expect(discourseError(thrown(404, fixture('error-not-found.json')), false).code).toBe('not-found');
    const auth = discourseError(thrown(403, '{"errors":["You are not permitted to view the requested resource."],"error_type":"invalid_access"}'), false);
    expect(auth.code).toBe('auth-required');
    expect(auth.message).toContain('DISCOURSE_API_KEY');
    expect(auth.message).toContain('You are not permitted');
    expect(discourseError(thrown(500, '<html>'), false)).toMatchObject({ code: 'bad-response', retryable: true });
  });

});

describe('discourse fetch', () => {
  it('widens the day-granular window inside q', () => {
    expect(buildSearchQuery({ query: query() })).toBe('acme cloud after:2026-11-08 before:2026-11-23 order:latest');
    expect(buildSearchQuery({ query: query({ since: undefined, until: undefined }) })).toBe('acme cloud order:latest');
  });

  it('pages search, fetches whole topics (with posts.json) from the base URL and trims to since', async () => {
    const { ctx, requests, log } = context(query());
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    const paths = requests.map((r) => {
      const u = new URL(r.url);
      return u.pathname + (u.pathname === '/search.json' ? `?page=${u.searchParams.get('page')}` : '');
    });
    expect(paths).toEqual([
      '/search.json?page=1',
      '/t/5041.json',
      '/t/5020.json',
      '/t/5020/posts.json',
      '/t/5034.json',
      '/t/4501.json',
      '/search.json?page=2',
      '/t/4990.json',
      '/t/5012.json',
    ]);
    expect(requests.every((r) => r.url.startsWith(BASE) && r.options?.sourceId === 'discourse' && r.options.signal === ctx.signal)).toBe(true);
    expect(new URL(requests[3]!.url).searchParams.getAll('post_ids[]')).toEqual(['80521', '80522', '80523']);
    expect(new URL(requests[0]!.url).searchParams.get('q')).toBe('acme cloud after:2026-11-08 before:2026-11-23 order:latest');
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions).toHaveLength(31);
    // The October root stays as thread context; its October reply is outside the window.
    expect(mentions.filter((m) => m.threadId === 'discourse:77001').map((m) => m.id)).toEqual(['discourse:77001', 'discourse:80400']);
    expect(byId(mentions, 'discourse:80121').url).toBe(`${BASE}/t/anyone-else-think-of-the-looney-tunes-anvil/4990/2`);
    expect(batches.flatMap((b) => b.warnings)).toEqual([]);
    expect(log.lines).toContainEqual({ level: 'debug', message: 'discourse: left out 1 deleted/hidden posts and 1 small-action posts.' });
  });

  it('stops at the limit without reading further pages', async () => {
    const { ctx, requests } = context(query({ limit: 5 }));
    const { batches } = await collect(ctx);
    expect(batches.flatMap((b) => b.mentions).map((m) => m.id)).toEqual([
      'discourse:80702',
      'discourse:80501',
      'discourse:80502',
      'discourse:80503',
      'discourse:80504',
    ]);
    expect(requests.some((r) => r.url.includes('page=2'))).toBe(false);
  });

  it('sends an API key only when both env vars are set, never in the URL', async () => {
    const { ctx, requests } = context(query({ limit: 1 }), { DISCOURSE_API_KEY: 'k3y-secret', DISCOURSE_API_USERNAME: 'system' });
    await collect(ctx);
    expect(requests[0]!.options?.headers).toEqual({ Accept: 'application/json', 'Api-Key': 'k3y-secret', 'Api-Username': 'system' });
    expect(requests.some((r) => r.url.includes('k3y'))).toBe(false);
    const half = context(query({ limit: 1 }), { DISCOURSE_API_KEY: 'k3y-secret' });
    const { batches } = await collect(half.ctx);
    expect(half.requests[0]!.options?.headers).toEqual({ Accept: 'application/json' });
    expect(batches[0]?.warnings[0]).toContain('DISCOURSE_API_USERNAME');
  });

  it('needs a forum URL', async () => {
    const { ctx } = context(query());
    const { error } = await collect({ ...ctx, baseUrl: '' });
    expect(error).toMatchObject({ code: 'config' });
  });

  it('surfaces a rate limit as an error, never zero results', async () => {
    const { ctx } = context(query({ query: 'ratelimited', since: undefined, until: undefined }));
    const { batches, error } = await collect(ctx);
    expect(batches.flatMap((b) => b.mentions)).toEqual([]);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'rate-limited', status: 429, sourceId: 'discourse' });
  });

  it('an empty search is an empty result, not an error', async () => {
    const { ctx } = context(query({ query: 'nothing matches this', since: undefined, until: undefined }));
    const { batches, error } = await collect(ctx);
    expect(error).toBeUndefined();
    expect(batches.flatMap((b) => b.mentions)).toEqual([]);
  });

  it('skips a topic that vanished and keeps batches before a later failure', async () => {
    const { ctx } = context(query());
    const flaky: HttpClient = {
      ...ctx.http,
      get: async (url, options) => {
        const path = new URL(url).pathname;
        if (path === '/t/5034.json') throw clientError({ url, status: 404, body: fixture('error-not-found.json') }, 'discourse');
        if (path === '/t/4990.json') throw clientError({ url, status: 503, body: '<html>Service Unavailable</html>' }, 'discourse');
        return ctx.http.get(url, options);
      },
    };
    const { batches, error } = await collect({ ...ctx, http: flaky });
    expect(error).toMatchObject({ code: 'bad-response', status: 503, retryable: true });
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.threadId)).not.toContain('discourse:80610');
    expect(mentions).toHaveLength(1 + 22 + 2);
    expect(batches.flatMap((b) => b.warnings).some((w) => w.startsWith('discourse: topic 5034 could not be read'))).toBe(true);
  });
});

describe('discourse over real HTTP (fixture server + real client)', () => {
  it('reads search pages and whole topics, posts.json included', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query());
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(31);
      expect(server.unmatched).toEqual([]);
      const more = server.requestsTo('/t/5020/posts.json')[0]!;
      expect(more.url).toContain('post_ids%5B%5D=80521');
      expect(server.requests[0]!.headers['accept']).toBe('application/json');
    } finally {
      await close();
    }
  });

  it('a 429 that persists surfaces as rate-limited', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ query: 'ratelimited', since: undefined, until: undefined }));
      const retryAfterZero = { kind: 'status' as const, status: 429, headers: { 'retry-after': '0' }, body: fixture('error-rate-limit.json') };
      server.fault({ match: (r) => r.path === '/search.json', fault: retryAfterZero });
      const { batches, error } = await collect({ ...ctx, http, baseUrl: server.url });
      expect(batches.flatMap((b) => b.mentions)).toEqual([]);
      expect(error).toMatchObject({ code: 'rate-limited', sourceId: 'discourse' });
    } finally {
      await close();
    }
  });
});
