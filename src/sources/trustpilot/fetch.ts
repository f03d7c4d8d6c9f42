/**
 * Trustpilot fetch part: `/review/<domain>?page=N&sort=recency` pages (newest first) until the window, the
 * limit or the last page; or, with option `fromHtml`, review pages saved from a browser, read from a folder
 * with no network at all (the site's bot wall refuses most plain HTTP clients).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager } from '../shared/pages.js';
import { joinUrl } from '../shared/url.js';
import { detectTrustpilotWall, parseTrustpilotPage, wallError, type TrustpilotPage } from './parse.js';

const SOURCE = 'trustpilot';
/** Environment variable holding a browser Cookie header (with `aws-waf-token`). */
const COOKIE_ENV = 'TRUSTPILOT_COOKIE';
/** Pages read per run unless option `pages` says otherwise (20 reviews a page). */
const DEFAULT_PAGES = 25;
/** Trustpilot stops serving pages past about 200 (4,000 reviews) for one filter. */
const MAX_PAGES = 200;

/** Review-page URL for a company domain on the base URL in force. */
export function reviewPageUrl(baseUrl: string, domain: string, page: number): string {
  const params = new URLSearchParams({ page: String(page), sort: 'recency' });
  return `${joinUrl(baseUrl, `/review/${encodeURIComponent(domain)}`)}?${params.toString()}`;
}

/** The `domain` option, or (when no `fromHtml` folder stands in for it) the config error saying it is required. */
function requiredDomain(options: Readonly<Record<string, unknown>>): string {
  const domain = domainOption(options);
  if (domain === undefined || domain === '') {
    throw new SourceError(
      'config',
      'trustpilot: option "domain" is required (the company\'s Trustpilot domain, as in trustpilot.com/review/<domain>), or give --from-html DIR with saved review pages.',
      { sourceId: SOURCE },
    );
  }
  return domain;
}

/** Checks before any request that the source has a review page (`domain`) or saved pages (`fromHtml`) to read. */
export function checkTrustpilotSettings(options: Readonly<Record<string, unknown>>): void {
  const fromHtml = options['fromHtml'];
  if (typeof fromHtml === 'string' && fromHtml !== '') return;
  requiredDomain(options);
}

