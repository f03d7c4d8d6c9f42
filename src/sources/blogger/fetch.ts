/** Blogger fetch part: the blog's posts feed (searched with `q`, or all posts of a brand blog), then each post's comment feed. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager } from '../shared/pages.js';
import { joinUrl } from '../shared/url.js';
import { windowThread } from '../wordpress/window.js';
import { hasMore, parseCommentsFeed, parsePostsFeed, pruneRemoved, type BloggerAuthor, type BloggerPostRef } from './parse.js';

const SOURCE = 'blogger';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A guard against a feed whose totals never run out. */
const MAX_PAGES = 40;

function intOption(options: Readonly<Record<string, unknown>>, key: string, fallback: number, min: number, max: number): number {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new SourceError('config', `${SOURCE}: option "${key}" must be a whole number from ${min} to ${max}.`, { sourceId: SOURCE });
}

/** URL of a posts feed page: `q` unless the blog is the brand's (then every post counts). */
export function postsFeedUrl(baseUrl: string, opts: { q?: string; perPage: number; startIndex: number }): string {
  const params = new URLSearchParams({ alt: 'json' });
  if (opts.q !== undefined) params.set('q', opts.q);
  params.set('max-results', String(opts.perPage));
  params.set('start-index', String(opts.startIndex));
  return `${joinUrl(baseUrl, '/feeds/posts/default')}?${params.toString()}`;
}

/** URL of a post's comment feed page. */
export function commentsFeedUrl(baseUrl: string, postId: string, perPage: number, startIndex: number): string {
  const params = new URLSearchParams({ alt: 'json', 'max-results': String(perPage), 'start-index': String(startIndex) });
  return `${joinUrl(baseUrl, `/feeds/${postId}/comments/default`)}?${params.toString()}`;
}

/** Yields one batch per post: the post (inside the window, or as the root of kept comments) and its comments. */
export async function* fetchBlogger(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  if (!/^https?:\/\//.test(ctx.baseUrl)) {
    throw new SourceError('config', `${SOURCE}: no blog URL given; set the blogger base URL to the blog, e.g. https://acmecloud.blogspot.com.`, {
      sourceId: SOURCE,
    });
  }
  const brandBlog = query.options['brandBlog'] === true;
  const perPage = intOption(query.options, 'perPage', 25, 1, 500);
  const commentsPerPage = intOption(query.options, 'commentsPerPage', 200, 1, 500);
  const lookbackDays = intOption(query.options, 'lookbackDays', 30, 0, 3650);
  const maxPosts = intOption(query.options, 'maxPosts', 200, 1, 10_000);
  const since = query.since?.getTime();
  const until = query.until?.getTime();
  const cutoff = since === undefined ? undefined : since - lookbackDays * DAY_MS;
  const q = brandBlog ? undefined : query.query.trim();
  const pending: string[] = [];
  let owner: BloggerAuthor | undefined;

  const get = async (url: string): Promise<HttpResponse> => {
    ctx.log.debug(`${SOURCE}: GET ${url}`);
    // Non-2xx answers arrive as the client's classified errors.
    return ctx.http.get(url, { headers: { Accept: 'application/json' }, signal: ctx.signal, sourceId: SOURCE });
  };

  let yielded = 0;
  let postsSeen = 0;
  let outside = 0;
  let removed = 0;

  const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));
  const postPages = pager.loop('the posts feed', MAX_PAGES);
  let startIndex = 1;
  for (let page = 0; yielded + pager.repeats < query.limit && postsSeen < maxPosts; page += 1) {
    const url = postsFeedUrl(ctx.baseUrl, { ...(q === undefined ? {} : { q }), perPage, startIndex });
    if (!postPages.next(url)) break;
    let res: HttpResponse;
    try {
      res = await get(url);
    } catch (error) {
      if (page === 0 && error instanceof SourceError && error.code === 'not-found') {
        throw new SourceError(
          'not-found',
          `${SOURCE}: ${ctx.baseUrl} has no posts feed (HTTP 404); the blog may be removed, private, or have its feed turned off.`,
          { cause: error, sourceId: SOURCE, status: 404 },
        );
      }
      throw error;
    }
    const found = parsePostsFeed(res.body, { query, brand: { brandBlog } });
    owner ??= found.head.owner;
    pending.push(...found.warnings);
    if (!postPages.listed(found.posts.map((p) => p.id))) break;
    const postMentions = new Map(found.mentions.map((m) => [m.id, m]));
    let older = false;

    for (const post of found.posts) {
      if (yielded + pager.repeats >= query.limit || postsSeen >= maxPosts) break;
      const t = post.createdAt === undefined ? undefined : Date.parse(post.createdAt);
      // Posts long before the window (or after it) cannot hold comments that matter.
      if (t !== undefined && ((cutoff !== undefined && t < cutoff) || (until !== undefined && t > until))) {
        if (cutoff !== undefined && t < cutoff) older = true;
        outside += 1;
        continue;
      }
      postsSeen += 1;
      let comments: Mention[] = [];
      if (post.comments !== 0) {
        try {
          comments = await readComments(post);
        } catch (error) {
          if (error instanceof SourceError && (error.code === 'not-found' || error.code === 'auth-required' || error.code === 'blocked')) {
            pending.push(`${SOURCE}: the comments of post ${post.id} could not be read (${error.message}); post kept without them.`);
          } else {
            if (pending.length > 0) yield { mentions: [], warnings: pending.splice(0) };
            throw error;
          }
        }
      }
      const thread = windowThread(postMentions.get(post.mentionId), comments, since, until);
      outside += thread.outside;
      const out = thread.mentions.slice(0, query.limit - yielded);
      yielded += out.length;
      if (out.length > 0 || pending.length > 0) yield { mentions: out, warnings: pending.splice(0) };
    }
    // An unsearched brand blog lists newest first: once a page reaches past the cutoff, older pages cannot matter.
    if (!hasMore(found.head, startIndex) || (q === undefined && older)) break;
    startIndex = (found.head.startIndex ?? startIndex) + found.head.entries;
  }
  if (outside > 0 || removed > 0) {
    ctx.log.debug(`${SOURCE}: left out ${outside} items outside the time window and ${removed} removed comments without a brand reply.`);
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };

  /** Reads every page of a post's comment feed and prunes removed comments nobody from the brand answered. */
  async function readComments(post: BloggerPostRef): Promise<Mention[]> {
    const all: Mention[] = [];
    const removedIds: string[] = [];
    let start = 1;
    const pages = pager.loop(`the comments of post ${post.id}`, MAX_PAGES);
    for (;;) {
      const url = commentsFeedUrl(ctx.baseUrl, post.id, commentsPerPage, start);
      if (!pages.next(url)) break;
      const res = await get(url);
      const parsed = parseCommentsFeed(res.body, post, { query, brand: { brandBlog, ...(owner ? { owner } : {}) } });
      pending.push(...parsed.warnings);
      all.push(...parsed.mentions);
      removedIds.push(...parsed.removedIds);
      if (!pages.listed([...parsed.mentions.map((m) => m.id), ...parsed.removedIds])) break;
      if (!hasMore(parsed.head, start)) break;
      start = (parsed.head.startIndex ?? start) + parsed.head.entries;
    }
    const pruned = pruneRemoved(all, removedIds);
    removed += pruned.removed;
    return pruned.mentions;
  }
}
