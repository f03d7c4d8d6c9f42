/**
 * Pure parsers for Reddit: Atom feeds (`search.rss`, `comments/<id>/.rss`), JSON listings, comment trees,
 * `/api/morechildren` answers and the OAuth token answer. Raw body in, Mentions and warnings out.
 */
import { remoteText } from '../../core/sanitize.js';
import { normaliseAccount } from '../../core/handles.js';
import * as cheerio from '../shared/cheerio.js';
import type { Author, Mention } from '../../core/mention.js';
import { SourceError } from '../../core/errors.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { redditEntryText, redditHtmlToText } from './text.js';
import { deepHtmlWarning, type OnDeepHtml } from '../shared/html-text.js';
import { finiteNumber, isObject, nonEmptyString, parseJsonOr } from '../shared/json-fields.js';

/** Source id, also the prefix of every mention id. */
export const SOURCE_ID = 'reddit';
/** Public web host: serves the RSS feeds and the token endpoint. */
export const REDDIT_WEB_URL = 'https://www.reddit.com';
/** OAuth API host: serves JSON to bearer-token clients. */
export const REDDIT_OAUTH_URL = 'https://oauth.reddit.com';

/** Options shared by the parsers. */
export interface RedditParseOptions {
  /** Base for permalinks built from relative paths (JSON `permalink`); default https://www.reddit.com. */
  webUrl?: string;
  /** Subreddits the brand moderates: a `distinguished: "moderator"` comment there counts as the brand's. */
  brandSubreddits?: readonly string[];
  /** Keep deleted/removed items (with their ids in `deletedIds`) so a caller can prune after merging more replies. */
  keepDeleted?: boolean;
}

/** A thread found by a search: what the fetch part needs to request its comments. */
export interface PostRef {
  /** Mention id, `reddit:t3_<id>`. */
  mentionId: string;
  /** Base-36 post id, as used in `/comments/<id>`. */
  id: string;
  subreddit?: string;
  createdAt: string;
}

/** Result of parsing one feed or listing page. */
export interface PageParse extends ParseResult {
  /** Entries/children on the page, readable or not (paging stops on a short page). */
  entries: number;
  /** Fullname of the last item (`t3_…`), the `after` cursor for the next page of a feed. */
  lastName?: string;
  /** JSON listings: `data.after` as Reddit gave it (null → undefined). */
  after?: string;
  /** Posts on the page, in order. */
  posts: PostRef[];
  /** Deleted/removed items kept out of `mentions`. */
  droppedDeleted: number;
  /** Ids of deleted/removed items still present (only with `keepDeleted`). */
  deletedIds: string[];
}

/** A `kind: "more"` stub in a comment tree: replies Reddit did not inline. */
export interface MoreStub {
  /** Fullname of the comment (or post) the hidden replies hang under. */
  parentId: string;
  /** Base-36 ids of hidden comments; empty for a "continue this thread" stub. */
  children: string[];
  count: number;
}

/** Result of parsing a thread (`/comments/<id>`) or a `/api/morechildren` answer. */
export interface ThreadParse extends ParseResult {
  /** Fullname of the thread's post (`t3_…`), when known. */
  linkId?: string;
  more: MoreStub[];
  droppedDeleted: number;
  deletedIds: string[];
}

const DELETED_TEXT = new Set(['[deleted]', '[removed]']);
const BLOCK_PAGE = /whoa there,\s*pardner|blocked due to a network policy|blocked by network security/i;

/** True when a body is Reddit's network-policy block page ("whoa there, pardner!" or the newer "blocked by network security"). */
export function isRedditBlockPage(body: string): boolean {
  return BLOCK_PAGE.test(body.length > 64_000 ? body.slice(0, 64_000) : body);
}

/** The message for a block: says it is a block (not "no mentions") and what the user can do. */
export function blockedMessage(what: string): string {
  return (
    `Reddit blocked the request for ${what} with its network-policy page ("whoa there, pardner!" / 403 Blocked): ` +
    'no Reddit data was read, so this is not "0 mentions". Reddit blocks many datacenter, VPN and cloud IPs and ' +
    'unidentified clients; run from another network (e.g. a residential connection), or set REDDIT_CLIENT_ID and ' +
    'REDDIT_CLIENT_SECRET (an approved Reddit app) to use the OAuth API.'
  );
}

