/**
 * Pure parsers for Trustpilot review pages: the `__NEXT_DATA__` JSON embedded in `/review/<domain>` HTML,
 * and recognition of the bot wall (AWS WAF challenge, with Cloudflare/DataDome variants) served instead.
 */
import * as cheerio from '../shared/cheerio.js';
import { boundHtmlDepth } from '../shared/html-depth.js';
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { normaliseWhitespace } from '../shared/html-text.js';
import { idString, isObject, num, obj, str, toIsoUtc, type JsonObject } from '../shared/json-fields.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';
import { companyReplyMention } from '../shared/reviews.js';

const SOURCE = 'trustpilot';
/** Public site, used for permalinks when no base URL is in force (pages read from disk). */
const TRUSTPILOT_SITE = 'https://www.trustpilot.com';

/** `filters.pagination` of a review page. */
interface TrustpilotPagination {
  currentPage?: number;
  perPage?: number;
  totalCount?: number;
  totalPages?: number;
}

/** One review page reduced to mentions plus what paging needs. */
export interface TrustpilotPage extends ParseResult {
  /** Reviews listed on the page (before window filtering), removed ones included. */
  reviewCount: number;
  /** Oldest review publication time on the page (ISO), to stop paging a recency-sorted list at `since`. */
  oldest?: string;
  pagination?: TrustpilotPagination;
  /** Reviews left out because their content was removed and no company reply sits beneath them. */
  removed: number;
  /** `businessUnit.identifyingName` (the domain Trustpilot files the company under). */
  domain?: string;
  /** `businessUnit.displayName`, used as the author of company replies. */
  companyName?: string;
}

/** Options of the page parser. */
export interface TrustpilotParseOptions {
  /** Site root for permalinks (`<site>/reviews/<id>`); defaults to the public site. */
  siteUrl?: string;
}

/** A recognisable bot-wall page: a label and the markers that identify it. */
interface WallPattern {
  label: string;
  pattern: RegExp;
}

