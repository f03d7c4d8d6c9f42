/** `earshot fetch <source> <query>` and `earshot audit [brand]`: live collection through the shared HTTP client. */
import { homedir } from 'node:os';
import { createSentimentScorer } from '../../analysis/sentiment.js';
import { gather, withSourceId, type GatherJob } from '../../collect/gather.js';
import { parseDuration, parseTimeBound } from '../../core/duration.js';
import { EarshotError, EXIT, UsageError } from '../../core/errors.js';
import { createHttpClient, createReplayClient, defaultCacheDir, openRawRecorder } from '../../http/index.js';
import type { HttpClient } from '../../http/types.js';
import { SOURCES } from '../../sources/index.js';
import type { Source, SourceQuery } from '../../sources/types.js';
import type { Mention } from '../../core/mention.js';
import { emitReport } from '../emit.js';
import { finishRun } from '../finish.js';
import { previousReport, replyTargetFrom, thresholdsFrom } from '../resolve.js';
import { formatQuery, matchesQuery, parseQuery, queryTerms } from '../../core/query.js';
import { parseFields } from '../../report/fields.js';
import { openSink } from '../io.js';
import type { CliDeps } from '../main.js';
import { analysisClock, commonSettings, outputChoices, positiveInt, type CommonSettings } from '../settings.js';

/** Runs `fetch`: one source, Mentions as NDJSON as they arrive. */
export async function runFetch(sourceId: string, query: string, o: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const common = commonSettings(o, { ...deps, stdout: { ...deps.stdout, isTTY: false } as CliDeps['stdout'] }, 'ndjson');
  const source = pickSources(sourceId)[0]!;
  const session = await openSession(o, deps, common, [source]);
  const sink = await openSink(o.output as string | undefined, deps.stdout);
  const stop = onInterrupt(session.abort, common);
  let count = 0;
  try {
    const q = buildQuery(query, query, o, session.now);
    const ctx = { http: session.http, baseUrl: baseUrlFor(source, o), query: { ...q, options: sourceOptions(source.id, o) }, log: common.log, signal: session.abort.signal, env: deps.env, now: session.now };
    try {
      for await (const batch of source.fetch(ctx)) {
        for (const w of batch.warnings) common.log.warn(withSourceId(source.id, w));
        for (const m of batch.mentions) {
          await sink.write(`${JSON.stringify(m)}\n`);
          count += 1;
        }
        if (session.abort.signal.aborted) break;
      }
    } catch (err) {
      if (count === 0) throw err;
      common.log.warn(`${withSourceId(source.id, err instanceof Error ? err.message : String(err))} (kept the ${count} mentions fetched before the failure)`);
    }
    await sink.commit();
    common.log.info(`${source.id}: ${count} mentions.`);
    common.log.finish();
    return EXIT.ok;
  } catch (err) {
    await sink.abort();
    // The source id goes into the message; the original stays reachable as `cause` (class, status, retryable).
    throw err instanceof EarshotError && err.code !== 'usage' && err.code !== 'config' ? new EarshotError(err.code, withSourceId(source.id, err.message), { cause: err }) : err;
  } finally {
    stop();
    await session.close();
  }
}

/** Registered source ids (the config loader checks names against them). */
export function sourceIds(): string[] {
  return Object.keys(SOURCES);
}

/** A brand to audit: its name, query and handles (per source id, `all` for every source). */
interface AuditBrand {
  name: string;
  query: string;
  handles: Record<string, string[]>;
}

