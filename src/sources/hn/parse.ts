/** Pure parsers for the Algolia Hacker News Search API: search pages and item trees → mentions. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { deepHtmlWarning, htmlToText } from '../shared/html-text.js';
import { isObject, numberOrDigits, parseJsonOr, stringValue } from '../shared/json-fields.js';
import { isListedHandle } from '../shared/handles.js';

/** Source id stamped on every Hacker News mention. */
export const HN_SOURCE_ID = 'hn';

/** Public permalink of an HN item (a display link, not an API host: the base URL override does not apply). */
function hnPermalink(id: number | string): string {
  return `https://news.ycombinator.com/item?id=${id}`;
}

/** Mention id for an HN item id. */
export function hnMentionId(id: number | string): string {
  return `${HN_SOURCE_ID}:${id}`;
}

/** One parsed `search_by_date` page: mentions for the hits, the paging fields, and the threads to fetch. */
export interface HnSearchPage extends ParseResult {
  nbHits: number;
  nbPages: number;
  page: number;
  hitsPerPage: number;
  /** Hits in this page's `hits` array (readable or not). */
  hitCount: number;
  /** Story ids of the hits (a story hit's own id, a comment hit's `story_id`), deduplicated, in hit order. */
  storyIds: number[];
}

/** One parsed `items/<id>` tree. */
export interface HnItemTree extends ParseResult {
  /** The root item's id. */
  rootId: number;
  /** Deleted items left out (no brand reply beneath them); logged at debug level by the caller. */
  dropped: number;
}

type Json = Record<string, unknown>;

function parseJson(body: string, what: string, expected: string): unknown {
  return parseJsonOr(body, (looksHtml, cause) => {
    const got = looksHtml ? 'an HTML/XML page' : 'a body that is not JSON';
    return new SourceError('bad-response', `Hacker News ${what}: expected ${expected}, got ${got}.`, { cause, sourceId: HN_SOURCE_ID });
  });
}

