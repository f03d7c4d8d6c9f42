/**
 * Pure parts of the "selectors" source: option validation, forgiving dates, and one HTML page of reviews →
 * mentions, driven entirely by CSS selectors from the config.
 */
import { createHash } from 'node:crypto';
import * as cheerio from '../shared/cheerio.js';
import type { Cheerio, CheerioAPI } from 'cheerio';
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { isBrandHandle, normaliseHandles } from '../shared/handles.js';
import { blogText, deepHtmlWarning } from '../shared/html-text.js';
import { boundHtmlDepth } from '../shared/html-depth.js';

const SOURCE = 'selectors';
/** Text of a removed review's placeholder. */
const DELETED_TEXT = '[deleted]';
/** Pages followed at most when `maxPages` is not given. */
const DEFAULT_MAX_PAGES = 10;

/** Any node cheerio hands out (domhandler's AnyNode, derived here because domhandler is not a direct dependency). */
type El = Parameters<CheerioAPI['load']>[0] extends infer T ? Exclude<T, string | Buffer | unknown[]> : never;

/**
 * Validated options. A field is `selector` (text of the first match inside the item), `selector@attr` (an attribute
 * of it) or `@attr` (an attribute of the item itself).
 */
export interface SelectorsOptions {
  /** Start page (absolute, or a path on the base URL). */
  url: string;
  /** Selector for each review/comment block. */
  item: string;
  text: string;
  date: string;
  /** Attribute of the date element to read first (e.g. `datetime`); its text is the fallback. */
  dateAttr?: string;
  author?: string;
  title?: string;
  /** The item's URL: a selector (its `href`), `selector@attr` or `@attr`. */
  link?: string;
  rating?: string;
  /** Regex whose first group (or whole match) is the rating, e.g. `Rated (\d) out of 5`. */
  ratingPattern?: RegExp;
  /** Selector inside the item for the company's reply block(s). */
  reply?: string;
  replyText?: string;
  replyDate?: string;
  replyAuthor?: string;
  /** Selector for the next-page link (`href`), followed on the same host only. */
  next?: string;
  maxPages: number;
  /** Native id: an attribute name of the item (`data-review-id`) or a field spec. */
  id?: string;
  /** Selector matching a removed item (on the item itself or inside it). */
  removed?: string;
}

/** One parsed page: mentions, the next page's URL (absolute), and counts of what was left out. */
export interface SelectorsPage extends ParseResult {
  nextUrl?: string;
  /** Blocks matched by `item`. */
  items: number;
  /** Removed or empty items without a reply, left out. */
  removed: number;
}

const REQUIRED = ['url', 'item', 'text', 'date'] as const;
const SELECTOR_KEYS = ['item', 'text', 'date', 'author', 'title', 'link', 'rating', 'reply', 'replyText', 'replyDate', 'replyAuthor', 'next', 'id', 'removed'] as const;

function configError(message: string): SourceError {
  return new SourceError('config', `${SOURCE}: ${message}`, { sourceId: SOURCE });
}

/** Checks a field spec's selector part compiles, naming the option when it does not. */
function checkSelector(key: string, spec: string): void {
  const at = spec.lastIndexOf('@');
  const selector = at >= 0 ? spec.slice(0, at) : spec;
  if (selector.trim() === '') return;
  try {
    cheerio.load('<p></p>')(selector);
  } catch (cause) {
    throw new SourceError('config', `${SOURCE}: option "${key}" is not a valid CSS selector: ${JSON.stringify(selector)}.`, { cause, sourceId: SOURCE });
  }
}

