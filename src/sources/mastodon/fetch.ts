/** Mastodon fetch part: hashtag timelines (keyless), status search (MASTODON_TOKEN), brand accounts, each with its context. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext, SourceQuery } from '../types.js';
import {
  MASTODON_ID,
  acctFromProfileUrl,
  isoToSnowflake,
  nextMaxId,
  normaliseAccountUrl,
  parseAccount,
  parseContext,
  parseSearch,
  parseStatuses,
  type MastodonBrand,
  type MastodonParseResult,
} from './parse.js';
import { createdWithin, mentionBatcher, reachesBefore } from '../shared/batches.js';
import { loneStringAsList } from '../shared/options.js';
import { createPager } from '../shared/pages.js';
import { hostOf } from '../shared/url.js';

/** Environment variable holding an access token for the instance in ctx.baseUrl (enables full-text search). */
export const MASTODON_TOKEN_ENV = 'MASTODON_TOKEN';

/** Source options, validated. */
interface MastodonOptions {
  /** Hashtags to read, without '#'. */
  tags: string[];
  /** Profile URLs of the brand's accounts, e.g. https://mastodon.social/@acmecloud. */
  brandAccounts: string[];
  /** Page size (Mastodon caps it at 40). */
  pageSize: number;
  /** Page cap per timeline, so a busy tag cannot run forever. */
  maxPages: number;
}

/** Default hashtag for a query: its words joined and lower-cased (`acme cloud` → `acmecloud`). */
export function defaultTag(query: string): string {
  return query.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}_]+/gu, '');
}

