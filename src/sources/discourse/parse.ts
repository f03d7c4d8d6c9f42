/** Pure parsers for Discourse JSON: `/search.json`, `/t/{id}.json`, `/t/{id}/posts.json` and error bodies. */
import { createSourceError, rewordOptions, SourceError } from '../../core/errors.js';
import { remoteText } from '../../core/sanitize.js';
import { DEFAULT_RETRY, formatDuration, waitTooLong } from '../../http/policy.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { deepHtmlWarning, forumHtmlToText, decodeEntities } from '../shared/html-text.js';
import { replaceEmojiCodes } from './emoji.js';
import { idString, isObject, num, parseJsonBody, str, toIsoUtc, type JsonObject } from '../shared/json-fields.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';

const SOURCE = 'discourse';
/** Discourse post types: 1 regular, 2 moderator action, 3 small action ("closed this topic"), 4 whisper. */
const REGULAR_POST_TYPES: ReadonlySet<number> = new Set([1, 4]);

/** One page of search results reduced to the topics to fetch. */
export interface DiscourseSearchPage {
  /** Topic ids in result order (newest matching post first), without duplicates. */
  topicIds: number[];
  /** True when Discourse says a further page exists (`grouped_search_result.more_full_page_results`). */
  more: boolean;
  warnings: string[];
}

/** A topic as read from `/t/{id}.json`, before mapping to mentions. */
export interface DiscourseTopic {
  id: number;
  title?: string;
  slug?: string;
  /** Raw post objects (from post_stream.posts, later extended from posts.json). */
  posts: JsonObject[];
  /** Every post id of the topic in order (post_stream.stream). */
  stream: number[];
  warnings: string[];
}

/** Mentions of one topic plus how many removed or non-reply posts were left out. */
export interface DiscourseTopicResult extends ParseResult {
  /** Deleted/hidden posts left out (no brand reply beneath them). */
  removed: number;
  /** Small-action and moderator-action posts left out ("closed this topic", "pinned"). */
  actions: number;
}

/** How brand posts are recognised on a forum. */
interface DiscourseBrandOptions {
  /** Forum staff (staff/admin/moderator flags) count as the brand; false for a third-party forum. */
  staffIsBrand: boolean;
  /** Group names (primary_group_name or flair_name) whose members speak for the brand. */
  brandGroups: readonly string[];
}

/** Reads the brand options from `query.options` (`staffIsBrand`, default true; `brandGroups`, default []). */
function brandOptions(query: SourceQuery): DiscourseBrandOptions {
  const groups = query.options['brandGroups'];
  return {
    staffIsBrand: query.options['staffIsBrand'] !== false,
    brandGroups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
  };
}

/** Parses a `/search.json` body into the topic ids to fetch and whether another page exists. */
export function parseSearch(body: string): DiscourseSearchPage {
  const data = parseJsonBody(body, SOURCE, 'a /search.json object');
  if (!isObject(data) || !('grouped_search_result' in data)) {
    throw new SourceError('bad-response', 'discourse: expected a search response with "grouped_search_result".', {
      sourceId: SOURCE,
    });
  }
  const warnings: string[] = [];
  const ids: number[] = [];
  const add = (id: number | undefined): void => {
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  };
  const posts = Array.isArray(data['posts']) ? data['posts'] : [];
  posts.forEach((post, index) => {
    const topicId = isObject(post) ? num(post, 'topic_id') : undefined;
    if (topicId === undefined) warnings.push(`discourse: field "topic_id" unreadable on search post ${index}; skipped.`);
    add(topicId);
  });
  // Topic-only hits (title matches) may have no post entry.
  const topics = Array.isArray(data['topics']) ? data['topics'] : [];
  for (const topic of topics) if (isObject(topic)) add(num(topic, 'id'));
  const grouped = data['grouped_search_result'];
  // The schema types it string|null; forums send true or null. Anything truthy means "more".
  const more = isObject(grouped) ? Boolean(grouped['more_full_page_results']) : false;
  return { topicIds: ids, more, warnings };
}

