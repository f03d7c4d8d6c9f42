/**
 * Pure parser for Google Play's undocumented reviews RPC (`batchexecute`, rpc id `UsvDTd`), as used by the
 * open-source scrapers (facundoolano/google-play-scraper, JoMingyu/google-play-scraper). The answer is
 * `)]}'` + a JSON envelope `[["wrb.fr","UsvDTd","<payload as a JSON string>",…],…]`; the payload is
 * `[[review, …], [null, "<next page token>"]]` and a review is a positional array:
 * `[0]` id, `[1][0]` user name, `[2]` stars, `[4]` text, `[5]` `[seconds, nanos]`, `[6]` thumbs-up,
 * `[7]` developer reply `[?, text, [seconds, nanos]]`, `[10]` app version.
 */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { normaliseWhitespace } from '../shared/html-text.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';
import { companyReplyMention } from '../shared/reviews.js';

const SOURCE = 'googleplay';
/** The reviews RPC id inside the batchexecute envelope. */
export const REVIEWS_RPC = 'UsvDTd';
/** Public store site for review permalinks (display only; requests use the base URL in force). */
const PLAY_SITE = 'https://play.google.com';

/** One RPC answer reduced to mentions plus what paging needs. */
export interface PlayPage extends ParseResult {
  /** Reviews in the answer (before window filtering). */
  reviewCount: number;
  /** Oldest review time in the answer (ISO), to stop paging a newest-first list at `since`. */
  oldest?: string;
  /** Token for the next page; undefined on the last page. */
  nextToken?: string;
}

/** What the parser needs besides the body: the app and the site for permalinks. */
export interface PlayParseOptions {
  appId: string;
  siteUrl?: string;
}

function bad(message: string, cause?: unknown): SourceError {
  return new SourceError('bad-response', `googleplay: ${message}`, { sourceId: SOURCE, cause });
}

/** Describes a value for "what moved" messages. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'text' : `a ${typeof value}`;
}

/**
 * Every top-level JSON array in a batchexecute body. Without `rt=c` the body is one array; with it, a stream
 * of `<length>\n<array>` chunks. Scanning balanced brackets (string-aware) reads both.
 */
export function readEnvelopes(body: string): unknown[][] {
  const text = body.replace(/^\uFEFF/, '');
  if (!text.startsWith(")]}'")) {
    const looksHtml = /^\s*</.test(text);
    throw bad(`expected a batchexecute answer starting with ")]}'" but got ${looksHtml ? 'an HTML page' : 'something else'}.`);
  }
  const out: unknown[][] = [];
  let i = 4;
  while (i < text.length) {
    const start = text.indexOf('[', i);
    if (start < 0) break;
    const end = balancedEnd(text, start);
    if (end < 0) throw bad('the batchexecute answer is cut off (an unterminated JSON array).');
    try {
      const value = JSON.parse(text.slice(start, end + 1)) as unknown;
      if (Array.isArray(value)) out.push(value);
    } catch (cause) {
      throw bad('the batchexecute answer holds an array that is not valid JSON.', cause);
    }
    i = end + 1;
  }
  return out;
}

/** Index of the `]` closing the array opened at `start`, or -1. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[') depth += 1;
    else if (c === ']') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** `[seconds, nanos]` → ISO 8601 UTC, or undefined. */
