/**
 * Pure parsing for Steam reviews: one `store.steampowered.com/appreviews/<appid>?json=1` page (`success`,
 * `query_summary`, `reviews[]`, `cursor`) into review mentions and the developer's replies. Review text is Steam's
 * BBCode-like markup with raw newlines; times are Unix seconds.
 */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import { companyReplyMention } from '../shared/reviews.js';
import { isObject, parseJsonBody, type JsonObject } from '../shared/json-fields.js';
import type { ParseResult, SourceQuery } from '../types.js';

/** The source id, as it appears in mention ids. */
export const STEAM_ID = 'steam';
/** Where a review is shown to people: the reviewer's profile page for the app. */
const STEAM_COMMUNITY_URL = 'https://steamcommunity.com';

/** One reviews page: its mentions, the cursor for the next page, and what the page said about itself. */
export interface SteamPage extends ParseResult {
  /** The cursor the page hands back (Steam repeats the cursor it was given on the last page). */
  cursor?: string;
  /** Reviews on the page, readable or not. */
  reviewCount: number;
  /** The oldest review's creation time on the page (reviews come newest first with filter=recent). */
  oldest?: string;
  /** `query_summary.total_reviews` (first page only). */
  totalReviews?: number;
}

const text = (o: JsonObject, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
const num = (o: JsonObject, key: string): number | undefined => (typeof o[key] === 'number' && Number.isFinite(o[key]) ? (o[key] as number) : undefined);

/** Unix seconds → ISO time; undefined for 0, negatives or non-numbers (Steam writes 0 for "never"). */
function unixTime(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 8.64e12) return undefined;
  return new Date(Math.round(v * 1000)).toISOString();
}

// Steam's review markup: [b], [i], [u], [strike], [spoiler], [h1]–[h3], [list], [olist], [*], [quote=…], [code],
// [noparse], [hr], [table]…, [url=…]label[/url]. Tags go, their words stay; a block or list item starts a line.
const BLOCK_TAG = /\[\/?(?:h[1-6]|list|olist|\*|quote(?:=[^\]]*)?|code|hr|table|tr)\]/gi;
const INLINE_TAG = /\[\/?(?:b|i|u|strike|spoiler|noparse|th|td|img)\]/gi;
const URL_TAG = /\[url=([^\]]*)\]([\s\S]*?)\[\/url\]/gi;

