import { describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../src/http/types.js';
import type { SourceContext, SourceQuery } from '../../../src/sources/types.js';
import { SourceError } from '../../../src/core/errors.js';
import { createStackExchangeSource, stackexchangeSource } from '../../../src/sources/stackexchange/index.js';
import {
  answerMentions,
  commentMentions,
  parseSearch,
  readWrapper,
  stackExchangeError,
  type SeParseOptions,
} from '../../../src/sources/stackexchange/parse.js';
import { byId, clientError, collect as collectBatches, fixtureReader, realHttp as serveOverHttp, routesContext, sourceFixtureDir, sourceQuery } from '../../helpers/source-harness.js';

const DIR = sourceFixtureDir('stackexchange');
const fixture = fixtureReader(DIR);

const items = (name: string) => readWrapper(fixture(name), 'test').items;

const BASE = 'http://127.0.0.1:40403/2.3';

const query = (overrides: Partial<SourceQuery> = {}): SourceQuery =>
  sourceQuery({ options: { brandUserIds: [4401877], pageSize: 3 }, ...overrides });

const opts = (q: SourceQuery = query()): SeParseOptions => ({ query: q, site: 'stackoverflow' });

const context = (q: SourceQuery, env: Record<string, string | undefined> = {}) =>
  routesContext(DIR, q, { baseUrl: BASE, env, notFound: { status: 400, body: '{"error_id":404,"error_message":"no method found with this name","error_name":"no_method"}' } });

/** Runs the source with its back-off sleeps recorded in `sleeps` instead of waited. */
const collect = (ctx: SourceContext, sleeps: number[] = []) =>
  collectBatches(createStackExchangeSource({ sleep: async (ms) => void sleeps.push(ms) }), ctx);
const realHttp = () => serveOverHttp(DIR);

describe('stackexchange parse', () => {
  it('reads the wrapper fields', () => {
    const w = readWrapper(fixture('search-page1.json'), '/search/advanced');
    expect(w).toMatchObject({ hasMore: true, quotaMax: 300, quotaRemaining: 297, backoff: 5 });
    expect(w.items).toHaveLength(3);
    expect(readWrapper(fixture('search-page2.json'), 'x').backoff).toBeUndefined();
  });

  it('maps questions with decoded titles, plain-text bodies and epoch dates', () => {
    const page = parseSearch(fixture('search-page1.json'), opts());
    expect(page.warnings).toEqual([]);
    expect(page.questions).toEqual([
      { id: 79230417, answerCount: 0 },
      { id: 79225550, answerCount: 1 },
      { id: 79220088, answerCount: 2 },
    ]);
    const night = byId(page.mentions, 'stackexchange:stackoverflow:q79230417');
    expect(night).toMatchObject({
      kind: 'post',
      title: "acmecloud CLI deploy hangs at 'Uploading build context'",
      createdAt: '2026-11-22T04:17:09.000Z',
      threadId: 'stackexchange:stackoverflow:q79230417',
      author: { id: '22001953', handle: 'kenji.t' },
      fromBrand: false,
      brand: 'Acme Cloud',
      engagement: { score: 0, replies: 0 },
    });
    expect(night.url).toMatch(/^https:\/\/stackoverflow\.com\/questions\/79230417\//);
    expect(night.text).toBe(
      "Since tonight acme deploy hangs forever at:\n\nUploading build context... 0%\n\nNo error, no timeout. The app is a small Node.js API (~4 MB). I've tried --verbose but it prints nothing more. Is Acme Cloud down or is it my network? My release is due Monday 😩",
    );
    expect(byId(page.mentions, 'stackexchange:stackoverflow:q79225550').author.handle).toBe('José Ibáñez');
    expect(byId(page.mentions, 'stackexchange:stackoverflow:q79220088').text).toContain('👍');
  });

  it('marks answers by configured user ids or display names as the brand', () => {
    const answers = answerMentions(items('answers-page1.json'), opts());
    expect(answers.answerIds).toEqual([79225801, 79220190, 79220290]);
    expect(answers.mentions.map((m) => [m.id, m.fromBrand, m.parentId])).toEqual([
      ['stackexchange:stackoverflow:a79225801', false, 'stackexchange:stackoverflow:q79225550'],
      ['stackexchange:stackoverflow:a79220190', false, 'stackexchange:stackoverflow:q79220088'],
      ['stackexchange:stackoverflow:a79220290', true, 'stackexchange:stackoverflow:q79220088'],
    ]);
    expect(answers.mentions[2]?.text).toContain('Settings → Domains');
    const byName = answerMentions(items('answers-page1.json'), opts(query({ options: {}, brandHandles: ['acme cloud support'] })));
    expect(byName.mentions[2]?.fromBrand).toBe(true);
    const none = answerMentions(items('answers-page1.json'), opts(query({ options: {} })));
    expect(none.mentions.some((m) => m.fromBrand)).toBe(false);
  });

  it('links comments to their post and to the question thread', () => {
    const onAnswer = commentMentions(items('answer-comments-page2.json'), { ...opts(), on: 'answer', threadOf: new Map([[79210244, 79210001]]) });
    expect(onAnswer.mentions[0]).toMatchObject({
      id: 'stackexchange:stackoverflow:c134351999',
      kind: 'comment',
      parentId: 'stackexchange:stackoverflow:a79210244',
      threadId: 'stackexchange:stackoverflow:q79210001',
      text: 'Confirmed 200 now. Thanks for the quick fix! 🙏',
      createdAt: '2026-11-10T20:31:19.000Z',
    });
    const onQuestion = commentMentions(items('question-comments-page1.json'), { ...opts(), on: 'question' });
    // A deleted account: no user id, a placeholder display name.
    expect(onQuestion.mentions[0]).toMatchObject({ author: { handle: 'user20871215' }, parentId: 'stackexchange:stackoverflow:q79230417' });
    expect(onQuestion.mentions[0]?.author.id).toBeUndefined();
  });

  it('is forgiving about missing fields', () => {
    const raw = JSON.parse(fixture('search-page1.json')) as { items: Record<string, unknown>[] };
    delete raw.items[0]!['owner'];
    delete raw.items[0]!['body'];
    delete raw.items[1]!['title'];
    delete raw.items[2]!['creation_date'];
    const page = parseSearch(JSON.stringify(raw), opts());
    expect(page.mentions.map((m) => m.id)).toEqual(['stackexchange:stackoverflow:q79230417', 'stackexchange:stackoverflow:q79225550']);
    expect(page.mentions[0]).toMatchObject({ author: {}, text: '' });
    expect(page.mentions[1]?.title).toBeUndefined();
    expect(page.warnings).toEqual([
      'stackexchange: field "owner" unreadable on question 79230417; author left empty.',
      'stackexchange: field "body" unreadable on question 79230417 (filter without body?); text left empty.',
      'stackexchange: field "title" unreadable on question 79225550.',
      'stackexchange: field "creation_date" unreadable on question 79220088; skipped.',
    ]);
  });

  it('throws bad-response for HTML or a changed layout, and classifies error bodies', () => {
    expect(() => readWrapper('<html><body>Service Unavailable</body></html>', '/search/advanced')).toThrowError(
      expect.objectContaining({ code: 'bad-response', message: 'stackexchange: expected a JSON /search/advanced response but got an HTML page.' }),
    );
    expect(() => readWrapper('{"questions":[]}', '/search/advanced')).toThrowError(expect.objectContaining({ code: 'bad-response' }));
    expect(() => readWrapper(fixture('error-throttle.json'), 'x', 400)).toThrowError(
      expect.objectContaining({
        code: 'rate-limited',
        status: 400,
        message: 'stackexchange: throttle_violation (502): too many requests from this IP, more requests available in 71423 seconds; wait before trying again.',
      }),
    );
    expect(stackExchangeError({ error_id: 403, error_name: 'access_denied', error_message: 'page above 25 requires access token or app key' })).toMatchObject({
      code: 'auth-required',
    });
    expect(stackExchangeError({ error_id: 503, error_name: 'temporarily_unavailable' })).toMatchObject({ code: 'unavailable', retryable: true });
    expect(stackExchangeError({ error_id: 400, error_name: 'bad_parameter' }).code).toBe('config');
  });
});

describe('stackexchange fetch', () => {
  it('pages search, batches thread requests, obeys backoff, on the overridden base URL', async () => {
    const { ctx, requests, log } = context(query());
    const sleeps: number[] = [];
    const { batches, error } = await collect(ctx, sleeps);
    expect(error).toBeUndefined();
    expect(requests.map((r) => new URL(r.url).pathname + (r.url.includes('/search/') ? `#${new URL(r.url).searchParams.get('page')}` : ''))).toEqual([
      '/2.3/search/advanced#1',
      '/2.3/questions/79225550;79220088/answers',
      '/2.3/questions/79230417;79225550;79220088/comments',
      '/2.3/answers/79225801;79220190;79220290/comments',
      '/2.3/search/advanced#2',
      '/2.3/questions/79210001/answers',
      '/2.3/questions/79210001/comments',
      '/2.3/answers/79210244/comments',
    ]);
    expect(requests.every((r) => r.url.startsWith(BASE) && r.options?.sourceId === 'stackexchange' && r.options.signal === ctx.signal)).toBe(true);
    const search = new URL(requests[0]!.url).searchParams;
    expect(Object.fromEntries(search)).toEqual({
      order: 'desc',
      sort: 'creation',
      site: 'stackoverflow',
      pagesize: '3',
      filter: 'withbody',
      q: 'acme cloud',
      fromdate: '1794182400',
      todate: '1795391999',
      page: '1',
    });
    expect(new URL(requests[1]!.url).searchParams.get('filter')).toBe('withbody');
    // backoff: 5 on search page 1 → one 5 s wait, before search page 2 only.
    expect(sleeps).toEqual([5000]);
    expect(log.lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual([
      'stackexchange: the API asked for a 5 s back-off before the next search/advanced request; waiting.',
    ]);
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions).toHaveLength(13);
    expect(batches[0]!.mentions.map((m) => m.id)).toEqual([
      'stackexchange:stackoverflow:q79230417',
      'stackexchange:stackoverflow:c134400117',
      'stackexchange:stackoverflow:q79225550',
      'stackexchange:stackoverflow:a79225801',
      'stackexchange:stackoverflow:c134380551',
      'stackexchange:stackoverflow:q79220088',
      'stackexchange:stackoverflow:a79220190',
      'stackexchange:stackoverflow:a79220290',
      'stackexchange:stackoverflow:c134398002',
    ]);
    const brandAnswer = byId(mentions, 'stackexchange:stackoverflow:a79210244');
    expect(brandAnswer).toMatchObject({ fromBrand: true, createdAt: '2026-11-10T19:58:03.000Z', threadId: 'stackexchange:stackoverflow:q79210001' });
    expect(byId(mentions, 'stackexchange:stackoverflow:c134351999').threadId).toBe('stackexchange:stackoverflow:q79210001');
    const warnings = batches.flatMap((b) => b.warnings);
    expect(warnings).toEqual([
      'stackexchange: STACKEXCHANGE_KEY is not set, so the daily quota is 300 requests per IP and search stops at page 25; set STACKEXCHANGE_KEY to raise the quota to 10,000.',
    ]);
  });

  it('passes STACKEXCHANGE_KEY as the key parameter but never logs it', async () => {
    const { ctx, requests, log } = context(query(), { STACKEXCHANGE_KEY: 'se-key-((secret' });
    const { batches } = await collect(ctx);
    expect(requests.every((r) => new URL(r.url).searchParams.get('key') === 'se-key-((secret')).toBe(true);
    expect(log.lines.some((l) => l.message.includes('se-key'))).toBe(false);
    expect(batches.flatMap((b) => b.warnings)).toEqual([]);
  });

  it('stops at the limit', async () => {
    const { ctx, requests } = context(query({ limit: 4 }));
    const { batches } = await collect(ctx);
    expect(batches.flatMap((b) => b.mentions)).toHaveLength(4);
    expect(requests.some((r) => new URL(r.url).searchParams.get('page') === '2' && r.url.includes('/search/'))).toBe(false);
  });

  it('stops with rate-limited naming the daily quota, keeping what was read', async () => {
    const { ctx, requests } = context(query({ query: 'quotagone' }));
    const { batches, error } = await collect(ctx);
    expect(requests).toHaveLength(1);
    expect(batches.flatMap((b) => b.mentions).map((m) => m.id)).toEqual(['stackexchange:stackoverflow:q79230417']);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'rate-limited', sourceId: 'stackexchange' });
    expect((error as Error).message).toBe(
      'stackexchange: the daily quota of 300 requests is used up (it resets at 00:00 UTC); set STACKEXCHANGE_KEY to raise it to 10,000.',
    );
  });

  it('classifies a throttle_violation body and a bad site', async () => {
    const t = await collect(context(query({ query: 'throttled' })).ctx);
    expect(t.error).toMatchObject({ code: 'rate-limited', status: 400 });
    expect(t.batches.flatMap((b) => b.mentions)).toEqual([]);
    const s = await collect(context(query({ options: { site: 'stackoverfloww' } })).ctx);
    expect(s.error).toMatchObject({ code: 'config' });
    expect((s.error as Error).message).toContain('No site found for name `stackoverfloww`');
  });

  it('keeps earlier batches when a later request fails with a 5xx page', async () => {
    const { ctx } = context(query());
    const failing: HttpClient = {
      ...ctx.http,
      get: async (url, options) => {
        if (url.includes('/questions/79210001/answers')) {
          throw clientError({ url, status: 503, body: '<html>Service Unavailable</html>' }, 'stackexchange');
        }
        return ctx.http.get(url, options);
      },
    };
    const { batches, error } = await collect({ ...ctx, http: failing });
    expect(error).toMatchObject({ code: 'bad-response', status: 503, retryable: true });
    const mentions = batches.flatMap((b) => b.mentions);
    // Page 1 complete (9) plus the page-2 question read before the failure.
    expect(mentions).toHaveLength(10);
    expect(mentions.at(-1)?.id).toBe('stackexchange:stackoverflow:q79210001');
  });

  it('exports a default source with a real timer', () => {
    expect(stackexchangeSource).toMatchObject({ id: 'stackexchange', defaultBaseUrl: 'https://api.stackexchange.com/2.3', tokenEnv: ['STACKEXCHANGE_KEY'] });
  });
});