/** ISO 8601 UTC from `created_at` (ISO string), falling back to `created_at_i` (epoch seconds). */
function createdAtOf(item: Json): string | undefined {
  const iso = stringValue(item['created_at']);
  if (iso !== undefined) {
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  const secs = numberOrDigits(item['created_at_i']);
  // An out-of-range epoch (Date's limit is ±8.64e15 ms) is as unreadable as a missing one, not a RangeError.
  const date = secs === undefined ? undefined : new Date(secs * 1000);
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Parses one `search_by_date`/`search` response body. */
export function parseHnSearch(body: string, query: SourceQuery): HnSearchPage {
  const expected = 'a JSON object with a "hits" array (Algolia search response)';
  const root = parseJson(body, 'search', expected);
  if (!isObject(root) || !Array.isArray(root['hits'])) {
    throw new SourceError('bad-response', `Hacker News search: expected ${expected}.`, { sourceId: HN_SOURCE_ID });
  }
  const hits = root['hits'] as unknown[];
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const storyIds: number[] = [];
  const seenStories = new Set<number>();

  const readPaging = (field: string, fallback: number): number => {
    const v = numberOrDigits(root[field]);
    if (v === undefined) {
      warnings.push(`hn: search response has no numeric "${field}"; assuming ${fallback}`);
      return fallback;
    }
    return v;
  };
  const hitsPerPage = readPaging('hitsPerPage', Math.max(hits.length, 1));
  const nbHits = readPaging('nbHits', hits.length);
  const nbPages = readPaging('nbPages', hits.length > 0 ? 1 : 0);
  const page = readPaging('page', 0);

  hits.forEach((hit, index) => {
    if (!isObject(hit)) {
      warnings.push(`hn: search hit #${index} is not an object; skipped`);
      return;
    }
    const objectId = numberOrDigits(hit['objectID']);
    if (objectId === undefined) {
      warnings.push(`hn: search hit #${index} has no objectID; skipped`);
      return;
    }
    const label = `search hit ${objectId}`;
    const tags = Array.isArray(hit['_tags']) ? (hit['_tags'] as unknown[]).filter((t) => typeof t === 'string') : [];
    const isComment = tags.includes('comment') || (!tags.includes('story') && typeof hit['comment_text'] === 'string');

    const createdAt = createdAtOf(hit);
    if (createdAt === undefined) {
      warnings.push(`hn: ${label} has no readable created_at/created_at_i; skipped`);
      return;
    }
    let storyId = numberOrDigits(hit['story_id']);
    if (storyId === undefined && !isComment) storyId = objectId;
    if (storyId === undefined) warnings.push(`hn: ${label} has no story_id; its thread cannot be fetched`);
    else if (!seenStories.has(storyId)) {
      seenStories.add(storyId);
      storyIds.push(storyId);
    }

    const author = stringValue(hit['author']);
    if (author === undefined) warnings.push(`hn: ${label} has no author`);
    const mention: Mention = {
      id: hnMentionId(objectId),
      source: HN_SOURCE_ID,
      kind: isComment ? 'comment' : 'post',
      url: hnPermalink(objectId),
      author: author === undefined ? {} : { handle: author },
      fromBrand: isListedHandle(author, query.brandHandles),
      brand: query.brand,
      text: htmlToText(stringValue(hit[isComment ? 'comment_text' : 'story_text']), () => warnings.push(deepHtmlWarning('hn', `${label} (${hnPermalink(objectId)})`))),
      createdAt,
      engagement: {},
    };
    if (storyId !== undefined) mention.threadId = hnMentionId(storyId);
    if (isComment) {
      const parent = numberOrDigits(hit['parent_id']);
      if (parent === undefined) warnings.push(`hn: ${label} has no parent_id`);
      else mention.parentId = hnMentionId(parent);
    } else {
      const title = stringValue(hit['title']);
      if (title === undefined) warnings.push(`hn: ${label} has no title`);
      else mention.title = title;
      const points = numberOrDigits(hit['points']);
      if (points !== undefined) mention.engagement.score = points;
      const comments = numberOrDigits(hit['num_comments']);
      if (comments !== undefined) mention.engagement.replies = comments;
    }
    mentions.push(mention);
  });

  return { mentions, warnings, nbHits, nbPages, page, hitsPerPage, hitCount: hits.length, storyIds };
}

/** Parses one `items/<id>` response: the root and its nested `children`, depth first, parents before replies. */
export function parseHnItem(body: string, query: SourceQuery): HnItemTree {
  const expected = 'a JSON item object with a numeric "id" and a "children" array (Algolia items response)';
  const root = parseJson(body, 'item', expected);
  if (!isObject(root) || numberOrDigits(root['id']) === undefined || !Array.isArray(root['children'])) {
    throw new SourceError('bad-response', `Hacker News item: expected ${expected}.`, { sourceId: HN_SOURCE_ID });
  }
  const rootId = numberOrDigits(root['id']) as number;
  const threadId = hnMentionId(numberOrDigits(root['story_id']) ?? rootId);
  const warnings: string[] = [];
  let dropped = 0;

  /**
   * The tree is walked with an explicit stack (a thread 3,000 replies deep overflowed the call stack when this
   * recursed) and each item's mention goes into the slot it was given on the way down, so the output stays in
   * tree order (parents before replies) without copying every subtree's list into its parent's.
   */
  interface Frame {
    node: Json;
    path: string;
    childNodes: unknown[];
    next: number;
    slot: number;
    brandBelow: boolean;
  }
  const slots: (Mention | undefined)[] = [];
  const enter = (node: unknown, path: string): Frame | undefined => {
    if (!isObject(node)) {
      warnings.push(`hn: item ${rootId}: child at ${path} is not an object; skipped`);
      return undefined;
    }
    slots.push(undefined);
    const childNodes = Array.isArray(node['children']) ? (node['children'] as unknown[]) : [];
    return { node, path, childNodes, next: 0, slot: slots.length - 1, brandBelow: false };
  };
  /** The item's own mention (once its replies are done) and whether it or a reply beneath it is the brand's. */
  const finish = ({ node, path, childNodes, brandBelow }: Frame): { mention?: Mention; hasBrand: boolean } => {
    const id = numberOrDigits(node['id']);
    const label = `item ${id ?? `at ${path} of ${rootId}`}`;
    if (id === undefined) {
      warnings.push(`hn: ${label} has no id; skipped (its replies kept)`);
      return { hasBrand: brandBelow };
    }
    const type = stringValue(node['type']);
    if (type === 'pollopt') return { hasBrand: brandBelow };
    const kind = type === 'comment' || (type === undefined && id !== rootId) ? 'comment' : 'post';
    const author = stringValue(node['author']);
    const rawText = stringValue(node['text']);
    // Algolia keeps deleted/removed items in the tree with author and text null.
    const deleted = author === undefined && (kind === 'comment' ? rawText === undefined : stringValue(node['title']) === undefined);
    if (deleted && !brandBelow) {
      dropped += 1;
      return { hasBrand: false };
    }
    const createdAt = createdAtOf(node);
    if (createdAt === undefined) {
      warnings.push(`hn: ${label} has no readable created_at/created_at_i; skipped (its replies kept)`);
      return { hasBrand: brandBelow };
    }
    const fromBrand = !deleted && isListedHandle(author, query.brandHandles);
    const mention: Mention = {
      id: hnMentionId(id),
      source: HN_SOURCE_ID,
      kind,
      url: hnPermalink(id),
      author: author === undefined ? {} : { handle: author },
      fromBrand,
      brand: query.brand,
      text: deleted ? '[deleted]' : htmlToText(rawText, () => warnings.push(deepHtmlWarning('hn', `${label} (${hnPermalink(id)})`))),
      createdAt,
      threadId,
      engagement: { replies: childNodes.length },
    };
    if (!deleted && author === undefined) warnings.push(`hn: ${label} has no author`);
    const parent = numberOrDigits(node['parent_id']);
    if (parent !== undefined) mention.parentId = hnMentionId(parent);
    else if (kind === 'comment') warnings.push(`hn: ${label} has no parent_id`);
    if (kind === 'post') {
      const title = stringValue(node['title']);
      if (title !== undefined) mention.title = title;
      else if (!deleted) warnings.push(`hn: ${label} has no title`);
      const points = numberOrDigits(node['points']);
      if (points !== undefined) mention.engagement.score = points;
    }
    return { mention, hasBrand: fromBrand || brandBelow };
  };

  const stack: Frame[] = [];
  const first = enter(root, 'root');
  if (first !== undefined) stack.push(first);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next < frame.childNodes.length) {
      const i = frame.next;
      frame.next += 1;
      const child = enter(frame.childNodes[i], `${frame.path}.${i}`);
      if (child !== undefined) stack.push(child);
      continue;
    }
    stack.pop();
    const done = finish(frame);
    slots[frame.slot] = done.mention;
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.brandBelow ||= done.hasBrand;
  }
  const mentions = slots.filter((m): m is Mention => m !== undefined);
  return { mentions, warnings, rootId, dropped };
}
