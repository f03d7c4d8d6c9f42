/**
 * Google Play fetch part (experimental): POSTs the reviews RPC (`UsvDTd`, newest first) to `batchexecute`,
 * following the page token until the window, the limit, the page cap or the last page.
 */
import { SourceError } from '../../core/errors.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager } from '../shared/pages.js';
import { joinUrl } from '../shared/url.js';
import { parsePlayReviews, REVIEWS_RPC } from './parse.js';

const SOURCE = 'googleplay';
/** Sort codes of the RPC: 1 most relevant, 2 newest, 3 rating. */
const SORT_NEWEST = 2;
/** Reviews asked per call; scrapers use 100-199 and Play turns flaky above about 100. */
const DEFAULT_PER_PAGE = 100;
/** Calls per run unless option `pages` says otherwise. */
const DEFAULT_PAGES = 10;
/** The one warning every run carries. */
export const EXPERIMENTAL_WARNING =
  'googleplay: experimental: Google Play reviews come from an undocumented web RPC whose format may change and break without notice; results may be incomplete.';

/** Option `appId`: the package name (`com.example.app`) or a Play URL holding `?id=`. */
export function appIdOption(options: Readonly<Record<string, unknown>>): string {
  const value = options['appId'];
  const text = typeof value === 'string' ? value.trim() : '';
  const fromUrl = /[?&]id=([A-Za-z][\w.]*)/.exec(text)?.[1];
  const id = fromUrl ?? text;
  if (!/^[A-Za-z][\w]*(\.[A-Za-z0-9_]+)+$/.test(id)) {
    throw new SourceError(
      'config',
      value === undefined || value === ''
        ? 'googleplay: option "appId" is required: the package name from the Play URL (play.google.com/store/apps/details?id=<appId>).'
        : `googleplay: option "appId" must be a package name such as com.example.app, not "${String(value)}".`,
      { sourceId: SOURCE },
    );
  }
  return id;
}

function stringOption(options: Readonly<Record<string, unknown>>, key: string, fallback: string, pattern: RegExp): string {
  const v = options[key];
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v !== 'string' || !pattern.test(v.trim())) {
    throw new SourceError('config', `googleplay: option "${key}" must look like "${fallback}".`, { sourceId: SOURCE });
  }
  return v.trim().toLowerCase();
}

function intOption(options: Readonly<Record<string, unknown>>, key: string, fallback: number, max: number): number {
  const v = options[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? Math.min(v, max) : fallback;
}

/**
 * RPC endpoint for page `page` (1-based). `_reqid` is the web client's request counter (it grows by 100000 per
 * call); we send the same sequence, which also lets a recorded-fixture server tell pages apart.
 */
export function rpcUrl(baseUrl: string, lang: string, country: string, page: number): string {
  const params = new URLSearchParams({
    rpcids: REVIEWS_RPC,
    'source-path': '/store/apps/details',
    hl: lang,
    gl: country,
    'soc-app': '121',
    'soc-platform': '1',
    'soc-device': '1',
    _reqid: String(page * 100000 + 1063),
  });
  return `${joinUrl(baseUrl, '/_/PlayStoreUi/data/batchexecute')}?${params.toString()}`;
}

/** The form body: `f.req=` + the URL-encoded envelope `[[["UsvDTd","<args as JSON>",null,"generic"]]]`. */
export function rpcBody(appId: string, count: number, token: string | undefined): string {
  const args = [null, null, [2, SORT_NEWEST, [count, null, token ?? null], null, []], [appId, 7]];
  const envelope = [[[REVIEWS_RPC, JSON.stringify(args), null, 'generic']]];
  return `f.req=${encodeURIComponent(JSON.stringify(envelope))}`;
}

/** Yields one batch per RPC page: reviews in the window with their developer replies. */
export async function* fetchGooglePlay(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  const appId = appIdOption(query.options);
  const lang = stringOption(query.options, 'lang', 'en', /^[a-z]{2}([-_][a-z]{2})?$/i);
  const country = stringOption(query.options, 'country', 'us', /^[a-z]{2}$/i);
  const maxPages = intOption(query.options, 'pages', DEFAULT_PAGES, 100);
  const perPage = intOption(query.options, 'perPage', DEFAULT_PER_PAGE, 199);
  const pending: string[] = [EXPERIMENTAL_WARNING];
  const seen = new Set<string>();
  let token: string | undefined;
  let yielded = 0;
  let removed = 0;

  const pager = createPager(SOURCE, ctx.signal, (w) => pending.push(w));
  // POSTs are never cached, but a token the RPC hands back again would page in a circle: the token names the page.
  const pages = pager.loop('the reviews', maxPages + 1);
  for (let pageNo = 1; pageNo <= maxPages && yielded + pager.repeats < query.limit && pages.next(token ?? '(first page)'); pageNo += 1) {
    const url = rpcUrl(ctx.baseUrl, lang, country, pageNo);
    ctx.log.debug(`googleplay: POST ${url} (page ${pageNo})`);
    const res = await ctx.http.post(url, rpcBody(appId, perPage, token), {
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      signal: ctx.signal,
      sourceId: SOURCE,
    });
    const page = parsePlayReviews(res.body, query, { appId });
    const fresh = pages.listed(page.mentions.map((m) => m.id));
    if (pageNo === 1 && page.reviewCount === 0) {
      pending.push(`googleplay: Google Play returned no reviews for ${appId} (${lang}-${country}); check option appId, or try another lang/country.`);
    }
    const keep = new Set<string>();
    const mentions = page.mentions
      .filter((m) => {
        if (seen.has(m.id)) return false;
        if (m.kind === 'review') {
          const t = Date.parse(m.createdAt);
          if ((query.since && t < query.since.getTime()) || (query.until && t > query.until.getTime())) return false;
          keep.add(m.id);
        } else if (m.parentId === undefined || !keep.has(m.parentId)) {
          return false;
        }
        seen.add(m.id);
        return true;
      })
      .slice(0, query.limit - yielded);
    removed += page.reviewCount - page.mentions.filter((m) => m.kind === 'review').length;
    yielded += mentions.length;
    yield { mentions, warnings: [...pending.splice(0), ...page.warnings] };
    token = page.nextToken;
    if (token === undefined || page.reviewCount === 0 || !fresh) break;
    // Newest first: once a page reaches back past `since`, the following pages are older still.
    if (query.since && page.oldest !== undefined && Date.parse(page.oldest) < query.since.getTime()) break;
    if (pageNo === maxPages) pending.push(`googleplay: stopped after ${maxPages} pages (option "pages"); older reviews were not read.`);
  }
  if (removed > 0) ctx.log.debug(`googleplay: ${removed} unreadable reviews left out.`);
  if (pending.length > 0) yield { mentions: [], warnings: pending };
}
