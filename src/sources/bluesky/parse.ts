/** Pure parsers for Bluesky (AT Protocol AppView) XRPC responses: raw body text → Mentions. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { finiteNumber, isObject as isRecord, nonEmptyString, parseServiceJson } from '../shared/json-fields.js';
import { normaliseHandle } from '../shared/handles.js';

/** Source id used in mention ids and errors. */
export const BLUESKY_ID = 'bluesky';

/** Web host for human-readable permalinks only; never requested by earshot. */
const WEB_PERMALINK_BASE = 'https://bsky.app';

/** Who counts as the brand on Bluesky: DIDs (stable) plus handles (from the query and resolved actors). */
export interface BlueskyBrand {
  brand: string;
  /** Brand DIDs, e.g. did:plc:acmecloud7x2k4q. */
  dids: readonly string[];
  /** Brand handles without a leading @, compared case-insensitively. */
  handles: readonly string[];
}

/** Parse output plus what the fetch part needs to continue: a paging cursor and a debug count of dropped items. */
export interface BlueskyParseResult extends ParseResult {
  cursor?: string;
  /** Deleted/blocked items left out (logged at debug level by the fetch part, not warned about). */
  dropped: number;
}

/** A session from com.atproto.server.createSession; the tokens are secrets and must never be logged. */
export interface BlueskySession {
  did: string;
  handle: string;
  accessJwt: string;
}

/** Builds the brand identity from a query plus extra DIDs/handles the fetch part resolved. */
export function brandFromQuery(query: SourceQuery, extraDids: readonly string[] = [], extraHandles: readonly string[] = []): BlueskyBrand {
  return {
    brand: query.brand,
    dids: [...extraDids],
    handles: [...query.brandHandles, ...extraHandles].map(normaliseHandle),
  };
}

// Base32-sortable alphabet of AT Protocol TIDs (record keys of posts).
const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

