/**
 * Steam reviews I/O: `GET /appreviews/<appid>?json=1&filter=recent&num_per_page=100&cursor=<c>` newest first, the
 * cursor handed back by each page (URL-encoded: it holds `+`, `/` and `=`) until a page is empty, repeats its cursor,
 * reaches before `since`, the limit or the page cap.
 */
import { SourceError } from '../../core/errors.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager } from '../shared/pages.js';
import { joinUrl } from '../shared/url.js';
import { parseSteamReviews, STEAM_ID } from './parse.js';

/** Pages read when option pages is not given (100 reviews each). */
export const DEFAULT_PAGES = 10;
/** Steam's largest page. */
const PER_PAGE = 100;

/** Option appId: the number in store.steampowered.com/app/<appId>/, or that URL. */
export function steamAppId(options: Readonly<Record<string, unknown>>): string {
  const raw = options['appId'];
  const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const id = /\/app\/(\d+)/.exec(value)?.[1] ?? value;
  if (!/^\d{1,10}$/.test(id)) {
    throw new SourceError(
      'config',
      value === ''
        ? `${STEAM_ID}: option "appId" is required: the number in the store URL (store.steampowered.com/app/<appId>/).`
        : `${STEAM_ID}: option "appId" must be the number in store.steampowered.com/app/<appId>/, not "${value}".`,
      { sourceId: STEAM_ID },
    );
  }
  return id;
}

/** The reviews URL for one page. */
function reviewsUrl(baseUrl: string, appId: string, cursor: string, language: string): string {
  const params = new URLSearchParams({ json: '1', filter: 'recent', language, review_type: 'all', purchase_type: 'all', num_per_page: String(PER_PAGE), cursor });
  return `${joinUrl(baseUrl, `/appreviews/${appId}`)}?${params.toString()}`;
}

/** Review pages newest first, one batch per page: reviews in the window with the developer's responses. */
export async function* fetchSteam(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  const appId = steamAppId(query.options);
  const rawPages = query.options['pages'];
  const maxPages = typeof rawPages === 'number' && Number.isInteger(rawPages) && rawPages >= 1 ? Math.min(rawPages, 100) : DEFAULT_PAGES;
  const rawLang = query.options['language'];
  const language = typeof rawLang === 'string' && rawLang.trim() !== '' ? rawLang.trim().toLowerCase() : 'all';
  const pending: string[] = [];
  const pager = createPager(STEAM_ID, ctx.signal, (w) => pending.push(w));
  const pages = pager.loop('the reviews', maxPages + 1);
  let cursor = '*';
  let yielded = 0;
  for (let pageNo = 1; pageNo <= maxPages && yielded + pager.repeats < query.limit && pages.next(cursor); pageNo += 1) {
    const res = await ctx.http.get(reviewsUrl(ctx.baseUrl, appId, cursor, language), { sourceId: STEAM_ID, signal: ctx.signal, headers: { accept: 'application/json' } });
    const page = parseSteamReviews(res.body, query, { appId });
    const fresh = pages.listed(page.mentions.filter((m) => m.kind === 'review').map((m) => m.id));
    if (pageNo === 1 && page.reviewCount === 0) pending.push(`${STEAM_ID}: Steam has no reviews for app ${appId}${language !== 'all' ? ` in ${language}` : ''} (filter=recent); check option appId or language.`);
    const inWindow = new Set<string>();
    const mentions = page.mentions
      .filter((m) => {
        if (m.kind === 'review') {
          const t = Date.parse(m.createdAt);
          if ((query.since && t < query.since.getTime()) || (query.until && t > query.until.getTime())) return false;
          inWindow.add(m.id);
          return true;
        }
        return m.parentId !== undefined && inWindow.has(m.parentId);
      })
      .slice(0, query.limit - yielded);
    yielded += mentions.length;
    yield { mentions, warnings: [...pending.splice(0), ...page.warnings] };
    // The last page is empty (and repeats the cursor it was given). A page with reviews that repeats its cursor is not
    // the end Steam signals: the pager's repeated-cursor guard stops it at the next turn, with a warning.
    if (page.reviewCount === 0 || page.cursor === undefined || !fresh) break;
    // Newest first (filter=recent): a page reaching back past `since` means the next ones are older still.
    if (query.since && page.oldest !== undefined && Date.parse(page.oldest) < query.since.getTime()) break;
    if (pageNo === maxPages) pending.push(`${STEAM_ID}: stopped after ${maxPages} pages (option "pages"); older reviews were not read.`);
    cursor = page.cursor;
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };
}
