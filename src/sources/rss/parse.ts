/** Pure parsers for RSS 2.0, RSS 1.0 (RDF) and Atom feeds → `post` mentions, plus the local query filter. */
import { createHash } from 'node:crypto';
import * as cheerio from '../shared/cheerio.js';
import { SourceError } from '../../core/errors.js';
import type { Author, Mention } from '../../core/mention.js';
import type { ParseResult, SourceQuery } from '../types.js';
import { deepHtmlWarning, htmlToText } from '../shared/html-text.js';
import { isListedHandle } from '../shared/handles.js';
import { parseFeedDate } from '../shared/feed-date.js';

/** Source id stamped on every feed mention. */
export const RSS_SOURCE_ID = 'rss';

/** Per-feed parse options. */
export interface FeedParseOptions {
  /** Label used in warnings (never a secret URL). */
  feedLabel: string;
  /** The feed belongs to the brand: its items are the brand's broadcasts. */
  fromBrandFeed: boolean;
  /** When the feed was read (ISO): the date of last resort for an item whose own date cannot be read. */
  fetchedAt?: string;
}

/** A parsed feed: its items as mentions, plus what kind of feed it was. */
export interface FeedParseResult extends ParseResult {
  format: 'rss' | 'atom' | 'rdf';
  title?: string;
  /** Items (or Atom entries) the feed held, read or not. */
  entries: number;
}

/** The part of a parsed XML node this parser reads (domhandler's shape, kept local). */
interface XmlNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
}

function elementChildren(node: XmlNode): XmlNode[] {
  return (node.children ?? []).filter((c) => c.type === 'tag');
}

/** First direct child whose tag name (prefix included, case-insensitive) is one of `names`. */
function child(node: XmlNode, ...names: string[]): XmlNode | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  for (const name of wanted) {
    const hit = elementChildren(node).find((c) => (c.name ?? '').toLowerCase() === name);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Native id → mention id: a short stable hash, since guids are URLs, tag: URIs or opaque tokens. */
export function rssMentionId(nativeId: string): string {
  return `${RSS_SOURCE_ID}:${createHash('sha256').update(nativeId).digest('hex').slice(0, 16)}`;
}

/** Unwraps Google's redirector (`https://www.google.com/url?...&url=<real>&...`, used by Google Alerts). */
export function unwrapGoogleRedirect(href: string): string {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return href;
  }
  if (!/(^|\.)google\.[a-z.]+$/i.test(u.hostname) || u.pathname !== '/url') return href;
  const target = u.searchParams.get('url') ?? u.searchParams.get('q');
  if (target === null) return href;
  try {
    const t = new URL(target);
    return t.protocol === 'http:' || t.protocol === 'https:' ? t.toString() : href;
  } catch {
    return href;
  }
}

function isBrand(author: Author, brandHandles: readonly string[]): boolean {
  return [author.handle, author.name].some((n) => isListedHandle(n, brandHandles));
}

/**
 * A date element's time: a `<time datetime="…">` inside it first (some generators wrap the date in one), then its
 * text, read as real feeds write dates (parseFeedDate). `rawDate` is what was there, for the warning when neither reads.
 */
function dateOf(parent: XmlNode, names: readonly string[], text: (n: XmlNode | undefined) => string | undefined): { createdAt?: string; rawDate?: string } {
  let raw: string | undefined;
  // The first of the named elements that reads (a feed may carry an unreadable pubDate and a good dc:date).
  for (const name of names) {
    const node = child(parent, name);
    if (node === undefined) continue;
    const time = elementChildren(node).find((c) => (c.name ?? '').toLowerCase() === 'time' && c.attribs?.['datetime']);
    const written = text(node)?.trim();
    const iso = parseFeedDate(time?.attribs?.['datetime']) ?? parseFeedDate(written);
    if (iso !== undefined) return { createdAt: iso };
    raw ??= written || undefined;
  }
  return raw === undefined ? {} : { rawDate: raw };
}