/** Runs `audit`: every chosen source for the brand and its competitors, dedup, query filter, analysis and report. */
export async function runAudit(o: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const common = commonSettings(o, deps, o.format as string);
  for (const w of (o.configWarnings as string[] | undefined) ?? []) common.log.warn(w);
  const out = outputChoices(o, deps, common);
  const fields = o.fields !== undefined ? parseFields(String(o.fields), out.format) : undefined;
  const ids = String(o.source ?? 'reddit,hn');
  const feeds = (o.feed as string[] | undefined) ?? [];
  const brandFeeds = (o.brandFeed as string[] | undefined) ?? [];
  const wantRss = feeds.length > 0 || brandFeeds.length > 0;
  const sources = pickSources(wantRss && !ids.split(',').includes('rss') ? `${ids},rss` : ids);
  const brand = o.brand as string | undefined;
  if (!brand) throw new UsageError('Name the brand to audit: earshot audit "acme cloud" --source reddit,hn (or set brand: in earshot.yml; earshot init writes one).');
  const brands = auditBrands(brand, o);
  const parsed = brands.map((b) => ({ brand: b, query: parseQuery(b.query) }));
  const thresholds = thresholdsFrom(o);
  const replyTargetMinutes = replyTargetFrom(o);
  const previous = await previousReport(o, common.log);
  const session = await openSession(o, deps, common, sources);
  const clock = analysisClock({ ...o, now: o.now ?? session.now.toISOString() }, deps);
  const stop = onInterrupt(session.abort, common);
  try {
    const base = buildQuery(brand, brand, o, clock.now);
    const jobs: GatherJob[] = [];
    const skippedForCompetitors = sources.filter(brandScoped).map((s) => s.id);
    if (brands.length > 1 && skippedForCompetitors.length > 0) {
      common.log.warn(`competitors are not searched on ${skippedForCompetitors.join(', ')}: their settings (feeds, app ids, review pages, forums, blogs) point at ${brand}'s own pages.`);
    }
    for (const [i, { brand: b, query }] of parsed.entries()) {
      // Each source searches for each alternative of the query; the whole query is then applied locally.
      const { include: terms, exclude } = queryTerms(query);
      const excluded = exclude.length > 0 ? parseQuery(exclude.map((t) => (/\s/.test(t) ? `"${t}"` : t)).join(' OR ')) : undefined;
      for (const source of sources) {
        if (i > 0 && brandScoped(source)) continue;
        for (const term of terms.length > 0 ? terms : [b.name]) {
          jobs.push({
            source,
            baseUrl: baseUrlFor(source, o),
            query: { ...base, query: term, brand: b.name, brandHandles: handlesFor(b, source.id), options: i === 0 ? sourceOptions(source.id, o) : competitorOptions(sourceOptions(source.id, o)) },
            ...(source.filterLocally === false ? {} : { matches: (m: Mention) => matchesQuery(query, `${m.title ?? ''}\n${m.text}`) }),
            ...(excluded ? { excludes: (m: Mention) => matchesQuery(excluded, `${m.title ?? ''}\n${m.text}`) } : {}),
          });
        }
      }
    }
    const progress = createProgress(common, deps);
    const result = await gather(jobs, { http: session.http, log: common.log, signal: session.abort.signal, env: deps.env, now: clock.now, onProgress: progress.update });
    progress.done();
    if (result.mentions.length === 0 && result.coverage.every((c) => c.status === 'failed')) {
      for (const c of result.coverage) common.log.info(`${c.source}: ${c.error?.message ?? 'failed'}`);
      throw new EarshotError('unavailable', `Nothing could be fetched: every source failed (${result.coverage.map((c) => `${c.source}: ${c.error?.code ?? 'failed'}`).join(', ')}).`);
    }
    if (result.duplicates > 0) common.log.debug(`dropped ${result.duplicates} duplicate mentions`);
    if (result.filtered > 0) common.log.debug(`dropped ${result.filtered} mentions in threads that do not match the query`);
    const sink = await openSink(o.output as string | undefined, deps.stdout);
    let report;
    try {
      report = await emitReport(
        result.mentions,
        {
          scorer: createSentimentScorer(),
          calendar: clock.calendar,
          timeZone: clock.timeZone,
          now: clock.now,
          // Sources mark brand posts per brand; one global handle list would mix up competitors.
          brandHandles: brands.length > 1 ? [] : [...base.brandHandles],
          defaultBrand: brand,
          unansweredLimit: Math.max(out.top, 50),
          ...(replyTargetMinutes !== undefined ? { replyTargetMinutes } : {}),
        },
        {
          settings: {
            brands: [brand],
            brandHandles: [...base.brandHandles],
            timeZone: clock.timeZone,
            businessHours: clock.calendar.describe(),
            ...(base.since ? { since: base.since.toISOString() } : {}),
            ...(base.until ? { until: base.until.toISOString() } : {}),
            queries: Object.fromEntries(parsed.map((p) => [p.brand.name, formatQuery(p.query)])),
            ...(replyTargetMinutes !== undefined ? { replyTargetMinutes } : {}),
          },
          coverage: result.coverage,
          warnings: common.log.warnings,
          ...(previous ? { previous } : {}),
          ...(thresholds ? { thresholds } : {}),
        },
        { ...out, ...(fields ? { fields } : {}), keepMentions: o.out !== undefined },
        sink,
      );
      await sink.commit();
    } catch (err) {
      await sink.abort();
      throw err;
    }
    const failed = result.coverage.filter((c) => c.status !== 'ok');
    for (const c of failed) common.log.info(`${c.source}${c.brand && brands.length > 1 ? ` (${c.brand})` : ''}: ${c.status}${c.error ? ` (${c.error.code}): ${c.error.message}` : ''}`);
    return await finishRun(report, o, common, deps.stderr, out);
  } finally {
    stop();
    await session.close();
  }
}

