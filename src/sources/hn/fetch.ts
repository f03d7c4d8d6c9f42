/** I/O for Hacker News: time-sliced `search_by_date` paging, then one `items/<id>` tree per story found. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { HttpResponse } from '../../http/types.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager, type PageLoop, type Pager } from '../shared/pages.js';
import { HN_SOURCE_ID, hnMentionId, parseHnItem, parseHnSearch, type HnSearchPage } from './parse.js';

/** created_at_i of HN item 1 (2006-10-09T18:21:51Z): the lower bound when no --since is given. */
const HN_EPOCH_SECONDS = 1160418111;
/** Default page size; Algolia allows up to 1,000 but reaches at most 1,000 hits per query anyway. */
const DEFAULT_HITS_PER_PAGE = 100;
/** Algolia serves at most 1,000 hits of one query, however many pages it claims. */
const REACHABLE_HITS = 1000;
/**
 * Search windows one run may use. Real splitting reads the newest windows first and reaches the limit within a few
 * dozen; a server claiming a million hits while serving one would otherwise split down to one-second windows.
 */
const MAX_WINDOWS = 200;

/** How one run pages the search: its guards, the hits read so far, and the windows it may still open. */
export interface HnPaging {
  pager: Pager;
  /** Hits of the pages that were read (not those of a window about to be split): windows are disjoint, so a repeat is a server's error. */
  hits: PageLoop;
  windowsLeft: number;
}

/** Fresh paging state for a run; warnings go to `warn`. */
function hnPaging(ctx: SourceContext, warn: (message: string) => void): HnPaging {
  const pager = createPager(HN_SOURCE_ID, ctx.signal, warn);
  return { pager, hits: pager.loop('the search hits', Number.POSITIVE_INFINITY), windowsLeft: MAX_WINDOWS };
}

/** One search window: `created_at_i` in [lo, hi). */
export interface HnWindow {
  lo: number;
  hi: number;
}

/** Builds the `search_by_date` URL for a window and page. */
export function hnSearchUrl(baseUrl: string, query: string, window: HnWindow, page: number, hitsPerPage: number): string {
  const params = new URLSearchParams({
    query,
    tags: '(story,comment)',
    numericFilters: `created_at_i>=${window.lo},created_at_i<${window.hi}`,
    hitsPerPage: String(hitsPerPage),
    page: String(page),
  });
  return `${trimSlash(baseUrl)}/api/v1/search_by_date?${params.toString()}`;
}

/** Builds the `items/<id>` URL (the whole nested comment tree in one request). */
function hnItemUrl(baseUrl: string, id: number): string {
  return `${trimSlash(baseUrl)}/api/v1/items/${id}`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The window for a query: [since, until) in whole seconds, defaulting to all of HN up to `now`. */
export function initialWindow(since: Date | undefined, until: Date | undefined, now: Date): HnWindow {
  // Integer seconds s satisfy s*1000 >= since exactly when s >= ceil(since/1000); same for < until.
  const lo = since === undefined ? HN_EPOCH_SECONDS : Math.ceil(since.getTime() / 1000);
  const hi = Math.ceil((until ?? now).getTime() / 1000);
  return { lo, hi: Math.max(hi, lo) };
}

function readHitsPerPage(ctx: SourceContext): { value: number; warning?: string } {
  const raw = ctx.query.options['hitsPerPage'];
  if (raw === undefined) return { value: DEFAULT_HITS_PER_PAGE };
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 1000) return { value: raw };
  return {
    value: DEFAULT_HITS_PER_PAGE,
    warning: `hn: option hitsPerPage must be an integer from 1 to 1000; using ${DEFAULT_HITS_PER_PAGE}`,
  };
}

/** One GET; non-2xx answers arrive as the client's classified errors, which already name the host and the fix. */
function get(ctx: SourceContext, url: string): Promise<HttpResponse> {
  return ctx.http.get(url, { sourceId: HN_SOURCE_ID, signal: ctx.signal, headers: { accept: 'application/json' } });
}

/**
 * Pages through one window newest first. When the window holds more hits than paging can reach
 * (`nbHits` > `nbPages` × `hitsPerPage`, Algolia stops at 1,000), it is split in halves, newer half first.
 */
