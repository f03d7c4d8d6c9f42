/** WordPress fetch part: posts that mention the query (or all recent posts of a brand blog), then each post's comments. */
import { createSourceError, rewordOptions, SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager } from '../shared/pages.js';
import { joinUrl } from '../shared/url.js';
import {
  brandOptions,
  pageCount,
  parseComments,
  parsePosts,
  hasRestCode,
  wordpressError,
  type WordpressPostRef,
} from './parse.js';
import { windowThread } from './window.js';

const SOURCE = 'wordpress';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Fields asked of `/wp/v2/posts`: the rest of a post object (rendered blocks, links, meta) is not needed. */
const POST_FIELDS = 'id,date_gmt,modified_gmt,link,title,content,excerpt,author,comment_status';
/** A guard against a blog whose paging headers never say "last page". */
const MAX_PAGES = 50;

/** A positive integer option with a default and an upper bound; anything else is a config error. */
function intOption(options: Readonly<Record<string, unknown>>, key: string, fallback: number, max: number): number {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
  throw new SourceError('config', `${SOURCE}: option "${key}" must be a whole number from 0 to ${max}.`, { sourceId: SOURCE });
}

/** The REST URL for a route: `/wp-json/<route>` normally, `/?rest_route=<route>` on blogs without pretty permalinks. */
export function restUrl(baseUrl: string, route: string, params: Record<string, string>, plain = false): string {
  if (plain) return `${joinUrl(baseUrl, '/')}?${new URLSearchParams({ rest_route: route, ...params }).toString()}`;
  return `${joinUrl(baseUrl, `/wp-json${route}`)}?${new URLSearchParams(params).toString()}`;
}