function readPostArray(value: unknown, where: string, warnings: string[]): JsonObject[] {
  if (!Array.isArray(value)) return [];
  const out: JsonObject[] = [];
  value.forEach((post, index) => {
    if (isObject(post) && num(post, 'id') !== undefined) out.push(post);
    else warnings.push(`discourse: post ${index} of ${where} has no readable "id"; skipped.`);
  });
  return out;
}

/** Reads `/t/{id}.json` (first ~20 posts plus the full id stream). */
export function readTopic(body: string): DiscourseTopic {
  const data = parseJsonBody(body, SOURCE, 'a /t/{id}.json topic object');
  const stream = isObject(data) && isObject(data['post_stream']) ? data['post_stream'] : undefined;
  const id = isObject(data) ? num(data, 'id') : undefined;
  if (!isObject(data) || !stream || !Array.isArray(stream['posts']) || id === undefined) {
    throw new SourceError('bad-response', 'discourse: expected a topic with "id" and "post_stream.posts".', {
      sourceId: SOURCE,
    });
  }
  const warnings: string[] = [];
  const posts = readPostArray(stream['posts'], `topic ${id}`, warnings);
  const ids = Array.isArray(stream['stream']) ? stream['stream'].filter((x): x is number => typeof x === 'number') : [];
  if (!Array.isArray(stream['stream'])) warnings.push(`discourse: field "post_stream.stream" unreadable on topic ${id}; only the first posts are read.`);
  const topic: DiscourseTopic = { id, posts, stream: ids, warnings };
  const title = str(data, 'title');
  if (title !== undefined) topic.title = replaceEmojiCodes(decodeEntities(title));
  else warnings.push(`discourse: field "title" unreadable on topic ${id}.`);
  const slug = str(data, 'slug');
  if (slug !== undefined) topic.slug = slug;
  return topic;
}

/** Reads `/t/{id}/posts.json?post_ids[]=…` (the posts beyond the first chunk). */
export function readPosts(body: string, topicId: number): { posts: JsonObject[]; warnings: string[] } {
  const data = parseJsonBody(body, SOURCE, 'a /t/{id}/posts.json object');
  const stream = isObject(data) && isObject(data['post_stream']) ? data['post_stream'] : undefined;
  if (!stream || !Array.isArray(stream['posts'])) {
    throw new SourceError('bad-response', 'discourse: expected a posts response with "post_stream.posts".', {
      sourceId: SOURCE,
    });
  }
  const warnings: string[] = [];
  return { posts: readPostArray(stream['posts'], `topic ${topicId} (posts.json)`, warnings), warnings };
}

/** Stream ids of a topic whose posts were not included in the topic response. */
export function missingPostIds(topic: DiscourseTopic): number[] {
  const have = new Set(topic.posts.map((p) => num(p, 'id')));
  return topic.stream.filter((id) => !have.has(id));
}

function isRemoved(post: JsonObject): boolean {
  if (post['deleted_at'] !== null && post['deleted_at'] !== undefined) return true;
  if (post['user_deleted'] === true) return true;
  // Hidden (flagged) posts are served without their text to anonymous readers.
  return post['hidden'] === true && (post['cooked_hidden'] === true || (str(post, 'cooked') ?? '') === '');
}

function isBrandPost(post: JsonObject, handles: ReadonlySet<string>, brand: DiscourseBrandOptions): boolean {
  if (brand.staffIsBrand && (post['staff'] === true || post['admin'] === true || post['moderator'] === true)) return true;
  const groups = new Set(brand.brandGroups.map((g) => g.toLowerCase()));
  for (const key of ['primary_group_name', 'flair_name']) {
    const group = str(post, key);
    if (group !== undefined && groups.has(group.toLowerCase())) return true;
  }
  return isBrandHandle(str(post, 'username'), handles);
}

function likeCount(post: JsonObject): number | undefined {
  const direct = num(post, 'like_count');
  if (direct !== undefined) return direct;
  const actions = post['actions_summary'];
  if (!Array.isArray(actions)) return undefined;
  const like = actions.find((a) => isObject(a) && a['id'] === 2);
  return isObject(like) ? num(like, 'count') : undefined;
}

