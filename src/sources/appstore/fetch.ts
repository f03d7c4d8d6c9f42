/**
 * App Store fetch part: the public customer-reviews JSON feed, pages 1..10 (50 reviews each, newest first) per
 * country, until the window, the limit or an empty page. The feed carries no developer responses.
 */
import { shapeChangedWarning } from '../shared/batches.js';
import { SourceError } from '../../core/errors.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { stringListOption } from '../shared/options.js';
import { createPager } from '../shared/pages.js';
import { joinUrl } from '../shared/url.js';
import { parseAppStoreFeed, parseAppStoreXmlFeed } from './parse.js';

const SOURCE = 'appstore';
/** Apple serves at most 10 pages of 50 reviews per country. */
const MAX_PAGES = 10;
/** The one warning every run carries: replies are invisible in this feed. */
export const NO_RESPONSES_WARNING =
  'App Store feed has no developer responses; response rate for appstore is not measurable';

/** Feed URL for one page of one storefront on the base URL in force. */
export function feedUrl(baseUrl: string, country: string, appId: string, page: number): string {
  return joinUrl(baseUrl, `/${encodeURIComponent(country)}/rss/customerreviews/page=${page}/id=${encodeURIComponent(appId)}/sortby=mostrecent/json`);
}

/** The XML feed of the same page: the one that always carries each review's `<updated>` date. */
function xmlFeedUrl(jsonUrl: string): string {
  return jsonUrl.replace(/\/json$/, '/xml');
}

/**
 * Dates for the page's reviews that the JSON feed left undated: from the XML feed of the same page; when that cannot
 * be read, the reviews keep the time they were read as an estimate (marked dateEstimated), and the warning says so.
 */
async function datesFromXml(
  ctx: SourceContext,
  jsonUrl: string,
  where: { appId: string; country: string; label: string },
  undated: number,
): Promise<{ dates?: Map<string, string>; warning?: string }> {
  const label = where.label;
  const url = xmlFeedUrl(jsonUrl);
  ctx.log.debug(`appstore: ${label}: ${undated} review(s) without a date in the JSON feed; GET ${url}`);
  let why: string;
  try {
    const body = (await ctx.http.get(url, { headers: { Accept: 'application/atom+xml, application/xml' }, signal: ctx.signal, sourceId: SOURCE })).body;
    const xml = parseAppStoreXmlFeed(body, ctx.query, { appId: where.appId, country: where.country });
    const dates = new Map(xml.mentions.map((m) => [m.id.slice(`${SOURCE}:`.length), m.createdAt] as const));
    if (dates.size > 0) return { dates };
    why = 'it listed no dated reviews';
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    why = error instanceof SourceError ? error.message : String(error);
  }
  return {
    warning: `appstore: ${label}: ${undated} review(s) carry no date in the JSON feed and the XML feed could not date them (${why}); they are kept with the time they were read (${ctx.now.toISOString()}) and marked dateEstimated.`,
  };
}