/** Validates `query.options` up front; a missing or malformed option is a `config` error naming it. */
export function readOptions(options: Readonly<Record<string, unknown>>): SelectorsOptions {
  for (const key of REQUIRED) {
    const value = options[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw configError(`option "${key}" is required (${describe(key)}).`);
    }
  }
  const strings: Record<string, string> = {};
  for (const key of [...SELECTOR_KEYS, 'url', 'dateAttr', 'ratingPattern']) {
    const value = options[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.trim() === '') throw configError(`option "${key}" must be a non-empty string.`);
    strings[key] = value.trim();
  }
  for (const key of SELECTOR_KEYS) if (strings[key] !== undefined && key !== 'id') checkSelector(key, strings[key]);
  if (strings['id']?.includes('@')) checkSelector('id', strings['id']);
  const maxPages = options['maxPages'] ?? DEFAULT_MAX_PAGES;
  if (typeof maxPages !== 'number' || !Number.isInteger(maxPages) || maxPages < 1 || maxPages > 100) {
    throw configError('option "maxPages" must be a whole number from 1 to 100.');
  }
  const out: SelectorsOptions = {
    url: strings['url'] as string,
    item: strings['item'] as string,
    text: strings['text'] as string,
    date: strings['date'] as string,
    maxPages,
  };
  if (strings['ratingPattern'] !== undefined) {
    try {
      out.ratingPattern = new RegExp(strings['ratingPattern'], 'i');
    } catch (cause) {
      throw new SourceError('config', `${SOURCE}: option "ratingPattern" is not a valid regular expression.`, { cause, sourceId: SOURCE });
    }
  }
  for (const key of ['dateAttr', 'author', 'title', 'link', 'rating', 'reply', 'replyText', 'replyDate', 'replyAuthor', 'next', 'id', 'removed'] as const) {
    if (strings[key] !== undefined) out[key] = strings[key];
  }
  if (out.reply !== undefined && out.replyText === undefined) throw configError('option "replyText" is required when "reply" is set (the reply\'s text inside the reply block).');
  return out;
}

function describe(key: (typeof REQUIRED)[number]): string {
  switch (key) {
    case 'url':
      return 'the first page to read';
    case 'item':
      return 'a CSS selector matching each review or comment block';
    case 'text':
      return "a CSS selector for the review's text inside the block";
    default:
      return "a CSS selector for the review's date inside the block";
  }
}

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, sept: 8, oct: 9, nov: 10, dec: 11,
};

function month(name: string): number | undefined {
  const key = name.toLowerCase().replace(/\.$/, '');
  return MONTHS[key] ?? MONTHS[key.slice(0, 3)];
}

