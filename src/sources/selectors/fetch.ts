/** Selectors fetch part: reads the start page and follows the next-page link (same host, up to maxPages). */
import { SourceError } from '../../core/errors.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { stopIfAborted } from '../shared/pages.js';
import { rebaseUrl } from '../shared/url.js';
import { windowThread } from '../wordpress/window.js';
import { parsePage, readOptions } from './parse.js';

const SOURCE = 'selectors';

/**
 * The start page's public URL: `url` as given when absolute, else resolved on the base URL. Mention ids and links
 * use public URLs; requests go to the base URL in force (a fixture server in tests) via `rebaseUrl`.
 */
export function startUrl(url: string, baseUrl: string): string {
  if (/^https?:\/\//i.test(url)) return new URL(url).toString();
  if (!/^https?:\/\//i.test(baseUrl)) {
    throw new SourceError('config', `${SOURCE}: option "url" is a relative path (${url}) but no base URL is set; give an absolute URL.`, {
      sourceId: SOURCE,
    });
  }
  return new URL(url, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/** Yields one batch per page: reviews inside the window with the company's replies beneath them. */
export async function* fetchSelectors(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  const options = readOptions(query.options);
  const first = startUrl(options.url, ctx.baseUrl);
  const host = new URL(first).host;
  const override = /^https?:\/\//i.test(ctx.baseUrl) ? ctx.baseUrl : undefined;
  const since = query.since?.getTime();
  const until = query.until?.getTime();
  const visited = new Set<string>();
  let pageUrl: string | undefined = first;
  let yielded = 0;
  let removed = 0;
  let outside = 0;

  for (let page = 1; pageUrl !== undefined && yielded < query.limit; page += 1) {
    if (page > options.maxPages) {
      yield { mentions: [], warnings: [`${SOURCE}: stopped after ${options.maxPages} pages (maxPages); ${pageUrl} and later pages were not read.`] };
      break;
    }
    // maxPages and the visited set bound the loop; the signal is checked here because cached pages do no I/O.
    stopIfAborted(ctx.signal, SOURCE);
    visited.add(pageUrl);
    const fetchUrl = override ? rebaseUrl(pageUrl, override) : pageUrl;
    ctx.log.debug(`${SOURCE}: GET ${fetchUrl}`);
    const res = await ctx.http.get(fetchUrl, { headers: { Accept: 'text/html,application/xhtml+xml' }, signal: ctx.signal, sourceId: SOURCE });
    const parsed = parsePage(res.body, { options, pageUrl, query, requireItems: page === 1 });
    const warnings = [...parsed.warnings];
    removed += parsed.removed;
    if (parsed.items === 0) warnings.push(`${SOURCE}: "${options.item}" matched nothing on ${pageUrl}; stopped there.`);

    // Group each review with its replies, then apply the window per thread.
    const threads = new Map<string, typeof parsed.mentions>();
    for (const m of parsed.mentions) {
      const key = m.threadId ?? m.id;
      const list = threads.get(key) ?? [];
      list.push(m);
      threads.set(key, list);
    }
    const kept = [];
    let allOlder = parsed.mentions.length > 0;
    for (const [rootId, list] of threads) {
      const root = list.find((m) => m.id === rootId);
      if (root && (since === undefined || Date.parse(root.createdAt) >= since)) allOlder = false;
      const thread = windowThread(root, list.filter((m) => m !== root), since, until);
      outside += thread.outside;
      kept.push(...thread.mentions);
    }
    const batch = kept.slice(0, query.limit - yielded);
    yielded += batch.length;
    if (batch.length > 0 || warnings.length > 0) yield { mentions: batch, warnings };
    // Review pages list newest first: a page entirely before `since` means later pages are older still.
    if (since !== undefined && allOlder) break;

    const next = parsed.nextUrl;
    pageUrl = undefined;
    if (next !== undefined && parsed.items > 0) {
      if (new URL(next).host !== host) {
        yield { mentions: [], warnings: [`${SOURCE}: the next-page link ${next} leaves ${host}; not followed.`] };
      } else if (!visited.has(next)) {
        pageUrl = next;
      }
    }
  }
  if (removed > 0 || outside > 0) {
    ctx.log.debug(`${SOURCE}: left out ${removed} removed or empty items and ${outside} items outside the time window.`);
  }
}
