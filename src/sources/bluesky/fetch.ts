/** Bluesky fetch part: login-gated post search, given posts and the brand's feed, each expanded to its thread. */
import { withoutAt } from '../../core/handles.js';
import { SourceError, SourceSkippedError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import {
  BLUESKY_ID,
  brandFromQuery,
  parseAuthorFeed,
  parsePostRef,
  parseResolveHandle,
  parseSearchPosts,
  parseSession,
  parseThread,
  type BlueskyBrand,
  type BlueskyParseResult,
} from './parse.js';
import { createdWithin, mentionBatcher, reachesBefore } from '../shared/batches.js';
import { createPager, type Pager } from '../shared/pages.js';
import { hostOf } from '../shared/url.js';

/** Default host for login and authenticated search: the bsky.social PDS entryway (proxies app.bsky.* to the AppView). */
const DEFAULT_AUTH_BASE_URL = 'https://bsky.social';

/** Environment variables that enable post search (both needed). */
export const BLUESKY_ENV = { handle: 'BLUESKY_HANDLE', password: 'BLUESKY_APP_PASSWORD' } as const;

/** Source options, validated. */
interface BlueskyOptions {
  /** Post URLs (https://bsky.app/profile/<handle>/post/<rkey>) or at:// URIs to audit. */
  posts: string[];
  /** Handle or DID of the brand's account: its feed is audited and its posts count as brand posts. */
  brandActor?: string;
  /** Base URL for createSession and authenticated searchPosts. */
  authBaseUrl: string;
  /** Also search posts that @-mention brandActor (needs login); default true. */
  searchMentions: boolean;
  /** Thread depth asked of getPostThread. */
  threadDepth: number;
}

/** Reads and checks `query.options`; throws a `config` SourceError naming the bad option. */
function readBlueskyOptions(options: Readonly<Record<string, unknown>>): BlueskyOptions {
  const bad = (what: string): SourceError => new SourceError('config', `Bluesky option ${what}.`, { sourceId: BLUESKY_ID });
  const posts = options['posts'] ?? [];
  if (!Array.isArray(posts) || posts.some((p) => typeof p !== 'string')) throw bad('"posts" must be a list of post URLs or at:// URIs');
  const brandActor = options['brandActor'];
  if (brandActor !== undefined && (typeof brandActor !== 'string' || brandActor.trim() === '')) throw bad('"brandActor" must be a handle or DID');
  const authBaseUrl = options['authBaseUrl'] ?? DEFAULT_AUTH_BASE_URL;
  if (typeof authBaseUrl !== 'string' || !/^https?:\/\//.test(authBaseUrl)) throw bad('"authBaseUrl" must be an http(s) URL');
  const searchMentions = options['searchMentions'] ?? true;
  if (typeof searchMentions !== 'boolean') throw bad('"searchMentions" must be true or false');
  const threadDepth = options['threadDepth'] ?? 10;
  if (typeof threadDepth !== 'number' || !Number.isInteger(threadDepth) || threadDepth < 0 || threadDepth > 1000) throw bad('"threadDepth" must be an integer 0–1000');
  return {
    posts: posts as string[],
    ...(typeof brandActor === 'string' ? { brandActor: withoutAt(brandActor.trim()) } : {}),
    authBaseUrl: authBaseUrl.replace(/\/+$/, ''),
    searchMentions,
    threadDepth,
  };
}

function safeHost(url: string): string {
  return hostOf(url) ?? 'Bluesky';
}

/** True for errors that mean "this post/handle does not exist (any more)". */
function isNotFound(err: unknown): boolean {
  return err instanceof SourceError && (err.code === 'not-found' || err.status === 400 || err.status === 404);
}

/** Async generator over the Bluesky source; see the `bluesky` entry in docs for modes. */
export async function* fetchBluesky(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const opts = readBlueskyOptions(ctx.query.options);
  const handle = ctx.env[BLUESKY_ENV.handle];
  const password = ctx.env[BLUESKY_ENV.password];
  // Without a login there is no search; with no posts or account either, there is nothing at all to read.
  if (!(handle && password) && !opts.brandActor && opts.posts.length === 0) {
    throw new SourceSkippedError(
      `bluesky: nothing to audit: post search needs a login (set ${BLUESKY_ENV.handle} and ${BLUESKY_ENV.password}, an app password), or give "posts" (post URLs) or "brandActor" (the brand account) in the source options.`,
      { sourceId: BLUESKY_ID, code: 'auth-required' },
    );
  }
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const { query } = ctx;
  const anchorsFetched = new Set<string>();
  const batcher = mentionBatcher(query.limit);
  const { batch, full: isFull } = batcher;
  const inWindow = createdWithin(query.since, query.until);
  // Guard warnings wait here until the next batch carries them.
  const paging: string[] = [];
  const pager: Pager = createPager(BLUESKY_ID, ctx.signal, (w) => paging.push(w));
  const full = (): boolean => isFull() || batcher.count + pager.repeats >= query.limit;

  // The client throws on every non-2xx answer (docs/http.md), so a response here is usable; `what` only names the call.
  const get = async (url: string, _what: string, headers?: Record<string, string>): Promise<HttpResponse> => {
    return ctx.http.get(url, { sourceId: BLUESKY_ID, signal: ctx.signal, ...(headers ? { headers } : {}) });
  };

  const noteDropped = (r: BlueskyParseResult, where: string): void => {
    if (r.dropped > 0) ctx.log.debug(`bluesky: left out ${r.dropped} deleted, blocked or reposted item(s) in ${where}.`);
  };

  const resolveDid = async (handle: string): Promise<string> => {
    const url = `${base}/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(handle)}`;
    return parseResolveHandle((await get(url, `handle ${handle}`)).body);
  };

  // Brand identity: DID is the stable signal; the handle is kept as well for posts seen before resolution.
  const brandDids: string[] = [];
  const brandHandles: string[] = [];
  const startWarnings: string[] = [];
  let brandDid: string | undefined;
  if (opts.brandActor) {
    if (opts.brandActor.startsWith('did:')) brandDid = opts.brandActor;
    else {
      brandHandles.push(opts.brandActor);
      try {
        brandDid = await resolveDid(opts.brandActor);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        startWarnings.push(`bluesky: brand handle ${opts.brandActor} did not resolve to a DID; its feed is skipped and brand posts are recognised by handle only.`);
      }
    }
    if (brandDid) brandDids.push(brandDid);
  }
  const brand: BlueskyBrand = brandFromQuery(query, brandDids, brandHandles);

  /** Fetches the thread around one post (ancestors + replies) and yields it; a missing post becomes a warning. */
  async function* thread(uri: string, fallback: Mention | undefined): AsyncGenerator<SourceBatch> {
    if (anchorsFetched.has(uri) || full()) return;
    anchorsFetched.add(uri);
    const url = `${base}/xrpc/app.bsky.feed.getPostThread?uri=${encodeURIComponent(uri)}&depth=${opts.threadDepth}&parentHeight=80`;
    let parsed: BlueskyParseResult;
    try {
      parsed = parseThread((await get(url, `thread ${uri}`)).body, brand);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      yield batch(fallback ? [fallback] : [], [`bluesky: post ${uri} was not found (deleted or hidden); its replies could not be read.`]);
      return;
    }
    noteDropped(parsed, `thread ${uri}`);
    // Keep the anchor even if the thread view somehow omits it.
    const mentions = fallback && !parsed.mentions.some((m) => m.id === fallback.id) ? [fallback, ...parsed.mentions] : parsed.mentions;
    yield batch(mentions, parsed.warnings);
  }

  if (!(handle && password)) {
    const missing = [!handle ? BLUESKY_ENV.handle : undefined, !password ? BLUESKY_ENV.password : undefined].filter(Boolean).join(' and ');
    startWarnings.push(
      `bluesky: post search is unavailable: Bluesky requires a login for searchPosts; set ${BLUESKY_ENV.handle} and ${BLUESKY_ENV.password} (an app password) to enable it (missing: ${missing}). Only the given posts and the brand's own feed are audited.`,
    );
  }
  if (startWarnings.length) yield { mentions: [], warnings: startWarnings };

  if (handle && password) {
    const token = await login(ctx, opts.authBaseUrl, handle, password);
    const auth = { authorization: `Bearer ${token}` };
    const searches: { label: string; params: Record<string, string> }[] = [{ label: `"${query.query}"`, params: { q: query.query } }];
    // `mentions` only matches rich-text @-mentions of the account; `q` is required, so ask for everything else.
    if (opts.brandActor && opts.searchMentions) searches.push({ label: `@-mentions of ${opts.brandActor}`, params: { q: '*', mentions: brandDid ?? opts.brandActor } });
    for (const [i, search] of searches.entries()) {
      let cursor: string | undefined;
      const pages = pager.loop(`the search for ${search.label}`, 50);
      for (let page = 0; !full() && pages.next(cursor ?? '(first page)'); page++) {
        const params = new URLSearchParams({ ...search.params, sort: 'latest', limit: String(Math.min(100, Math.max(1, query.limit - batcher.count))) });
        if (query.since) params.set('since', query.since.toISOString());
        if (query.until) params.set('until', query.until.toISOString());
        if (cursor) params.set('cursor', cursor);
        let parsed: BlueskyParseResult;
        try {
          parsed = parseSearchPosts((await get(`${opts.authBaseUrl}/xrpc/app.bsky.feed.searchPosts?${params.toString()}`, `post search ${search.label}`, auth)).body, brand);
        } catch (err) {
          // The extra @-mention search is a bonus: if a server refuses its parameters, say so and keep the rest.
          if (i > 0 && err instanceof SourceError && err.status === 400) {
            yield { mentions: [], warnings: [`bluesky: the search for ${search.label} was refused (HTTP 400); only the text search ran.`] };
            break;
          }
          throw err;
        }
        const hits = parsed.mentions.filter(inWindow);
        const fresh = pages.listed(parsed.mentions.map((m) => m.id));
        if (parsed.warnings.length || paging.length) yield { mentions: [], warnings: [...parsed.warnings, ...paging.splice(0)] };
        if (!fresh) break;
        for (const hit of hits) {
          if (full()) break;
          yield* thread(hit.id.slice(BLUESKY_ID.length + 1), hit);
        }
        cursor = parsed.cursor;
        if (!cursor || parsed.mentions.length === 0) break;
      }
    }
  }

  // Given posts: audit exactly these threads.
  for (const ref of opts.posts) {
    if (full()) break;
    const parsedRef = parsePostRef(ref);
    if (!parsedRef) {
      yield { mentions: [], warnings: [`bluesky: "${ref}" is not a bsky.app post URL or at:// post URI; skipped.`] };
      continue;
    }
    let did = parsedRef.repo;
    if (!did.startsWith('did:')) {
      try {
        did = await resolveDid(parsedRef.repo);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        yield { mentions: [], warnings: [`bluesky: handle ${parsedRef.repo} in ${ref} did not resolve; post skipped.`] };
        continue;
      }
    }
    yield* thread(`at://${did}/app.bsky.feed.post/${parsedRef.rkey}`, undefined);
  }

  // The brand's own feed (posts and replies): promotions, and replies whose parents are the complaints they answer.
  if (brandDid) {
    let cursor: string | undefined;
    const pages = pager.loop(`the feed of ${opts.brandActor ?? brandDid}`, 50);
    for (let page = 0; !full() && pages.next(cursor ?? '(first page)'); page++) {
      const params = new URLSearchParams({ actor: brandDid, filter: 'posts_with_replies', limit: '50' });
      if (cursor) params.set('cursor', cursor);
      const parsed = parseAuthorFeed((await get(`${base}/xrpc/app.bsky.feed.getAuthorFeed?${params.toString()}`, `feed of ${opts.brandActor ?? brandDid}`)).body, brand);
      noteDropped(parsed, `feed page ${page + 1}`);
      const fresh = pages.listed(parsed.mentions.map((m) => m.id));
      if (parsed.warnings.length || paging.length) yield { mentions: [], warnings: [...parsed.warnings, ...paging.splice(0)] };
      if (!fresh) break;
      for (const post of parsed.mentions) {
        if (full()) break;
        if (!inWindow(post)) continue;
        yield* thread(post.id.slice(BLUESKY_ID.length + 1), post);
      }
      // Newest first: once a page reaches before `since`, older pages cannot hold anything in the window.
      if (reachesBefore(parsed.mentions, query.since)) break;
      cursor = parsed.cursor;
      if (!cursor || parsed.mentions.length === 0) break;
    }
  }
  if (paging.length) yield { mentions: [], warnings: paging };
}

/** createSession with handle + app password; returns the access token (kept in memory for this run only). */
async function login(ctx: SourceContext, authBaseUrl: string, identifier: string, password: string): Promise<string> {
  const url = `${authBaseUrl}/xrpc/com.atproto.server.createSession`;
  const rejected = (status?: number): SourceError =>
    new SourceError(
      'auth-required',
      `Bluesky login at ${safeHost(url)} was refused; check ${BLUESKY_ENV.handle} and ${BLUESKY_ENV.password} (use an app password, not the account password).`,
      { sourceId: BLUESKY_ID, ...(status !== undefined ? { status } : {}) },
    );
  let res: HttpResponse;
  try {
    res = await ctx.http.post(url, JSON.stringify({ identifier, password }), {
      contentType: 'application/json',
      sourceId: BLUESKY_ID,
      signal: ctx.signal,
    });
  } catch (err) {
    // Replace the client's message: a login failure should say which variables to fix, and nothing else.
    if (err instanceof SourceError && (err.code === 'auth-required' || err.status === 400 || err.status === 401)) throw rejected(err.status);
    throw err;
  }
  return parseSession(res.body).accessJwt;
}
