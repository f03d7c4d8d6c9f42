/**
 * Pure parser for the Apple App Store customer-reviews feed
 * (`/<cc>/rss/customerreviews/page=N/id=<appId>/sortby=mostrecent/json`): every scalar sits in a `{label}` wrapper.
 */
import * as cheerio from '../shared/cheerio.js';
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
  /** Review ids on the page that carry no readable `updated` date (the feed went years without one). */
  undated: string[];
}

/** Where the page came from: the app and storefront (country) it lists. */
export interface AppStoreParseOptions {
  appId: string;
  country: string;
  /** Dates by review id from the XML feed of the same page, which always carries `<updated>`. */
  dates?: ReadonlyMap<string, string>;
  /** The estimate (ISO) for a review no feed dates: the time it was read. Such reviews are marked dateEstimated. */
  estimate?: string;
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
  const page = reviewsPage(entries, query, options);
  const lastPage = relPage(feed, 'last');
  if (lastPage !== undefined) page.lastPage = lastPage;
  return page;
}

/** The feed's entries (JSON-feed shape: every scalar in a `{label}`) as review mentions. */
function reviewsPage(entries: readonly unknown[], query: SourceQuery, options: AppStoreParseOptions): AppStorePage {
  const handles = normaliseHandles(query.brandHandles);
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  let entryCount = 0;
  let oldest: string | undefined;
  const undated: string[] = [];

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
    const own = toIsoUtc(label(entry, 'updated'));
    if (own === undefined) undated.push(nativeId);
    // Apple's JSON feed went long stretches without per-review dates: the XML feed's date, else the estimate.
    const dated = own ?? options.dates?.get(nativeId);
    const estimated = dated === undefined;
    const createdAt = dated ?? options.estimate;
    // Without the XML feed's dates or an estimate (this parser on its own), the review cannot be dated: counted below.
    if (createdAt === undefined) return;
    // An estimated date says nothing about how far back the page reaches.
    if (!estimated && (oldest === undefined || createdAt < oldest)) oldest = createdAt;
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
    if (estimated) mention.dateEstimated = true;
    // im:voteSum counts "helpful" votes (im:voteCount counts all votes, helpful or not, so it is not a like count).
    if (Number.isFinite(voteSum)) mention.engagement.likes = voteSum;
    mentions.push(mention);
  });

  if (undated.length > 0 && options.dates === undefined && options.estimate === undefined) {
    warnings.push(
      `appstore: ${undated.length} review(s) in the ${options.country} feed carry no readable "updated.label" date (the JSON feed went years without one) and are left out here; the fetch dates them from the XML feed of the same page.`,
    );
  }
  const page: AppStorePage = { mentions, warnings, entryCount, undated };
  if (oldest !== undefined) page.oldest = oldest;
  return page;
}

/**
 * Parses one page of the XML (Atom) customer-reviews feed (`…/sortby=mostrecent/xml`), the feed that always carries
 * each review's `<updated>`: `<entry>` with `<id>`, `<updated>`, `<title>`, `<content type="text">`, `<im:rating>`,
 * `<im:voteSum>` and `<author><name>/<uri>`. Same mentions as the JSON feed; read when that one has no dates.
 */
export function parseAppStoreXmlFeed(body: string, query: SourceQuery, options: AppStoreParseOptions): AppStorePage {
  const $ = cheerio.load(body, { xml: true });
  if ($('feed').length === 0) {
    throw new SourceError('bad-response', 'appstore: expected the customer-reviews XML feed (an Atom <feed>), but got another shape.', { sourceId: SOURCE });
  }
  // Rebuilt as the JSON feed's shape, so both feeds go through one reading of a review.
  const wrap = (value: string | undefined) => (value === undefined ? undefined : { label: value });
  const entries = $('feed > entry').toArray().map((el) => {
    const entry = $(el);
    const one = (name: string): string | undefined => {
      const node = entry.children(name.replace(':', '\\:')).first();
      return node.length === 0 ? undefined : node.text();
    };
    const textContent = entry.children('content').filter((_, c) => ($(c).attr('type') ?? 'text') === 'text').first();
    const author = entry.children('author').first();
    return {
      id: wrap(one('id')?.trim()),
      updated: wrap(one('updated')?.trim()),
      title: wrap(one('title')),
      content: wrap(textContent.length === 0 ? undefined : textContent.text()),
      'im:rating': wrap(one('im:rating')?.trim()),
      'im:voteSum': wrap(one('im:voteSum')?.trim()),
      'im:name': wrap(one('im:name')),
      author: { name: wrap(author.children('name').first().text() || undefined), uri: wrap(author.children('uri').first().text() || undefined) },
    };
  });
  return reviewsPage(entries, query, options);
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