function withTime(y: number, mo: number, d: number, time: string | undefined): Date | undefined {
  let h = 0;
  let mi = 0;
  let s = 0;
  if (time) {
    const t = /(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/i.exec(time);
    if (!t) return undefined;
    h = Number(t[1]);
    mi = Number(t[2]);
    s = t[3] ? Number(t[3]) : 0;
    const ap = t[4]?.toLowerCase().replace(/\./g, '');
    if (ap === 'pm' && h < 12) h += 12;
    if (ap === 'am' && h === 12) h = 0;
  }
  const date = new Date(Date.UTC(y, mo, d, h, mi, s));
  // Reject rollovers such as "31 November".
  return date.getUTCMonth() === mo && date.getUTCDate() === d ? date : undefined;
}

/**
 * Parses the dates review sites print: ISO 8601, RFC 2822, "Nov 21, 2026", "November 21, 2026 at 3:15 PM",
 * "21 November 2026". Dates without a zone are read as UTC (never as the machine's local time, so results do
 * not depend on where earshot runs). Returns ISO 8601 UTC, or undefined ("yesterday", "3 days ago").
 */
export function parseLooseDate(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.replace(/\s+/g, ' ').trim();
  if (value === '') return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  if (iso) {
    const text = `${iso[1]}-${iso[2]}-${iso[3]}T${iso[4] ?? '00:00:00'}${iso[5] ?? 'Z'}`;
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  // RFC 2822 and other forms with an explicit zone: the platform parser is exact for these.
  if (/\b(?:GMT|UTC|Z)\b|[+-]\d{4}\b/.test(value) && /[a-z]{3}/i.test(value)) {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  const mdy = /^(?:[a-z]+,?\s+)?([a-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s*(?:at\s+)?(.+))?$/i.exec(value);
  if (mdy) {
    const mo = month(mdy[1] as string);
    const d = mo === undefined ? undefined : withTime(Number(mdy[3]), mo, Number(mdy[2]), mdy[4]);
    if (d) return d.toISOString();
  }
  const dmy = /^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9}\.?),?\s+(\d{4})(?:,?\s*(?:at\s+)?(.+))?$/i.exec(value);
  if (dmy) {
    const mo = month(dmy[2] as string);
    const d = mo === undefined ? undefined : withTime(Number(dmy[3]), mo, Number(dmy[1]), dmy[4]);
    if (d) return d.toISOString();
  }
  return undefined;
}

/** Splits a field spec into selector and attribute (`sel@attr`, `@attr`, `sel`). */
function splitSpec(spec: string): { selector: string; attr?: string } {
  const at = spec.lastIndexOf('@');
  // An "@" inside brackets belongs to an attribute selector value, not to the spec syntax.
  if (at < 0 || spec.slice(at).includes(']')) return { selector: spec };
  return { selector: spec.slice(0, at).trim(), attr: spec.slice(at + 1).trim() };
}

/** The element a spec points at inside `scope` (the scope itself for `@attr`). */
function target($: CheerioAPI, scope: Cheerio<El>, selector: string): Cheerio<El> {
  return selector === '' ? scope : scope.find(selector).first();
}

/** Plain text (or attribute value) of a field; undefined when the selector matches nothing. */
function field($: CheerioAPI, scope: Cheerio<El>, spec: string, defaultAttr?: string): string | undefined {
  const { selector, attr } = splitSpec(spec);
  const el = target($, scope, selector);
  if (el.length === 0) return undefined;
  const name = attr ?? defaultAttr;
  if (name !== undefined) {
    const value = el.attr(name);
    if (value !== undefined) return value.trim();
    if (attr !== undefined) return undefined;
  }
  return blogText(el.html() ?? '');
}

function dateOf($: CheerioAPI, scope: Cheerio<El>, spec: string, dateAttr: string | undefined): { raw?: string; iso?: string } {
  const { selector, attr } = splitSpec(spec);
  const el = target($, scope, selector);
  if (el.length === 0) return {};
  const fromAttr = el.attr(attr ?? dateAttr ?? '');
  const text = el.text().replace(/\s+/g, ' ').trim();
  // The machine-readable attribute first, the visible text when the attribute is absent or unreadable.
  for (const raw of [fromAttr, text]) {
    const iso = parseLooseDate(raw);
    if (iso !== undefined) return { raw: raw as string, iso };
  }
  return { raw: fromAttr ?? text };
}

/** A 1–5 rating from a field value: the pattern's first group, else the first number, else a count of ★. */
export function readRating(value: string | undefined, pattern?: RegExp): number | undefined {
  if (value === undefined) return undefined;
  let n: number | undefined;
  if (pattern) {
    const m = pattern.exec(value);
    if (m) n = Number((m[1] ?? m[0]).replace(',', '.'));
  } else {
    const m = /\d+(?:[.,]\d+)?/.exec(value);
    if (m) n = Number(m[0].replace(',', '.'));
    else if (value.includes('★')) n = [...value].filter((ch) => ch === '★').length;
  }
  return n !== undefined && Number.isFinite(n) && n >= 1 && n <= 5 ? n : undefined;
}

function hashId(parts: readonly (string | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 16);
}

function resolve(href: string | undefined, base: string): string | undefined {
  if (href === undefined || href.trim() === '') return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses one page. `pageUrl` is the page's public address (links resolve against it and its host goes into
 * mention ids). With `requireItems`, a page where `item` matches nothing, or where `text`/`date` match in no item,
 * throws `bad-response` naming the selector: a changed layout must never read as "no reviews".
 */
export function parsePage(
  html: string,
  opts: { options: SelectorsOptions; pageUrl: string; query: SourceQuery; requireItems: boolean },
): SelectorsPage {
  const { options, pageUrl, query } = opts;
  if (!/<[a-z!]/i.test(html)) {
    throw new SourceError('bad-response', `${SOURCE}: expected an HTML page at ${pageUrl} but got something else.`, { sourceId: SOURCE });
  }
  // Bounded before parsing: 200,000 nested <div>s took parse5 234 s of blocking CPU; flattened, the items stay.
  const bounded = boundHtmlDepth(html);
  const $ = cheerio.load(bounded.html);
  const host = new URL(pageUrl).host;
  const handles = normaliseHandles(query.brandHandles);
  const blocks = $(options.item).toArray();
  const layout = (key: string, selector: string): SourceError =>
    new SourceError(
      'bad-response',
      `${SOURCE}: the "${key}" selector ${JSON.stringify(selector)} matched nothing on ${pageUrl}; the page layout may have changed.`,
      { sourceId: SOURCE },
    );
  if (blocks.length === 0 && opts.requireItems) throw layout('item', options.item);

  const mentions: Mention[] = [];
  const warnings: string[] = [];
  if (bounded.flattened) warnings.push(deepHtmlWarning(SOURCE, `the page ${pageUrl}`));
  let removed = 0;
  let textHits = 0;
  let dateHits = 0;
  blocks.forEach((el, index) => {
    const block = $(el);
    const replies = options.reply ? block.find(options.reply).toArray() : [];
    // Item fields are read with the reply blocks taken out, so `time` or `p` never picks the company's reply.
    const body = block.clone();
    if (options.reply) body.find(options.reply).remove();

    const nativeId = options.id === undefined ? undefined : options.id.includes('@') ? field($, body, options.id) : block.attr(options.id)?.trim();
    const label = `item ${index + 1} on ${pageUrl}${nativeId ? ` (${nativeId})` : ''}`;
    const textEl = body.find(options.text);
    if (textEl.length > 0) textHits += 1;
    const text = textEl.length > 0 ? blogText(textEl.first().html() ?? '') : undefined;
    const date = dateOf($, body, options.date, options.dateAttr);
    if (date.raw !== undefined) dateHits += 1;
    if (date.iso === undefined) {
      warnings.push(
        date.raw === undefined
          ? `${SOURCE}: no date found by "${options.date}" in ${label}; skipped.`
          : `${SOURCE}: unreadable date ${JSON.stringify(date.raw)} in ${label}; skipped.`,
      );
      return;
    }
    const isRemoved =
      (options.removed !== undefined && (block.is(options.removed) || block.find(options.removed).length > 0)) || !text;
    const author = options.author ? field($, body, options.author) : undefined;
    // Removed items have lost their author and link by design: no warning for those.
    if (options.author && author === undefined && !isRemoved) warnings.push(`${SOURCE}: no author found by "${options.author}" in ${label}.`);
    const link = options.link ? resolve(field($, body, options.link, 'href'), pageUrl) : undefined;
    if (options.link && link === undefined && !isRemoved) warnings.push(`${SOURCE}: no link found by "${options.link}" in ${label}.`);
    const url = link ?? pageUrl;
    const id = `${SOURCE}:${host}/${nativeId || hashId([url, author, date.iso, text])}`;

    const replyMentions: Mention[] = [];
    replies.forEach((r, ri) => {
      const scope = $(r);
      const rLabel = `reply ${ri + 1} of ${label}`;
      const rDate = dateOf($, scope, options.replyDate ?? options.date, options.dateAttr);
      if (rDate.iso === undefined) {
        warnings.push(`${SOURCE}: ${rDate.raw === undefined ? 'no date' : `unreadable date ${JSON.stringify(rDate.raw)}`} in ${rLabel}; reply skipped.`);
        return;
      }
      const rText = field($, scope, options.replyText as string);
      if (rText === undefined) warnings.push(`${SOURCE}: no text found by "${options.replyText}" in ${rLabel}.`);
      const rAuthor = options.replyAuthor ? field($, scope, options.replyAuthor) : undefined;
      replyMentions.push({
        id: `${id}/reply${ri === 0 ? '' : `-${ri + 1}`}`,
        source: SOURCE,
        kind: 'comment',
        url,
        // A reply block is the company's own answer: the site's layout is the brand signal.
        author: { name: rAuthor || query.brand },
        fromBrand: true,
        brand: query.brand,
        text: rText ?? '',
        createdAt: rDate.iso,
        parentId: id,
        threadId: id,
        engagement: {},
      });
    });

    if (isRemoved && replyMentions.length === 0) {
      removed += 1;
      return;
    }
    const mention: Mention = {
      id,
      source: SOURCE,
      kind: 'review',
      url,
      author: isRemoved || author === undefined ? {} : { name: author },
      fromBrand: !isRemoved && isBrandHandle(author, handles),
      brand: query.brand,
      text: isRemoved ? DELETED_TEXT : (text as string),
      createdAt: date.iso,
      threadId: id,
      engagement: {},
    };
    if (!isRemoved) {
      const title = options.title ? field($, body, options.title) : undefined;
      if (title) mention.title = title;
      if (options.rating) {
        const rating = readRating(field($, body, options.rating), options.ratingPattern);
        if (rating !== undefined) mention.rating = rating;
        else warnings.push(`${SOURCE}: no rating from 1 to 5 found by "${options.rating}" in ${label}.`);
      }
    }
    mentions.push(mention, ...replyMentions);
  });
  if (blocks.length > 0 && opts.requireItems) {
    if (textHits === 0) throw layout('text', options.text);
    if (dateHits === 0) throw layout('date', options.date);
  }
  const page: SelectorsPage = { mentions, warnings, items: blocks.length, removed };
  if (options.next) {
    const next = resolve($(options.next).first().attr('href'), pageUrl);
    if (next !== undefined && next !== pageUrl) page.nextUrl = next;
  }
  return page;
}
