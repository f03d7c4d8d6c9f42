/** Pure parsers for Mastodon REST responses (Status arrays, search, context, account): raw body text → Mentions. */
import { load } from '../shared/cheerio.js';
import { boundHtmlDepth } from '../shared/html-depth.js';
import { deepHtmlWarning, type OnDeepHtml } from '../shared/html-text.js';
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult } from '../types.js';
import { finiteNumber, isObject as isRecord, nonEmptyString, parseServiceJson } from '../shared/json-fields.js';
import { normaliseHandle } from '../shared/handles.js';
import { hostOf } from '../shared/url.js';

/** Source id used in mention ids and errors. */
export const MASTODON_ID = 'mastodon';

/** Who counts as the brand on Mastodon. */
export interface MastodonBrand {
  brand: string;
  /** Profile URLs of brand accounts (normalised with `normaliseAccountUrl`). */
  accountUrls: readonly string[];
  /** Handles: `user@host` match exactly; a bare `user` matches only accounts local to the queried instance. */
  handles: readonly string[];
  /** Host of the instance being queried, used to complete local `acct` values (`user` → `user@host`). */
  instanceHost: string;
}

/** Parse output plus a debug count of items left out (boosts, unreadable entries). */
export interface MastodonParseResult extends ParseResult {
  dropped: number;
}

/** Context parse output: the thread root's mention id as well. */
export interface MastodonContextResult extends MastodonParseResult {
  /** Mention id of the thread root (first ancestor, or the anchor itself). */
  rootId: string;
}

/** Lower-cases a profile URL's scheme/host and drops a trailing slash so URLs compare equal. */
export function normaliseAccountUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