/** Reads and checks `query.options`; throws a `config` SourceError naming the bad option. */
function readMastodonOptions(query: SourceQuery): MastodonOptions {
  const options = query.options;
  const bad = (what: string): SourceError => new SourceError('config', `Mastodon option ${what}.`, { sourceId: MASTODON_ID });
  const tags = loneStringAsList(options['tags']) ?? [defaultTag(query.query)];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw bad('"tags" must be a list of hashtags');
  const cleanTags = (tags as string[]).map((t) => t.trim().replace(/^#/, '')).filter((t) => t !== '');
  const brandAccounts = loneStringAsList(options['brandAccounts']) ?? [];
  if (!Array.isArray(brandAccounts) || brandAccounts.some((a) => typeof a !== 'string' || !acctFromProfileUrl(a))) {
    throw bad('"brandAccounts" must be a list of profile URLs like https://mastodon.social/@acmecloud');
  }
  const pageSize = options['pageSize'] ?? 40;
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 40) throw bad('"pageSize" must be an integer 1–40');
  const maxPages = options['maxPages'] ?? 25;
  if (typeof maxPages !== 'number' || !Number.isInteger(maxPages) || maxPages < 1) throw bad('"maxPages" must be a positive integer');
  return { tags: cleanTags, brandAccounts: brandAccounts as string[], pageSize, maxPages };
}

/** Host of a URL for messages; the URL itself when it does not parse. */
const hostOrUrl = (url: string): string => hostOf(url) ?? url;

const isAuthError = (err: unknown): err is SourceError => err instanceof SourceError && (err.code === 'auth-required' || err.status === 401);
const isGone = (err: unknown): boolean => err instanceof SourceError && (err.code === 'not-found' || err.status === 404 || err.status === 410);

/** Async generator over the Mastodon source (instance = ctx.baseUrl). */
export async function* fetchMastodon(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  const opts = readMastodonOptions(query);
  const base = ctx.baseUrl.replace(/\/+$/, '');
  const host = hostOrUrl(base);
  const token = ctx.env[MASTODON_TOKEN_ENV];
  // The token belongs to this instance only, so it goes with every request to it (and nowhere else).
  const headers: Record<string, string> | undefined = token ? { authorization: `Bearer ${token}` } : undefined;
  const brand: MastodonBrand = {
    brand: query.brand,
    accountUrls: opts.brandAccounts.map(normaliseAccountUrl),
    handles: [...query.brandHandles, ...opts.brandAccounts.map((a) => acctFromProfileUrl(a) ?? '')].filter((h) => h !== ''),
    instanceHost: host,
  };
  const contextsFetched = new Set<string>();
  const batcher = mentionBatcher(query.limit);
  const { batch } = batcher;
  // Guard warnings wait here until the next batch carries them.
  const paging: string[] = [];
  const pager = createPager(MASTODON_ID, ctx.signal, (w) => paging.push(w));
  const full = (): boolean => batcher.full() || batcher.count + pager.repeats >= query.limit;
  const inWindow = createdWithin(query.since, query.until);

  // The client throws on every non-2xx answer (docs/http.md), so a response here is usable; `what` only names the call.
  const get = async (path: string, _what: string): Promise<HttpResponse> => {
    return ctx.http.get(`${base}${path}`, { sourceId: MASTODON_ID, signal: ctx.signal, ...(headers ? { headers } : {}) });
  };

  const noteDropped = (r: MastodonParseResult, where: string): void => {
    if (r.dropped > 0) ctx.log.debug(`mastodon: unwrapped or left out ${r.dropped} boost(s) in ${where}.`);
  };

  /** Yields a found status with its thread; the context is skipped for a top-level status nobody replied to. */
  async function* withContext(hit: Mention): AsyncGenerator<SourceBatch> {
    if (full()) return;
    const nativeId = hit.id.slice(MASTODON_ID.length + 1);
    const needsContext = hit.parentId !== undefined || (hit.engagement.replies ?? 1) > 0;
    if (!needsContext || contextsFetched.has(nativeId)) {
      yield batch([hit], []);
      return;
    }
    contextsFetched.add(nativeId);
    try {
      const parsed = parseContext((await get(`/api/v1/statuses/${encodeURIComponent(nativeId)}/context`, `the replies to status ${nativeId}`)).body, hit, brand);
      noteDropped(parsed, `context of ${nativeId}`);
      yield batch(parsed.mentions, parsed.warnings);
    } catch (err) {
      if (!isGone(err)) throw err;
      yield batch([hit], [`mastodon: status ${nativeId} is gone (deleted since it was listed); its replies could not be read.`]);
    }
  }

  /** Pages a Status-array timeline newest first via Link max_id, stopping at `since`, the limit or the page cap. */
  async function* timeline(path: string, params: Record<string, string>, what: string): AsyncGenerator<SourceBatch> {
    let maxId: string | undefined = query.until ? isoToSnowflake(query.until) : undefined;
    const pages = pager.loop(what, opts.maxPages);
    for (let page = 0; !full(); page++) {
      const qs = new URLSearchParams({ ...params, limit: String(opts.pageSize) });
      if (maxId) qs.set('max_id', maxId);
      if (!pages.next(`${path}?${qs.toString()}`)) break;
      const res = await get(`${path}?${qs.toString()}`, what);
      const parsed = parseStatuses(res.body, brand);
      noteDropped(parsed, `${what} page ${page + 1}`);
      const fresh = pages.listed(parsed.mentions.map((m) => m.id));
      if (parsed.warnings.length || paging.length) yield { mentions: [], warnings: [...parsed.warnings, ...paging.splice(0)] };
      if (!fresh) break;
      for (const m of parsed.mentions) {
        if (full()) break;
        if (inWindow(m)) yield* withContext(m);
      }
      if (reachesBefore(parsed.mentions, query.since)) break;
      maxId = nextMaxId(res.headers['link'] ?? res.headers['Link']);
      if (!maxId || parsed.mentions.length === 0) break;
    }
  }

  // 1. Hashtag timelines: the keyless way to find posts (full-text search is login-only on Mastodon).
  for (const tag of opts.tags) {
    if (full()) break;
    try {
      yield* timeline(`/api/v1/timelines/tag/${encodeURIComponent(tag)}`, {}, `the #${tag} timeline`);
    } catch (err) {
      if (!isAuthError(err)) throw err;
      throw new SourceError(
        'auth-required',
        token
          ? `${host} refused the #${tag} hashtag timeline even with ${MASTODON_TOKEN_ENV}; check that the token is valid for ${host}.`
          : `${host} only shows the #${tag} hashtag timeline to logged-in users (HTTP 401); set ${MASTODON_TOKEN_ENV} to an access token for ${host} (Preferences → Development → New application, scope read).`,
        { sourceId: MASTODON_ID, status: 401, cause: err },
      );
    }
  }

  // 2. Full-text status search, only with a token.
  if (!token) {
    yield {
      mentions: [],
      warnings: [
        `mastodon: full-text search is unavailable: ${host} searches statuses only for logged-in users; set ${MASTODON_TOKEN_ENV} to an access token for ${host} to enable it. Only hashtag timelines (${opts.tags.map((t) => `#${t}`).join(', ') || 'none'}) and brand accounts were read.`,
      ],
    };
  } else {
    let offset = 0;
    const pages = pager.loop(`the search for "${query.query}"`, opts.maxPages);
    for (let page = 0; !full() && pages.next(`offset ${offset}`); page++) {
      const qs = new URLSearchParams({ q: query.query, type: 'statuses', limit: String(opts.pageSize), offset: String(offset) });
      let parsed: MastodonParseResult;
      try {
        parsed = parseSearch((await get(`/api/v2/search?${qs.toString()}`, `search for "${query.query}"`)).body, brand);
      } catch (err) {
        if (!isAuthError(err)) throw err;
        throw new SourceError('auth-required', `${host} refused status search with ${MASTODON_TOKEN_ENV}; check that the token is valid for ${host} and has the read scope.`, {
          sourceId: MASTODON_ID,
          status: 401,
          cause: err,
        });
      }
      noteDropped(parsed, `search page ${page + 1}`);
      const fresh = pages.listed(parsed.mentions.map((m) => m.id));
      if (parsed.warnings.length || paging.length) yield { mentions: [], warnings: [...parsed.warnings, ...paging.splice(0)] };
      if (!fresh) break;
      for (const m of parsed.mentions) {
        if (full()) break;
        if (inWindow(m)) yield* withContext(m);
      }
      // Search is not ordered by time, so it pages by offset until a short page.
      if (parsed.mentions.length < opts.pageSize) break;
      offset += parsed.mentions.length;
    }
  }

  // 3. The brand's own statuses: promotions, and replies whose context holds the complaint they answer.
  for (const profile of opts.brandAccounts) {
    if (full()) break;
    const acct = acctFromProfileUrl(profile) ?? '';
    let accountId: string;
    try {
      accountId = parseAccount((await get(`/api/v1/accounts/lookup?acct=${encodeURIComponent(acct)}`, `account ${acct}`)).body).id;
    } catch (err) {
      if (!isGone(err)) throw err;
      yield { mentions: [], warnings: [`mastodon: brand account ${acct} was not found on ${host}; its statuses are skipped.`] };
      continue;
    }
    yield* timeline(`/api/v1/accounts/${encodeURIComponent(accountId)}/statuses`, { exclude_reblogs: 'true' }, `statuses of ${acct}`);
  }
  if (paging.length) yield { mentions: [], warnings: paging };
}