export async function* searchWindow(
  ctx: SourceContext,
  window: HnWindow,
  hitsPerPage: number,
  paging: HnPaging = hnPaging(ctx, (w) => ctx.log.warn(w)),
): AsyncGenerator<HnSearchPage> {
  paging.windowsLeft -= 1;
  // Page numbers never repeat; the loop caps them at what Algolia can serve and checks the signal on every turn.
  const pages = paging.pager.loop(`the search window ${window.lo}..${window.hi}`, Math.ceil(REACHABLE_HITS / hitsPerPage));
  const fetchPage = async (page: number): Promise<HnSearchPage> => {
    const res = await get(ctx, hnSearchUrl(ctx.baseUrl, ctx.query.query, window, page, hitsPerPage));
    return parseHnSearch(res.body, ctx.query);
  };
  if (!pages.next('0')) return;
  const first = await fetchPage(0);
  const reachable = first.nbPages * first.hitsPerPage;
  // An empty first page means nothing is there, whatever nbHits claims: never split on it (no runaway splitting).
  if (first.nbHits > reachable && first.hitCount > 0) {
    // Two windows per split: both must fit in what is left, else this window is read as it is.
    if (window.hi - window.lo > 1 && paging.windowsLeft >= 2) {
      const mid = window.lo + Math.floor((window.hi - window.lo) / 2);
      ctx.log.debug(`hn: window ${window.lo}..${window.hi} holds ${first.nbHits} hits (> ${reachable} reachable); splitting at ${mid}`);
      yield* searchWindow(ctx, { lo: mid, hi: window.hi }, hitsPerPage, paging);
      yield* searchWindow(ctx, { lo: window.lo, hi: mid }, hitsPerPage, paging);
      return;
    }
    first.warnings.push(
      window.hi - window.lo > 1
        ? `hn: the search claims ${first.nbHits} hits in ${window.lo}..${window.hi} but ${MAX_WINDOWS} search windows are used up; only ${reachable} of them can be read`
        : `hn: ${first.nbHits} hits fall in the one-second window at ${new Date(window.lo * 1000).toISOString()}; only ${reachable} can be read`,
    );
  }
  // Windows are disjoint: a page of hits read before is a server going round, and its window ends there.
  if (!paging.hits.listed(first.mentions.map((m) => m.id)) && first.mentions.length > 0) return;
  yield first;
  for (let page = 1; page < first.nbPages && pages.next(String(page)); page++) {
    const next = await fetchPage(page);
    const repeated = !paging.hits.listed(next.mentions.map((m) => m.id)) && next.mentions.length > 0;
    yield next;
    if (repeated || (next.mentions.length === 0 && next.warnings.length === 0)) break;
  }
}

/** Errors that must end the run rather than degrade one thread: cancellation and host-wide refusals. */
function isFatal(ctx: SourceContext, err: unknown): boolean {
  if (ctx.signal.aborted || !(err instanceof SourceError)) return true;
  return err.code === 'interrupted' || err.code === 'rate-limited' || err.code === 'blocked';
}

/**
 * The Hacker News fetch part: search hits in the query window, then each hit's whole story tree (deduplicated)
 * so replies by the brand's handles are seen. Stops once `query.limit` mentions (threads included) are yielded.
 * Thread items outside [since, until) are kept on purpose: a reply after the window still answers a complaint in it.
 */
export async function* fetchHn(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  if (query.limit <= 0) return;
  const perPage = readHitsPerPage(ctx);
  let pending: string[] = perPage.warning === undefined ? [] : [perPage.warning];
  const window = initialWindow(query.since, query.until, ctx.now);
  const paging = hnPaging(ctx, (w) => pending.push(w));
  const fetchedStories = new Set<number>();
  const emitted = new Set<string>();
  let count = 0;
  let dropped = 0;

  /** Dedupes against what was already yielded and trims to the limit. */
  const take = (mentions: readonly Mention[]): Mention[] => {
    const out: Mention[] = [];
    for (const m of mentions) {
      if (count >= query.limit) break;
      if (emitted.has(m.id)) continue;
      emitted.add(m.id);
      out.push(m);
      count += 1;
    }
    return out;
  };

  for await (const page of searchWindow(ctx, window, perPage.value, paging)) {
    pending.push(...page.warnings);
    // Hits whose story is unknown cannot be threaded: keep them as they are.
    const orphans = page.mentions.filter((m) => m.threadId === undefined);
    if (orphans.length > 0) {
      yield { mentions: take(orphans), warnings: pending };
      pending = [];
    }
    for (const storyId of page.storyIds) {
      if (count + paging.pager.repeats >= query.limit) break;
      if (fetchedStories.has(storyId)) continue;
      fetchedStories.add(storyId);
      let mentions: Mention[];
      try {
        const res = await get(ctx, hnItemUrl(ctx.baseUrl, storyId));
        const tree = parseHnItem(res.body, query);
        pending.push(...tree.warnings);
        dropped += tree.dropped;
        mentions = tree.mentions;
      } catch (err) {
        if (isFatal(ctx, err) || !(err instanceof SourceError)) throw err;
        pending.push(`hn: thread ${storyId} could not be read (${err.message}); keeping its search hits without replies`);
        mentions = page.mentions.filter((m) => m.threadId === hnMentionId(storyId));
      }
      yield { mentions: take(mentions), warnings: pending };
      pending = [];
    }
    if (count + paging.pager.repeats >= query.limit) {
      ctx.log.debug(`hn: stopped at the limit of ${query.limit} mentions`);
      break;
    }
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };
  if (dropped > 0) ctx.log.debug(`hn: left out ${dropped} deleted items with no brand reply beneath them`);
}