/** `https://host/@user` → `user@host`; undefined when the URL is not a profile URL. */
export function acctFromProfileUrl(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    const m = /^\/@([^/@]+)\/?$/.exec(u.pathname) ?? /^\/users\/([^/]+)\/?$/.exec(u.pathname);
    return m?.[1] ? `${m[1]}@${u.host}`.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** Mastodon ids are snowflakes: milliseconds since the epoch shifted left 16 bits; returns that time (ISO). */
export function snowflakeToIso(id: string): string | undefined {
  if (!/^\d{6,20}$/.test(id)) return undefined;
  const ms = Number(BigInt(id) >> 16n);
  const d = new Date(ms);
  return ms > 0 && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
}

/** The smallest snowflake id at a time: used as `max_id` to start a timeline at `until`. */
export function isoToSnowflake(date: Date): string {
  return (BigInt(date.getTime()) << 16n).toString();
}

/** Reads `max_id` from the `rel="next"` entry of a Link header; undefined when there is no next page. */
export function nextMaxId(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (!m?.[1]) continue;
    try {
      return new URL(m[1]).searchParams.get('max_id') ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Reduces status HTML to plain text: paragraphs become blank-line separated, `<br>` a newline, entities decoded.
 * HTML nested deeper than MAX_HTML_DEPTH is flattened first (its parse costs depth × tags, and reading the text of
 * a deep tree recursed as deep) and `onDeep` is called.
 */
export function statusHtmlToText(html: string, onDeep?: OnDeepHtml): string {
  const bounded = boundHtmlDepth(html);
  if (bounded.flattened) onDeep?.();
  const $ = load(bounded.html, null, false);
  $('br').replaceWith('\n');
  const paragraphs = $('p');
  const text = paragraphs.length > 0 ? paragraphs.toArray().map((p) => $(p).text()) : [$.root().text()];
  return text
    .map((t) => t.replace(/[ \t]+\n/g, '\n').trim())
    .filter((t) => t !== '')
    .join('\n\n');
}

/** Parses JSON or throws `bad-response` naming what was expected (HTML error pages land here). */
const parseJson = (body: string, expected: string): unknown => parseServiceJson(body, 'Mastodon', MASTODON_ID, expected);

function badShape(expected: string): SourceError {
  return new SourceError('bad-response', `Mastodon returned JSON without ${expected}; the API layout may have changed or this is not a Mastodon server.`, {
    sourceId: MASTODON_ID,
  });
}

/** Mention id for a status id (ids are those of the instance queried). */
export function mentionIdForStatus(id: string): string {
  return `${MASTODON_ID}:${id}`;
}

/** True when a Status account is the brand's (profile URL, or handle as described on `MastodonBrand`). */
function accountIsBrand(account: unknown, brand: MastodonBrand): boolean {
  if (!isRecord(account)) return false;
  const url = nonEmptyString(account['url']);
  const uri = nonEmptyString(account['uri']);
  const urls = new Set(brand.accountUrls.map(normaliseAccountUrl));
  if ((url && urls.has(normaliseAccountUrl(url))) || (uri && urls.has(normaliseAccountUrl(uri)))) return true;
  const acct = nonEmptyString(account['acct'])?.toLowerCase();
  if (!acct) return false;
  const full = fullAcct(account, brand.instanceHost);
  for (const h of brand.handles.map(normaliseHandle)) {
    if (h.includes('@') ? h === full : !acct.includes('@') && h === acct) return true;
  }
  return false;
}

/** `user@host` for an account: remote accts already carry the host; local ones take it from their profile URL. */
function fullAcct(account: Record<string, unknown>, instanceHost: string): string | undefined {
  const acct = nonEmptyString(account['acct'])?.toLowerCase();
  if (!acct) return undefined;
  if (acct.includes('@')) return acct;
  return `${acct}@${hostOf(nonEmptyString(account['url']))?.toLowerCase() ?? instanceHost.toLowerCase()}`;
}

/** Turns one Status into a Mention; unreadable fields become undefined with a warning naming the field and status. */
export function statusToMention(status: unknown, brand: MastodonBrand, warnings: string[]): Mention | undefined {
  if (!isRecord(status)) {
    warnings.push('mastodon: skipped a status entry that is not an object.');
    return undefined;
  }
  const nativeId = nonEmptyString(status['id']);
  if (!nativeId) {
    warnings.push('mastodon: skipped a status without an "id" field.');
    return undefined;
  }
  const account = isRecord(status['account']) ? status['account'] : undefined;
  if (!account) warnings.push(`mastodon: status ${nativeId} has no readable "account".`);
  let createdAt: string | undefined;
  const rawCreated = status['created_at'];
  if (typeof rawCreated === 'string' && !Number.isNaN(Date.parse(rawCreated))) createdAt = new Date(rawCreated).toISOString();
  if (!createdAt) {
    createdAt = snowflakeToIso(nativeId);
    if (!createdAt) {
      warnings.push(`mastodon: skipped status ${nativeId}: no readable "created_at".`);
      return undefined;
    }
    warnings.push(`mastodon: status ${nativeId} has no readable "created_at"; used the time in its id.`);
  }
  let text = '';
  if (typeof status['content'] !== 'string') warnings.push(`mastodon: status ${nativeId} has no readable "content".`);
  else text = statusHtmlToText(status['content'], () => warnings.push(deepHtmlWarning('mastodon', `status ${nativeId}`)));
  const inReplyTo = nonEmptyString(status['in_reply_to_id']);
  const spoiler = nonEmptyString(status['spoiler_text']);
  const lang = nonEmptyString(status['language'])?.split('-')[0]?.toLowerCase();
  const handle = account ? fullAcct(account, brand.instanceHost) : undefined;
  const authorId = account ? nonEmptyString(account['id']) : undefined;
  const name = account ? nonEmptyString(account['display_name']) : undefined;
  const followers = account ? finiteNumber(account['followers_count']) : undefined;
  const mention: Mention = {
    id: mentionIdForStatus(nativeId),
    source: MASTODON_ID,
    kind: inReplyTo ? 'comment' : 'post',
    author: { ...(authorId ? { id: authorId } : {}), ...(handle ? { handle } : {}), ...(name ? { name } : {}) },
    fromBrand: accountIsBrand(account, brand),
    brand: brand.brand,
    text,
    createdAt,
    engagement: {
      ...(finiteNumber(status['favourites_count']) !== undefined ? { likes: finiteNumber(status['favourites_count']) } : {}),
      ...(finiteNumber(status['replies_count']) !== undefined ? { replies: finiteNumber(status['replies_count']) } : {}),
      ...(followers !== undefined ? { followers } : {}),
    },
  };
  const url = nonEmptyString(status['url']) ?? nonEmptyString(status['uri']);
  if (url) mention.url = url;
  // A content warning is the author's own one-line summary of the post.
  if (spoiler) mention.title = spoiler;
  if (inReplyTo) mention.parentId = mentionIdForStatus(inReplyTo);
  else mention.threadId = mention.id;
  if (lang && /^[a-z]{2}$/.test(lang)) mention.language = lang;
  return mention;
}

/** Reads an array of Statuses (tag timeline, account statuses); boosts are unwrapped to the boosted status. */
function statusesToMentions(items: unknown[], brand: MastodonBrand): MastodonParseResult {
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  let dropped = 0;
  for (const item of items) {
    // A boost wraps someone else's status; the inner status is what was said.
    const status = isRecord(item) && isRecord(item['reblog']) ? item['reblog'] : item;
    if (status !== item) dropped++;
    const m = statusToMention(status, brand, warnings);
    if (m) mentions.push(m);
  }
  return { mentions, warnings, dropped };
}

/** Parses a JSON array of Statuses (`/api/v1/timelines/tag/:tag`, `/api/v1/accounts/:id/statuses`). */
export function parseStatuses(body: string, brand: MastodonBrand): MastodonParseResult {
  const data = parseJson(body, 'a list of statuses');
  if (!Array.isArray(data)) throw badShape('a list of statuses (a JSON array)');
  return statusesToMentions(data, brand);
}

/** Parses `/api/v2/search?type=statuses`: `{accounts, statuses, hashtags}`. */
export function parseSearch(body: string, brand: MastodonBrand): MastodonParseResult {
  const data = parseJson(body, 'a search result');
  if (!isRecord(data) || !Array.isArray(data['statuses'])) throw badShape('a "statuses" array (search)');
  return statusesToMentions(data['statuses'] as unknown[], brand);
}

/**
 * Parses `/api/v1/statuses/:id/context` (`{ancestors, descendants}`) around `anchor` (the status it was asked for) and
 * returns ancestors, anchor and descendants in thread order, all with the thread root as threadId. A brand reply whose
 * parent is missing (deleted, or hidden from us) gets a '[deleted]' placeholder parent timed from the parent's
 * snowflake id, so the reply stays linked to something measurable.
 */
export function parseContext(body: string, anchor: Mention, brand: MastodonBrand): MastodonContextResult {
  const data = parseJson(body, 'a status context');
  if (!isRecord(data) || !Array.isArray(data['ancestors']) || !Array.isArray(data['descendants'])) {
    throw badShape('"ancestors" and "descendants" arrays (status context)');
  }
  const ancestors = statusesToMentions(data['ancestors'] as unknown[], brand);
  const descendants = statusesToMentions(data['descendants'] as unknown[], brand);
  const all = [...ancestors.mentions, { ...anchor }, ...descendants.mentions];
  const known = new Set(all.map((m) => m.id));
  const placeholders: Mention[] = [];
  for (const m of all) {
    if (!m.fromBrand || !m.parentId || known.has(m.parentId)) continue;
    const p = placeholderFor(m.parentId, brand);
    if (p) {
      placeholders.push(p);
      known.add(p.id);
    }
  }
  const top = all[0] ?? anchor;
  const rootId = top.parentId && placeholders.some((p) => p.id === top.parentId) ? top.parentId : top.id;
  for (const m of all) m.threadId = rootId;
  for (const p of placeholders) {
    p.threadId = rootId;
    if (p.id === rootId) p.kind = 'post';
  }
  return {
    mentions: [...placeholders, ...all],
    warnings: [...ancestors.warnings, ...descendants.warnings],
    dropped: ancestors.dropped + descendants.dropped,
    rootId,
  };
}

/** A '[deleted]' stand-in for a missing status, timed from its snowflake id; undefined when the id carries no time. */
function placeholderFor(mentionId: string, brand: MastodonBrand): Mention | undefined {
  const nativeId = mentionId.slice(MASTODON_ID.length + 1);
  const createdAt = snowflakeToIso(nativeId);
  if (!createdAt) return undefined;
  return { id: mentionId, source: MASTODON_ID, kind: 'comment', author: {}, fromBrand: false, brand: brand.brand, text: '[deleted]', createdAt, engagement: {} };
}

/** Parses an Account (`/api/v1/accounts/lookup`): its id and profile URL. */
export function parseAccount(body: string): { id: string; acct: string; url?: string } {
  const data = parseJson(body, 'an account');
  const id = isRecord(data) ? nonEmptyString(data['id']) : undefined;
  if (!isRecord(data) || !id) throw badShape('an account "id" (accounts/lookup)');
  const url = nonEmptyString(data['url']);
  return { id, acct: nonEmptyString(data['acct']) ?? '', ...(url ? { url } : {}) };
}