/**
 * Maps a topic's posts to mentions: post 1 is the thread root (kind post), the rest are comments whose parent
 * is the post they reply to (`reply_to_post_number`), or the root when they reply to the topic.
 */
export function topicMentions(
  topic: DiscourseTopic,
  opts: { baseUrl: string; query: SourceQuery },
): DiscourseTopicResult {
  const { query } = opts;
  const handles = normaliseHandles(query.brandHandles);
  const brand = brandOptions(query);
  const warnings = [...topic.warnings];
  const base = opts.baseUrl.replace(/\/+$/, '');

  // Order by post_number so parents precede replies whatever order the chunks arrived in.
  const byNumber = new Map<number, JsonObject>();
  const seenIds = new Set<number>();
  let actions = 0;
  for (const post of topic.posts) {
    const id = num(post, 'id') as number;
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    const postNumber = num(post, 'post_number');
    if (postNumber === undefined) {
      warnings.push(`discourse: field "post_number" unreadable on post ${id} of topic ${topic.id}; skipped.`);
      continue;
    }
    const type = num(post, 'post_type') ?? 1;
    if (!REGULAR_POST_TYPES.has(type)) {
      actions += 1;
      continue;
    }
    byNumber.set(postNumber, post);
  }
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  const rootNumber = byNumber.has(1) ? 1 : numbers[0];
  const rootPost = rootNumber === undefined ? undefined : byNumber.get(rootNumber);
  const rootMentionId = rootPost
    ? `${SOURCE}:${num(rootPost, 'id')}`
    : topic.stream[0] !== undefined
      ? `${SOURCE}:${topic.stream[0]}`
      : undefined;

  const parentNumber = (post: JsonObject): number | undefined => {
    const to = num(post, 'reply_to_post_number');
    return to !== undefined && byNumber.has(to) ? to : rootNumber;
  };

  // Removed posts stay (as placeholders) only when a brand reply sits beneath them.
  const keepRemoved = new Set<number>();
  for (const n of numbers) {
    const post = byNumber.get(n) as JsonObject;
    if (isRemoved(post) || !isBrandPost(post, handles, brand)) continue;
    let cursor = n === rootNumber ? undefined : parentNumber(post);
    const guard = new Set<number>();
    while (cursor !== undefined && !guard.has(cursor)) {
      guard.add(cursor);
      keepRemoved.add(cursor);
      cursor = cursor === rootNumber ? undefined : parentNumber(byNumber.get(cursor) as JsonObject);
    }
  }

  const liveReplies = numbers.some((n) => n !== rootNumber && !isRemoved(byNumber.get(n) as JsonObject));
  const mentions: Mention[] = [];
  let removed = 0;
  for (const n of numbers) {
    const post = byNumber.get(n) as JsonObject;
    const id = num(post, 'id') as number;
    const label = `post ${id} of topic ${topic.id}`;
    const isRoot = n === rootNumber;
    const gone = isRemoved(post);
    // The root stays as a placeholder whenever replies survive, so their threadId resolves.
    if (gone && !keepRemoved.has(n) && !(isRoot && liveReplies)) {
      removed += 1;
      continue;
    }
    const createdAt = toIsoUtc(post['created_at']);
    if (createdAt === undefined) {
      warnings.push(`discourse: field "created_at" unreadable on ${label}; skipped.`);
      continue;
    }
    const mention: Mention = {
      id: `${SOURCE}:${id}`,
      source: SOURCE,
      kind: isRoot ? 'post' : 'comment',
      author: {},
      fromBrand: false,
      brand: query.brand,
      text: '[deleted]',
      createdAt,
      engagement: {},
    };
    if (rootMentionId !== undefined) mention.threadId = rootMentionId;
    if (!isRoot) {
      const p = parentNumber(post);
      const parent = p === undefined ? undefined : byNumber.get(p);
      if (parent) mention.parentId = `${SOURCE}:${num(parent, 'id')}`;
    }
    if (isRoot && topic.title !== undefined) mention.title = topic.title;
    if (topic.slug !== undefined) mention.url = `${base}/t/${topic.slug}/${topic.id}/${n}`;
    if (!gone) {
      const cooked = str(post, 'cooked');
      if (cooked === undefined) warnings.push(`discourse: field "cooked" unreadable on ${label}; text left empty.`);
      mention.text = replaceEmojiCodes(forumHtmlToText(cooked ?? '', () => warnings.push(deepHtmlWarning('discourse', label))));
      mention.fromBrand = isBrandPost(post, handles, brand);
      const userId = idString(post, 'user_id');
      const username = str(post, 'username');
      const name = str(post, 'name');
      if (userId !== undefined) mention.author.id = userId;
      if (username !== undefined) mention.author.handle = username;
      else warnings.push(`discourse: field "username" unreadable on ${label}.`);
      if (name) mention.author.name = name;
      const likes = likeCount(post);
      if (likes !== undefined) mention.engagement.likes = likes;
      const replies = num(post, 'reply_count');
      if (replies !== undefined) mention.engagement.replies = replies;
      const score = num(post, 'score');
      if (score !== undefined) mention.engagement.score = score;
    }
    mentions.push(mention);
  }
  return { mentions, warnings, removed, actions };
}

