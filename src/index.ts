/** The library: `import { analyze, audit, planAudit, readMentions, RENDERERS } from 'earshot'` (see docs/api.md). */
import type { Readable } from 'node:stream';
import type { Breach, Thresholds } from './analysis/thresholds.js';
import { analyzeToReport, judge } from './audit/analyze.js';
import type { AuditAnalysis, AuditPlan } from './audit/plan.js';
import { runAudit } from './audit/run.js';
import { openSession } from './audit/session.js';
import { silentLogger, type Logger } from './core/log.js';
import type { HttpClient } from './http/types.js';
import type { Mention } from './core/mention.js';
import type { AnalyzedMention, Report } from './core/report.js';
import { readMentions as readInput } from './input/index.js';

export type { Mention } from './core/mention.js';
export type { AnalyzedMention, BrandSummary, Comparison, FigureChange, Report, ReportSettings, SourceCoverage, UnansweredItem } from './core/report.js';
export { SCHEMA_VERSION } from './core/report.js';
export type { Breach, Thresholds } from './analysis/thresholds.js';
export { plainStyle, renderReport, RENDERERS, type OutputFormat, type Renderer, type RenderOptions, type RenderStream, type Style, type StyleRole } from './report/index.js';
export { FIGURES, type Figure } from './report/figures.js';
export { planAudit, type AuditAnalysis, type AuditBrand, type AuditPlan, type AuditPlanInput, type PlannedSource } from './audit/plan.js';
export type { HttpClient, HttpPostOptions, HttpRequestOptions, HttpResponse, RateLimit } from './http/types.js';
export type { Logger } from './core/log.js';
export type { HistoryReport } from './report/history.js';

/** What `analyze` needs besides the mentions; every field is optional (time zone UTC, hours 24/7, 50 unanswered kept). */
export interface AnalyzeSettings extends Partial<AuditAnalysis> {
  /** The as-of time: mentions created after it are left out, "open for" and the report's date are measured from it. Default: now. */
  now?: Date;
  /** The audited brand (label for mentions that carry none, and whose figures breaches are checked on). */
  brand?: string;
  /** Accounts whose posts are the brand's replies (leading @ ignored). */
  brandHandles?: readonly string[];
  /** Keep every analysed mention in `report.mentions`. Default true. */
  keepMentions?: boolean;
  /** Called with each analysed mention as it is ready (threads complete in order of their first post). */
  onMention?: (m: AnalyzedMention) => void | Promise<void>;
}

/** Analyses mentions (an iterable or async iterable) and resolves to the report, as `earshot analyze --format json` prints it. */
export async function analyze(mentions: Iterable<Mention> | AsyncIterable<Mention>, settings: AnalyzeSettings = {}): Promise<Report> {
  const { analysis, context } = judge({
    now: settings.now ?? new Date(),
    timeZone: settings.timeZone ?? 'UTC',
    businessHours: settings.businessHours ?? '24/7',
    holidays: settings.holidays ?? [],
    brands: settings.brand !== undefined ? [settings.brand] : [],
    brandHandles: settings.brandHandles ?? [],
    defaultBrand: settings.brand ?? '(unspecified)',
    unansweredLimit: settings.unansweredLimit ?? 50,
    ...(settings.replyTargetMinutes !== undefined ? { replyTargetMinutes: settings.replyTargetMinutes } : {}),
    ...(settings.deadlines ? { deadlines: settings.deadlines } : {}),
    ...(settings.previous ? { previous: settings.previous } : {}),
    ...(settings.history ? { history: settings.history } : {}),
    ...(settings.thresholds ? { thresholds: settings.thresholds } : {}),
    ...(settings.describeBreach ? { describeBreach: settings.describeBreach } : {}),
    ...(settings.benchmarks === false ? { benchmarks: false } : {}),
    about: { asOfFrom: settings.now ? 'given' : 'clock' },
  });
  return analyzeToReport(mentions, analysis, context, { keepMentions: settings.keepMentions ?? true, ...(settings.onMention ? { onMention: settings.onMention } : {}) });
}

/** Reads mentions from a stream in any input format earshot reads (NDJSON, JSON, CSV, TWCS); malformed records are skipped. */
export function readMentions(input: Readable, options: { fileName?: string; brand?: string; brandHandles?: string[]; map?: Record<string, string> } = {}): AsyncGenerator<Mention> {
  return readInput(input, { fileName: options.fileName ?? 'input', log: silentLogger, ...(options.brand ? { brand: options.brand } : {}), ...(options.brandHandles ? { brandHandles: options.brandHandles } : {}), ...(options.map ? { map: options.map } : {}) });
}

/** What `audit` takes from the outside; every field is optional. */
export interface AuditDeps {
  /** The HTTP client sources fetch through. Default: a live client with each source's polite rate limit. */
  http?: HttpClient;
  /** The real clock (the audit's time when the plan has no `now`). Default: the system clock. */
  clock?: () => Date;
  /** Environment for source tokens (GITHUB_TOKEN, …). Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Progress, warnings and debug lines. Default: none (warnings still end up in `report.warnings`). */
  log?: Logger;
  /** Stops fetching; the report is made from what was fetched. */
  signal?: AbortSignal;
  /** The default client's HTTP cache (none unless given); `refresh` ignores fresh entries. */
  cache?: { dir: string; refresh?: boolean };
  /** The default client's `--timeout` in ms (the longest silence; a round trip gets 2×, a request 3×). Default 30 s. */
  timeoutMs?: number;
  /** Called after each batch a source yields, with its running count. */
  onProgress?: (source: string, mentions: number) => void;
}

/**
 * Runs an audit plan (see `planAudit`): every source for every brand, then the analysis; resolves to the report, as
 * `earshot audit --format json` prints it. A source that fails is a row of `report.coverage` (status `failed` or
 * `partial`, with the error), never a rejection; only an invalid plan (unknown time bound, bad business hours) rejects.
 */
export async function audit(plan: AuditPlan, deps: AuditDeps = {}): Promise<Report> {
  const clock = deps.clock ?? (() => new Date());
  const warnings: string[] = [];
  const outer = deps.log ?? silentLogger;
  const log: Logger = { info: (m) => outer.info(m), debug: (m) => outer.debug(m), warn: (m) => (warnings.push(m), outer.warn(m)) };
  const session = deps.http
    ? { http: deps.http, now: plan.now ?? clock(), abort: new AbortController(), close: async () => {} }
    : await openSession({
        rateLimits: Object.fromEntries(plan.sources.map((p) => [p.source.id, p.rateLimit])),
        clock,
        ...(plan.now ? { now: plan.now } : {}),
        ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
        cache: deps.cache ? { dir: deps.cache.dir, mode: deps.cache.refresh ? 'refresh' : 'normal' } : false,
        log,
      });
  const stop = (): void => session.abort.abort();
  if (deps.signal?.aborted) stop();
  deps.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await runAudit(plan, {
      http: session.http,
      now: session.now,
      log,
      warnings,
      signal: session.abort.signal,
      env: deps.env ?? process.env,
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    });
  } finally {
    deps.signal?.removeEventListener('abort', stop);
    await session.close();
  }
}