/** Review markup as plain text: tags removed, `[url=x]label[/url]` as its label, lines kept, runs of blank lines cut. */
export function steamText(markup: string): string {
  return markup
    .replace(/\r\n?/g, '\n')
    .replace(URL_TAG, (_m, href: string, label: string) => (label.trim() !== '' ? label : href))
    .replace(BLOCK_TAG, '\n')
    .replace(INLINE_TAG, '')
    .replace(/[ \t]+\n|\n[ \t]+/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Steam names languages in its own words (its API language codes); mentions carry ISO 639-1.
const LANGUAGES: Readonly<Record<string, string>> = {
  english: 'en', german: 'de', french: 'fr', spanish: 'es', latam: 'es', italian: 'it', portuguese: 'pt', brazilian: 'pt', russian: 'ru',
  polish: 'pl', dutch: 'nl', swedish: 'sv', danish: 'da', norwegian: 'no', finnish: 'fi', czech: 'cs', hungarian: 'hu', romanian: 'ro',
  turkish: 'tr', greek: 'el', ukrainian: 'uk', bulgarian: 'bg', thai: 'th', vietnamese: 'vi', japanese: 'ja', koreana: 'ko',
  schinese: 'zh', tchinese: 'zh', indonesian: 'id', arabic: 'ar',
};

/** Parses a reviews page; a body that is not one throws `bad-response` saying what was expected. */
export function parseSteamReviews(body: string, query: SourceQuery, options: { appId: string; communityUrl?: string }): SteamPage {
  const data = parseJsonBody(body, STEAM_ID, 'a reviews page ({"success": 1, "reviews": [...], "cursor": "…"})');
  if (!isObject(data)) throw new SourceError('bad-response', `${STEAM_ID}: expected a reviews page (a JSON object with "reviews").`, { sourceId: STEAM_ID });
  // Steam answers an unknown or private app with success 2 (or 0) and no reviews: that is not a quiet period.
  if ('success' in data && data['success'] !== 1) {
    throw new SourceError('bad-response', `${STEAM_ID}: expected "success": 1 for app ${options.appId}, found ${JSON.stringify(data['success'])}; check option appId.`, { sourceId: STEAM_ID });
  }
  const list = data['reviews'];
  if (!Array.isArray(list)) throw new SourceError('bad-response', `${STEAM_ID}: expected a "reviews" list in the answer for app ${options.appId}.`, { sourceId: STEAM_ID });
  const reviews = list as unknown[];
  const site = (options.communityUrl ?? STEAM_COMMUNITY_URL).replace(/\/+$/, '');
  const mentions: Mention[] = [];
  const warnings: string[] = [];
  let oldest: string | undefined;
  reviews.forEach((raw, i) => {
    const nativeId = isObject(raw) ? (text(raw, 'recommendationid') ?? (num(raw, 'recommendationid') !== undefined ? String(raw['recommendationid']) : undefined)) : undefined;
    if (!isObject(raw) || nativeId === undefined) {
      warnings.push(`${STEAM_ID}: review ${i + 1} on the page has no recommendationid; skipped.`);
      return;
    }
    const createdAt = unixTime(raw['timestamp_created']) ?? unixTime(raw['timestamp_updated']);
    if (createdAt === undefined) {
      warnings.push(`${STEAM_ID}: review ${nativeId} has no readable timestamp_created; skipped.`);
      return;
    }
    if (oldest === undefined || createdAt < oldest) oldest = createdAt;
    const author = isObject(raw['author']) ? raw['author'] : {};
    const steamid = text(author, 'steamid');
    const id = `${STEAM_ID}:${nativeId}`;
    const reply = typeof raw['developer_response'] === 'string' && raw['developer_response'].trim() !== '' ? raw['developer_response'] : undefined;
    const repliedAt = unixTime(raw['timestamp_dev_responded']);
    const review: Mention = {
      id,
      source: STEAM_ID,
      kind: 'review',
      url: steamid !== undefined ? `${site}/profiles/${encodeURIComponent(steamid)}/recommended/${encodeURIComponent(options.appId)}/` : `${site}/app/${encodeURIComponent(options.appId)}/reviews/`,
      author: steamid !== undefined ? { id: steamid } : {},
      // Only reviewers write reviews; the developer answers in developer_response.
      fromBrand: false,
      brand: query.brand,
      text: steamText(text(raw, 'review') ?? ''),
      createdAt,
      threadId: id,
      // A thumbs up or down is the reviewer's own verdict: read like a rating (docs/metrics.md "Ratings and titles").
      ...(typeof raw['voted_up'] === 'boolean' ? { rating: raw['voted_up'] ? 5 : 1 } : {}),
      ...(LANGUAGES[text(raw, 'language') ?? ''] !== undefined ? { language: LANGUAGES[text(raw, 'language')!]! } : {}),
      engagement: {
        ...(num(raw, 'votes_up') !== undefined ? { likes: num(raw, 'votes_up')! } : {}),
        ...(num(raw, 'comment_count') !== undefined ? { replies: num(raw, 'comment_count')! } : {}),
      },
    };
    mentions.push(review);
    if (reply !== undefined) {
      if (repliedAt === undefined) warnings.push(`${STEAM_ID}: the developer response to review ${nativeId} has no readable timestamp_dev_responded; response ignored.`);
      else mentions.push(companyReplyMention(review, { author: { name: query.brand }, text: steamText(reply), createdAt: repliedAt }));
    }
  });
  const summary = isObject(data['query_summary']) ? data['query_summary'] : {};
  const cursor = text(data, 'cursor');
  const total = num(summary, 'total_reviews');
  return {
    mentions,
    warnings,
    reviewCount: reviews.length,
    ...(cursor !== undefined && cursor !== '' ? { cursor } : {}),
    ...(oldest !== undefined ? { oldest } : {}),
    ...(total !== undefined ? { totalReviews: total } : {}),
  };
}