// AWS WAF's challenge interstitial (what Trustpilot serves in 2026) carries window.gokuProps, the
// awsWafCookieDomainList and a challenge.js from *.token.awswaf.com; its CAPTCHA variant loads from
// *.captcha.awswaf.com. Cloudflare and DataDome pages are recognised too in case the site switches vendors.
const WALLS: WallPattern[] = [
  { label: 'AWS WAF challenge', pattern: /window\.gokuProps|awsWafCookieDomainList|AwsWafIntegration|\.token\.awswaf\.com/i },
  { label: 'AWS WAF CAPTCHA', pattern: /\.captcha\.awswaf\.com|captcha-sdk\.awswaf\.com/i },
  { label: 'Cloudflare challenge', pattern: /<title>\s*Just a moment\.\.\.\s*<\/title>|challenges\.cloudflare\.com\/cdn-cgi|cf-chl-/i },
  { label: 'DataDome CAPTCHA', pattern: /captcha-delivery\.com|var dd=\{['"]rt['"]/i },
];

/** Which bot wall a body is, if any (only the head is checked: wall pages are small, review pages large). */
export function detectTrustpilotWall(body: string): string | undefined {
  const head = body.length > 200_000 ? body.slice(0, 200_000) : body;
  // A real review page mentions none of these; the __NEXT_DATA__ check keeps a review quoting "Just a moment..." safe.
  if (/<script[^>]+id=["']__NEXT_DATA__["']/i.test(head) && !/window\.gokuProps/i.test(head)) return undefined;
  return WALLS.find((w) => w.pattern.test(head))?.label;
}

/** The advice every "blocked" error carries: what the user can do about the wall. */
function wallAdvice(domain: string | undefined, cookieSet: boolean): string {
  const page = `${TRUSTPILOT_SITE}/review/${domain ?? '<domain>'}`;
  const save = `open ${page} in a browser, save the review pages as .html files into a folder and run with --from-html DIR`;
  return cookieSet
    ? `TRUSTPILOT_COOKIE was sent but refused (its aws-waf-token lasts only minutes): copy a fresh Cookie header from the browser, or ${save}`
    : `${save}, or set TRUSTPILOT_COOKIE to the browser's Cookie header for the site (it holds aws-waf-token)`;
}

/** The `blocked` error for a wall page or a refused request. */
export function wallError(label: string, domain: string | undefined, cookieSet: boolean, cause?: unknown): SourceError {
  return new SourceError(
    'blocked',
    `trustpilot: Trustpilot answered with its bot wall (${label}) instead of the review page; ${wallAdvice(domain, cookieSet)}.`,
    { sourceId: SOURCE, cause },
  );
}

/** Extracts and parses the `__NEXT_DATA__` JSON of a page, or throws `blocked` (wall) / `bad-response` (layout). */
function readNextData(html: string): JsonObject {
  const wall = detectTrustpilotWall(html);
  if (wall !== undefined) throw wallError(wall, undefined, false);
  // Bounded before parsing (parse5 costs depth × tags); the JSON block sits near the top, so flattening loses nothing.
  const $ = cheerio.load(boundHtmlDepth(html).html);
  const script = $('script#__NEXT_DATA__').first();
  if (script.length === 0) {
    throw new SourceError(
      'bad-response',
      'trustpilot: expected a review page with a <script id="__NEXT_DATA__"> JSON block, but the page has none (the site layout may have changed).',
      { sourceId: SOURCE },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(script.text());
  } catch (cause) {
    throw new SourceError('bad-response', 'trustpilot: the __NEXT_DATA__ block of the review page is not valid JSON.', {
      sourceId: SOURCE,
      cause,
    });
  }
  if (!isObject(data)) {
    throw new SourceError('bad-response', 'trustpilot: expected __NEXT_DATA__ to be a JSON object.', { sourceId: SOURCE });
  }
  return data;
}

/** Parses a saved or fetched `/review/<domain>` HTML page into review and company-reply mentions. */
export function parseTrustpilotPage(html: string, query: SourceQuery, options: TrustpilotParseOptions = {}): TrustpilotPage {
  const data = readNextData(html);
  const pageProps = obj(obj(data, 'props') ?? {}, 'pageProps');
  if (!pageProps || !Array.isArray(pageProps['reviews'])) {
    throw new SourceError(
      'bad-response',
      'trustpilot: expected props.pageProps.reviews (a list) in __NEXT_DATA__, but it is missing (the page is not a company review page, or its layout changed).',
      { sourceId: SOURCE },
    );
  }
  return parsePageProps(pageProps, query, options);
}

/** Maps `props.pageProps` (also the body of the `_next/data/.../review/<domain>.json` endpoint) to mentions. */
function parsePageProps(pageProps: JsonObject, query: SourceQuery, options: TrustpilotParseOptions = {}): TrustpilotPage {
  const site = (options.siteUrl ?? TRUSTPILOT_SITE).replace(/\/+$/, '');
  const handles = normaliseHandles(query.brandHandles);
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const unit = obj(pageProps, 'businessUnit');
  const companyName = unit ? str(unit, 'displayName') : undefined;
  const domain = unit ? str(unit, 'identifyingName') : undefined;
  const reviews = Array.isArray(pageProps['reviews']) ? (pageProps['reviews'] as unknown[]) : [];
  let removed = 0;
  let oldest: string | undefined;

  reviews.forEach((raw, index) => {
    if (!isObject(raw)) {
      warnings.push(`trustpilot: review #${index + 1} on the page is not an object; skipped.`);
      return;
    }
    const nativeId = idString(raw, 'id');
    if (nativeId === undefined) {
      warnings.push(`trustpilot: review #${index + 1} on the page has no "id"; skipped.`);
      return;
    }
    const id = `${SOURCE}:${nativeId}`;
    const dates = obj(raw, 'dates') ?? {};
    // publishedDate is when the review went public; submittedDate is the fallback some payloads carry alone.
    const createdAt = toIsoUtc(dates['publishedDate']) ?? toIsoUtc(dates['submittedDate']);
    if (createdAt === undefined) {
      warnings.push(`trustpilot: review ${nativeId} has no readable "dates.publishedDate"; skipped.`);
      return;
    }
    if (oldest === undefined || createdAt < oldest) oldest = createdAt;

    const reply = readReply(raw, nativeId, warnings);
    const title = clean(str(raw, 'title'));
    const text = clean(str(raw, 'text'));
    if (title === '' && text === '') {
      // The review's words were removed (reported/taken down); keep a placeholder only if the company answered it.
      if (reply === undefined) {
        removed += 1;
        return;
      }
    }

    const consumer = obj(raw, 'consumer');
    if (!consumer) warnings.push(`trustpilot: review ${nativeId} has no "consumer"; author unknown.`);
    const authorId = consumer ? idString(consumer, 'id') : undefined;
    const authorName = consumer ? str(consumer, 'displayName') : undefined;
    let rating = num(raw, 'rating');
    if (rating === undefined || rating < 1 || rating > 5) {
      warnings.push(`trustpilot: review ${nativeId} has no readable "rating" (1-5).`);
      rating = undefined;
    }
    const url = `${site}/reviews/${encodeURIComponent(nativeId)}`;
    const review: Mention = {
      id,
      source: SOURCE,
      kind: 'review',
      url,
      author: defined({ id: authorId, name: authorName }),
      fromBrand: isBrandHandle(authorName, handles) || isBrandHandle(authorId, handles),
      brand: query.brand,
      text: title === '' && text === '' ? '[deleted]' : text,
      createdAt,
      threadId: id,
      engagement: defined({ likes: num(raw, 'likes'), replies: reply ? 1 : 0 }),
    };
    if (title !== '') review.title = title;
    if (rating !== undefined) review.rating = rating;
    const language = str(raw, 'language');
    if (language !== undefined && /^[a-z]{2}$/i.test(language)) review.language = language.toLowerCase();
    mentions.push(review);

    // Only the company can answer a review on Trustpilot: the reply is the brand's by construction.
    if (reply) mentions.push(companyReplyMention(review, { author: defined({ name: companyName ?? query.brand }), text: reply.message, createdAt: reply.publishedAt }));
  });

  const page: TrustpilotPage = { mentions, warnings, reviewCount: reviews.length, removed };
  if (oldest !== undefined) page.oldest = oldest;
  const pagination = readPagination(pageProps);
  if (pagination) page.pagination = pagination;
  else if (reviews.length > 0) warnings.push('trustpilot: the page has no "filters.pagination"; paging stops when a page comes back empty.');
  if (domain !== undefined) page.domain = domain;
  if (companyName !== undefined) page.companyName = companyName;
  return page;
}

/** The company reply of a review, or undefined (null reply, or one that cannot be read: then a warning). */
function readReply(raw: JsonObject, nativeId: string, warnings: string[]): { message: string; publishedAt: string } | undefined {
  const reply = raw['reply'];
  if (reply === null || reply === undefined) return undefined;
  if (!isObject(reply)) {
    warnings.push(`trustpilot: review ${nativeId} has a "reply" that is not an object; reply ignored.`);
    return undefined;
  }
  const publishedAt = toIsoUtc(reply['publishedDate']);
  if (publishedAt === undefined) {
    warnings.push(`trustpilot: the company reply to review ${nativeId} has no readable "publishedDate"; reply ignored.`);
    return undefined;
  }
  const message = clean(str(reply, 'message'));
  if (message === '') warnings.push(`trustpilot: the company reply to review ${nativeId} has no "message" text.`);
  return { message, publishedAt };
}

/** `filters.pagination` (older payloads put it at `pageProps.pagination`). */
function readPagination(pageProps: JsonObject): TrustpilotPagination | undefined {
  const p = obj(obj(pageProps, 'filters') ?? {}, 'pagination') ?? obj(pageProps, 'pagination');
  if (!p) return undefined;
  return defined({
    currentPage: num(p, 'currentPage'),
    perPage: num(p, 'perPage'),
    totalCount: num(p, 'totalCount'),
    totalPages: num(p, 'totalPages'),
  });
}

/** Trustpilot text is plain text with newlines; trim and tidy whitespace only. */
function clean(text: string | undefined): string {
  return text === undefined ? '' : normaliseWhitespace(text);
}

/** Drops undefined fields so records stay minimal and deep-equal comparisons are exact. */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