/** Whether a handle is one of the brand's (case-insensitive; leading @ and u/ ignored). */
function isRedditBrandHandle(handle: string | undefined, brandHandles: readonly string[]): boolean {
  if (handle === undefined) return false;
  const h = normaliseAccount(handle);
  return brandHandles.some((b) => normaliseAccount(b) === h);
}

function mentionId(fullname: string): string {
  return `${SOURCE_ID}:${fullname}`;
}

function describeBody(body: string): string {
  const t = body.trimStart();
  if (t === '') return 'an empty body';
  if (/^<!doctype html|^<html/i.test(t)) return 'an HTML page';
  if (t.startsWith('{') || t.startsWith('[')) return 'JSON';
  if (t.startsWith('<')) return 'other XML/HTML';
  return `text starting "${t.slice(0, 40).replace(/\s+/g, ' ')}"`;
}

function toIso(value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const d = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The post id in a Reddit permalink (`/r/x/comments/<id>/…`). */
function postIdFromPath(url: string | undefined): string | undefined {
  return url?.match(/\/comments\/([a-z0-9]+)/i)?.[1]?.toLowerCase();
}

/**
 * Keeps deleted/removed items only where a brand reply hangs beneath them (as a '[deleted]' placeholder, so the
 * reply keeps its parent); drops the rest. Returns the kept mentions and how many were dropped.
 */
export function pruneDeleted(mentions: Mention[], deletedIds: Iterable<string>): { mentions: Mention[]; dropped: number } {
  const deleted = new Set(deletedIds);
  if (deleted.size === 0) return { mentions, dropped: 0 };
  const byId = new Map(mentions.map((m) => [m.id, m]));
  const needed = new Set<string>();
  for (const m of mentions) {
    if (!m.fromBrand) continue;
    // Walk up the ancestry; the `needed` check also stops on a malformed cycle.
    let p = m.parentId;
    while (p !== undefined && !needed.has(p)) {
      needed.add(p);
      p = byId.get(p)?.parentId;
    }
  }
  const kept: Mention[] = [];
  let dropped = 0;
  for (const m of mentions) {
    if (!deleted.has(m.id)) kept.push(m);
    else if (needed.has(m.id)) kept.push({ ...m, text: '[deleted]', author: {} });
    else dropped += 1;
  }
  return { mentions: kept, dropped };
}

// ---------------------------------------------------------------------------------------------------------------
// Atom feeds

/** `t3_<post>` or `t1_<comment>` from a permalink (`/r/<sub>/comments/<post>/<slug>/[<comment>/]`), if it is one. */
function fullnameFromLink(link: string | undefined): string | undefined {
  if (link === undefined) return undefined;
  let path: string;
  try {
    path = new URL(link).pathname;
  } catch {
    return undefined;
  }
  const m = /\/comments\/([a-z0-9]+)(?:\/[^/]*(?:\/([a-z0-9]+))?)?\/?$/i.exec(path);
  if (!m) return undefined;
  return m[2] !== undefined ? `t1_${m[2].toLowerCase()}` : `t3_${m[1]!.toLowerCase()}`;
}

/**
 * Parses a Reddit Atom feed: `search.rss` (posts, `t3_` ids) or a post's comments feed (the post, then its comments
 * as a flat list). Comments carry no parent id in RSS, so each is attached to the thread's post: a brand comment
 * after the post counts as a reply to the post.
 */
export function parseAtomFeed(body: string, query: SourceQuery, options: RedditParseOptions = {}): PageParse {
  if (isRedditBlockPage(body)) throw new SourceError('blocked', blockedMessage('a feed'), { sourceId: SOURCE_ID });
  const $ = cheerio.load(body, { xml: true });
  if ($('feed').length === 0) {
    throw new SourceError(
      'bad-response',
      `Expected a Reddit Atom feed (<feed> with <entry> elements) but got ${describeBody(body)}.`,
      { sourceId: SOURCE_ID },
    );
  }
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const posts: PostRef[] = [];
  const deletedIds: string[] = [];
  const entries = $('feed > entry').toArray();
  let lastName: string | undefined;

  entries.forEach((el, index) => {
    const entry = $(el);
    const link = entry.children('link').first().attr('href')?.trim() || undefined;
    const rawId = entry.children('id').first().text().trim();
    const label = rawId !== '' ? rawId : `entry ${index + 1}`;
    // Some real entries carry another kind of <id> while their <link> names the post or comment: use the link.
    const fullname = /^t[13]_[a-z0-9]+$/i.test(rawId) ? rawId.toLowerCase() : fullnameFromLink(link);
    if (fullname === undefined) {
      warnings.push(`reddit: ${label}: neither <id> nor <link> names a post (t3_) or comment (t1_); entry skipped.`);
      return;
    }
    lastName = fullname;
    const isPost = fullname.startsWith('t3_');
    const published = entry.children('published').first().text().trim();
    const updated = entry.children('updated').first().text().trim();
    // Older comment feeds carry only <updated>; for an unedited comment it is the creation time.
    const createdAt = toIso(published) ?? toIso(updated);
    if (createdAt === undefined) {
      warnings.push(`reddit: ${label}: no readable <published>/<updated> date; entry skipped.`);
      return;
    }
    const author: Author = {};
    const rawName = entry.children('author').children('name').first().text().trim();
    if (rawName === '') warnings.push(`reddit: ${label}: no <author><name>; author left empty.`);
    else if (!/\[deleted\]/i.test(rawName)) author.handle = rawName.replace(/^\/?u\//i, '');
    const contentEl = entry.children('content').first();
    let text = '';
    if (contentEl.length === 0) warnings.push(`reddit: ${label}: no <content>; text left empty.`);
    // type="html" holds escaped HTML (its text is the markup); old Reddit's type="xhtml" holds the elements themselves.
    else {
      const content = contentEl.attr('type') === 'xhtml' ? (contentEl.html() ?? '') : contentEl.text();
      text = redditEntryText(content, () => warnings.push(deepHtmlWarning(SOURCE_ID, `${label}${link === undefined ? '' : ` (${link})`}`)));
    }
    const subreddit = entry.children('category').first().attr('term') || undefined;
    const postId = isPost ? fullname.slice(3) : postIdFromPath(link);
    const threadId = postId !== undefined ? mentionId(`t3_${postId}`) : undefined;
    if (!isPost && threadId === undefined) warnings.push(`reddit: ${label}: no post id in <link>; thread unknown.`);
    const title = entry.children('title').first().text().trim();
    const mention: Mention = {
      id: mentionId(fullname),
      source: SOURCE_ID,
      kind: isPost ? 'post' : 'comment',
      url: link,
      author,
      fromBrand: isRedditBrandHandle(author.handle, query.brandHandles),
      brand: query.brand,
      title: isPost && title !== '' ? title : undefined,
      text,
      createdAt,
      threadId,
      parentId: isPost ? undefined : threadId,
      // RSS carries no score, comment count or distinguished flag.
      engagement: {},
    };
    if (DELETED_TEXT.has(text)) deletedIds.push(mention.id);
    mentions.push(mention);
    if (isPost && postId !== undefined) {
      posts.push({ mentionId: mention.id, id: postId, subreddit: subreddit ?? subredditFromPath(link), createdAt });
    }
  });

  if (options.keepDeleted) return { mentions, warnings, entries: entries.length, lastName, posts, droppedDeleted: 0, deletedIds };
  const pruned = pruneDeleted(mentions, deletedIds);
  const kept = new Set(pruned.mentions.map((m) => m.id));
  return {
    mentions: pruned.mentions,
    warnings,
    entries: entries.length,
    lastName,
    posts: posts.filter((p) => kept.has(p.mentionId)),
    droppedDeleted: pruned.dropped,
    deletedIds: deletedIds.filter((id) => kept.has(id)),
  };
}

function subredditFromPath(url: string | undefined): string | undefined {
  return url?.match(/\/r\/([A-Za-z0-9_]+)\//)?.[1];
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

type Json = Record<string, unknown>;

function parseRedditJson(body: string, expected: string): unknown {
  // Reddit's block page is HTML too, so the body itself is examined rather than only "looks like HTML".
  return parseJsonOr(body, () =>
    isRedditBlockPage(body)
      ? new SourceError('blocked', blockedMessage('a JSON API call'), { sourceId: SOURCE_ID })
      : new SourceError('bad-response', `Expected Reddit JSON (${expected}) but got ${describeBody(body)}.`, { sourceId: SOURCE_ID }),
  );
}

function isListing(v: unknown): v is { kind: 'Listing'; data: Json & { children: unknown[] } } {
  return isObject(v) && v.kind === 'Listing' && isObject(v.data) && Array.isArray(v.data.children);
}

/** HTML from a JSON `*_html` field: real HTML under raw_json=1, entity-escaped HTML without it. */
function jsonHtmlToText(html: string, onDeep: OnDeepHtml): string {
  const decoded = html.trimStart().startsWith('&lt;') ? cheerio.load(html, null, false).text() : html;
  return redditHtmlToText(decoded, onDeep);
}

// Markdown that renders to something other than its own characters: emphasis, links, code, quotes, headings,
// tables, superscript, escapes, entities, list items and indented code. URLs are taken out first (they hold `_`, `#`).
const MARKDOWN_SYNTAX = /[*_`~^[\]<>#|\\]|&[#a-z0-9]+;/i;
const MARKDOWN_BLOCK = /^(?: {4}|\t|\s*(?:[-+]|\d+[.)])\s)/m;

/**
 * A post's or comment's text: its plain Markdown `body`/`selftext` when that is plain (no Markdown syntax outside
 * its URLs), else the text of its `*_html`. Reddit's Markdown renderer escapes autolinked bare URLs twice, so a
 * URL's `&` comes out of `body_html` as `&amp;` even with raw_json=1; the plain body has it as written.
 */
function jsonText(markdown: string | undefined, html: string | undefined, onDeep: OnDeepHtml): string {
  if (markdown !== undefined && markdown.trim() !== '' && !MARKDOWN_SYNTAX.test(markdown.replace(/https?:\/\/\S+/g, '')) && !MARKDOWN_BLOCK.test(markdown)) {
    // Without raw_json=1 every `&`, `<` and `>` is entity-escaped, which the test above counts as syntax: such a body
    // goes the HTML way. As rendered: paragraphs on their own lines, a single newline inside one is a space.
    return markdown
      .split(/\n\s*\n/)
      .map((p) => p.replace(/\s+/g, ' ').trim())
      .filter((p) => p !== '')
      .join('\n');
  }
  return html !== undefined ? jsonHtmlToText(html, onDeep) : (markdown ?? '').trim();
}

interface Converted {
  mention: Mention;
  deleted: boolean;
}

function authorFromJson(d: Json): Author {
  const author: Author = {};
  const name = nonEmptyString(d.author);
  if (name !== undefined && name !== '[deleted]') author.handle = name;
  const id = nonEmptyString(d.author_fullname);
  if (id !== undefined) author.id = id;
  return author;
}

function brandByJson(d: Json, author: Author, query: SourceQuery, options: RedditParseOptions): boolean {
  if (isRedditBrandHandle(author.handle, query.brandHandles)) return true;
  // A moderator badge is the brand's only where the brand runs the subreddit (its own r/<brand>).
  const sub = nonEmptyString(d.subreddit)?.toLowerCase();
  return (
    d.distinguished === 'moderator' &&
    sub !== undefined &&
    (options.brandSubreddits ?? []).some((s) => s.replace(/^\/?r\//i, '').toLowerCase() === sub)
  );
}

function permalink(d: Json, options: RedditParseOptions): string | undefined {
  const p = nonEmptyString(d.permalink);
  if (p === undefined) return undefined;
  if (/^https?:\/\//.test(p)) return p;
  return `${(options.webUrl ?? REDDIT_WEB_URL).replace(/\/+$/, '')}${p}`;
}

function postFromJson(d: Json, query: SourceQuery, options: RedditParseOptions, warnings: string[]): Converted | undefined {
  const id = nonEmptyString(d.id)?.toLowerCase();
  const label = nonEmptyString(d.name) ?? (id !== undefined ? `t3_${id}` : 'a post');
  if (id === undefined) {
    warnings.push(`reddit: ${label}: no "id"; post skipped.`);
    return undefined;
  }
  const createdAt = toIso(finiteNumber(d.created_utc));
  if (createdAt === undefined) {
    warnings.push(`reddit: ${label}: no readable "created_utc"; post skipped.`);
    return undefined;
  }
  const author = authorFromJson(d);
  if (nonEmptyString(d.author) === undefined) warnings.push(`reddit: ${label}: no "author"; author left empty.`);
  const html = nonEmptyString(d.selftext_html);
  const selftext = typeof d.selftext === 'string' ? d.selftext : undefined;
  if (html === undefined && selftext === undefined) warnings.push(`reddit: ${label}: no "selftext"; text left empty.`);
  const text = jsonText(selftext, html, () => warnings.push(deepHtmlWarning(SOURCE_ID, `post ${label}`)));
  const deleted = DELETED_TEXT.has(text) || (nonEmptyString(d.removed_by_category) !== undefined && text === '');
  const mention: Mention = {
    id: mentionId(`t3_${id}`),
    source: SOURCE_ID,
    kind: 'post',
    url: permalink(d, options),
    author,
    fromBrand: brandByJson(d, author, query, options),
    brand: query.brand,
    title: nonEmptyString(d.title),
    text,
    createdAt,
    threadId: mentionId(`t3_${id}`),
    engagement: { score: finiteNumber(d.score), replies: finiteNumber(d.num_comments) },
  };
  return { mention, deleted };
}

function commentFromJson(
  d: Json,
  query: SourceQuery,
  options: RedditParseOptions,
  warnings: string[],
): Converted | undefined {
  const id = nonEmptyString(d.id)?.toLowerCase();
  const label = nonEmptyString(d.name) ?? (id !== undefined ? `t1_${id}` : 'a comment');
  if (id === undefined) {
    warnings.push(`reddit: ${label}: no "id"; comment skipped.`);
    return undefined;
  }
  const createdAt = toIso(finiteNumber(d.created_utc));
  if (createdAt === undefined) {
    warnings.push(`reddit: ${label}: no readable "created_utc"; comment skipped.`);
    return undefined;
  }
  const author = authorFromJson(d);
  if (nonEmptyString(d.author) === undefined) warnings.push(`reddit: ${label}: no "author"; author left empty.`);
  const html = nonEmptyString(d.body_html);
  const bodyMd = typeof d.body === 'string' ? d.body : undefined;
  if (html === undefined && bodyMd === undefined) warnings.push(`reddit: ${label}: no "body"; text left empty.`);
  const text = jsonText(bodyMd, html, () => warnings.push(deepHtmlWarning(SOURCE_ID, `comment ${label}`)));
  const linkId = nonEmptyString(d.link_id)?.toLowerCase();
  const parent = nonEmptyString(d.parent_id)?.toLowerCase();
  if (linkId === undefined) warnings.push(`reddit: ${label}: no "link_id"; thread unknown.`);
  if (parent === undefined) warnings.push(`reddit: ${label}: no "parent_id"; parent unknown.`);
  const mention: Mention = {
    id: mentionId(`t1_${id}`),
    source: SOURCE_ID,
    kind: 'comment',
    url: permalink(d, options),
    author,
    fromBrand: brandByJson(d, author, query, options),
    brand: query.brand,
    text,
    createdAt,
    threadId: linkId !== undefined ? mentionId(linkId) : undefined,
    parentId: parent !== undefined ? mentionId(parent) : undefined,
    engagement: { score: finiteNumber(d.score) },
  };
  return { mention, deleted: DELETED_TEXT.has(text) };
}

function moreFromJson(d: Json, warnings: string[]): MoreStub | undefined {
  const parentId = nonEmptyString(d.parent_id)?.toLowerCase();
  if (parentId === undefined) {
    warnings.push(`reddit: a "more" stub has no "parent_id"; its hidden replies are not fetched.`);
    return undefined;
  }
  const children = Array.isArray(d.children) ? d.children.filter((c): c is string => typeof c === 'string') : [];
  return { parentId, children, count: finiteNumber(d.count) ?? children.length };
}

function finishThread(
  out: { mentions: Mention[]; deletedIds: string[] },
  warnings: string[],
  more: MoreStub[],
  linkId: string | undefined,
  options: RedditParseOptions,
): ThreadParse {
  if (options.keepDeleted) return { mentions: out.mentions, warnings, more, linkId, droppedDeleted: 0, deletedIds: out.deletedIds };
  const pruned = pruneDeleted(out.mentions, out.deletedIds);
  const kept = new Set(pruned.mentions.map((m) => m.id));
  return {
    mentions: pruned.mentions,
    warnings,
    more,
    linkId,
    droppedDeleted: pruned.dropped,
    deletedIds: out.deletedIds.filter((id) => kept.has(id)),
  };
}

/** Parses a JSON search Listing (`/search`, `/r/<sub>/search`) of posts. */
export function parseListing(body: string, query: SourceQuery, options: RedditParseOptions = {}): PageParse {
  const json = parseRedditJson(body, 'a Listing');
  if (!isListing(json)) {
    throw new SourceError('bad-response', 'Expected a Reddit Listing ({"kind":"Listing","data":{"children":[…]}}) but the JSON has another shape.', {
      sourceId: SOURCE_ID,
    });
  }
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const posts: PostRef[] = [];
  const deletedIds: string[] = [];
  let lastName: string | undefined;
  for (const child of json.data.children) {
    if (!isObject(child) || child.kind !== 't3' || !isObject(child.data)) {
      warnings.push(`reddit: a listing child is not a post (kind ${isObject(child) ? String(child.kind) : typeof child}); skipped.`);
      continue;
    }
    const c = postFromJson(child.data, query, options, warnings);
    if (c === undefined) continue;
    lastName = c.mention.id.slice(SOURCE_ID.length + 1);
    mentions.push(c.mention);
    if (c.deleted) deletedIds.push(c.mention.id);
    posts.push({ mentionId: c.mention.id, id: lastName.slice(3), subreddit: nonEmptyString(child.data.subreddit), createdAt: c.mention.createdAt });
  }
  const after = nonEmptyString(json.data.after);
  const base = { entries: json.data.children.length, lastName, after };
  if (options.keepDeleted) return { mentions, warnings, posts, droppedDeleted: 0, deletedIds, ...base };
  const pruned = pruneDeleted(mentions, deletedIds);
  const kept = new Set(pruned.mentions.map((m) => m.id));
  return {
    mentions: pruned.mentions,
    warnings,
    posts: posts.filter((p) => kept.has(p.mentionId)),
    droppedDeleted: pruned.dropped,
    deletedIds: deletedIds.filter((id) => kept.has(id)),
    ...base,
  };
}

/**
 * Parses a thread (`/comments/<id>`: `[Listing(t3), Listing(t1 tree)]`): the post, every inlined comment with its
 * real parent, and the "more" stubs still to expand.
 */
export function parseThreadJson(body: string, query: SourceQuery, options: RedditParseOptions = {}): ThreadParse {
  const json = parseRedditJson(body, 'a [post, comments] pair of Listings');
  if (!Array.isArray(json) || json.length < 2 || !isListing(json[0]) || !isListing(json[1])) {
    throw new SourceError(
      'bad-response',
      'Expected a Reddit thread (a JSON array of two Listings: the post, then its comments) but the JSON has another shape.',
      { sourceId: SOURCE_ID },
    );
  }
  const warnings: string[] = [];
  const more: MoreStub[] = [];
  const out = { mentions: [] as Mention[], deletedIds: [] as string[] };
  let linkId: string | undefined;
  for (const child of json[0].data.children) {
    if (!isObject(child) || child.kind !== 't3' || !isObject(child.data)) continue;
    const c = postFromJson(child.data, query, options, warnings);
    if (c === undefined) continue;
    linkId = c.mention.id.slice(SOURCE_ID.length + 1);
    out.mentions.push(c.mention);
    if (c.deleted) out.deletedIds.push(c.mention.id);
  }
  walkComments(json[1].data.children, query, options, warnings, more, out);
  return finishThread(out, warnings, more, linkId, options);
}

function walkComments(
  children: unknown[],
  query: SourceQuery,
  options: RedditParseOptions,
  warnings: string[],
  more: MoreStub[],
  out: { mentions: Mention[]; deletedIds: string[] },
): void {
  // An explicit stack of sibling lists, not recursion: a reply chain 5,000 deep overflowed the call stack and took the
  // thread down. Depth first, parents before their replies, as Reddit nests them.
  const stack: { nodes: unknown[]; next: number }[] = [{ nodes: children, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const child = frame.nodes[frame.next];
    frame.next += 1;
    if (!isObject(child) || !isObject(child.data)) continue;
    if (child.kind === 'more') {
      const stub = moreFromJson(child.data, warnings);
      if (stub !== undefined) more.push(stub);
      continue;
    }
    if (child.kind !== 't1') continue;
    const c = commentFromJson(child.data, query, options, warnings);
    if (c !== undefined) {
      out.mentions.push(c.mention);
      if (c.deleted) out.deletedIds.push(c.mention.id);
    }
    // `replies` is "" when there are none, else a nested Listing.
    const replies = child.data.replies;
    if (isListing(replies)) stack.push({ nodes: replies.data.children, next: 0 });
  }
}

/** Parses a `/api/morechildren?api_type=json` answer: a flat list of comments (with parent ids) and further stubs. */
export function parseMoreChildren(body: string, query: SourceQuery, options: RedditParseOptions = {}): ThreadParse {
  const json = parseRedditJson(body, 'a morechildren answer');
  const inner = isObject(json) && isObject(json.json) ? json.json : undefined;
  const things = inner !== undefined && isObject(inner.data) && Array.isArray(inner.data.things) ? inner.data.things : undefined;
  if (inner === undefined || things === undefined) {
    const errors = inner !== undefined && Array.isArray(inner.errors) && inner.errors.length > 0 ? JSON.stringify(inner.errors) : '';
    throw new SourceError(
      'bad-response',
      `Expected a Reddit morechildren answer ({"json":{"data":{"things":[…]}}}) but the JSON has another shape${errors ? ` (errors: ${errors})` : ''}.`,
      { sourceId: SOURCE_ID },
    );
  }
  const warnings: string[] = [];
  const more: MoreStub[] = [];
  const out = { mentions: [] as Mention[], deletedIds: [] as string[] };
  walkComments(things, query, options, warnings, more, out);
  return finishThread(out, warnings, more, undefined, options);
}

/** Reads the application-only OAuth token answer; throws auth-required when Reddit refused the credentials. */
export function parseAccessToken(body: string): { token: string; expiresIn?: number } {
  const json = parseRedditJson(body, 'an access_token answer');
  if (isObject(json) && typeof json.access_token === 'string' && json.access_token !== '') {
    return { token: json.access_token, expiresIn: finiteNumber(json.expires_in) };
  }
  if (isObject(json) && (json.error !== undefined || json.message !== undefined)) {
    const why = remoteText([json.error, json.message].filter((x) => x !== undefined).map(String).join(', '));
    throw new SourceError(
      'auth-required',
      `Reddit refused the REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET token exchange (${why}): check the app's id and secret.`,
      { sourceId: SOURCE_ID },
    );
  }
  throw new SourceError('bad-response', 'Expected a Reddit OAuth answer with "access_token" but the JSON has another shape.', {
    sourceId: SOURCE_ID,
  });
}
