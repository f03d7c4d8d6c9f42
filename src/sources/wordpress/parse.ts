/** Pure parsers for the WordPress REST API: `/wp/v2/posts`, `/wp/v2/comments`, pagination headers and error bodies. */
import { remoteText } from '../../core/sanitize.js';
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { blogText, decodeEntities, deepHtmlWarning } from '../shared/html-text.js';
import { isObject, num, obj, parseJsonBody, str, type JsonObject } from '../shared/json-fields.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';
import { header, hostOf } from '../shared/url.js';

const SOURCE = 'wordpress';

/** How brand posts and replies are recognised on a blog. */
export interface WordpressBrandOptions {
  /** The blog is the brand's: its posts are broadcasts and every registered user (author id > 0) speaks for it. */
  brandBlog: boolean;
  /** WordPress user ids (as strings) or author names (lower-cased) that speak for the brand. */
  brandAuthors: ReadonlySet<string>;
}

/** A post found by the posts listing, with what the comments request needs. */
export interface WordpressPostRef {
  /** WordPress post id. */
  id: number;
  /** Mention id of the post (thread root of its comments). */
  mentionId: string;
  /** Blog host used in mention ids (from the post link, else the base URL). */
  site: string;
  /** ISO 8601 UTC publication time, when readable. */
  createdAt?: string;
  /** Author user id of the post. */
  author?: number;
}

/** One page of `/wp/v2/posts`. */
export interface WordpressPostsPage extends ParseResult {
  posts: WordpressPostRef[];
}

/** Mentions of one page of comments, plus what was left out. */
export interface WordpressCommentsPage extends ParseResult {
  /** Comments not shown because they are not approved or not of type `comment` (pingbacks). */
  skipped: number;
}

/** Reads `brandBlog` (boolean) and `brandAuthors` (user ids or author names) from `query.options`. */
export function brandOptions(query: SourceQuery): WordpressBrandOptions {
  const raw = query.options['brandAuthors'];
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const authors = new Set<string>();
  for (const value of list) {
    if (typeof value === 'number' && Number.isFinite(value)) authors.add(String(value));
    else if (typeof value === 'string' && value.trim() !== '') authors.add(value.trim().toLowerCase());
    else {
      throw new SourceError('config', `${SOURCE}: option "brandAuthors" must list user ids or author names.`, { sourceId: SOURCE });
    }
  }
  return { brandBlog: query.options['brandBlog'] === true, brandAuthors: authors };
}

/**
 * `date_gmt` is UTC written without a zone ("2026-11-20T14:05:12"); `new Date()` would read it as local time,
 * so a `Z` is appended. Values that already carry a zone are read as they are.
 */