/** ISO 639-1 code from a feed language tag such as `en-US` or `fr`. */
function languageOf(tag: string | undefined): string | undefined {
  const m = /^\s*([a-z]{2})(?:[-_]|\s*$)/i.exec(tag ?? '');
  return m?.[1]?.toLowerCase();
}

/** Names a feed item in a warning: its link or id, else its title as written (cut short). */
function itemLabel(linkOrId: string | undefined, rawTitle: string | undefined): string {
  if (linkOrId !== undefined) return `item ${linkOrId}`;
  const title = (rawTitle ?? '').replace(/\s+/g, ' ').trim();
  return title === '' ? 'an item without link, id or title' : `item ${JSON.stringify(title.length > 80 ? `${title.slice(0, 80)}…` : title)}`;
}

/** Reduces text that may carry markup; plain text (no tags, no entities) passes through trimmed. */
function maybeHtml(text: string): string {
  return /<[a-z!/]|&[#a-z0-9]+;/i.test(text) ? htmlToText(text) : text.replace(/\s+/g, ' ').trim();
}

/**
 * The text without a leading copy of the title: feeds repeat the headline as the summary's first words (Google News
 * gives nothing else, the headline and the publisher), and the title is kept beside the text already. Spacing and
 * case may differ; the copy must end at a word's end. What is left after the publisher's name alone is nothing.
 */
function withoutTitle(text: string, title: string | undefined, publisher: string | undefined): string {
  const words = title?.trim().split(/\s+/).filter((w) => w !== '') ?? [];
  if (words.length === 0) return text;
  const lead = new RegExp(`^\\s*${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu').exec(text);
  if (lead === null) return text;
  const rest = text.slice(lead[0].length).replace(/^[\s\-–—:|·.,;]+/u, '');
  return publisher !== undefined && rest.trim() === publisher ? '' : rest;
}

/** Splits "Headline - Publisher" (Google News) when the suffix is the item's `<source>`. */
function stripPublisher(title: string, publisher: string | undefined): string {
  if (publisher === undefined || publisher === '') return title;
  const suffix = ` - ${publisher}`;
  return title.endsWith(suffix) ? title.slice(0, -suffix.length) : title;
}

/**
 * Parses one feed body. Throws `bad-response` when the body is not a feed (an HTML consent page, JSON,
 * an empty body); a field it cannot read becomes undefined plus a warning naming the field and the item.
 */
export function parseFeed(body: string, query: SourceQuery, opts: FeedParseOptions): FeedParseResult {
  const $ = cheerio.load(body, { xml: true });
  const root = ($.root().children().toArray() as unknown as XmlNode[])[0];
  const rootName = (root?.name ?? '').toLowerCase();
  const text = (node: XmlNode | undefined): string | undefined =>
    node === undefined ? undefined : $(node as never).text();
  const inner = (node: XmlNode): string => $(node as never).html() ?? '';

  const format: FeedParseResult['format'] | undefined =
    rootName === 'rss' ? 'rss' : rootName === 'feed' ? 'atom' : rootName === 'rdf:rdf' ? 'rdf' : undefined;
  const container = root === undefined || format === undefined ? undefined : format === 'rss' ? child(root, 'channel') : root;
  if (root === undefined || format === undefined || container === undefined) {
    const got =
      rootName === '' ? 'a body with no XML root element' : format === 'rss' ? 'an <rss> root with no <channel>' : `a <${rootName}> document`;
    throw new SourceError('bad-response', `Feed ${opts.feedLabel}: expected an RSS 2.0 or Atom feed (<rss> or <feed> root), got ${got}.`, {
      sourceId: RSS_SOURCE_ID,
    });
  }

  const warnings: string[] = [];
  const mentions: Mention[] = [];
  const channel = format === 'rdf' ? child(container, 'channel') ?? container : container;
  const feedTitle = text(child(channel, 'title'))?.trim();
  const feedLanguage = languageOf(text(child(channel, 'language', 'dc:language')) ?? root.attribs?.['xml:lang']);
  const itemTag = format === 'atom' ? 'entry' : 'item';
  const items = elementChildren(container).filter((c) => (c.name ?? '').toLowerCase() === itemTag);
  // An item whose date cannot be read is kept, dated with the feed's own date (else the fetch time) and flagged.
  const feedDate = dateOf(channel, ['lastBuildDate', 'pubDate', 'dc:date', 'updated'], text).createdAt;
  const fallbackDate = feedDate ?? opts.fetchedAt;
  const undated: string[] = [];

  items.forEach((item, index) => {
    const entry = format === 'atom' ? readAtomEntry(item) : readRssItem(item);
    const label = `feed ${opts.feedLabel} item #${index + 1}${entry.title === undefined ? '' : ` ("${entry.title.slice(0, 60)}")`}`;
    const nativeId = entry.nativeId ?? entry.link;
    if (nativeId === undefined) {
      warnings.push(`rss: ${label} has no ${format === 'atom' ? 'id' : 'guid'} or link; skipped`);
      return;
    }
    if (entry.createdAt === undefined) {
      if (fallbackDate === undefined) {
        warnings.push(`rss: ${label} has no readable ${format === 'atom' ? 'published/updated' : 'pubDate'}; skipped`);
        return;
      }
      undated.push(entry.rawDate === undefined ? `#${index + 1}` : `#${index + 1} ("${entry.rawDate.slice(0, 40)}")`);
    }
    if (entry.title === undefined) warnings.push(`rss: ${label} has no title`);
    if (entry.link === undefined) warnings.push(`rss: ${label} has no link`);
    const mention: Mention = {
      id: rssMentionId(nativeId),
      source: RSS_SOURCE_ID,
      kind: 'post',
      author: entry.author,
      fromBrand: opts.fromBrandFeed || isBrand(entry.author, query.brandHandles),
      brand: query.brand,
      text: entry.text,
      createdAt: entry.createdAt ?? fallbackDate!,
      engagement: entry.replies === undefined ? {} : { replies: entry.replies },
    };
    if (entry.createdAt === undefined) mention.dateEstimated = true;
    mention.threadId = mention.id;
    if (entry.link !== undefined) mention.url = entry.link;
    if (entry.title !== undefined) mention.title = entry.title;
    if (feedLanguage !== undefined) mention.language = feedLanguage;
    mentions.push(mention);
  });

  if (undated.length > 0) {
    // One line per feed, however many items: the items are kept, so this is a note on their dates, not a loss.
    const which = undated.length > 3 ? `${undated.slice(0, 3).join(', ')} and ${undated.length - 3} more` : undated.join(', ');
    const dated = feedDate !== undefined ? `the feed's own date (${feedDate})` : `the time it was read (${fallbackDate})`;
    warnings.push(`rss: feed ${opts.feedLabel}: ${undated.length} item(s) without a readable ${format === 'atom' ? 'published/updated' : 'pubDate'} (${which}) are kept with ${dated} and marked dateEstimated`);
  }
  const result: FeedParseResult = { mentions, warnings, format, entries: items.length };
  if (feedTitle !== undefined && feedTitle !== '') result.title = feedTitle;
  return result;

  interface Entry {
    nativeId?: string;
    link?: string;
    title?: string;
    text: string;
    createdAt?: string;
    /** The date text as written, when it could not be read. */
    rawDate?: string;
    author: Author;
    replies?: number;
  }

  function readRssItem(item: XmlNode): Entry {
    const guid = text(child(item, 'guid'))?.trim() || undefined;
    const rawLink = (text(child(item, 'link'))?.trim() || undefined) ?? item.attribs?.['rdf:about'];
    const link = rawLink === undefined ? undefined : unwrapGoogleRedirect(rawLink);
    const source = child(item, 'source');
    const publisher = text(source)?.trim() || undefined;
    const rawTitle = text(child(item, 'title'));
    const title = rawTitle === undefined ? undefined : stripPublisher(maybeHtml(rawTitle), publisher);
    const body = text(child(item, 'content:encoded')) ?? text(child(item, 'description'));
    const itemText = withoutTitle(htmlToText(body, () => warnings.push(deepHtmlWarning('rss', itemLabel(link ?? guid, rawTitle)))), title, publisher);
    const author: Author = {};
    const creator = (text(child(item, 'dc:creator')) ?? text(child(item, 'author')))?.trim();
    if (creator) {
      // RSS <author> is "email (Name)"; dc:creator is a display name.
      const m = /^\S+@\S+\s*\((.+)\)$/.exec(creator);
      author.name = m?.[1]?.trim() ?? creator;
    } else if (publisher !== undefined) {
      author.name = publisher;
      const url = source?.attribs?.['url'];
      if (url !== undefined) {
        try {
          author.handle = new URL(url).hostname.replace(/^www\./, '');
        } catch {
          /* a bad publisher URL only loses the handle */
        }
      }
    }
    const repliesRaw = text(child(item, 'slash:comments'))?.trim();
    const entry: Entry = { text: itemText, author };
    if (guid !== undefined) entry.nativeId = guid;
    if (link !== undefined) entry.link = link;
    if (title !== undefined) entry.title = title;
    Object.assign(entry, dateOf(item, ['pubDate', 'dc:date'], text));
    if (repliesRaw !== undefined && /^\d+$/.test(repliesRaw)) entry.replies = Number(repliesRaw);
    return entry;
  }

  function readAtomEntry(entry: XmlNode): Entry {
    const links = elementChildren(entry).filter((c) => (c.name ?? '').toLowerCase() === 'link');
    const alternate =
      links.find((l) => (l.attribs?.['rel'] ?? 'alternate') === 'alternate' && l.attribs?.['href']) ??
      links.find((l) => l.attribs?.['href']);
    const href = alternate?.attribs?.['href']?.trim();
    const onDeep = (): void => {
      warnings.push(deepHtmlWarning('rss', itemLabel(href ?? (text(child(entry, 'id'))?.trim() || undefined), text(child(entry, 'title')))));
    };
    const typed = (node: XmlNode | undefined): string | undefined => {
      if (node === undefined) return undefined;
      const type = (node.attribs?.['type'] ?? 'text').toLowerCase();
      if (type === 'xhtml') return htmlToText(inner(node), onDeep);
      const value = text(node) ?? '';
      return type === 'html' || type === 'text/html' ? htmlToText(value, onDeep) : value.replace(/\s+/g, ' ').trim();
    };
    const title = typed(child(entry, 'title'));
    const authorNode = child(entry, 'author');
    const author: Author = {};
    const name = text(authorNode === undefined ? undefined : child(authorNode, 'name'))?.trim();
    if (name) author.name = name;
    const uri = text(authorNode === undefined ? undefined : child(authorNode, 'uri'))?.trim();
    if (uri) author.id = uri;
    const out: Entry = {
      text: withoutTitle(typed(child(entry, 'content')) ?? typed(child(entry, 'summary')) ?? '', title, undefined),
      author,
    };
    const id = text(child(entry, 'id'))?.trim();
    if (id) out.nativeId = id;
    if (href) out.link = unwrapGoogleRedirect(href);
    if (title !== undefined && title !== '') out.title = title;
    Object.assign(out, dateOf(entry, ['published', 'updated'], text));
    return out;
  }
}

/**
 * Local query filter for feeds (feeds are not searched server-side): case-insensitive whole-word match of every
 * word of the query in `text`, where the words written together also match ("acme cloud" ⇒ "AcmeCloud").
 * `OR` separates alternatives; operators such as `when:7d`, `site:x` and `-word` are ignored.
 */
export function matchesQuery(query: string, text: string): boolean {
  const alternatives = query
    .replace(/["“”]/g, ' ')
    .split(/\s+(?:OR|\|)\s+/)
    .map((alt) =>
      alt
        .split(/\s+/)
        .filter((w) => w !== '' && !w.includes(':') && !w.startsWith('-') && w !== 'AND')
        .map((w) => w.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
        .filter((w) => w !== ''),
    )
    .filter((words) => words.length > 0);
  if (alternatives.length === 0) return true;
  const hay = text.normalize('NFKC').toLowerCase();
  const hasWord = (w: string): boolean =>
    new RegExp(`(?<![\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(hay);
  return alternatives.some((words) => words.every(hasWord) || (words.length > 1 && hasWord(words.join(''))));
}
