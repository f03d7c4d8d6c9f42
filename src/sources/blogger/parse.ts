/** Pure parsers for Blogger's GData JSON feeds (`?alt=json`): posts feeds and per-post comment feeds. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { blogText, decodeEntities, deepHtmlWarning } from '../shared/html-text.js';
import { isObject, parseJsonBody, str, toIsoUtc, type JsonObject } from '../shared/json-fields.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';

const SOURCE = 'blogger';
/** Text of a removed comment's placeholder. */
const DELETED_TEXT = '[deleted]';

/** A Blogger author (`author[0]`): display name and profile URL, both optional (anonymous commenters have no URL). */
export interface BloggerAuthor {
  name?: string;
  /** Profile URL, e.g. https://www.blogger.com/profile/04417735512348851234. */
  uri?: string;
  /** The numeric profile id taken from `uri`. */
  profileId?: string;
}

/** The `openSearch$*` paging numbers and the blog's owner from a feed's head. */
export interface BloggerFeedHead {
  blogId?: string;
  /** `feed.author[0]`: the blog's owner. */
  owner?: BloggerAuthor;
  totalResults?: number;
  startIndex?: number;
  itemsPerPage?: number;
  /** Entries on this page. */
  entries: number;
}

/** A post found in a posts feed, with what the comments request needs. */
export interface BloggerPostRef {
  /** Numeric post id (from `id.$t` `tag:blogger.com,1999:blog-<blogId>.post-<postId>`). */
  id: string;
  blogId: string;
  mentionId: string;
  createdAt?: string;
  /** `thr$total`: number of comments, when the feed says. */
  comments?: number;
  author?: BloggerAuthor;
}

/** One page of a posts feed. */
export interface BloggerPostsPage extends ParseResult {
  posts: BloggerPostRef[];
  head: BloggerFeedHead;
}

/** One page of a comments feed; removed comments are placeholders listed in `removedIds` until pruned. */
export interface BloggerCommentsPage extends ParseResult {
  head: BloggerFeedHead;
  removedIds: string[];
}

/** Brand recognition settings: `brandBlog` (the blog owner's comments are the brand's) plus brand handles. */
export interface BloggerBrandOptions {
  brandBlog: boolean;
  /** Owner of the blog (from the feeds' `feed.author`), compared by profile URL. */
  owner?: BloggerAuthor;
}

/** `{"$t": "…"}` → the string. */
function text(value: unknown): string | undefined {
  return isObject(value) ? str(value, '$t') : undefined;
}

function int(value: unknown): number | undefined {
  const t = text(value);
  return t !== undefined && /^\s*\d+\s*$/.test(t) ? Number(t) : undefined;
}

/** `tag:blogger.com,1999:blog-123.post-456` → blog and item ids (the comments feed id reads `blog-123.post456..comments`). */
export function parseTagId(id: string | undefined): { blogId: string; itemId?: string } | undefined {
  if (id === undefined) return undefined;
  const m = /blog-(\d+)(?:\.post-?(\d+))?/.exec(id);
  if (!m?.[1]) return undefined;
  return m[2] === undefined ? { blogId: m[1] } : { blogId: m[1], itemId: m[2] };
}

/** Reads `author[0]` of an entry or feed. */
function readAuthor(value: unknown): BloggerAuthor | undefined {
  if (!Array.isArray(value) || !isObject(value[0])) return undefined;
  const a = value[0];
  const out: BloggerAuthor = {};
  const name = text(a['name']);
  if (name !== undefined && name.trim() !== '') out.name = decodeEntities(name.trim());
  const uri = text(a['uri']);
  if (uri !== undefined && uri.trim() !== '') {
    out.uri = uri.trim();
    const profile = /\/profile\/(\d+)/.exec(out.uri);
    if (profile?.[1]) out.profileId = profile[1];
  }
  return out;
}

function links(entry: JsonObject): JsonObject[] {
  return Array.isArray(entry['link']) ? entry['link'].filter(isObject) : [];
}

function link(entry: JsonObject, rel: string, type?: string): string | undefined {
  const found = links(entry).find((l) => str(l, 'rel') === rel && (type === undefined || str(l, 'type') === type));
  return found ? str(found, 'href') : undefined;
}

function extended(entry: JsonObject, name: string): string | undefined {
  const list = entry['gd$extendedProperty'];
  if (!Array.isArray(list)) return undefined;
  const found = list.find((p) => isObject(p) && p['name'] === name);
  return isObject(found) ? str(found, 'value') : undefined;
}