/** Decodes a TID record key to its creation time (ISO), or undefined when the key is not a TID. */
export function tidToIso(rkey: string): string | undefined {
  if (!/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/.test(rkey)) return undefined;
  let value = 0n;
  for (const ch of rkey) value = (value << 5n) | BigInt(TID_ALPHABET.indexOf(ch));
  const micros = value >> 10n;
  const date = new Date(Number(micros / 1000n));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Encodes a time (and a 10-bit clock id) as a TID record key; used to build consistent fixtures and tests. */
export function isoToTid(iso: string, clockId = 0): string {
  const micros = BigInt(new Date(iso).getTime()) * 1000n;
  let value = (micros << 10n) | BigInt(clockId & 0x3ff);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = TID_ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** The parts of an at:// post URI. */
interface AtUri {
  /** DID or handle. */
  repo: string;
  collection: string;
  rkey: string;
}

/** Splits `at://<repo>/<collection>/<rkey>`; undefined when it is not one. */
function parseAtUri(uri: string): AtUri | undefined {
  const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/?#]+)$/.exec(uri);
  if (!m || !m[1] || !m[2] || !m[3]) return undefined;
  return { repo: m[1], collection: m[2], rkey: m[3] };
}

/** Reads a user-given post reference (bsky.app web URL or at:// URI) into repo (handle or DID) + rkey. */
export function parsePostRef(ref: string): { repo: string; rkey: string } | undefined {
  const trimmed = ref.trim();
  const at = parseAtUri(trimmed);
  if (at) return at.collection === 'app.bsky.feed.post' ? { repo: at.repo, rkey: at.rkey } : undefined;
  const m = /^https?:\/\/[^/]+\/profile\/([^/]+)\/post\/([^/?#]+)\/?(?:[?#].*)?$/.exec(trimmed);
  if (!m || !m[1] || !m[2]) return undefined;
  return { repo: decodeURIComponent(m[1]), rkey: m[2] };
}

/** Mention id for a post URI. */
function mentionIdForUri(uri: string): string {
  return `${BLUESKY_ID}:${uri}`;
}

function isoOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Parses JSON or throws `bad-response` naming what was expected (HTML error pages land here). */
const parseJson = (body: string, expected: string): unknown => parseServiceJson(body, 'Bluesky', BLUESKY_ID, expected);

function badShape(expected: string): SourceError {
  return new SourceError('bad-response', `Bluesky returned JSON without ${expected}; the API layout may have changed.`, {
    sourceId: BLUESKY_ID,
  });
}

/** Turns one postView into a Mention; unreadable fields become undefined with a warning naming the field and post. */
function postViewToMention(post: unknown, brand: BlueskyBrand, warnings: string[]): Mention | undefined {
  if (!isRecord(post)) {
    warnings.push('bluesky: skipped a post entry that is not an object.');
    return undefined;
  }
  const uri = nonEmptyString(post['uri']);
  if (!uri) {
    warnings.push('bluesky: skipped a post without a "uri" field.');
    return undefined;
  }
  const id = mentionIdForUri(uri);
  const at = parseAtUri(uri);
  const author = isRecord(post['author']) ? post['author'] : undefined;
  if (!author) warnings.push(`bluesky: post ${uri} has no readable "author".`);
  const did = nonEmptyString(author?.['did']) ?? at?.repo;
  const handle = nonEmptyString(author?.['handle']);
  const name = nonEmptyString(author?.['displayName']);
  const record = isRecord(post['record']) ? post['record'] : undefined;
  let text = '';
  if (!record) warnings.push(`bluesky: post ${uri} has no readable "record".`);
  else if (typeof record['text'] !== 'string') warnings.push(`bluesky: post ${uri} has no readable "record.text".`);
  else text = record['text'];

  // Bluesky sorts and filters by sortAt = min(createdAt, indexedAt): record.createdAt is set by the client
  // (can run ahead), indexedAt by the server. Use the same rule so time windows agree with the server.
  const created = isoOrUndefined(record?.['createdAt']);
  const indexed = isoOrUndefined(post['indexedAt']);
  let createdAt: string | undefined;
  if (created && indexed) createdAt = created < indexed ? created : indexed;
  else createdAt = created ?? indexed;
  if (!createdAt) {
    createdAt = at ? tidToIso(at.rkey) : undefined;
    if (!createdAt) {
      warnings.push(`bluesky: skipped post ${uri}: no readable "record.createdAt", "indexedAt" or record-key time.`);
      return undefined;
    }
    warnings.push(`bluesky: post ${uri} has no readable "record.createdAt" or "indexedAt"; used the time in its record key.`);
  }

  const reply = isRecord(record?.['reply']) ? (record['reply'] as Record<string, unknown>) : undefined;
  const parentUri = reply && isRecord(reply['parent']) ? nonEmptyString(reply['parent']['uri']) : undefined;
  const rootUri = reply && isRecord(reply['root']) ? nonEmptyString(reply['root']['uri']) : undefined;
  if (reply && (!parentUri || !rootUri)) warnings.push(`bluesky: post ${uri} has an unreadable "record.reply" parent/root.`);

  const langs = Array.isArray(record?.['langs']) ? (record['langs'] as unknown[]) : [];
  const lang = typeof langs[0] === 'string' ? langs[0].split('-')[0]?.toLowerCase() : undefined;

  const brandDids = new Set(brand.dids);
  const brandHandles = new Set(brand.handles.map(normaliseHandle));
  const fromBrand = (did !== undefined && brandDids.has(did)) || (handle !== undefined && brandHandles.has(normaliseHandle(handle)));

  const mention: Mention = {
    id,
    source: BLUESKY_ID,
    kind: reply ? 'comment' : 'post',
    author: { ...(did ? { id: did } : {}), ...(handle ? { handle } : {}), ...(name ? { name } : {}) },
    fromBrand,
    brand: brand.brand,
    text,
    createdAt,
    engagement: {
      ...(finiteNumber(post['likeCount']) !== undefined ? { likes: finiteNumber(post['likeCount']) } : {}),
      ...(finiteNumber(post['replyCount']) !== undefined ? { replies: finiteNumber(post['replyCount']) } : {}),
    },
  };
  if (at) mention.url = `${WEB_PERMALINK_BASE}/profile/${handle ?? at.repo}/post/${at.rkey}`;
  if (parentUri) mention.parentId = mentionIdForUri(parentUri);
  mention.threadId = mentionIdForUri(rootUri ?? uri);
  if (lang && /^[a-z]{2}$/.test(lang)) mention.language = lang;
  return mention;
}

/** Parses an `app.bsky.feed.searchPosts` body: `{posts: postView[], cursor?, hitsTotal?}`. */
export function parseSearchPosts(body: string, brand: BlueskyBrand): BlueskyParseResult {
  const data = parseJson(body, 'a searchPosts result');
  if (!isRecord(data) || !Array.isArray(data['posts'])) throw badShape('a "posts" array (searchPosts)');
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  for (const post of data['posts'] as unknown[]) {
    const m = postViewToMention(post, brand, warnings);
    if (m) mentions.push(m);
  }
  const cursor = nonEmptyString(data['cursor']);
  return { mentions, warnings, dropped: 0, ...(cursor ? { cursor } : {}) };
}

/** Parses an `app.bsky.feed.getAuthorFeed` body: `{feed: [{post, reply?, reason?}], cursor?}`; reposts are left out. */
export function parseAuthorFeed(body: string, brand: BlueskyBrand): BlueskyParseResult {
  const data = parseJson(body, 'a getAuthorFeed result');
  if (!isRecord(data) || !Array.isArray(data['feed'])) throw badShape('a "feed" array (getAuthorFeed)');
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  let dropped = 0;
  for (const item of data['feed'] as unknown[]) {
    if (!isRecord(item)) {
      warnings.push('bluesky: skipped a feed item that is not an object.');
      continue;
    }
    // A repost is someone else's post shown in the brand's feed: not a brand post, and its own thread is not ours.
    if (isRecord(item['reason'])) {
      dropped++;
      continue;
    }
    const m = postViewToMention(item['post'], brand, warnings);
    if (m) mentions.push(m);
  }
  const cursor = nonEmptyString(data['cursor']);
  return { mentions, warnings, dropped, ...(cursor ? { cursor } : {}) };
}

// A thread node after the parent chain has been folded into one tree.
interface ThreadNode {
  type: 'post' | 'notFound' | 'blocked' | 'unknown';
  uri?: string;
  post?: unknown;
  children: ThreadNode[];
}

function toNode(raw: unknown, warnings: string[], depth = 0): ThreadNode {
  if (!isRecord(raw) || depth > 1000) return { type: 'unknown', children: [] };
  const type = nonEmptyString(raw['$type']);
  const uri = nonEmptyString(raw['uri']);
  if (type === 'app.bsky.feed.defs#notFoundPost' || raw['notFound'] === true) return { type: 'notFound', ...(uri ? { uri } : {}), children: [] };
  if (type === 'app.bsky.feed.defs#blockedPost' || raw['blocked'] === true) return { type: 'blocked', ...(uri ? { uri } : {}), children: [] };
  if (!isRecord(raw['post'])) {
    warnings.push(`bluesky: skipped a thread entry of type ${type ?? '(none)'} without a "post".`);
    return { type: 'unknown', children: [] };
  }
  const postUri = nonEmptyString(raw['post']['uri']);
  const replies = Array.isArray(raw['replies']) ? (raw['replies'] as unknown[]) : [];
  return {
    type: 'post',
    ...(postUri ? { uri: postUri } : {}),
    post: raw['post'],
    children: replies.map((r) => toNode(r, warnings, depth + 1)),
  };
}

function authorIsBrand(post: unknown, brand: BlueskyBrand): boolean {
  if (!isRecord(post) || !isRecord(post['author'])) return false;
  const did = nonEmptyString(post['author']['did']);
  const handle = nonEmptyString(post['author']['handle']);
  return (did !== undefined && brand.dids.includes(did)) || (handle !== undefined && brand.handles.includes(normaliseHandle(handle)));
}

function hasBrandBelow(node: ThreadNode, brand: BlueskyBrand): boolean {
  return node.children.some((c) => (c.type === 'post' && authorIsBrand(c.post, brand)) || hasBrandBelow(c, brand));
}

/**
 * Parses an `app.bsky.feed.getPostThread` body: `{thread: threadViewPost | notFoundPost | blockedPost}` with `parent`
 * chains and nested `replies`. Every visible post becomes a mention; deleted/blocked posts are left out (counted in
 * `dropped`) unless a brand reply sits beneath them, in which case a '[deleted]' placeholder keeps the reply linked.
 */
export function parseThread(body: string, brand: BlueskyBrand): BlueskyParseResult {
  const data = parseJson(body, 'a getPostThread result');
  if (!isRecord(data) || !isRecord(data['thread'])) throw badShape('a "thread" object (getPostThread)');
  const warnings: string[] = [];

  // Fold the parent chain (anchor.parent.parent…) into a single tree rooted at the top-most ancestor.
  let top = toNode(data['thread'], warnings);
  let cursor: unknown = data['thread'];
  let guard = 0;
  while (isRecord(cursor) && isRecord(cursor['parent']) && guard++ < 1000) {
    const parentNode = toNode({ ...cursor['parent'], replies: [] }, warnings);
    parentNode.children = [top];
    top = parentNode;
    cursor = cursor['parent'];
  }

  const mentions: Mention[] = [];
  let dropped = 0;
  const walk = (node: ThreadNode, parentUri: string | undefined, rootUri: string | undefined): void => {
    if (node.type === 'post') {
      const m = postViewToMention(node.post, brand, warnings);
      if (m) mentions.push(m);
      for (const child of node.children) walk(child, node.uri, rootUri ?? node.uri);
      return;
    }
    if ((node.type === 'notFound' || node.type === 'blocked') && node.uri && hasBrandBelow(node, brand)) {
      mentions.push(placeholder(node, parentUri, rootUri, brand, warnings));
    } else {
      dropped++;
    }
    for (const child of node.children) walk(child, node.uri, rootUri ?? node.uri);
  };
  walk(top, undefined, undefined);
  return { mentions, warnings, dropped };
}

function placeholder(node: ThreadNode, parentUri: string | undefined, rootUri: string | undefined, brand: BlueskyBrand, warnings: string[]): Mention {
  const uri = node.uri ?? '';
  const at = parseAtUri(uri);
  // The record key of a post is a TID holding its creation time, so the gap to the brand reply stays measurable.
  let createdAt = at ? tidToIso(at.rkey) : undefined;
  if (!createdAt) {
    const firstChild = node.children.find((c) => c.type === 'post');
    createdAt = isoOrUndefined(isRecord(firstChild?.post) && isRecord(firstChild.post['record']) ? firstChild.post['record']['createdAt'] : undefined) ?? '';
    warnings.push(`bluesky: ${node.type === 'blocked' ? 'blocked' : 'deleted'} post ${uri} has no time in its record key; used its first reply's time.`);
  }
  const rootForThread = rootUri ?? uri;
  return {
    id: mentionIdForUri(uri),
    source: BLUESKY_ID,
    kind: parentUri ? 'comment' : 'post',
    author: at && at.repo.startsWith('did:') ? { id: at.repo } : {},
    fromBrand: false,
    brand: brand.brand,
    text: node.type === 'blocked' ? '[blocked]' : '[deleted]',
    createdAt,
    ...(parentUri ? { parentId: mentionIdForUri(parentUri) } : {}),
    threadId: mentionIdForUri(rootForThread),
    engagement: {},
  };
}

/** Parses a `com.atproto.server.createSession` body; throws `bad-response` when the tokens are missing. */
export function parseSession(body: string): BlueskySession {
  const data = parseJson(body, 'a createSession result');
  if (!isRecord(data)) throw badShape('a session object (createSession)');
  const accessJwt = nonEmptyString(data['accessJwt']);
  const did = nonEmptyString(data['did']);
  if (!accessJwt || !did) throw badShape('"accessJwt" and "did" (createSession)');
  return { did, handle: nonEmptyString(data['handle']) ?? '', accessJwt };
}

/** Parses a `com.atproto.identity.resolveHandle` body: `{did}`. */
export function parseResolveHandle(body: string): string {
  const data = parseJson(body, 'a resolveHandle result');
  const did = isRecord(data) ? nonEmptyString(data['did']) : undefined;
  if (!did) throw badShape('a "did" field (resolveHandle)');
  return did;
}