describe('stackexchange over real HTTP (fixture server + real client)', () => {
  it('reads search pages, answers and comments; the backoff is still obeyed', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query());
      const sleeps: number[] = [];
      const { batches, error } = await collect({ ...ctx, http, baseUrl: `${server.url}/2.3` }, sleeps);
      expect(error).toBeUndefined();
      expect(batches.flatMap((b) => b.mentions)).toHaveLength(13);
      expect(server.unmatched).toEqual([]);
      expect(sleeps).toEqual([5000]);
      expect(server.requests.map((r) => r.path)).toContain('/2.3/answers/79225801;79220190;79220290/comments');
    } finally {
      await close();
    }
  });

  it('an error body over HTTP 400 is still an error, never zero results', async () => {
    const { server, http, close } = await realHttp();
    try {
      const { ctx } = context(query({ query: 'throttled' }));
      const { batches, error } = await collect({ ...ctx, http, baseUrl: `${server.url}/2.3` });
      expect(batches.flatMap((b) => b.mentions)).toEqual([]);
      // The client's error keeps the start of the answer, so the error_id is read over real HTTP too.
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({ code: 'rate-limited', sourceId: 'stackexchange', status: 400 });
      expect((error as Error).message).toContain('throttle_violation');
      expect((error as Error).message).toContain('71423 seconds');
    } finally {
      await close();
    }
  });
});