/** Reads option `domain`: the company's Trustpilot domain (`acmecloud.example`), without scheme or path. */
export function domainOption(options: Readonly<Record<string, unknown>>): string | undefined {
  const value = options['domain'];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new SourceError('config', 'trustpilot: option "domain" must be a string such as "acmecloud.example".', { sourceId: SOURCE });
  }
  // Accept a pasted Trustpilot URL or a website URL and keep the bare domain.
  const trimmed = value.trim().replace(/^https?:\/\/(www\.)?trustpilot\.com\/review\//i, '').replace(/^https?:\/\//i, '');
  return trimmed.replace(/[/?#].*$/, '').toLowerCase();
}

function pagesOption(options: Readonly<Record<string, unknown>>): number {
  const v = options['pages'];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? Math.min(v, MAX_PAGES) : DEFAULT_PAGES;
}

function inWindow(createdAt: string, since?: Date, until?: Date): boolean {
  const t = Date.parse(createdAt);
  if (since && t < since.getTime()) return false;
  if (until && t > until.getTime()) return false;
  return true;
}

/**
 * Keeps the reviews inside the window (with their replies, even when a reply falls after `until`: it is part of
 * the review's thread) and drops ids already yielded.
 */
function select(page: TrustpilotPage, ctx: SourceContext, seen: Set<string>): Mention[] {
  const { since, until } = ctx.query;
  const keep = new Set<string>();
  const out: Mention[] = [];
  for (const m of page.mentions) {
    if (seen.has(m.id)) continue;
    if (m.kind === 'review') {
      if (!inWindow(m.createdAt, since, until)) continue;
      keep.add(m.id);
    } else if (m.parentId === undefined || !keep.has(m.parentId)) {
      continue;
    }
    seen.add(m.id);
    out.push(m);
  }
  return out;
}

/** Yields one batch per review page: reviews in the window and the company's replies to them. */
export async function* fetchTrustpilot(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const fromHtml = ctx.query.options['fromHtml'];
  if (typeof fromHtml === 'string' && fromHtml !== '') {
    yield* readSavedPages(ctx, fromHtml);
    return;
  }
  if (fromHtml !== undefined && fromHtml !== null && fromHtml !== '') {
    throw new SourceError('config', 'trustpilot: option "fromHtml" must be a folder path.', { sourceId: SOURCE });
  }
  const domain = requiredDomain(ctx.query.options);
  const cookie = ctx.env[COOKIE_ENV]?.trim() || undefined;
  const headers: Record<string, string> = {
    Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
    'Accept-Language': 'en-US,en;q=0.8',
  };
  // The cookie only ever travels in the Cookie header (the HTTP layer redacts it from logs, cache keys and evidence).
  if (cookie) headers['Cookie'] = cookie;

  const pending: string[] = [];
  if (!cookie) {
    pending.push(
      `trustpilot: ${COOKIE_ENV} is not set; Trustpilot's bot wall refuses most plain HTTP clients, so fetching may be blocked. ` +
        `Set ${COOKIE_ENV} to a browser Cookie header or use --from-html DIR with saved review pages.`,
    );
  }

  const get = async (url: string): Promise<HttpResponse> => {
    ctx.log.debug(`trustpilot: GET ${url}`);
    let res: HttpResponse;
    try {
      res = await ctx.http.get(url, { headers, signal: ctx.signal, sourceId: SOURCE });
    } catch (error) {
      // 403 (WAF block) and 405 (AWS WAF CAPTCHA) reach us as errors; give the Trustpilot-specific way out.
      if (error instanceof SourceError && (error.code === 'blocked' || error.status === 403 || error.status === 405)) {
        const label =
          error.status === 405 ? 'AWS WAF CAPTCHA, HTTP 405' : error.status === 403 ? 'HTTP 403' : 'a challenge page';
        throw wallError(label, domain, cookie !== undefined, error);
      }
      if (error instanceof SourceError && error.code === 'not-found') {
        throw new SourceError('config', `trustpilot: Trustpilot has no company page for "${domain}"; check option "domain".`, {
          sourceId: SOURCE,
          status: error.status,
          cause: error,
        });
      }
      throw error;
    }
    // AWS WAF answers a challenge with 202 and x-amzn-waf-action: challenge; the client lets 2xx through.
    const action = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'x-amzn-waf-action')?.[1];
    const wall = action !== undefined ? `AWS WAF ${action}` : detectTrustpilotWall(res.body);
    if (wall !== undefined) throw wallError(wall, domain, cookie !== undefined);
    return res;
  };

  const maxPages = pagesOption(ctx.query.options);
  const seen = new Set<string>();
  let yielded = 0;
  let removed = 0;
  const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));
  // The option's cap has its own message below; the guard adds the signal on every turn and pages of repeats.
  const pages = pager.loop('the review pages', maxPages + 1);
  for (let pageNo = 1; pageNo <= maxPages && yielded + pager.repeats < ctx.query.limit; pageNo += 1) {
    const url = reviewPageUrl(ctx.baseUrl, domain, pageNo);
    if (!pages.next(url)) break;
    const res = await get(url);
    const page = parseTrustpilotPage(res.body, ctx.query, { siteUrl: ctx.baseUrl });
    const fresh = pages.listed(page.mentions.filter((m) => m.kind === 'review').map((m) => m.id));
    removed += page.removed;
    const mentions = select(page, ctx, seen).slice(0, ctx.query.limit - yielded);
    yielded += mentions.length;
    yield { mentions, warnings: [...pending.splice(0), ...page.warnings] };
    const last = page.pagination?.totalPages;
    if (page.reviewCount === 0 || !fresh || (last !== undefined && pageNo >= last)) break;
    // Pages are sorted newest first: once a page reaches back past `since`, later pages are all older.
    if (ctx.query.since && page.oldest !== undefined && Date.parse(page.oldest) < ctx.query.since.getTime()) break;
    if (pageNo === maxPages && (last === undefined || last > pageNo)) {
      pending.push(`trustpilot: stopped after ${maxPages} pages (option "pages"); older reviews were not read.`);
    }
  }
  if (removed > 0) ctx.log.debug(`trustpilot: ${removed} removed reviews left out.`);
  if (pending.length > 0) yield { mentions: [], warnings: pending };
}

/** Reads `*.html` files saved from a browser (any page order), oldest duplicates dropped, no network. */
async function* readSavedPages(ctx: SourceContext, dir: string): AsyncGenerator<SourceBatch> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.html?$/i.test(n)).sort();
  } catch (cause) {
    throw new SourceError('config', `trustpilot: cannot read the --from-html folder "${dir}".`, { sourceId: SOURCE, cause });
  }
  if (names.length === 0) {
    throw new SourceError('config', `trustpilot: the --from-html folder "${dir}" holds no .html files.`, { sourceId: SOURCE });
  }
  const seen = new Set<string>();
  let yielded = 0;
  let removed = 0;
  let parsed = 0;
  let firstError: unknown;
  const problems: string[] = [];
  for (const name of names) {
    if (yielded >= ctx.query.limit) break;
    if (ctx.signal.aborted) throw new SourceError('interrupted', 'trustpilot: interrupted while reading saved pages.', { sourceId: SOURCE });
    const html = await readFile(join(dir, name), 'utf8');
    let page: TrustpilotPage;
    try {
      page = parseTrustpilotPage(html, ctx.query);
    } catch (error) {
      // A saved wall page or some other page in the folder should not hide the good ones.
      if (!(error instanceof SourceError)) throw error;
      firstError ??= error;
      problems.push(`trustpilot: ${name} skipped: ${error.message}`);
      continue;
    }
    parsed += 1;
    removed += page.removed;
    const mentions = select(page, ctx, seen).slice(0, ctx.query.limit - yielded);
    yielded += mentions.length;
    yield { mentions, warnings: [...problems.splice(0), ...page.warnings] };
  }
  if (parsed === 0 && firstError !== undefined) throw firstError;
  if (removed > 0) ctx.log.debug(`trustpilot: ${removed} removed reviews left out.`);
  if (problems.length > 0) yield { mentions: [], warnings: problems };
}