/** The audited brand and its competitors (flags, then the config's), each with a query and handles. */
function auditBrands(brand: string, o: Record<string, unknown>): AuditBrand[] {
  const handles = (o.handles as Record<string, string[]> | undefined) ?? {};
  const flat = (o.brandHandle as string[] | undefined) ?? [];
  const main: AuditBrand = { name: brand, query: (o.query as string | undefined) ?? brandQueryText(brand), handles: Object.keys(handles).length > 0 ? handles : { all: flat } };
  const fromConfig = ((o.competitors as { name: string; query: string; handles: Record<string, string[]> }[] | undefined) ?? []).map((c) => ({ name: c.name, query: c.query, handles: c.handles }));
  const fromFlags = ((o.competitor as string[] | undefined) ?? []).filter((n) => !fromConfig.some((c) => c.name.toLowerCase() === n.toLowerCase())).map((name) => ({ name, query: brandQueryText(name), handles: {} }));
  const all = [main, ...fromConfig, ...fromFlags];
  const seen = new Set<string>();
  return all.filter((b) => {
    const key = b.name.toLowerCase();
    if (seen.has(key)) throw new UsageError(`'${b.name}' is both the brand and a competitor (or listed twice); name each brand once.`);
    seen.add(key);
    return true;
  });
}

/** A source's options for a competitor: without the brand-identifying ones (brandOrgs, brandGroups, brandActor, …). */
function competitorOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !/^brand[A-Z]/.test(key)));
}

/** Sources whose settings point at one brand's own pages (its reviews, app, forum, blog, feeds): not for competitors. */
function brandScoped(source: Source): boolean {
  return source.filterLocally === false || source.id === 'rss' || source.id === 'wordpress' || source.id === 'blogger';
}

/** A brand name as a query: the name as a phrase (it also matches the name written as one word). */
function brandQueryText(name: string): string {
  return /\s/.test(name.trim()) ? `"${name.trim().replaceAll('"', '')}"` : name.trim();
}

function handlesFor(b: AuditBrand, sourceId: string): string[] {
  return [...new Set([...(b.handles.all ?? []), ...(b.handles[sourceId] ?? [])].map((h) => h.replace(/^@/, '')))];
}

/** The HTTP side of a run: live client (cache, raw evidence) or a --from-raw replay, plus the clock. */
async function openSession(o: Record<string, unknown>, deps: CliDeps, common: CommonSettings, sources: Source[]) {
  const abort = new AbortController();
  let http: HttpClient;
  let now: Date;
  let stats: (() => { requests: number; cacheHits: number }) | undefined;
  if (o.fromRaw !== undefined) {
    if (o.saveRaw !== undefined) throw new UsageError('--from-raw and --save-raw cannot be combined: a replay makes no requests to save.');
    const replay = createReplayClient(String(o.fromRaw));
    const manifest = await replay.manifest();
    http = replay;
    // A replay is judged at the time it was recorded, so the report comes out the same byte for byte.
    now = o.now !== undefined ? parseTimeBound(String(o.now), deps.clock(), '--now') : new Date(manifest.startedAt);
  } else {
    const timeout = parseDuration(String(o.timeout ?? '30s'), '--timeout');
    const overrides: Record<string, Partial<Source['rateLimit']>> = { ...((o.rateLimits as Record<string, Partial<Source['rateLimit']>> | undefined) ?? {}) };
    for (const entry of (o.rateLimit as string[] | undefined) ?? []) {
      const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)$/.exec(entry);
      if (!m || !SOURCES[m[1]!] || Number(m[2]) <= 0) throw new UsageError(`--rate-limit '${entry}' must be source=requests-per-minute with a known source, e.g. --rate-limit reddit=5.`);
      overrides[m[1]!] = { ...overrides[m[1]!], requestsPerMinute: Number(m[2]) };
    }
    const rateLimits = Object.fromEntries(sources.map((s) => [s.id, { ...s.rateLimit, ...overrides[s.id] }]));
    now = o.now !== undefined ? parseTimeBound(String(o.now), deps.clock(), '--now') : deps.clock();
    // Opening the recorder first refuses a folder that already holds a recording before any request is made.
    const recorder = o.saveRaw !== undefined ? await openRawRecorder(String(o.saveRaw), { startedAt: now }) : undefined;
    const client = createHttpClient({
      rateLimits,
      auditNow: now,
      timeouts: { connectMs: Math.min(timeout, 10_000), headersMs: timeout, bodyMs: timeout },
      cache: o.cache === false ? false : { dir: (o.cacheDir as string | undefined) ?? defaultCacheDir(deps.env, homedir()), mode: o.refresh === true ? 'refresh' : 'normal' },
      ...(recorder ? { saveRaw: recorder } : {}),
      logger: common.log,
      signal: abort.signal,
    });
    http = client;
    stats = () => client.stats();
  }
  return {
    http,
    now,
    abort,
    async close() {
      await http.close();
      if (stats) {
        const s = stats();
        common.log.debug(`http: ${s.requests} requests, ${s.cacheHits} answered from cache`);
      }
    },
  };
}