/** Query parameters of the posts listing: search (unless brandBlog), window, paging, fields. */
export function postsParams(ctx: Pick<SourceContext, 'query'>, page: number, perPage: number, lookbackDays: number): Record<string, string> {
  const { query } = ctx;
  const params: Record<string, string> = {};
  if (query.options['brandBlog'] !== true) params['search'] = query.query.trim();
  // Comments arrive after their post: posts from `lookbackDays` before the window still get their comments read.
  if (query.since) params['after'] = new Date(query.since.getTime() - lookbackDays * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (query.until) params['before'] = query.until.toISOString().replace(/\.\d{3}Z$/, 'Z');
  params['per_page'] = String(perPage);
  params['page'] = String(page);
  params['orderby'] = 'date';
  params['order'] = 'desc';
  params['_fields'] = POST_FIELDS;
  return params;
}

/** Rewords an error the HTTP client threw in WordPress terms: its `rest_*` code when the answer kept one, else the status. */
function explain(error: unknown, what: string): unknown {
  if (!(error instanceof SourceError) || error.sourceId !== SOURCE || error.message.startsWith(`${SOURCE}:`)) return error;
  const status = error.status;
  if (status !== undefined && error.body !== undefined && hasRestCode(error.body)) {
    const worded = wordpressError(status, error.body);
    // Keep what the client decided (retryable, class) and its sentence as the cause.
    return createSourceError(worded.code, worded.message, { ...rewordOptions(error, SOURCE), retryable: error.retryable });
  }
  if (error.code === 'auth-required' || (error.code === 'blocked' && status === 403)) {
    return new SourceError(
      error.code,
      `${SOURCE}: the blog refuses anonymous reads of ${what} (HTTP ${status ?? '401'}); its REST API is switched off or login-only. ${error.message}`,
      { cause: error, sourceId: SOURCE, ...(status === undefined ? {} : { status }) },
    );
  }
  if (error.code === 'not-found') {
    return new SourceError('not-found', `${SOURCE}: the blog has no REST route for ${what} (HTTP ${status ?? 404}). ${error.message}`, {
      cause: error,
      sourceId: SOURCE,
      ...(status === undefined ? {} : { status }),
    });
  }
  return error;
}

/** Yields one batch per post: the post (when inside the window) followed by its comments. */
export async function* fetchWordpress(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  if (!/^https?:\/\//.test(ctx.baseUrl)) {
    throw new SourceError(
      'config',
      `${SOURCE}: no blog URL given; set the wordpress base URL to the blog, e.g. https://blog.acmecloud.example.`,
      { sourceId: SOURCE },
    );
  }
  const brand = brandOptions(query);
  const perPage = intOption(query.options, 'perPage', 100, 100) || 100;
  const commentsPerPage = intOption(query.options, 'commentsPerPage', 100, 100) || 100;
  const lookbackDays = intOption(query.options, 'lookbackDays', 30, 3650);
  const maxPosts = intOption(query.options, 'maxPosts', 200, 10_000);
  const fallbackSite = new URL(ctx.baseUrl).host;
  const headers = { Accept: 'application/json' };
  const since = query.since?.getTime();
  const until = query.until?.getTime();
  const pending: string[] = [];
  let plain = false;

  const get = async (route: string, params: Record<string, string>, what: string): Promise<HttpResponse> => {
    const url = restUrl(ctx.baseUrl, route, params, plain);
    ctx.log.debug(`${SOURCE}: GET ${url}`);
    let res: HttpResponse;
    try {
      res = await ctx.http.get(url, { headers, signal: ctx.signal, sourceId: SOURCE });
    } catch (error) {
      throw explain(error, what);
    }
    return res;
  };

  let yielded = 0;
  let postsSeen = 0;
  let commentsOff = false;
  let outside = 0;
  let skipped = 0;

  const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));
  const postPages = pager.loop('the posts', MAX_PAGES);
  for (let page = 1; yielded + pager.repeats < query.limit && postsSeen < maxPosts && postPages.next(`page ${page}`); page += 1) {
    let res: HttpResponse;
    try {
      res = await get('/wp/v2/posts', postsParams(ctx, page, perPage, lookbackDays), 'posts');
    } catch (error) {
      // Blogs without pretty permalinks only answer `?rest_route=`; try that once before giving up.
      if (page === 1 && !plain && error instanceof SourceError && error.code === 'not-found') {
        plain = true;
        pending.push(`${SOURCE}: ${joinUrl(ctx.baseUrl, '/wp-json/')} does not answer; using ?rest_route= (the blog has no pretty permalinks).`);
        try {
          res = await get('/wp/v2/posts', postsParams(ctx, page, perPage, lookbackDays), 'posts');
        } catch (second) {
          if (second instanceof SourceError && second.code === 'not-found') {
            throw new SourceError(
              'not-found',
              `${SOURCE}: ${ctx.baseUrl} answers neither /wp-json/wp/v2/posts nor ?rest_route=/wp/v2/posts; check that it is a WordPress blog with its REST API on.`,
              { cause: second, sourceId: SOURCE, ...(second.status === undefined ? {} : { status: second.status }) },
            );
          }
          throw second;
        }
      } else if (page > 1 && error instanceof SourceError && (error.status === 400 || error.code === 'not-found')) {
        // rest_post_invalid_page_number: the headers promised more pages than there are.
        break;
      } else {
        if (pending.length > 0) yield { mentions: [], warnings: pending.splice(0) };
        throw error;
      }
    }
    const found = parsePosts(res.body, { query, fallbackSite, brand });
    pending.push(...found.warnings);
    if (!postPages.listed(found.posts.map((p) => String(p.id)))) break;
    const postMentions = new Map(found.mentions.map((m) => [m.id, m]));

    for (const post of found.posts) {
      if (yielded + pager.repeats >= query.limit || postsSeen >= maxPosts) break;
      postsSeen += 1;
      const comments: Mention[] = [];
      if (!commentsOff) {
        try {
          comments.push(...(await readComments(post)));
        } catch (error) {
          if (error instanceof SourceError && (error.code === 'auth-required' || error.code === 'blocked' || error.code === 'not-found')) {
            commentsOff = true;
            pending.push(
              `${SOURCE}: comments are not readable through this blog's REST API (${error.message}); only posts were collected, so brand replies cannot be seen.`,
            );
          } else {
            if (pending.length > 0) yield { mentions: [], warnings: pending.splice(0) };
            throw error;
          }
        }
      }
      const thread = windowThread(postMentions.get(post.mentionId), comments, since, until);
      outside += thread.outside;
      const batch = thread.mentions;
      const out = batch.slice(0, query.limit - yielded);
      yielded += out.length;
      if (out.length > 0 || pending.length > 0) yield { mentions: out, warnings: pending.splice(0) };
    }
    const { totalPages } = pageCount(res.headers);
    const more = totalPages !== undefined ? page < totalPages : found.posts.length >= perPage;
    if (!more) break;
  }
  if (outside > 0 || skipped > 0) {
    ctx.log.debug(`${SOURCE}: left out ${outside} items outside the time window and ${skipped} unapproved comments or pingbacks.`);
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };

  /** Reads every comments page of a post. */
  async function readComments(post: WordpressPostRef): Promise<Mention[]> {
    const all: Mention[] = [];
    const pages = pager.loop(`the comments of post ${post.id}`, MAX_PAGES);
    for (let page = 1; pages.next(`page ${page}`); page += 1) {
      const params = {
        post: String(post.id),
        per_page: String(commentsPerPage),
        page: String(page),
        orderby: 'date',
        order: 'asc',
      };
      let res: HttpResponse;
      try {
        res = await get('/wp/v2/comments', params, `the comments of post ${post.id}`);
      } catch (error) {
        if (page > 1 && error instanceof SourceError && error.status === 400) break;
        throw error;
      }
      const parsed = parseComments(res.body, post, { query, brand });
      pending.push(...parsed.warnings);
      skipped += parsed.skipped;
      all.push(...parsed.mentions);
      if (!pages.listed(parsed.mentions.map((m) => m.id)) && parsed.skipped === 0) break;
      const { totalPages } = pageCount(res.headers);
      const more = totalPages !== undefined ? page < totalPages : parsed.mentions.length + parsed.skipped >= commentsPerPage;
      if (!more) break;
    }
    return all;
  }
}
