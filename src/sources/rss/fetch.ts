/** I/O for feeds: reads each configured feed (and optionally a Google News search feed), filters items locally. */
import { shapeChangedWarning } from '../shared/batches.js';
import { createSourceError, RateLimitedError, SourceError, SourceSkippedError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import type { SourceBatch, SourceContext } from '../types.js';
import { RSS_SOURCE_ID, matchesQuery, parseFeed } from './parse.js';
import { loneStringAsList } from '../shared/options.js';
import { stopIfAborted } from '../shared/pages.js';

/** Env var holding Google Alerts feed URLs (whitespace or comma separated); they are private-ish, so never logged. */
export const ALERTS_ENV = 'GOOGLE_ALERTS_FEEDS';

const ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
const DAY_MS = 86_400_000;

/** One feed to read. */
export interface FeedTarget {
  url: string;
  /** What warnings call it: the URL, or a redacted name for feeds from the environment. */
  label: string;
  fromBrand: boolean;
}

/**
 * The Google News search feed for a query. `when:<n>d` narrows the search to the audit window because the feed
 * has no date parameters and returns only ~100 items.
 */
export function googleNewsUrl(baseUrl: string, query: string, since: Date | undefined, now: Date): string {
  const days = since === undefined ? undefined : Math.max(1, Math.ceil((now.getTime() - since.getTime()) / DAY_MS));
  const q = days === undefined ? query : `${query} when:${days}d`;
  const params = new URLSearchParams({ q, hl: 'en-US', gl: 'US', ceid: 'US:en' });
  return `${baseUrl.replace(/\/+$/, '')}/rss/search?${params.toString()}`;
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Reads a string[] option, warning about anything else in it. */
function urlList(ctx: SourceContext, name: string, warnings: string[]): string[] {
  const raw = ctx.query.options[name];
  if (raw === undefined) return [];
  const listed = loneStringAsList(raw);
  const list = Array.isArray(listed) ? (listed as unknown[]) : undefined;
  if (list === undefined) {
    warnings.push(`rss: option ${name} must be a list of feed URLs; ignored`);
    return [];
  }
  const out: string[] = [];
  list.forEach((v, i) => {
    if (typeof v === 'string' && isAbsoluteHttpUrl(v.trim())) out.push(v.trim());
    else warnings.push(`rss: option ${name}[${i}] is not an absolute http(s) URL; skipped`);
  });
  return out;
}

/** Works out which feeds to read from options and environment; warnings say what was ignored and why. */
export function feedTargets(ctx: SourceContext): { targets: FeedTarget[]; warnings: string[] } {
  const warnings: string[] = [];
  const brandFeeds = urlList(ctx, 'brandFeeds', warnings);
  const feeds = urlList(ctx, 'feeds', warnings);
  const targets: FeedTarget[] = [];
  const seen = new Set<string>();
  const add = (url: string, label: string, fromBrand: boolean): void => {
    if (seen.has(url)) return;
    seen.add(url);
    targets.push({ url, label, fromBrand });
  };
  // Brand feeds first so a URL listed in both keeps its brand flag.
  for (const url of brandFeeds) add(url, url, true);
  for (const url of feeds) add(url, url, false);
  const fromEnv = (ctx.env[ALERTS_ENV] ?? '').split(/[\s,]+/).filter((s) => s !== '');
  fromEnv.forEach((url, i) => {
    if (isAbsoluteHttpUrl(url)) add(url, `${ALERTS_ENV} #${i + 1}`, false);
    else warnings.push(`rss: entry #${i + 1} of ${ALERTS_ENV} is not an absolute http(s) URL; skipped`);
  });
  if (ctx.query.options['googleNews'] === true) {
    const url = googleNewsUrl(ctx.baseUrl, ctx.query.query, ctx.query.since, ctx.now);
    add(url, url, false);
  }
  return { targets, warnings };
}

/** Errors that end the whole source rather than one feed. */
function isFatal(ctx: SourceContext, err: unknown): boolean {
  return ctx.signal.aborted || !(err instanceof SourceError) || err.code === 'interrupted';
}

/**
 * The feed fetch part: each feed once, items kept when they match the query words (brand feeds: always),
 * fall in [since, until) and are not duplicates (same id or same link); stops at `query.limit`.
 */
export async function* fetchRss(ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const { query } = ctx;
  const { targets, warnings } = feedTargets(ctx);
  if (targets.length === 0) {
    // Skipped, not "ok, 0 mentions": a run with nothing to read must not look like a quiet week.
    if (warnings.length > 0) yield { mentions: [], warnings };
    throw new SourceSkippedError(
      `rss: no feeds to read; give feed URLs in options.feeds or ${ALERTS_ENV}, or set googleNews: true to search Google News for the query.`,
      { sourceId: RSS_SOURCE_ID },
    );
  }
  let pending = warnings;
  const seenIds = new Set<string>();
  const seenUrls = new Set<string>();
  let count = 0;
  // Feeds that were read, and the reasons the others were not: when none could be read the source failed,
  // which must show as an error in the coverage rather than as a quiet "ok, 0 mentions".
  let read = 0;
  const failures: { code: SourceError['code']; status: number | undefined; why: string; error: SourceError }[] = [];
  for (const target of targets) {
    if (count >= query.limit) break;
    // Each feed is read once (no paging); a cached feed does no I/O, so the signal is checked here.
    stopIfAborted(ctx.signal, RSS_SOURCE_ID);
    let parsed;
    try {
      // The client throws on every non-2xx answer (docs/http.md), so the body here is the feed.
      const res = await ctx.http.get(target.url, { sourceId: RSS_SOURCE_ID, signal: ctx.signal, headers: { accept: ACCEPT } });
      parsed = parseFeed(res.body, query, { feedLabel: target.label, fromBrandFeed: target.fromBrand, fetchedAt: ctx.now.toISOString() });
    } catch (err) {
      if (isFatal(ctx, err)) throw err;
      const e = err as SourceError;
      // Messages from the HTTP layer can quote the URL: keep them out for feeds that came from the environment.
      const why = target.label === target.url ? e.message : `${e.code}${e.status === undefined ? '' : `, HTTP ${e.status}`}`;
      pending.push(`rss: feed ${target.label} could not be read (${why}); skipped`);
      failures.push({ code: e.code, status: e.status, why: `${target.label}: ${why}`, error: e });
      continue;
    }
    read += 1;
    pending.push(...parsed.warnings);
    const changed = shapeChangedWarning(RSS_SOURCE_ID, target.label, parsed.entries, parsed.mentions.length);
    if (changed) pending.push(changed);
    const kept: Mention[] = [];
    let offTopic = 0;
    let outside = 0;
    for (const m of parsed.mentions) {
      if (count >= query.limit) break;
      if (!target.fromBrand && !matchesQuery(query.query, `${m.title ?? ''}\n${m.text}`)) {
        offTopic += 1;
        continue;
      }
      const t = Date.parse(m.createdAt);
      if ((query.since !== undefined && t < query.since.getTime()) || (query.until !== undefined && t >= query.until.getTime())) {
        outside += 1;
        continue;
      }
      if (seenIds.has(m.id) || (m.url !== undefined && seenUrls.has(m.url))) continue;
      seenIds.add(m.id);
      if (m.url !== undefined) seenUrls.add(m.url);
      kept.push(m);
      count += 1;
    }
    ctx.log.debug(
      `rss: ${target.label}: ${parsed.mentions.length} items, kept ${kept.length}, ${offTopic} not matching the query, ${outside} outside the time window`,
    );
    yield { mentions: kept, warnings: pending };
    pending = [];
  }
  if (read === 0 && failures.length > 0) {
    const first = failures[0]!;
    const list = failures.length === 1 ? first.why : `${first.why}; and ${failures.length - 1} more`;
    const what = failures.length === 1 ? 'the only feed could not be read' : `none of the ${failures.length} feeds could be read`;
    // The first failure's class, reset time and cause travel on (until when a rate limit lasts, whether the
    // connection was never made), so callers decide on them as for any other source.
    const resetAt = first.error instanceof RateLimitedError ? first.error.resetAt : undefined;
    throw createSourceError(first.code, `rss: ${what} (${list})`, {
      sourceId: RSS_SOURCE_ID,
      cause: first.error,
      ...(first.status === undefined ? {} : { status: first.status }),
      ...(resetAt === undefined ? {} : { resetAt }),
    });
  }
  if (pending.length > 0) yield { mentions: [], warnings: pending };
}
