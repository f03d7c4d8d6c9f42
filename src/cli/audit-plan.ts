/** The one place the typed Settings become an AuditPlan and session options (flag syntax checked, errors name flags). */
import * as v from 'valibot';
import { homedir } from 'node:os';
import { brandQueryText, distinctBrands, pickSources, type AuditBrand, type AuditPlan, type PlannedSource } from '../audit/plan.js';
import type { SessionOptions } from '../audit/session.js';
import type { HistoryReport } from '../report/history.js';
import { positiveDuration } from '../config/option-values.js';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { defaultCacheDir } from '../http/index.js';
import type { RateLimit } from '../http/types.js';
import { SOURCES } from '../sources/index.js';
import { unknownSourceOption } from '../sources/option-check.js';
import type { Source } from '../sources/types.js';
import type { Logger } from '../core/log.js';
import type { CliDeps } from './main.js';
import { cannedFrom, deadlinesFrom, replyTargetFrom, thresholdsFrom, type Settings } from './resolve.js';

/** `audit`'s sources: `--source` (default reddit,hn), plus rss when a feed is given. */
export function auditSources(s: Settings): Source[] {
  const wantRss = (s.feed ?? []).length > 0 || (s.brandFeed ?? []).length > 0;
  return pickSources(wantRss && !s.source.split(',').includes('rss') ? `${s.source},rss` : s.source);
}

/** The audited brand and its competitors (flags, then the config's), each with a query and handles. */
export function auditBrands(brand: string, s: Settings): AuditBrand[] {
  const flat = s.brandHandle ?? [];
  const main: AuditBrand = { name: brand, query: s.query ?? brandQueryText(brand), handles: Object.keys(s.handles).length > 0 ? s.handles : { all: flat } };
  const fromConfig = s.competitors.map((c) => ({ name: c.name, query: c.query, handles: c.handles }));
  const fromFlags = (s.competitor ?? []).filter((n) => !fromConfig.some((c) => c.name.toLowerCase() === n.toLowerCase())).map((name) => ({ name, query: brandQueryText(name), handles: {} }));
  return distinctBrands([main, ...fromConfig, ...fromFlags]);
}

/** The plan for `audit` (brands from the flags and config) or `fetch` (one source, the query as the brand). */
export function planFromSettings(s: Settings, brands: AuditBrand[], sources: readonly Source[], extra: { previous?: Report; history?: readonly HistoryReport[]; unansweredLimit?: number } = {}): AuditPlan {
  const rateLimits = s.fromRaw === undefined ? rateLimitsFrom(s, sources) : undefined;
  const baseUrls = baseUrlsFrom(s);
  checkSourceOptionFlags(s);
  const planned: PlannedSource[] = sources.map((source) => ({ source, baseUrl: baseUrls[source.id] ?? source.defaultBaseUrl, options: sourceOptions(source.id, s), rateLimit: rateLimits?.[source.id] ?? source.rateLimit }));
  const thresholds = thresholdsFrom(s);
  const replyTargetMinutes = replyTargetFrom(s);
  const canned = cannedFrom(s);
  const deadlines = deadlinesFrom(s);
  return {
    brands,
    brandHandles: s.brandHandle ?? [],
    sources: planned,
    since: s.since,
    ...(s.until !== undefined ? { until: s.until } : {}),
    limit: s.limit,
    sourceBudgetMs: positiveDuration(s.sourceBudget, '--source-budget'),
    analysis: {
      timeZone: s.tz,
      businessHours: s.businessHours,
      holidays: s.holiday ?? [],
      unansweredLimit: extra.unansweredLimit ?? 50,
      ...(replyTargetMinutes !== undefined ? { replyTargetMinutes } : {}),
      ...(canned ? { canned } : {}),
      ...(deadlines ? { deadlines } : {}),
      ...(thresholds ? { thresholds } : {}),
      ...(extra.previous ? { previous: extra.previous } : {}),
      ...(extra.history ? { history: extra.history } : {}),
      ...(s.benchmarks === false ? { benchmarks: false } : {}),
    },
  };
}

/** The session for a plan: replay (`--from-raw`) or the live client with cache, `--save-raw`, timeout and limits. */
export function sessionFromSettings(s: Settings, plan: AuditPlan, deps: CliDeps, log: Logger): SessionOptions {
  const base = { clock: deps.clock, log, ...(s.now !== undefined ? { now: s.now } : {}), ...(s.saveRaw !== undefined ? { saveRaw: s.saveRaw } : {}) };
  if (s.fromRaw !== undefined) return { ...base, fromRaw: s.fromRaw, rateLimits: {} };
  return {
    ...base,
    timeoutMs: positiveDuration(s.timeout, '--timeout'),
    rateLimits: Object.fromEntries(plan.sources.map((p) => [p.source.id, p.rateLimit])),
    cache: s.cache === false ? false : { dir: s.cacheDir ?? defaultCacheDir(deps.env, homedir()), mode: s.refresh ? 'refresh' : 'normal' },
  };
}

