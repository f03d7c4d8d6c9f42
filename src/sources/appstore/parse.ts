/**
 * Pure parser for the Apple App Store customer-reviews feed
 * (`/<cc>/rss/customerreviews/page=N/id=<appId>/sortby=mostrecent/json`): every scalar sits in a `{label}` wrapper.
 */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { normaliseWhitespace } from '../shared/html-text.js';
import { isObject, parseJsonBody, toIsoUtc, type JsonObject } from '../shared/json-fields.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';

const SOURCE = 'appstore';
/** Public store site for review permalinks (display only; requests use the base URL in force). */
const APP_STORE_SITE = 'https://apps.apple.com';

/** One feed page reduced to mentions plus what paging needs. */
export interface AppStorePage extends ParseResult {
  /** Review entries on the page (the app's own entry, which older feeds put first, not counted). */
  entryCount: number;
  /** Oldest review time on the page (ISO), to stop paging a newest-first feed at `since`. */
  oldest?: string;
  /** Page number of the feed's `rel="last"` link, when present. */
  lastPage?: number;
}

/** Where the page came from: the app and storefront (country) it lists. */
export interface AppStoreParseOptions {
  appId: string;
  country: string;
}

/** `{label: "x"}` → "x" (the feed wraps every value this way); undefined when absent. */
function label(entry: JsonObject, key: string): string | undefined {
  const value = entry[key];
  if (isObject(value) && typeof value['label'] === 'string') return value['label'];
  return undefined;
}

/** Parses one page of the JSON feed. Throws `bad-response` when the body is not the feed at all. */
export function parseAppStoreFeed(body: string, query: SourceQuery, options: AppStoreParseOptions): AppStorePage {
  const data = parseJsonBody(body, SOURCE, 'the customer-reviews JSON feed ({"feed": {...}})');
  if (!isObject(data) || !isObject(data['feed'])) {
    throw new SourceError('bad-response', 'appstore: expected the customer-reviews JSON feed, an object with "feed", but got another shape.', {
      sourceId: SOURCE,
    });
  }
  const feed = data['feed'];
  const rawEntries = feed['entry'];
  // No reviews: "entry" is absent. One review: Apple's XML→JSON conversion emits an object, not a list.
  const entries: unknown[] = rawEntries === undefined ? [] : Array.isArray(rawEntries) ? rawEntries : [rawEntries];
  const handles = normaliseHandles(query.brandHandles);
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  let entryCount = 0;
  let oldest: string | undefined;

  entries.forEach((entry, index) => {
    if (!isObject(entry)) {
      warnings.push(`appstore: feed entry #${index + 1} (${options.country}) is not an object; skipped.`);
      return;
    }
    // Older feeds open with the app itself (im:name, im:price, no rating): not a review.
    if (entry['im:rating'] === undefined && entry['im:name'] !== undefined) return;
    entryCount += 1;
    const nativeId = label(entry, 'id');
    if (nativeId === undefined || nativeId === '') {
      warnings.push(`appstore: review entry #${index + 1} (${options.country}) has no "id.label"; skipped.`);
      return;
    }
    const createdAt = toIsoUtc(label(entry, 'updated'));
    if (createdAt === undefined) {
      warnings.push(`appstore: review ${nativeId} (${options.country}) has no readable "updated.label" date; skipped.`);
      return;
    }
    if (oldest === undefined || createdAt < oldest) oldest = createdAt;
    const id = `${SOURCE}:${nativeId}`;
    const author = isObject(entry['author']) ? entry['author'] : undefined;
    const authorName = author ? label(author, 'name') : undefined;
    const authorUri = author ? label(author, 'uri') : undefined;
    const authorId = authorUri ? /\/id(\d+)(?:[/?#]|$)/.exec(authorUri)?.[1] : undefined;
    if (authorName === undefined) warnings.push(`appstore: review ${nativeId} has no "author.name.label"; author unknown.`);

    const ratingText = label(entry, 'im:rating');
    const rating = ratingText !== undefined && /^[1-5]$/.test(ratingText.trim()) ? Number(ratingText) : undefined;
    if (rating === undefined) warnings.push(`appstore: review ${nativeId} has no readable "im:rating.label" (1-5).`);
    const content = label(entry, 'content');
    if (content === undefined) warnings.push(`appstore: review ${nativeId} has no "content.label"; text left empty.`);
    const title = label(entry, 'title');
    const voteSum = Number(label(entry, 'im:voteSum') ?? Number.NaN);

    const mention: Mention = {
      id,
      source: SOURCE,
      kind: 'review',
      url: `${APP_STORE_SITE}/${options.country}/app/id${options.appId}?see-all=reviews`,
      author: {},
      fromBrand: isBrandHandle(authorName, handles),
      brand: query.brand,
      text: normaliseWhitespace(content ?? ''),
      createdAt,
      threadId: id,
      engagement: {},
      // The public feed carries no developer responses, so whether a review was answered cannot be seen.
      replyObservable: false,
    };
    if (authorName !== undefined) mention.author.name = authorName;
    if (authorId !== undefined) mention.author.id = authorId;
    if (title !== undefined && title.trim() !== '') mention.title = normaliseWhitespace(title);
    if (rating !== undefined) mention.rating = rating;
    // im:voteSum counts "helpful" votes (im:voteCount counts all votes, helpful or not, so it is not a like count).
    if (Number.isFinite(voteSum)) mention.engagement.likes = voteSum;
    mentions.push(mention);
  });

  const page: AppStorePage = { mentions, warnings, entryCount };
  if (oldest !== undefined) page.oldest = oldest;
  const lastPage = relPage(feed, 'last');
  if (lastPage !== undefined) page.lastPage = lastPage;
  return page;
}

/** Page number in the feed-level link with the given rel (`.../page=10/id=...`). */
function relPage(feed: JsonObject, rel: string): number | undefined {
  const links = Array.isArray(feed['link']) ? feed['link'] : isObject(feed['link']) ? [feed['link']] : [];
  for (const link of links) {
    if (!isObject(link) || !isObject(link['attributes'])) continue;
    const attrs = link['attributes'];
    if (attrs['rel'] !== rel || typeof attrs['href'] !== 'string') continue;
    const n = /\/page=(\d+)\//.exec(attrs['href'])?.[1];
    if (n !== undefined) return Number(n);
  }
  return undefined;
}