/** Parses a body as a GData JSON feed or throws `bad-response` saying so. */
function readFeed(body: string, what: string): { feed: JsonObject; entries: unknown[]; head: BloggerFeedHead } {
  const data = parseJsonBody(body, SOURCE, `a Blogger JSON feed (${what})`);
  const feed = isObject(data) ? data['feed'] : undefined;
  if (!isObject(feed)) {
    throw new SourceError('bad-response', `${SOURCE}: expected a Blogger JSON feed with a "feed" object (${what}).`, { sourceId: SOURCE });
  }
  const raw = feed['entry'];
  // Blogger leaves `entry` out entirely when a page is empty.
  const entries = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const head: BloggerFeedHead = { entries: entries.length };
  const tag = parseTagId(text(feed['id']));
  if (tag) head.blogId = tag.blogId;
  const owner = readAuthor(feed['author']);
  if (owner) head.owner = owner;
  const total = int(feed['openSearch$totalResults']);
  if (total !== undefined) head.totalResults = total;
  const start = int(feed['openSearch$startIndex']);
  if (start !== undefined) head.startIndex = start;
  const per = int(feed['openSearch$itemsPerPage']);
  if (per !== undefined) head.itemsPerPage = per;
  return { feed, entries, head };
}

/** Mention id of a post: `blogger:<blogId>/<postId>`. */
export function postMentionId(blogId: string, postId: string): string {
  return `${SOURCE}:${blogId}/${postId}`;
}

/** Mention id of a comment: `blogger:<blogId>/<postId>/c<commentId>`. */
function commentMentionId(blogId: string, postId: string, commentId: string): string {
  return `${SOURCE}:${blogId}/${postId}/c${commentId}`;
}

function toAuthor(a: BloggerAuthor | undefined): Mention['author'] {
  const out: Mention['author'] = {};
  if (a?.profileId !== undefined) out.id = a.profileId;
  if (a?.name !== undefined) out.name = a.name;
  return out;
}

function isHandle(a: BloggerAuthor | undefined, handles: ReadonlySet<string>): boolean {
  return isBrandHandle(a?.name, handles) || isBrandHandle(a?.profileId, handles);
}

/** True when two authors are the same Blogger profile (by profile URL; by name only when neither has a URL). */
function sameProfile(a: BloggerAuthor | undefined, b: BloggerAuthor | undefined): boolean {
  if (!a || !b) return false;
  if (a.profileId !== undefined || b.profileId !== undefined) return a.profileId !== undefined && a.profileId === b.profileId;
  if (a.uri !== undefined || b.uri !== undefined) return a.uri === b.uri;
  return false;
}

/** Parses a posts feed (`/feeds/posts/default?alt=json`) into post mentions and refs. */
export function parsePostsFeed(body: string, opts: { query: SourceQuery; brand?: BloggerBrandOptions }): BloggerPostsPage {
  const { query } = opts;
  const { entries, head } = readFeed(body, 'posts');
  const brandBlog = opts.brand?.brandBlog ?? query.options['brandBlog'] === true;
  const handles = normaliseHandles(query.brandHandles);
  const mentions: Mention[] = [];
  const posts: BloggerPostRef[] = [];
  const warnings: string[] = [];
  entries.forEach((entry, index) => {
    const tag = isObject(entry) ? parseTagId(text(entry['id'])) : undefined;
    if (!isObject(entry) || tag?.itemId === undefined) {
      warnings.push(`${SOURCE}: entry ${index} of the posts feed has no readable "id"; skipped.`);
      return;
    }
    const id = tag.itemId;
    const mentionId = postMentionId(tag.blogId, id);
    const ref: BloggerPostRef = { id, blogId: tag.blogId, mentionId };
    const total = int(entry['thr$total']);
    if (total !== undefined) ref.comments = total;
    const author = readAuthor(entry['author']);
    if (author) ref.author = author;
    posts.push(ref);
    const createdAt = toIsoUtc(text(entry['published']));
    if (createdAt === undefined) {
      warnings.push(`${SOURCE}: field "published" unreadable on post ${id}; post skipped, its comments still read.`);
      return;
    }
    ref.createdAt = createdAt;
    const mention: Mention = {
      id: mentionId,
      source: SOURCE,
      kind: 'post',
      author: toAuthor(author),
      fromBrand: brandBlog || isHandle(author, handles),
      brand: query.brand,
      text: '',
      createdAt,
      threadId: mentionId,
      engagement: total === undefined ? {} : { replies: total },
    };
    if (!author) warnings.push(`${SOURCE}: field "author" unreadable on post ${id}; author left empty.`);
    const url = link(entry, 'alternate', 'text/html') ?? link(entry, 'alternate');
    if (url !== undefined) mention.url = url;
    const title = text(entry['title']);
    if (title !== undefined) mention.title = decodeEntities(title);
    else warnings.push(`${SOURCE}: field "title" unreadable on post ${id}.`);
    const html = text(entry['content']) ?? text(entry['summary']);
    if (html !== undefined) mention.text = blogText(html, () => warnings.push(deepHtmlWarning(SOURCE, `post ${id}${url === undefined ? '' : ` (${url})`}`)));
    else warnings.push(`${SOURCE}: field "content" unreadable on post ${id}; text left empty.`);
    mentions.push(mention);
  });
  return { mentions, warnings, posts, head };
}