/** Option `appId`: the numeric id from the App Store URL (`…/app/acme-cloud/id1234567890`); `id` prefix accepted. */
export function appIdOption(options: Readonly<Record<string, unknown>>): string {
  const value = options['appId'];
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const id = /^(?:id)?(\d{5,})$/i.exec(text)?.[1] ?? /\/id(\d{5,})(?:[/?#]|$)/.exec(text)?.[1];
  if (id === undefined) {
    throw new SourceError(
      'config',
      value === undefined || value === ''
        ? 'appstore: option "appId" is required: the numeric id in the app\'s App Store URL (apps.apple.com/us/app/<name>/id<appId>).'
        : `appstore: option "appId" must be the numeric App Store id (apps.apple.com/us/app/<name>/id<appId>), not "${String(value)}".`,
      { sourceId: SOURCE },
    );
  }
  return id;
}

/** Option `countries` (two-letter storefront codes), default `['us']`. */
export function countriesOption(options: Readonly<Record<string, unknown>>): string[] {
  const list = stringListOption(options, 'countries', SOURCE).map((c) => c.trim().toLowerCase());
  for (const c of list) {
    if (!/^[a-z]{2}$/.test(c)) {
      throw new SourceError('config', `appstore: "${c}" in option "countries" is not a two-letter storefront code such as "us" or "fr".`, {
        sourceId: SOURCE,
      });
    }
  }
  return list.length > 0 ? [...new Set(list)] : ['us'];
}

function pagesOption(options: Readonly<Record<string, unknown>>): number {
  const v = options['pages'];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? Math.min(v, MAX_PAGES) : MAX_PAGES;
}

/** Yields one batch per feed page: the reviews inside the window, newest first, country by country. */
export async function* fetchAppStore(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  const appId = appIdOption(query.options);
  const countries = countriesOption(query.options);
  const maxPages = pagesOption(query.options);
  const pending: string[] = [NO_RESPONSES_WARNING];
  const seen = new Set<string>();
  let yielded = 0;
  const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));

  for (const country of countries) {
    if (yielded + pager.repeats >= query.limit) break;
    const pages = pager.loop(`the ${country} reviews`, maxPages);
    for (let pageNo = 1; yielded + pager.repeats < query.limit; pageNo += 1) {
      const url = feedUrl(ctx.baseUrl, country, appId, pageNo);
      // Apple serves 10 pages: the cap is silent here, but the signal is still checked on every page.
      if (pageNo > maxPages || !pages.next(url)) break;
      ctx.log.debug(`appstore: GET ${url}`);
      let body: string;
      try {
        body = (await ctx.http.get(url, { headers: { Accept: 'application/json' }, signal: ctx.signal, sourceId: SOURCE })).body;
      } catch (error) {
        // Past the last page Apple may answer 404 rather than an empty feed: that storefront is done.
        if (error instanceof SourceError && error.code === 'not-found' && pageNo > 1) {
          ctx.log.debug(`appstore: ${country} page ${pageNo} is not served; storefront done.`);
          break;
        }
        // Apple answers an unknown app or storefront with 400/404; say which option to check.
        if (error instanceof SourceError && (error.code === 'not-found' || error.status === 400)) {
          throw new SourceError('config', `appstore: Apple has no review feed for app ${appId} in storefront "${country}"; check options appId and countries.`, {
            sourceId: SOURCE,
            status: error.status,
            cause: error,
          });
        }
        throw error;
      }
      let page = parseAppStoreFeed(body, query, { appId, country });
      if (page.undated.length > 0) {
        const { dates, warning } = await datesFromXml(ctx, url, { appId, country, label: `${country} page ${pageNo}` }, page.undated.length);
        page = parseAppStoreFeed(body, query, { appId, country, estimate: ctx.now.toISOString(), ...(dates ? { dates } : {}) });
        if (warning) page.warnings.push(warning);
        const still = dates ? page.undated.filter((id) => !dates.has(id)).length : 0;
        if (dates && still > 0) {
          page.warnings.push(`appstore: ${country} page ${pageNo}: ${still} review(s) are in neither feed's dates; they are kept with the time they were read (${ctx.now.toISOString()}) and marked dateEstimated.`);
        }
      }
      const fresh = pages.listed(page.mentions.map((m) => m.id));
      let estimatedOutside = 0;
      const mentions = page.mentions
        .filter((m) => {
          if (seen.has(m.id)) return false;
          const t = Date.parse(m.createdAt);
          const outside = (query.since && t < query.since.getTime()) || (query.until && t > query.until.getTime());
          if (outside && m.dateEstimated) estimatedOutside += 1;
          if (outside) return false;
          seen.add(m.id);
          return true;
        })
        .slice(0, query.limit - yielded);
      yielded += mentions.length;
      const changed = shapeChangedWarning(SOURCE, `the ${country} feed page ${pageNo}`, page.entryCount, page.mentions.length + page.undated.length);
      if (changed) page.warnings.push(changed);
      if (estimatedOutside > 0) {
        // Their real time is unknown, so leaving them out is a guess too: say how many.
        page.warnings.push(`appstore: ${country} page ${pageNo}: ${estimatedOutside} undated review(s) left out because the time they were read (${ctx.now.toISOString()}) is outside the audit window.`);
      }
      if (page.entryCount === 0 && pageNo === 1) {
        pending.push(
          `appstore: the ${country} feed for app ${appId} returned no reviews (Apple sometimes sends an empty feed to data-centre networks; try again from another network if the app has reviews there).`,
        );
      }
      yield { mentions, warnings: [...pending.splice(0), ...page.warnings] };
      if (page.entryCount === 0 || (!fresh && page.mentions.length > 0)) break;
      if (page.lastPage !== undefined && pageNo >= page.lastPage) break;
      // Newest first: once a page reaches back past `since`, the rest of this storefront is older still.
      if (query.since && page.oldest !== undefined && Date.parse(page.oldest) < query.since.getTime()) break;
    }
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };
}
