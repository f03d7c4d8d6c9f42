/** I/O for the _template source: `GET /api/search?q=<query>&page=<n>` until `next_page` is null or maxPages is reached. */
import { SourceError } from '../../core/errors.js';
import type { SourceBatch, SourceContext } from '../types.js';
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
  for (let page = 1; page <= maxPages && count < ctx.query.limit; page++) {
    const res = await ctx.http.get(searchPageUrl(ctx.baseUrl, ctx.query.query, page), { sourceId: TEMPLATE_ID, signal: ctx.signal, headers: { accept: 'application/json' } });
    if (res.status < 200 || res.status >= 300) {
      throw new SourceError('bad-response', `${TEMPLATE_ID}: search page ${page} answered HTTP ${res.status}.`, { sourceId: TEMPLATE_ID, status: res.status });
    }
    const parsed = parseTemplateSearch(res.body, ctx.query);
    const mentions = parsed.mentions.slice(0, ctx.query.limit - count);
    count += mentions.length;
    yield { mentions, warnings: parsed.warnings };
    if (parsed.nextPage === undefined) break;
  }
}