/**
 * Parses a comments feed (`/feeds/<postId>/comments/default?alt=json`) page. Replies to a comment carry a
 * `link rel="related"` to it; others reply to the post. Removed comments (`blogger.contentRemoved`) become
 * `[deleted]` placeholders listed in `removedIds`; `pruneRemoved` keeps only those with a brand reply beneath.
 */
export function parseCommentsFeed(
  body: string,
  post: Pick<BloggerPostRef, 'id' | 'blogId' | 'mentionId' | 'author'>,
  opts: { query: SourceQuery; brand?: BloggerBrandOptions },
): BloggerCommentsPage {
  const { query } = opts;
  const { entries, head } = readFeed(body, `comments of post ${post.id}`);
  const brandBlog = opts.brand?.brandBlog ?? query.options['brandBlog'] === true;
  const owner = opts.brand?.owner ?? head.owner;
  const handles = normaliseHandles(query.brandHandles);
  const mentions: Mention[] = [];
  const removedIds: string[] = [];
  const warnings: string[] = [];
  entries.forEach((entry, index) => {
    const tag = isObject(entry) ? parseTagId(text(entry['id'])) : undefined;
    if (!isObject(entry) || tag?.itemId === undefined) {
      warnings.push(`${SOURCE}: entry ${index} of the comments of post ${post.id} has no readable "id"; skipped.`);
      return;
    }
    const id = tag.itemId;
    const label = `comment ${id} of post ${post.id}`;
    const createdAt = toIsoUtc(text(entry['published']));
    if (createdAt === undefined) {
      warnings.push(`${SOURCE}: field "published" unreadable on ${label}; skipped.`);
      return;
    }
    const related = link(entry, 'related');
    const parent = related === undefined ? undefined : /\/comments\/default\/(\d+)/.exec(related)?.[1];
    if (related !== undefined && parent === undefined) warnings.push(`${SOURCE}: "related" link unreadable on ${label}; attached to the post.`);
    const author = readAuthor(entry['author']);
    const removed = extended(entry, 'blogger.contentRemoved') === 'true';
    const fromBrand =
      !removed && ((brandBlog && (sameProfile(author, owner) || sameProfile(author, post.author))) || isHandle(author, handles));
    const mention: Mention = {
      id: commentMentionId(post.blogId, post.id, id),
      source: SOURCE,
      kind: 'comment',
      author: removed ? {} : toAuthor(author),
      fromBrand,
      brand: query.brand,
      text: removed ? DELETED_TEXT : '',
      createdAt,
      parentId: parent === undefined ? post.mentionId : commentMentionId(post.blogId, post.id, parent),
      threadId: post.mentionId,
      engagement: {},
    };
    const url = link(entry, 'alternate', 'text/html') ?? link(entry, 'alternate');
    if (url !== undefined) mention.url = url;
    if (removed) {
      removedIds.push(mention.id);
    } else {
      if (!author?.name) warnings.push(`${SOURCE}: field "author" unreadable on ${label}; author left empty.`);
      const html = text(entry['content']) ?? text(entry['summary']);
      if (html !== undefined) mention.text = blogText(html, () => warnings.push(deepHtmlWarning(SOURCE, `${label}${url === undefined ? '' : ` (${url})`}`)));
      else warnings.push(`${SOURCE}: field "content" unreadable on ${label}; text left empty.`);
    }
    mentions.push(mention);
  });
  return { mentions, warnings, head, removedIds };
}

/** Drops removed-comment placeholders that have no brand reply beneath them (directly or further down). */
export function pruneRemoved(mentions: readonly Mention[], removedIds: Iterable<string>): { mentions: Mention[]; removed: number } {
  const removed = new Set(removedIds);
  if (removed.size === 0) return { mentions: [...mentions], removed: 0 };
  const parentOf = new Map(mentions.map((m) => [m.id, m.parentId]));
  const keep = new Set<string>();
  for (const m of mentions) {
    if (!m.fromBrand) continue;
    const seen = new Set<string>();
    let cursor = m.parentId;
    while (cursor !== undefined && !seen.has(cursor)) {
      seen.add(cursor);
      if (removed.has(cursor)) keep.add(cursor);
      cursor = parentOf.get(cursor);
    }
  }
  const out = mentions.filter((m) => !removed.has(m.id) || keep.has(m.id));
  return { mentions: out, removed: mentions.length - out.length };
}

/** Whether a feed page is followed by another (Blogger numbers results from 1). */
export function hasMore(head: BloggerFeedHead, requestedStart: number): boolean {
  if (head.entries === 0) return false;
  const start = head.startIndex ?? requestedStart;
  return head.totalResults !== undefined && start + head.entries - 1 < head.totalResults;
}