/** Convenience: `/t/{id}.json` body → mentions (when the topic has no posts beyond the first chunk). */
export function parseTopic(body: string, opts: { baseUrl: string; query: SourceQuery }): DiscourseTopicResult {
  return topicMentions(readTopic(body), opts);
}

/**
 * A failure the HTTP client threw, in Discourse's terms: its error answer (`{"errors":[…],"error_type":…}`) says
 * why, the key decides the advice. Failures without a forum answer (network, timeouts) pass unchanged.
 */
export function discourseError(error: SourceError, hasKey: boolean): SourceError {
  if (error.status === undefined) return error;
  const status = error.status;
  const body = error.body ?? '';
  let detail = '';
  let type = '';
  let wait: number | undefined;
  try {
    const data = JSON.parse(body) as unknown;
    if (isObject(data)) {
      type = str(data, 'error_type') ?? '';
      const errors = data['errors'];
      if (Array.isArray(errors)) detail = errors.filter((e): e is string => typeof e === 'string').join(' ');
      const extras = data['extras'];
      if (isObject(extras)) wait = num(extras, 'wait_seconds');
    }
  } catch {
    // An HTML error page: classify by status.
  }
  const opts = rewordOptions(error, SOURCE);
  const said = detail ? ` (${remoteText(detail)})` : '';
  if (status === 429 || type === 'rate_limit') {
    // A body-level wait gets the Retry-After cap and wording (docs/http.md): never promised beyond what earshot waits.
    const waitMs = wait !== undefined && wait > 0 ? wait * 1000 : undefined;
    const after =
      waitMs === undefined || error.message.includes('earshot waits') ? '' : waitMs > DEFAULT_RETRY.maxRetryAfterMs ? `; ${waitTooLong(waitMs, DEFAULT_RETRY.maxRetryAfterMs)}` : `; retry after ${formatDuration(waitMs)}`;
    return createSourceError('rate-limited', `discourse: the forum rate-limited us${after}. ${error.message}`, { ...opts, retryable: true });
  }
  if (status === 401 || status === 403) {
    const hint = hasKey
      ? 'the API key in DISCOURSE_API_KEY cannot read it'
      : 'set DISCOURSE_API_KEY and DISCOURSE_API_USERNAME if the forum requires login';
    return createSourceError('auth-required', `discourse: access refused (${status})${said}; ${hint}.`, opts);
  }
  if (status === 404 || status === 410 || type === 'not_found') {
    return createSourceError('not-found', `discourse: not found (${status})${said}.`, opts);
  }
  if (!said) return error;
  return createSourceError(error.code, `discourse: unexpected HTTP ${status}${said}.`, { ...opts, retryable: error.retryable });
}