/** Resolves comma-separated source ids, or a usage error listing the valid ones. */
function pickSources(ids: string): Source[] {
  const list = ids.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError(`--source is empty; choose from ${Object.keys(SOURCES).join(', ')}.`);
  return [...new Set(list)].map((id) => {
    const s = SOURCES[id];
    if (!s) throw new UsageError(`Unknown source '${id}'; choose from ${Object.keys(SOURCES).join(', ')} (see earshot sources).`);
    return s;
  });
}

/** The shared part of every source's query. */
function buildQuery(query: string, brand: string, o: Record<string, unknown>, now: Date): Omit<SourceQuery, 'options'> {
  const since = o.since !== undefined ? parseTimeBound(String(o.since), now, '--since') : undefined;
  const until = o.until !== undefined ? parseTimeBound(String(o.until), now, '--until') : undefined;
  if (since && until && since >= until) throw new UsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()}).`);
  return {
    query,
    brand,
    brandHandles: ((o.brandHandle as string[] | undefined) ?? []).map((h) => h.replace(/^@/, '')),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    limit: positiveInt(o.limit ?? 500, '--limit'),
  };
}

/** `--base-url id=url` for this source, else its default. */
function baseUrlFor(source: Source, o: Record<string, unknown>): string {
  for (const entry of (o.baseUrl as string[] | undefined) ?? []) {
    const i = entry.indexOf('=');
    if (i <= 0) throw new UsageError(`--base-url '${entry}' must be id=url, e.g. --base-url reddit=http://127.0.0.1:8080.`);
    const id = entry.slice(0, i);
    if (!SOURCES[id]) throw new UsageError(`--base-url names unknown source '${id}'; choose from ${Object.keys(SOURCES).join(', ')}.`);
    if (id !== source.id) continue;
    const url = entry.slice(i + 1);
    try {
      new URL(url);
    } catch {
      throw new UsageError(`--base-url '${entry}': '${url}' is not a URL; use e.g. http://127.0.0.1:8080.`);
    }
    return url.replace(/\/+$/, '');
  }
  return source.defaultBaseUrl;
}

/**
 * A source's options: the merged `sourceOptions` (config, dedicated flags and `--source-option id.key=value`, built
 * once in config/merge.ts), plus what only a run adds: brand feeds are read as feeds too, and `--from-html`.
 */
function sourceOptions(id: string, o: Record<string, unknown>): Record<string, unknown> {
  for (const entry of (o.sourceOption as string[] | undefined) ?? []) {
    const m = /^([a-z0-9-]+)\.([A-Za-z0-9_]+)=/s.exec(entry);
    if (!m) throw new UsageError(`--source-option '${entry}' must be id.key=value, e.g. --source-option github.repos=acme/cli.`);
    if (!SOURCES[m[1]!]) throw new UsageError(`--source-option names unknown source '${m[1]}'; choose from ${Object.keys(SOURCES).join(', ')}.`);
  }
  const opts: Record<string, unknown> = { ...((o.sourceOptions as Record<string, Record<string, unknown>> | undefined)?.[id] ?? {}) };
  if (id === 'rss') {
    const brandFeeds = (o.brandFeed as string[] | undefined) ?? [];
    // Brand feeds are read too: their items are the brand's broadcasts.
    opts.feeds = [...new Set([...((o.feed as string[] | undefined) ?? []), ...brandFeeds])];
    opts.brandFeeds = brandFeeds;
  }
  if (id === 'trustpilot' && o.fromHtml !== undefined) opts.fromHtml = o.fromHtml;
  return opts;
}


/** First Ctrl-C stops fetching and keeps what was fetched; a second one exits at once. */
function onInterrupt(abort: AbortController, common: CommonSettings): () => void {
  const handler = (): void => {
    if (abort.signal.aborted) process.exit(130);
    common.log.warn('Interrupted: finishing with what was fetched so far (Ctrl-C again to quit now).');
    abort.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** A one-line progress display on stderr, only on a TTY. */
function createProgress(common: CommonSettings, deps: CliDeps) {
  const counts = new Map<string, number>();
  let shown = false;
  return {
    update(source: string, n: number) {
      counts.set(source, n);
      if (!common.progress) return;
      shown = true;
      deps.stderr.write(`\r\u001b[2K${[...counts].map(([s, c]) => `${s} ${c}`).join(' · ')}`);
    },
    done() {
      if (shown) deps.stderr.write('\r\u001b[2K');
    },
  };
}
