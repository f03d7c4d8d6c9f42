/**
 * Reddit I/O: keyless mode reads the public Atom feeds (`search.rss`, then each post's comments feed); with
 * REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET it exchanges them for an application-only token and reads the JSON API
 * (full comment trees, "more" stubs expanded).
 */
import { shapeChangedWarning } from '../shared/batches.js';
import { BudgetSpentError, EarshotError, RateLimitedError, rewordOptions, SourceError } from '../../core/errors.js';
import type { RequestBudget } from '../../http/budget.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager, stopIfAborted, type Pager } from '../shared/pages.js';
import {
  REDDIT_OAUTH_URL,
  SOURCE_ID,
  blockedMessage,
  isRedditBlockPage,
  parseAccessToken,
  parseAtomFeed,
  parseListing,
  parseMoreChildren,
  parseThreadJson,
  pruneDeleted,
  type MoreStub,
  type PageParse,
  type PostRef,
  type RedditParseOptions,
} from './parse.js';

/** Environment variable holding the Reddit app's client id. */
export const CLIENT_ID_ENV = 'REDDIT_CLIENT_ID';
/** Environment variable holding the Reddit app's client secret. */
export const CLIENT_SECRET_ENV = 'REDDIT_CLIENT_SECRET';
/** Environment variable holding the `feed=` token of a logged-in user's private feed links (reddit.com/prefs/feeds). */
export const FEED_TOKEN_ENV = 'REDDIT_FEED_TOKEN';
/** Environment variable holding the `user=` name that goes with REDDIT_FEED_TOKEN. */
export const FEED_USER_ENV = 'REDDIT_FEED_USER';
/**
 * Requests per hour earshot sends to Reddit's feeds from one machine, across runs: since mid-2026 an anonymous IP
 * address that asks for more is answered 429 for hours. Lower than what Reddit tolerates, which it does not publish.
 */
export const DEFAULT_RSS_BUDGET = 60;
const HOUR_MS = 3_600_000;

const SORTS = new Set(['new', 'relevance', 'top', 'comments', 'hot']);
const TIMES = new Set(['hour', 'day', 'week', 'month', 'year', 'all']);
// Reddit subreddit names: letters, digits, underscore, up to 21 characters.
const SUBREDDIT = /^[A-Za-z0-9_]{2,21}$/;
// /api/morechildren takes at most 100 ids per call.
const MORE_BATCH = 100;

/** Options read from `query.options`, with defaults applied. */
export interface RedditOptions {
  /** Subreddits to search (restrict_sr); empty = site-wide search. */
  subreddits: string[];
  sort: string;
  /** Reddit's `t` window; derived from `since` unless given. */
  time: string | undefined;
  /** Results per search page (1–100). */
  pageSize: number;
  /** Search pages per target at most. */
  maxPages: number;
  /** OAuth API base URL (default https://oauth.reddit.com); tests point it at a fixture server. */
  oauthBaseUrl: string;
  /** Subreddits the brand moderates (a moderator-distinguished comment there counts as the brand's). */
  brandSubreddits: string[];
  /** Upper bound on "more"-expansion requests per thread (JSON mode). */
  maxMoreRequests: number;
  /** Feed requests per hour from this machine, across runs (RSS mode). */
  rssBudget: number;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string').map((s) => s.trim()).filter((s) => s !== '');
  return [];
}