/** Each chosen source's limit: its polite default, the config's, then `--rate-limit id=n`. */
function rateLimitsFrom(s: Settings, sources: readonly Source[]): Record<string, RateLimit> {
  const overrides: Record<string, Partial<RateLimit>> = { ...s.rateLimits };
  for (const entry of s.rateLimit ?? []) {
    const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)$/.exec(entry);
    if (!m || !SOURCES[m[1]!] || Number(m[2]) <= 0) throw new UsageError(`--rate-limit '${entry}' must be source=requests-per-minute with a known source, e.g. --rate-limit reddit=5.`);
    overrides[m[1]!] = { ...overrides[m[1]!], requestsPerMinute: Number(m[2]) };
  }
  return Object.fromEntries(sources.map((src) => [src.id, { ...src.rateLimit, ...overrides[src.id] }]));
}

/** Every `--base-url id=url`, checked once (every entry, whichever sources the run uses), by source id; the first entry for a source wins. */
function baseUrlsFrom(s: Settings): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const entry of s.baseUrl ?? []) {
    const i = entry.indexOf('=');
    if (i <= 0) throw new UsageError(`--base-url '${entry}' must be id=url, e.g. --base-url reddit=http://127.0.0.1:8080.`);
    const id = entry.slice(0, i);
    if (!SOURCES[id]) throw new UsageError(`--base-url names unknown source '${id}'; choose from ${Object.keys(SOURCES).join(', ')}.`);
    const url = entry.slice(i + 1);
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new UsageError(`--base-url '${entry}': '${url}' is not a URL; use e.g. http://127.0.0.1:8080.`);
    }
    // earshot only fetches web addresses: a file: or ftp: base would fail at the first request, after the run started.
    if (protocol !== 'http:' && protocol !== 'https:') throw new UsageError(`--base-url '${entry}': '${url}' is not an http(s) URL; use e.g. http://127.0.0.1:8080.`);
    urls[id] ??= url.replace(/\/+$/, '');
  }
  return urls;
}

/** Checks each `--source-option id.key=value` once: its shape, source, key and value (values are merged, a lone value of a list option as a list of one, in config/merge.ts). */
function checkSourceOptionFlags(s: Settings): void {
  for (const entry of s.sourceOption ?? []) {
    const m = /^([a-z0-9-]+)\.([A-Za-z0-9_]+)=/s.exec(entry);
    if (!m) throw new UsageError(`--source-option '${entry}' must be id.key=value, e.g. --source-option github.repos=acme/cli.`);
    if (!SOURCES[m[1]!]) throw new UsageError(`--source-option names unknown source '${m[1]}'; choose from ${Object.keys(SOURCES).join(', ')}.`);
    const unknown = unknownSourceOption(m[1]!, m[2]!);
    if (unknown) throw new UsageError(unknown);
    // The value is held to the option's schema, as earshot.yml's is, so a bad value stops the run before any request.
    const option = SOURCES[m[1]!]!.options[m[2]!];
    const value = s.sourceOptions[m[1]!]?.[m[2]!];
    if (option && value !== undefined) {
      const checked = v.safeParse(option.schema, value);
      if (!checked.success) {
        throw new UsageError(`--source-option ${m[1]}.${m[2]} must be ${checked.issues[0].message}, not ${JSON.stringify(value)}; see \`earshot sources\` for its options.`);
      }
    }
  }
}

/**
 * A source's options: the merged `sourceOptions` (config, dedicated flags and `--source-option id.key=value`, built
 * once in config/merge.ts), plus what only a run adds: brand feeds are read as feeds too, and `--from-html`.
 */
function sourceOptions(id: string, s: Settings): Record<string, unknown> {
  const opts: Record<string, unknown> = { ...(s.sourceOptions[id] ?? {}) };
  if (id === 'rss') {
    const brandFeeds = s.brandFeed ?? [];
    // Brand feeds are read too: their items are the brand's broadcasts.
    opts.feeds = [...new Set([...(s.feed ?? []), ...brandFeeds])];
    opts.brandFeeds = brandFeeds;
  }
  if (id === 'trustpilot' && s.fromHtml !== undefined) opts.fromHtml = s.fromHtml;
  return opts;
}