export function playTime(value: unknown): string | undefined {
  if (!Array.isArray(value) || typeof value[0] !== 'number' || !Number.isFinite(value[0])) return undefined;
  const nanos = typeof value[1] === 'number' && Number.isFinite(value[1]) ? value[1] : 0;
  const date = new Date(value[0] * 1000 + Math.floor(nanos / 1e6));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The reviews payload (`JSON.parse` of the `wrb.fr` row's third cell), or throws saying what is missing. */
function readPayload(body: string): unknown {
  const rows = readEnvelopes(body).flat().filter(Array.isArray) as unknown[][];
  const row = rows.find((r) => r[0] === 'wrb.fr' && r[1] === REVIEWS_RPC);
  if (!row) {
    const other = rows.find((r) => r[0] === 'er');
    throw bad(
      other
        ? 'Google Play answered the reviews request with an error row ("er"); the request format may have changed.'
        : `expected a ["wrb.fr","${REVIEWS_RPC}",…] row in the batchexecute answer, but there is none (the RPC id may have changed).`,
    );
  }
  if (typeof row[2] !== 'string') {
    // Failed calls carry null here and a status list such as [3] (INVALID_ARGUMENT) at [5].
    const status = Array.isArray(row[5]) && typeof row[5][0] === 'number' ? ` (status ${row[5][0]})` : '';
    throw bad(`Google Play refused the reviews request${status}; check option appId (the package name), or the request format changed.`);
  }
  try {
    return JSON.parse(row[2]) as unknown;
  } catch (cause) {
    throw bad('the reviews payload inside the batchexecute answer is not valid JSON.', cause);
  }
}

/** Parses one RPC answer into review mentions and developer-reply mentions. */
export function parsePlayReviews(body: string, query: SourceQuery, options: PlayParseOptions): PlayPage {
  const payload = readPayload(body);
  // An app with no reviews (or an unknown package) answers with an empty payload.
  if (payload === null || (Array.isArray(payload) && payload.length === 0)) return { mentions: [], warnings: [], reviewCount: 0 };
  if (!Array.isArray(payload)) throw bad(`expected the reviews payload to be a list but found ${kindOf(payload)}.`);
  const list = payload[0] ?? [];
  if (!Array.isArray(list)) throw bad(`expected the review list at payload[0] but found ${kindOf(list)}.`);
  const meta = payload[1];
  const token = Array.isArray(meta) && typeof meta[1] === 'string' && meta[1] !== '' ? meta[1] : undefined;
  if (meta !== undefined && meta !== null && !Array.isArray(meta)) {
    throw bad(`expected the paging block [null, token] at payload[1] but found ${kindOf(meta)}.`);
  }

  checkLayout(list);
  const site = (options.siteUrl ?? PLAY_SITE).replace(/\/+$/, '');
  const handles = normaliseHandles(query.brandHandles);
  const warnings: string[] = [];
  const mentions: Mention[] = [];
  let oldest: string | undefined;

  list.forEach((raw, index) => {
    if (!Array.isArray(raw) || typeof raw[0] !== 'string' || raw[0] === '') {
      warnings.push(`googleplay: review #${index + 1} has no id at [0]; skipped.`);
      return;
    }
    const nativeId = raw[0];
    const createdAt = playTime(raw[5]);
    if (createdAt === undefined) {
      warnings.push(`googleplay: review ${nativeId} has no readable date at [5]; skipped.`);
      return;
    }
    if (oldest === undefined || createdAt < oldest) oldest = createdAt;
    const id = `${SOURCE}:${nativeId}`;
    const userName = Array.isArray(raw[1]) && typeof raw[1][0] === 'string' ? raw[1][0] : undefined;
    if (userName === undefined) warnings.push(`googleplay: review ${nativeId} has no user name at [1][0]; author unknown.`);
    const stars = typeof raw[2] === 'number' && raw[2] >= 1 && raw[2] <= 5 ? raw[2] : undefined;
    if (stars === undefined) warnings.push(`googleplay: review ${nativeId} has no star rating (1-5) at [2].`);
    // A rating without words has null text: that is a valid review, not a parse problem.
    const text = typeof raw[4] === 'string' ? normaliseWhitespace(raw[4]) : '';
    const url = `${site}/store/apps/details?id=${encodeURIComponent(options.appId)}&reviewId=${encodeURIComponent(nativeId)}`;
    const reply = readReply(raw[7], nativeId, warnings);

    const review: Mention = {
      id,
      source: SOURCE,
      kind: 'review',
      url,
      author: userName !== undefined ? { name: userName } : {},
      fromBrand: isBrandHandle(userName, handles),
      brand: query.brand,
      text,
      createdAt,
      threadId: id,
      engagement: { replies: reply ? 1 : 0 },
    };
    if (stars !== undefined) review.rating = stars;
    if (typeof raw[6] === 'number' && Number.isFinite(raw[6])) review.engagement.likes = raw[6];
    mentions.push(review);

    // Only the app's developer can reply to a Play review.
    if (reply) mentions.push(companyReplyMention(review, { author: { name: reply.author ?? query.brand }, text: reply.text, createdAt: reply.createdAt }));
  });

  const page: PlayPage = { mentions, warnings, reviewCount: list.length };
  if (oldest !== undefined) page.oldest = oldest;
  if (token !== undefined) page.nextToken = token;
  return page;
}

/**
 * A page where no review has the known layout means Google moved things: fail loudly, naming what moved,
 * rather than produce empty or shifted records. Single odd reviews are only warned about.
 */
function checkLayout(list: unknown[]): void {
  if (list.length === 0) return;
  const problems = (r: unknown): string | undefined => {
    if (!Array.isArray(r)) return `a review is ${kindOf(r)} instead of a list`;
    if (typeof r[0] !== 'string') return `review[0] (id) is ${kindOf(r[0])}, not text`;
    if (!Array.isArray(r[5]) || typeof r[5][0] !== 'number') return `review[5] (date [seconds, nanos]) is ${kindOf(r[5])}`;
    if (typeof r[2] !== 'number') return `review[2] (stars) is ${kindOf(r[2])}, not a number`;
    return undefined;
  };
  const issues = list.map(problems);
  if (issues.every((p) => p !== undefined)) {
    throw bad(`the review layout changed: ${issues[0]} (expected id at [0], stars at [2], text at [4], date at [5]).`);
  }
}

/** The developer reply at review[7]: `[author?, text, [seconds, nanos]]`; undefined when absent or undatable. */
function readReply(value: unknown, nativeId: string, warnings: string[]): { text: string; createdAt: string; author?: string } | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value) || typeof value[1] !== 'string') {
    warnings.push(`googleplay: review ${nativeId} has a developer reply at [7] without text at [7][1]; reply ignored.`);
    return undefined;
  }
  const createdAt = playTime(value[2]);
  if (createdAt === undefined) {
    warnings.push(`googleplay: the developer reply to review ${nativeId} has no readable date at [7][2]; reply ignored.`);
    return undefined;
  }
  const reply: { text: string; createdAt: string; author?: string } = { text: normaliseWhitespace(value[1]), createdAt };
  if (typeof value[0] === 'string' && value[0].trim() !== '') reply.author = value[0];
  return reply;
}