function intOption(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** Reads and checks the source options; unusable values become warnings and defaults. */
export function readRedditOptions(options: Readonly<Record<string, unknown>>, warnings: string[]): RedditOptions {
  const subreddits: string[] = [];
  for (const raw of stringList(options.subreddits)) {
    const name = raw.replace(/^\/?r\//i, '').replace(/\/+$/, '');
    if (SUBREDDIT.test(name)) subreddits.push(name);
    else warnings.push(`reddit: "${raw}" is not a subreddit name; ignored.`);
  }
  let sort = typeof options.sort === 'string' ? options.sort.toLowerCase() : 'new';
  if (!SORTS.has(sort)) {
    warnings.push(`reddit: sort "${String(options.sort)}" is not one of ${[...SORTS].join(', ')}; using "new".`);
    sort = 'new';
  }
  let time = typeof options.time === 'string' ? options.time.toLowerCase() : undefined;
  if (time !== undefined && !TIMES.has(time)) {
    warnings.push(`reddit: time "${time}" is not one of ${[...TIMES].join(', ')}; deriving it from --since.`);
    time = undefined;
  }
  const oauthBaseUrl = typeof options.oauthBaseUrl === 'string' && options.oauthBaseUrl !== '' ? options.oauthBaseUrl : REDDIT_OAUTH_URL;
  return {
    subreddits,
    sort,
    time,
    pageSize: intOption(options.pageSize, 100, 1, 100),
    maxPages: intOption(options.maxPages, 10, 1, 100),
    oauthBaseUrl,
    brandSubreddits: stringList(options.brandSubreddits).map((s) => s.replace(/^\/?r\//i, '')),
    maxMoreRequests: intOption(options.maxMoreRequests, 20, 0, 1000),
    rssBudget: intOption(options.rssBudget, DEFAULT_RSS_BUDGET, 1, 10_000),
  };
}

/** Reddit's search window `t` covering `since` (searching a narrower window would miss results). */
export function timeWindow(now: Date, since: Date | undefined): string {
  if (since === undefined) return 'all';
  const days = (now.getTime() - since.getTime()) / 86_400_000;
  if (days <= 1) return 'day';
  if (days <= 7) return 'week';
  if (days <= 31) return 'month';
  if (days <= 365) return 'year';
  return 'all';
}

/** base + path + query string; the base may carry a path prefix, so no `new URL(path, base)` here. */
export function buildUrl(base: string, path: string, params: Record<string, string | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) qs.set(k, v);
  const s = qs.toString();
  return `${base.replace(/\/+$/, '')}${path}${s === '' ? '' : `?${s}`}`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * Turns a block page the client let through (one served as a 2xx without an HTML content type) into a typed error.
 * Other statuses never get here: the client throws on every non-2xx answer (docs/http.md).
 */
function checkResponse(res: HttpResponse, what: string): HttpResponse {
  const html = /^\s*</.test(res.body) && !/^\s*<\?xml|^\s*<feed/i.test(res.body);
  if (html && isRedditBlockPage(res.body)) {
    throw new SourceError('blocked', blockedMessage(what), { sourceId: SOURCE_ID, status: res.status });
  }
  return res;
}

/**
 * The HTTP client's error for a Reddit block, re-worded to say it is a block and what to do; a 403 that is not the
 * network-policy page (a private or banned subreddit) keeps the client's wording.
 */
function reword(err: unknown, what: string): unknown {
  if (!(err instanceof EarshotError) || err.code !== 'blocked') return err;
  const status = err instanceof SourceError ? err.status : undefined;
  if (/network.policy|pardner|network security/i.test(err.message)) {
    return new SourceError('blocked', blockedMessage(what), { sourceId: SOURCE_ID, status, cause: err });
  }
  return new SourceError('blocked', `Reddit refused ${what}: ${err.message}`, { sourceId: SOURCE_ID, status, cause: err });
}

/** How the feeds are read: anonymously, or through a logged-in user's private feed links. */
interface FeedAccess {
  /** `feed` and `user` query parameters of the private feed links, when both are set. */
  params: Record<string, string>;
  /** The request budget every feed request is counted against. */
  budget: RequestBudget;
  private: boolean;
}

/**
 * The private feed link variables as set: both (the links are used), or the one set alone (`half`, which the fetch
 * warns about and `earshot sources` names). One reading for the fetch and the route.
 */
export function feedLinks(env: Readonly<Record<string, string | undefined>>): { token: string; user: string; half?: string } {
  const token = env[FEED_TOKEN_ENV]?.trim() ?? '';
  const user = env[FEED_USER_ENV]?.trim() ?? '';
  return (token === '') === (user === '') ? { token, user } : { token, user, half: token !== '' ? FEED_TOKEN_ENV : FEED_USER_ENV };
}

/** The feed access for this run: private feed links when REDDIT_FEED_TOKEN and REDDIT_FEED_USER are both set. */
function feedAccess(ctx: SourceContext, opts: RedditOptions): FeedAccess {
  const { token, user } = feedLinks(ctx.env);
  let host = 'reddit';
  try {
    host = new URL(ctx.baseUrl).host;
  } catch {
    /* the client refuses the URL itself, with its own message */
  }
  const priv = token !== '' && user !== '';
  // A private feed is counted per user, an anonymous one per machine (Reddit counts anonymous requests per IP).
  const budget = { key: priv ? `reddit:private-feed@${host}` : `reddit:rss@${host}`, limit: opts.rssBudget, windowMs: HOUR_MS };
  return { params: priv ? { feed: token, user } : {}, budget, private: priv };
}

/**
 * Since mid-2026 Reddit's anonymous feeds answer 429 per IP after a small budget, and earshot keeps a budget of its own
 * (options.rssBudget): say when more requests are allowed and the two ways out, instead of "try again later" (which
 * fails the same way tomorrow).
 */
function rewordRateLimit(err: unknown, what: string, feeds: FeedAccess): unknown {
  if (!(err instanceof RateLimitedError)) return err;
  const reset = err.resetAt && Number.isFinite(err.resetAt.getTime()) ? err.resetAt.toISOString() : undefined;
  const cause =
    err instanceof BudgetSpentError
      ? err.reason === 'spent'
        ? `Reddit not asked for ${what}: earshot's budget of ${feeds.budget.limit} feed requests per hour ${feeds.private ? `for ${FEED_USER_ENV}'s private feed links` : 'from this machine'} (options.rssBudget, shared by every run) is spent${reset ? `; the next is allowed at ${reset}` : ''}.`
        : `Reddit not asked for ${what}: Reddit rate-limited its feeds for this machine${reset ? ` until ${reset}` : ''}, and earshot does not ask again before then.`
      : `Reddit rate-limited ${what}: its ${feeds.private ? 'private' : 'anonymous'} RSS feeds allow a small number of requests per ${feeds.private ? 'user' : 'IP address'}${reset ? `; more requests after ${reset}` : ''}.`;
  const ways = feeds.private
    ? `For more, use an approved Reddit app: set ${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV} for the JSON API.`
    : `Two ways out: an approved Reddit app (set ${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV} for the JSON API), or a logged-in user's private feed links ` +
      `(reddit.com/prefs/feeds: set ${FEED_TOKEN_ENV} to the feed= value and ${FEED_USER_ENV} to the user= value).`;
  const options = { ...rewordOptions(err, SOURCE_ID), ...(err.resetAt ? { resetAt: err.resetAt } : {}) };
  return err instanceof BudgetSpentError
    ? new BudgetSpentError(`${cause} ${ways}`, { ...options, reason: err.reason })
    : new RateLimitedError(`${cause} ${ways}`, options);
}

// Reddit's feeds sometimes answer "Blocked" to requests without If-Modified-Since; an epoch date never gets a 304.
const RSS_HEADERS = { 'If-Modified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' };

/** GET with the source id and abort signal; a block from the HTTP client is re-worded for Reddit. */
async function get(ctx: SourceContext, url: string, what: string, headers?: Record<string, string>): Promise<HttpResponse> {
  let res: HttpResponse;
  try {
    res = await ctx.http.get(url, { sourceId: SOURCE_ID, signal: ctx.signal, ...(headers ? { headers } : {}) });
  } catch (err) {
    throw reword(err, what);
  }
  return checkResponse(res, what);
}

/** GET of a feed: the private feed parameters added, If-Modified-Since sent, counted against the feed budget. */
async function getFeed(ctx: SourceContext, feeds: FeedAccess, url: string, what: string): Promise<HttpResponse> {
  const full = Object.keys(feeds.params).length === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(feeds.params).toString()}`;
  let res: HttpResponse;
  try {
    res = await ctx.http.get(full, { sourceId: SOURCE_ID, signal: ctx.signal, headers: RSS_HEADERS, budget: feeds.budget });
  } catch (err) {
    throw rewordRateLimit(reword(err, what), what, feeds);
  }
  return checkResponse(res, what);
}

/** Collects warnings until the next batch is yielded. */
class Pending {
  warnings: string[] = [];
  add(w: string): void {
    this.warnings.push(w);
  }
  batch(mentions: Mention[], more: string[] = [], unread = 0): SourceBatch {
    const warnings = [...this.warnings, ...more];
    this.warnings = [];
    return unread > 0 ? { mentions, warnings, unread } : { mentions, warnings };
  }
}

/** Shared state of one fetch run: what was yielded, the limit, window and parse options. */
interface Run {
  ctx: SourceContext;
  opts: RedditOptions;
  parse: RedditParseOptions;
  pending: Pending;
  seen: Set<string>;
  count: number;
  /** Paging guards; their repeats count toward the limit with `count`. */
  pager: Pager;
}

/** True once the limit is used up, by mentions handed out and by items pages repeated. */
function full(run: Run): boolean {
  return run.count + run.pager.repeats >= run.ctx.query.limit;
}

function inWindow(run: Run, createdAt: string): boolean {
  const t = Date.parse(createdAt);
  const { since, until } = run.ctx.query;
  if (since !== undefined && t < since.getTime()) return false;
  if (until !== undefined && t > until.getTime()) return false;
  return true;
}

/** Mentions not yet yielded, cut to what the limit still allows; records them as yielded. */
function take(run: Run, mentions: Mention[]): Mention[] {
  const out: Mention[] = [];
  for (const m of mentions) {
    if (run.count + out.length >= run.ctx.query.limit) break;
    if (run.seen.has(m.id)) continue;
    run.seen.add(m.id);
    out.push(m);
  }
  run.count += out.length;
  return out;
}

function searchTargets(opts: RedditOptions, suffix: string): { path: string; restrict?: string; label: string }[] {
  if (opts.subreddits.length === 0) return [{ path: `/search${suffix}`, label: 'site-wide search' }];
  return opts.subreddits.map((s) => ({ path: `/r/${s}/search${suffix}`, restrict: 'on', label: `r/${s} search` }));
}

/** Pages through one search target, handing each in-window post to `onPost`; stops at since/limit/last page. */
async function* searchPages(
  run: Run,
  target: { path: string; restrict?: string; label: string },
  base: string,
  extra: Record<string, string>,
  fetchPage: (url: string, what: string) => Promise<HttpResponse>,
  parsePage: (body: string) => PageParse,
  json: boolean,
  onPost: (post: PostRef, page: PageParse) => AsyncGenerator<SourceBatch>,
): AsyncGenerator<SourceBatch> {
  const { ctx, opts } = run;
  const time = opts.time ?? timeWindow(ctx.now, ctx.query.since);
  let after: string | undefined;
  // The loop's own cap is maxPages + 1 so that reaching maxPages keeps its own message below.
  const pages = run.pager.loop(`the ${target.label}`, opts.maxPages + 1);
  for (let page = 0; page < opts.maxPages; page += 1) {
    if (full(run)) return;
    if (!pages.next(after ?? '(first page)')) return;
    const url = buildUrl(base, target.path, {
      q: ctx.query.query,
      restrict_sr: target.restrict,
      sort: opts.sort,
      t: time,
      limit: String(opts.pageSize),
      after,
      ...extra,
    });
    const res = await fetchPage(url, `the ${target.label} (${pathOf(url)})`);
    const parsed = parsePage(res.body);
    for (const w of parsed.warnings) run.pending.add(w);
    const changed = shapeChangedWarning(SOURCE_ID, pathOf(url), parsed.entries, parsed.mentions.length + parsed.droppedDeleted);
    if (changed) run.pending.add(changed);
    if (parsed.droppedDeleted > 0) ctx.log.debug(`reddit: ${parsed.droppedDeleted} deleted/removed posts skipped on ${target.label} page ${page + 1}.`);
    if (!pages.listed(parsed.posts.map((p) => p.mentionId)) && parsed.posts.length > 0) return;
    let older = false;
    for (const post of parsed.posts) {
      if (full(run)) return;
      if (ctx.query.since !== undefined && Date.parse(post.createdAt) < ctx.query.since.getTime()) older = true;
      if (!inWindow(run, post.createdAt) || run.seen.has(post.mentionId)) continue;
      yield* onPost(post, parsed);
    }
    // Newest-first results: one post older than `since` means every later page is older too.
    if (older && opts.sort === 'new') return;
    // JSON listings say where the next page starts (null at the end); feeds are continued after their last entry.
    const next = json ? parsed.after : parsed.lastName;
    // A short page is the last one; a feed answering exactly 25 may be ignoring `limit` (its default page size).
    const short = json ? parsed.entries < opts.pageSize : parsed.entries < Math.min(opts.pageSize, 25);
    if (parsed.entries === 0 || short || next === undefined || next === after) return;
    after = next;
  }
  run.pending.add(`reddit: stopped the ${target.label} after ${opts.maxPages} pages (options.maxPages); older results were not read.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Keyless mode: Atom feeds

async function* rssMode(run: Run, feeds: FeedAccess): AsyncGenerator<SourceBatch> {
  const { ctx } = run;
  // Blocked or rate-limited: every later comments feed would be refused the same way (and spend the budget).
  let threadsStopped: 'block' | 'rate limit' | undefined;
  let skippedThreads = 0;
  const onPost = async function* (post: PostRef, page: PageParse): AsyncGenerator<SourceBatch> {
    const postMention = page.mentions.find((m) => m.id === post.mentionId);
    let thread: Mention[] = postMention ? [postMention] : [];
    // A comments feed not read is a thread the source knows of and could not read: the coverage is partial, not ok
    // (RSS gives no comment counts, so each such thread counts as one unread item).
    let unread = 0;
    if (threadsStopped !== undefined) {
      skippedThreads += 1;
      unread = 1;
    } else {
      const path = post.subreddit !== undefined ? `/r/${post.subreddit}/comments/${post.id}/.rss` : `/comments/${post.id}/.rss`;
      const url = buildUrl(ctx.baseUrl, path, { limit: '100' });
      try {
        const res = await getFeed(ctx, feeds, url, `the comments feed of t3_${post.id} (${path})`);
        const parsed = parseAtomFeed(res.body, ctx.query, run.parse);
        for (const w of parsed.warnings) run.pending.add(w);
        if (parsed.droppedDeleted > 0) ctx.log.debug(`reddit: ${parsed.droppedDeleted} deleted/removed items skipped in t3_${post.id}.`);
        // The search entry and the feed's own post entry are the same post; the feed's copy goes first if both exist.
        thread = [...parsed.mentions.filter((m) => m.id === post.mentionId), ...thread, ...parsed.mentions.filter((m) => m.id !== post.mentionId)];
      } catch (err) {
        if (!(err instanceof SourceError) || ctx.signal.aborted) throw err;
        unread = 1;
        if (err.code === 'blocked' || err.code === 'rate-limited') {
          threadsStopped = err.code === 'blocked' ? 'block' : 'rate limit';
          run.pending.add(`${err.message} (Search results were read; comment threads from t3_${post.id} on were not.)`);
        } else {
          run.pending.add(`reddit: comments of t3_${post.id} not read: ${err.message}`);
        }
      }
    }
    const batch = take(run, thread);
    if (batch.length > 0 || run.pending.warnings.length > 0 || unread > 0) yield run.pending.batch(batch, [], unread);
  };
  const stopped = (): void => {
    if (skippedThreads > 0) run.pending.add(`reddit: comment threads of ${skippedThreads} more posts were not fetched after the ${threadsStopped ?? 'block'}.`);
    skippedThreads = 0;
  };
  try {
    for (const target of searchTargets(run.opts, '.rss')) {
      if (full(run)) break;
      yield* searchPages(run, target, ctx.baseUrl, {}, (url, what) => getFeed(ctx, feeds, url, what), (body) => parseAtomFeed(body, ctx.query, run.parse), false, onPost);
    }
  } catch (err) {
    // A later search page failed (often the same rate limit): what was read and warned about so far still counts.
    stopped();
    if (err instanceof SourceError && !ctx.signal.aborted && run.pending.warnings.length > 0) yield run.pending.batch([]);
    throw err;
  }
  stopped();
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth mode: JSON API

/** Exchanges the app's id and secret for an application-only bearer token (POST, basic auth, never logged). */
async function exchangeToken(ctx: SourceContext, id: string, secret: string): Promise<string> {
  const url = buildUrl(ctx.baseUrl, '/api/v1/access_token', {});
  const basic = Buffer.from(`${id}:${secret}`, 'utf8').toString('base64');
  let res: HttpResponse;
  try {
    res = await ctx.http.post(url, 'grant_type=client_credentials', {
      contentType: 'application/x-www-form-urlencoded',
      headers: { Authorization: `Basic ${basic}` },
      sourceId: SOURCE_ID,
      signal: ctx.signal,
    });
  } catch (err) {
    if (err instanceof EarshotError && err.code === 'auth-required') {
      throw new SourceError(
        'auth-required',
        `Reddit refused ${CLIENT_ID_ENV}/${CLIENT_SECRET_ENV} at /api/v1/access_token: check the app's id and secret.`,
        { sourceId: SOURCE_ID, cause: err, ...(err instanceof SourceError && err.status !== undefined ? { status: err.status } : {}) },
      );
    }
    throw reword(err, 'the OAuth token exchange (/api/v1/access_token)');
  }
  checkResponse(res, 'the OAuth token exchange (/api/v1/access_token)');
  return parseAccessToken(res.body).token;
}

async function* oauthMode(run: Run, credentials: { id: string; secret: string }, firstToken: string): AsyncGenerator<SourceBatch> {
  const { ctx, opts } = run;
  let token = firstToken;
  let refreshed = false;
  const headers = (): Record<string, string> => ({ Authorization: `bearer ${token}` });
  // One re-exchange on a 401: application-only tokens expire (after about a day).
  const apiGet = async (url: string, what: string): Promise<HttpResponse> => {
    try {
      return await get(ctx, url, what, headers());
    } catch (err) {
      if (!(err instanceof SourceError) || err.code !== 'auth-required' || refreshed) throw err;
      refreshed = true;
      token = await exchangeToken(ctx, credentials.id, credentials.secret);
      return get(ctx, url, what, headers());
    }
  };
  const api = opts.oauthBaseUrl;
  const threadParams = { raw_json: '1', sort: 'old', limit: '500', depth: '10' };

  const fetchThread = async (post: PostRef): Promise<{ mentions: Mention[]; unread: number }> => {
    const what = `the comment tree of t3_${post.id}`;
    const res = await apiGet(buildUrl(api, `/comments/${post.id}`, threadParams), what);
    const first = parseThreadJson(res.body, ctx.query, { ...run.parse, keepDeleted: true });
    const all = new Map<string, Mention>();
    const deleted = new Set(first.deletedIds);
    const merge = (ms: Mention[]): void => {
      for (const m of ms) if (!all.has(m.id)) all.set(m.id, m);
    };
    merge(first.mentions);
    for (const w of first.warnings) run.pending.add(w);
    const linkId = first.linkId ?? `t3_${post.id}`;
    const queue: MoreStub[] = [...first.more];
    // A "continue this thread" stub says neither count nor ids: at least one reply sits behind it.
    const hiddenIn = (stubs: readonly MoreStub[]): number => stubs.reduce((n, s) => n + Math.max(s.count, s.children.length, 1), 0);
    let requests = 0;
    let unread = 0;
    // One failed expansion loses only its own replies: the rest of the tree is kept, and one warning per thread
    // names the first URL that failed.
    const failed: { url: string; reason: string }[] = [];
    while (queue.length > 0) {
      // Expansions may be served from the cache without any I/O that would notice Ctrl-C.
      stopIfAborted(ctx.signal, SOURCE_ID);
      if (requests >= opts.maxMoreRequests) {
        const hidden = hiddenIn(queue);
        unread += hidden;
        run.pending.add(`reddit: at least ${hidden} replies in t3_${post.id} left unexpanded (options.maxMoreRequests = ${opts.maxMoreRequests}).`);
        break;
      }
      const stub = queue.shift()!;
      requests += 1;
      let parsed;
      let url: string;
      let part: MoreStub = stub;
      let read: (body: string) => ReturnType<typeof parseMoreChildren>;
      let asked = what;
      if (stub.children.length === 0) {
        // "Continue this thread": the subtree is only served as a thread focused on the parent comment.
        if (!stub.parentId.startsWith('t1_')) continue;
        url = buildUrl(api, `/comments/${post.id}`, { ...threadParams, comment: stub.parentId.slice(3) });
        read = (body) => parseThreadJson(body, ctx.query, { ...run.parse, keepDeleted: true });
      } else {
        const ids = stub.children.slice(0, MORE_BATCH);
        if (stub.children.length > MORE_BATCH) {
          queue.push({ ...stub, children: stub.children.slice(MORE_BATCH) });
          part = { ...stub, count: ids.length, children: ids };
        }
        url = buildUrl(api, '/api/morechildren', { api_type: 'json', link_id: linkId, children: ids.join(','), raw_json: '1', sort: 'old', limit_children: 'false' });
        read = (body) => parseMoreChildren(body, ctx.query, { ...run.parse, keepDeleted: true });
        asked = `hidden replies of t3_${post.id} (/api/morechildren)`;
      }
      try {
        parsed = read((await apiGet(url, asked)).body);
      } catch (err) {
        if (!(err instanceof SourceError) || ctx.signal.aborted) throw err;
        failed.push({ url, reason: err.message });
        unread += hiddenIn([part]);
        // Rate-limited or refused: asking again for the rest of this thread would only be refused too.
        if (err.code === 'rate-limited' || err.code === 'auth-required' || err.code === 'blocked') {
          unread += hiddenIn(queue);
          queue.length = 0;
        }
        continue;
      }
      merge(parsed.mentions);
      for (const id of parsed.deletedIds) deleted.add(id);
      for (const w of parsed.warnings) run.pending.add(w);
      queue.push(...parsed.more);
    }
    if (failed.length > 0) {
      const more = failed.length > 1 ? ` (and ${failed.length - 1} more expansion(s))` : '';
      run.pending.add(`reddit: at least ${unread} replies in t3_${post.id} not read: ${failed[0]!.url} failed${more}: ${failed[0]!.reason}; the ${all.size} items already read are kept.`);
    }
    const pruned = pruneDeleted([...all.values()], deleted);
    if (pruned.dropped > 0) ctx.log.debug(`reddit: ${pruned.dropped} deleted/removed items skipped in t3_${post.id}.`);
    return { mentions: pruned.mentions, unread };
  };

  const onPost = async function* (post: PostRef, page: PageParse): AsyncGenerator<SourceBatch> {
    let thread: Mention[];
    let unread = 0;
    try {
      ({ mentions: thread, unread } = await fetchThread(post));
    } catch (err) {
      if (!(err instanceof SourceError) || ctx.signal.aborted) throw err;
      // The first page of the tree itself failed: only the post is known, its comments count as unread.
      run.pending.add(`reddit: comments of t3_${post.id} not read: ${err.message}`);
      thread = page.mentions.filter((m) => m.id === post.mentionId);
      unread = thread[0]?.engagement.replies ?? 0;
    }
    const batch = take(run, thread);
    if (batch.length > 0 || run.pending.warnings.length > 0 || unread > 0) yield run.pending.batch(batch, [], unread);
  };

  for (const target of searchTargets(opts, '')) {
    if (full(run)) break;
    yield* searchPages(run, target, api, { raw_json: '1', type: 'link' }, apiGet, (body) => parseListing(body, ctx.query, run.parse), true, onPost);
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** The Reddit source's fetch part: chooses OAuth JSON when both env vars are set, else the public RSS feeds. */
export async function* fetchReddit(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const pending = new Pending();
  const opts = readRedditOptions(ctx.query.options, pending.warnings);
  const run: Run = {
    ctx,
    opts,
    parse: { webUrl: ctx.baseUrl, brandSubreddits: opts.brandSubreddits },
    pending,
    seen: new Set(),
    count: 0,
    pager: createPager(SOURCE_ID, ctx.signal, (w) => pending.add(w)),
  };
  const id = ctx.env[CLIENT_ID_ENV]?.trim() ?? '';
  const secret = ctx.env[CLIENT_SECRET_ENV]?.trim() ?? '';
  const feeds = feedAccess(ctx, opts);
  const rssNote =
    `reddit: using ${feeds.private ? `the RSS feeds through ${FEED_USER_ENV}'s private feed links` : 'the public RSS feeds'}: comment threads are flat (no parent ids, so a brand comment counts as a reply ` +
    'to the post), scores, comment counts and distinguished/is_submitter flags are unavailable, and a thread shows only ' +
    `the comments its feed lists (limit=100); set ${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV} (an approved Reddit app) for the JSON API with full comment trees.`;

  if (id !== '' && secret !== '') {
    let token: string | undefined;
    try {
      token = await exchangeToken(ctx, id, secret);
    } catch (err) {
      if (!(err instanceof SourceError) || ctx.signal.aborted) throw err;
      pending.add(`reddit: the OAuth token exchange failed, falling back to RSS: ${err.message}`);
    }
    if (token !== undefined) {
      yield* oauthMode(run, { id, secret }, token);
      if (pending.warnings.length > 0) yield pending.batch([]);
      return;
    }
  } else if (id !== '' || secret !== '') {
    pending.add(`reddit: only ${id !== '' ? CLIENT_ID_ENV : CLIENT_SECRET_ENV} is set; the OAuth JSON API needs both ${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV}.`);
  }
  const { half } = feedLinks(ctx.env);
  if (half !== undefined) {
    pending.add(`reddit: only ${half} is set; private feed links need both ${FEED_TOKEN_ENV} and ${FEED_USER_ENV}, so the anonymous feeds are read.`);
  }
  pending.add(rssNote);
  yield* rssMode(run, feeds);
  if (pending.warnings.length > 0) yield pending.batch([]);
}
