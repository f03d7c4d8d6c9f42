/** I/O for the _template source: `GET /api/search?q=<query>&page=<n>` until `next_page` is null or maxPages is reached. */
import { SourceError } from '../../core/errors.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { createPager } from '../shared/pages.js';
import { TEMPLATE_ID, parseTemplateSearch } from './parse.js';

/** Pages read when option maxPages is not given. */
export const DEFAULT_MAX_PAGES = 5;

/** The search URL for a page. */
function searchPageUrl(baseUrl: string, query: string, page: number): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/search?${new URLSearchParams({ q: query, page: String(page) }).toString()}`;
}

/** Search pages newest first, one batch per page, up to `query.limit` mentions. */
export async function* fetchTemplate(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const raw = ctx.query.options['maxPages'];
  const maxPages = typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 ? raw : DEFAULT_MAX_PAGES;
  let count = 0;
  const warnings: string[] = [];
  // Every paging loop goes through a guard (src/sources/shared/pages.ts): Ctrl-C on every turn, a page cap, repeats.
  const pager = createPager(TEMPLATE_ID, ctx.signal, (w) => warnings.push(w));
  const pages = pager.loop('the search results', maxPages);
  for (let page = 1; count + pager.repeats < ctx.query.limit && pages.next(`page ${page}`); page++) {
    const res = await ctx.http.get(searchPageUrl(ctx.baseUrl, ctx.query.query, page), { sourceId: TEMPLATE_ID, signal: ctx.signal, headers: { accept: 'application/json' } });
    if (res.status < 200 || res.status >= 300) {
      throw new SourceError('bad-response', `${TEMPLATE_ID}: search page ${page} answered HTTP ${res.status}.`, { sourceId: TEMPLATE_ID, status: res.status });
    }
    const parsed = parseTemplateSearch(res.body, ctx.query);
    const fresh = pages.listed(parsed.mentions.map((m) => m.id));
    const mentions = parsed.mentions.slice(0, ctx.query.limit - count);
    count += mentions.length;
    yield { mentions, warnings: [...warnings.splice(0), ...parsed.warnings] };
    if (parsed.nextPage === undefined || !fresh) break;
  }
  if (warnings.length > 0) yield { mentions: [], warnings };
}
