/** Discourse fetch part: `/search.json` pages, then each found topic in full (`/t/{id}.json` + `/t/{id}/posts.json`). */
import { SourceError } from '../../core/errors.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager } from '../shared/pages.js';
import { joinUrl, utcDay } from '../shared/url.js';
import { discourseError, missingPostIds, parseSearch, readPosts, readTopic, topicMentions } from './parse.js';

const SOURCE = 'discourse';
/** Posts per `/t/{id}/posts.json` request (Discourse's own chunk size). */
const POSTS_CHUNK = 20;
/** Search pages read at most (50 results each): a guard against a forum that always says "more". */
const MAX_SEARCH_PAGES = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The search `q`: terms plus Discourse's in-query filters. `after:`/`before:` are exclusive and day-granular,
 * so the window is widened by a day on each side and trimmed exactly afterwards.
 */
export function buildSearchQuery(ctx: Pick<SourceContext, 'query'>): string {
  const { query } = ctx;
  const parts = [query.query.trim()];
  if (query.since) parts.push(`after:${utcDay(new Date(query.since.getTime() - DAY_MS))}`);
  if (query.until) parts.push(`before:${utcDay(new Date(query.until.getTime() + DAY_MS))}`);
  parts.push('order:latest');
  return parts.join(' ');
}

/** Yields one batch per topic found (all its posts), newest matching post first, until the limit. */
export async function* fetchDiscourse(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  if (!/^https?:\/\//.test(ctx.baseUrl)) {
    throw new SourceError(
      'config',
      'discourse: no forum URL given; set the discourse base URL to the forum, e.g. https://community.acmecloud.example.',
      { sourceId: SOURCE },
    );
  }
  const apiKey = ctx.env['DISCOURSE_API_KEY']?.trim() || undefined;
  const apiUser = ctx.env['DISCOURSE_API_USERNAME']?.trim() || undefined;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const pending: string[] = [];
  if (apiKey && apiUser) {
    headers['Api-Key'] = apiKey;
    headers['Api-Username'] = apiUser;
  } else if (apiKey) {
    pending.push('discourse: DISCOURSE_API_KEY is set without DISCOURSE_API_USERNAME, so it is not used; reading public posts only.');
  }

  const get = async (url: string): Promise<HttpResponse> => {
    ctx.log.debug(`discourse: GET ${url}`);
    // The client throws on non-2xx; the error keeps the start of the forum's answer, which says why.
    return ctx.http.get(url, { headers, signal: ctx.signal, sourceId: SOURCE }).catch((error: unknown) => {
      throw error instanceof SourceError ? discourseError(error, headers['Api-Key'] !== undefined) : error;
    });
  };

  const q = buildSearchQuery(ctx);
  const since = query.since?.getTime();
  const done = new Set<number>();
  let yielded = 0;
  let removed = 0;
  let actions = 0;

  const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));
  const search = pager.loop('the search results', MAX_SEARCH_PAGES);
  for (let page = 1; yielded + pager.repeats < query.limit; page += 1) {
    const params = new URLSearchParams({ q, page: String(page) });
    const url = `${joinUrl(ctx.baseUrl, '/search.json')}?${params.toString()}`;
    if (!search.next(url)) break;
    const res = await get(url);
    const found = parseSearch(res.body);
    pending.push(...found.warnings);
    if (!search.listed(found.topicIds.map(String))) break;
    for (const topicId of found.topicIds) {
      if (yielded + pager.repeats >= query.limit) break;
      if (done.has(topicId)) continue;
      done.add(topicId);
      let topic;
      try {
        topic = readTopic((await get(joinUrl(ctx.baseUrl, `/t/${topicId}.json`))).body);
        const missing = missingPostIds(topic);
        // A topic's post stream is the forum's word: read at most the page cap's worth of chunks of it.
        const chunks = pager.loop(`the posts of topic ${topicId}`);
        for (let i = 0; i < missing.length && chunks.next(`posts ${i + 1}-${Math.min(i + POSTS_CHUNK, missing.length)}`); i += POSTS_CHUNK) {
          const ids = new URLSearchParams(missing.slice(i, i + POSTS_CHUNK).map((id): [string, string] => ['post_ids[]', String(id)]));
          const more = readPosts((await get(`${joinUrl(ctx.baseUrl, `/t/${topicId}/posts.json`)}?${ids.toString()}`)).body, topicId);
          topic.posts.push(...more.posts);
          topic.warnings.push(...more.warnings);
        }
      } catch (error) {
        // A topic deleted or made private between search and fetch is skipped, not fatal.
        if (error instanceof SourceError && (error.code === 'not-found' || error.code === 'auth-required')) {
          pending.push(`discourse: topic ${topicId} could not be read (${error.message}); skipped.`);
          continue;
        }
        if (pending.length > 0) yield { mentions: [], warnings: pending.splice(0) };
        throw error;
      }
      const result = topicMentions(topic, { baseUrl: ctx.baseUrl, query });
      removed += result.removed;
      actions += result.actions;
      // The root stays as thread context even when older than `since`; earlier replies are dropped. Replies after
      // `until` stay: they are the brand's (late) answers to what was said inside the window.
      const mentions = result.mentions.filter((m, index) => {
        if (index === 0 && m.kind === 'post') return true;
        const t = Date.parse(m.createdAt);
        return since === undefined || t >= since;
      });
      const batch = mentions.slice(0, query.limit - yielded);
      yielded += batch.length;
      yield { mentions: batch, warnings: [...pending.splice(0), ...result.warnings] };
    }
    if (!found.more) break;
  }
  if (removed > 0 || actions > 0) {
    ctx.log.debug(`discourse: left out ${removed} deleted/hidden posts and ${actions} small-action posts.`);
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };
}