export function gmtToIso(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text);
  const date = new Date(zoned ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Mention id of a post: `wordpress:<host>/<postId>`, the host keeps ids of different blogs apart. */
export function postMentionId(site: string, postId: number): string {
  return `${SOURCE}:${site}/${postId}`;
}

/** Mention id of a comment, after WordPress's own `#comment-<id>` anchors. */
function commentMentionId(site: string, postId: number, commentId: number): string {
  return `${SOURCE}:${site}/${postId}#comment-${commentId}`;
}

function rendered(item: JsonObject, key: string): string | undefined {
  const inner = obj(item, key);
  return inner ? str(inner, 'rendered') : undefined;
}

function expectArray(body: string, what: string): unknown[] {
  const data = parseJsonBody(body, SOURCE, `a JSON array from ${what}`);
  if (Array.isArray(data)) return data;
  if (isObject(data) && typeof data['code'] === 'string') throw wordpressError(200, body);
  throw new SourceError('bad-response', `${SOURCE}: expected a JSON array of items from ${what}.`, { sourceId: SOURCE });
}

/**
 * Parses a `/wp/v2/posts` page into post mentions and refs. `fallbackSite` (the base URL's host) names the blog
 * when a post has no readable `link`.
 */
export function parsePosts(
  body: string,
  opts: { query: SourceQuery; fallbackSite: string; brand?: WordpressBrandOptions },
): WordpressPostsPage {
  const items = expectArray(body, '/wp/v2/posts');
  const { query } = opts;
  const brand = opts.brand ?? brandOptions(query);
  const mentions: Mention[] = [];
  const posts: WordpressPostRef[] = [];
  const warnings: string[] = [];
  items.forEach((item, index) => {
    const id = isObject(item) ? num(item, 'id') : undefined;
    if (!isObject(item) || id === undefined) {
      warnings.push(`${SOURCE}: post ${index} of the page has no readable "id"; skipped.`);
      return;
    }
    const link = str(item, 'link');
    const site = hostOf(link) ?? opts.fallbackSite;
    const mentionId = postMentionId(site, id);
    const ref: WordpressPostRef = { id, mentionId, site };
    const author = num(item, 'author');
    if (author !== undefined) ref.author = author;
    const createdAt = gmtToIso(item['date_gmt']);
    posts.push(ref);
    if (createdAt === undefined) {
      // Its comments are still worth reading; only the post itself cannot be placed in time.
      warnings.push(`${SOURCE}: field "date_gmt" unreadable on post ${id}; post skipped, its comments still read.`);
      return;
    }
    ref.createdAt = createdAt;
    const mention: Mention = {
      id: mentionId,
      source: SOURCE,
      kind: 'post',
      author: author !== undefined && author > 0 ? { id: String(author) } : {},
      fromBrand: brand.brandBlog || (author !== undefined && brand.brandAuthors.has(String(author))),
      brand: query.brand,
      text: '',
      createdAt,
      threadId: mentionId,
      engagement: {},
    };
    if (link !== undefined) mention.url = link;
    else warnings.push(`${SOURCE}: field "link" unreadable on post ${id}.`);
    const title = rendered(item, 'title');
    if (title !== undefined) mention.title = decodeEntities(title);
    else warnings.push(`${SOURCE}: field "title.rendered" unreadable on post ${id}.`);
    // `content` may be left out by `_fields` or a plugin; the excerpt is the next best text.
    const html = rendered(item, 'content') ?? rendered(item, 'excerpt');
    if (html !== undefined) mention.text = blogText(html, () => warnings.push(deepHtmlWarning(SOURCE, `post ${id}${link === undefined ? '' : ` (${link})`}`)));
    else warnings.push(`${SOURCE}: field "content.rendered" unreadable on post ${id}; text left empty.`);
    mentions.push(mention);
  });
  return { mentions, warnings, posts };
}

function isBrandComment(
  item: JsonObject,
  author: number | undefined,
  brand: WordpressBrandOptions,
  handles: ReadonlySet<string>,
): boolean {
  // Guests comment with author 0; a non-zero id is a registered user of the blog.
  if (brand.brandBlog && author !== undefined && author > 0) return true;
  if (author !== undefined && author > 0 && brand.brandAuthors.has(String(author))) return true;
  const name = str(item, 'author_name');
  if (name !== undefined && brand.brandAuthors.has(name.trim().toLowerCase())) return true;
  return isBrandHandle(name, handles);
}

/** Parses a `/wp/v2/comments?post=<id>` page into comment mentions under `post`. */
export function parseComments(
  body: string,
  post: Pick<WordpressPostRef, 'id' | 'mentionId' | 'site'>,
  opts: { query: SourceQuery; brand?: WordpressBrandOptions },
): WordpressCommentsPage {
  const items = expectArray(body, '/wp/v2/comments');
  const { query } = opts;
  const brand = opts.brand ?? brandOptions(query);
  const handles = normaliseHandles(query.brandHandles);
  const mentions: Mention[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  items.forEach((item, index) => {
    const id = isObject(item) ? num(item, 'id') : undefined;
    if (!isObject(item) || id === undefined) {
      warnings.push(`${SOURCE}: comment ${index} of post ${post.id} has no readable "id"; skipped.`);
      return;
    }
    const status = str(item, 'status');
    const type = str(item, 'type');
    if ((status !== undefined && status !== 'approved') || (type !== undefined && type !== 'comment')) {
      skipped += 1;
      return;
    }
    const label = `comment ${id} of post ${post.id}`;
    const createdAt = gmtToIso(item['date_gmt']);
    if (createdAt === undefined) {
      warnings.push(`${SOURCE}: field "date_gmt" unreadable on ${label}; skipped.`);
      return;
    }
    const parent = num(item, 'parent');
    if (parent === undefined) warnings.push(`${SOURCE}: field "parent" unreadable on ${label}; attached to the post.`);
    const author = num(item, 'author');
    const name = str(item, 'author_name');
    const mention: Mention = {
      id: commentMentionId(post.site, post.id, id),
      source: SOURCE,
      kind: 'comment',
      author: {},
      fromBrand: isBrandComment(item, author, brand, handles),
      brand: query.brand,
      text: '',
      createdAt,
      parentId: parent !== undefined && parent > 0 ? commentMentionId(post.site, post.id, parent) : post.mentionId,
      threadId: post.mentionId,
      engagement: {},
    };
    if (author !== undefined && author > 0) mention.author.id = String(author);
    if (name !== undefined && name.trim() !== '') mention.author.name = decodeEntities(name.trim());
    else warnings.push(`${SOURCE}: field "author_name" unreadable on ${label}.`);
    const link = str(item, 'link');
    if (link !== undefined) mention.url = link;
    const html = rendered(item, 'content');
    if (html !== undefined) mention.text = blogText(html, () => warnings.push(deepHtmlWarning(SOURCE, `${label}${link === undefined ? '' : ` (${link})`}`)));
    else warnings.push(`${SOURCE}: field "content.rendered" unreadable on ${label}; text left empty.`);
    mentions.push(mention);
  });
  return { mentions, warnings, skipped };
}

/** Totals from the `X-WP-Total` / `X-WP-TotalPages` headers (undefined when a proxy stripped them). */
export function pageCount(headers: Record<string, string>): { total?: number; totalPages?: number } {
  const read = (name: string): number | undefined => {
    const value = header(headers, name);
    if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
    return Number(value);
  };
  const out: { total?: number; totalPages?: number } = {};
  const total = read('x-wp-total');
  const totalPages = read('x-wp-totalpages');
  if (total !== undefined) out.total = total;
  if (totalPages !== undefined) out.totalPages = totalPages;
  return out;
}

/** The `code` of a WordPress error body (`{"code":"rest_…","message":…,"data":{"status":…}}`), if it is one. */
function errorCode(body: string): { code: string; message?: string } | undefined {
  try {
    const data = JSON.parse(body) as unknown;
    if (!isObject(data)) return undefined;
    const code = str(data, 'code');
    if (code === undefined) return undefined;
    const message = str(data, 'message');
    return message === undefined ? { code } : { code, message };
  } catch {
    return undefined;
  }
}

/** Whether an error answer is WordPress's own `{"code":"rest_…"}` object (not a proxy's page). */
export function hasRestCode(body: string): boolean {
  return errorCode(body) !== undefined;
}

/** Classifies a WordPress error response (status plus `rest_*` code) into a SourceError with advice. */
export function wordpressError(status: number, body: string): SourceError {
  const parsed = errorCode(body);
  const code = parsed?.code;
  const said = parsed ? ` (${parsed.code}${parsed.message ? `: ${remoteText(decodeEntities(parsed.message))}` : ''})` : '';
  const opts = { sourceId: SOURCE, status };
  if (code === 'rest_disabled' || code === 'rest_cannot_access' || code === 'rest_not_logged_in' || code === 'rest_forbidden') {
    return new SourceError(
      status === 403 ? 'blocked' : 'auth-required',
      `${SOURCE}: this blog does not let anonymous readers use its REST API${said}; only the blog's owner can open it.`,
      opts,
    );
  }
  if (code === 'rest_post_invalid_page_number') {
    return new SourceError('not-found', `${SOURCE}: asked for a page past the last one${said}.`, opts);
  }
  if (code === 'rest_no_route' || status === 404) {
    return new SourceError('not-found', `${SOURCE}: the blog has no such REST route${said}; check the base URL or whether the REST API is switched off.`, opts);
  }
  if (code === 'rest_invalid_param') {
    return new SourceError('config', `${SOURCE}: the blog rejected a request parameter${said}.`, opts);
  }
  if (status === 429) return new SourceError('rate-limited', `${SOURCE}: the blog is rate-limiting requests (HTTP 429).`, { ...opts, retryable: true });
  if (status === 401) return new SourceError('auth-required', `${SOURCE}: the blog requires a login for this request (HTTP 401)${said}.`, opts);
  if (status === 403) return new SourceError('blocked', `${SOURCE}: the blog refused the request (HTTP 403)${said}.`, opts);
  return new SourceError('bad-response', `${SOURCE}: the blog answered HTTP ${status}${said}.`, { ...opts, retryable: status >= 500 });
}
