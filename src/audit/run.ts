/** Runs an AuditPlan: gathers from every source, then analyses into the Report. Failures end up in coverage, not thrown. */
import type { AnalysisSettings } from '../analysis/pipeline.js';
import type { SentimentScorer } from '../analysis/sentiment.js';
import type { Logger } from '../core/log.js';
import type { Mention } from '../core/mention.js';
import { formatQuery, parseQuery } from '../core/query.js';
import type { Report, SourceCoverage } from '../core/report.js';
import type { HttpClient } from '../http/types.js';
import type { SourceBatch, SourceQuery } from '../sources/types.js';
import { analyzeToReport, judge, type ReportContext } from './analyze.js';
import { fetchWithinBudget, gather, sourceLogger, type GatherResult } from './gather.js';
import { baseQuery, checkSourceSettings, planJobs, type AuditPlan, type PlannedSource } from './plan.js';

/** What a run needs from the outside: the HTTP client, the clock, the environment, a logger. */
export interface RunDeps {
  http: HttpClient;
  /** The audit clock when the plan names none. */
  now: Date;
  log: Logger;
  /** Every warning of the run so far (it goes on growing while the run logs); the report's `warnings`. */
  warnings: readonly string[];
  signal: AbortSignal;
  /** Environment for tokens; never logged. */
  env: Readonly<Record<string, string | undefined>>;
  /** Called after each batch, for a progress display. */
  onProgress?: (source: string, mentions: number) => void;
  /** The sentiment scorer; default the shipped model. */
  scorer?: SentimentScorer;
}

/** What gathering produced, ready to be analysed. */
export interface Gathered {
  plan: AuditPlan;
  /** The audit clock the window was read against. */
  now: Date;
  base: Omit<SourceQuery, 'options'>;
  result: GatherResult;
}

/** The analysis step: analyzeToReport, or the CLI's version of it that also renders as it goes. */
export type AnalyzeStep = (mentions: readonly Mention[], analysis: AnalysisSettings, context: ReportContext) => Promise<Report>;

/** True when not one mention came back because every source failed or was skipped: the CLI's exit 3. */
export function nothingFetched(coverage: readonly SourceCoverage[], mentions: number): boolean {
  return mentions === 0 && coverage.every((c) => c.status === 'failed' || c.status === 'skipped');
}

/** Runs every source of the plan for every brand; a failing source is recorded in coverage and the others go on. */
export async function gatherAudit(plan: AuditPlan, deps: RunDeps): Promise<Gathered> {
  const now = plan.now ?? deps.now;
  const { jobs, base, skippedForCompetitors } = planJobs(plan, now);
  if (skippedForCompetitors.length > 0) {
    deps.log.warn(`competitors are not searched on ${skippedForCompetitors.join(', ')}: their settings (feeds, app ids, review pages, forums, blogs) point at ${base.brand}'s own pages.`);
  }
  const result = await gather(jobs, {
    http: deps.http,
    log: deps.log,
    signal: deps.signal,
    env: deps.env,
    now,
    ...(plan.sourceBudgetMs !== undefined ? { sourceBudgetMs: plan.sourceBudgetMs } : {}),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
  });
  if (result.duplicates > 0) deps.log.debug(`dropped ${result.duplicates} duplicate mentions`);
  if (result.filtered > 0) deps.log.debug(`dropped ${result.filtered} mentions in threads that do not match the query`);
  return { plan, now, base, result };
}

/** Analyses what was gathered into the report (coverage and warnings included). */
export async function reportAudit(gathered: Gathered, deps: Pick<RunDeps, 'warnings' | 'scorer'>, analyze: AnalyzeStep = (m, a, c) => analyzeToReport(m, a, c, { keepMentions: true })): Promise<Report> {
  const { plan, now, base, result } = gathered;
  const { analysis, context } = judge({
    ...plan.analysis,
    now,
    brands: [base.brand],
    brandHandles: base.brandHandles,
    // Sources mark brand posts per brand; one global handle list would mix up competitors.
    matchHandles: plan.brands.length > 1 ? [] : base.brandHandles,
    defaultBrand: base.brand,
    ...(deps.scorer ? { scorer: deps.scorer } : {}),
    about: {
      ...(base.since ? { since: base.since.toISOString() } : {}),
      ...(base.until ? { until: base.until.toISOString() } : {}),
      queries: Object.fromEntries(plan.brands.map((b) => [b.name, formatQuery(parseQuery(b.query))])),
      // No asOfFrom: a --from-raw replay must give the live run's bytes, and the recorded time is the live run's now.
    },
    coverage: result.coverage,
    warnings: deps.warnings,
    // Every audited brand has figures: a competitor whose every source failed is a column of its own (shown as failed).
    expectBrands: plan.brands.map((b) => b.name),
  });
  return analyze(result.mentions, analysis, context);
}

/** Gathers and analyses: the whole audit, resolved to the Report (a source that failed is a coverage row). */
export async function runAudit(plan: AuditPlan, deps: RunDeps, analyze?: AnalyzeStep): Promise<Report> {
  return reportAudit(await gatherAudit(plan, deps), deps, analyze);
}

/** One source's batches for the plan's brand (`earshot fetch`): what the source yields, as it yields it. */
export function fetchBatches(plan: AuditPlan, planned: PlannedSource, deps: Omit<RunDeps, 'warnings' | 'onProgress' | 'scorer'>): AsyncIterable<SourceBatch> {
  const brand = plan.brands[0]!;
  checkSourceSettings([planned]);
  const now = plan.now ?? deps.now;
  const query = { ...baseQuery(plan, brand.query, brand.name, now), options: planned.options };
  return fetchWithinBudget(planned.source, { http: deps.http, baseUrl: planned.baseUrl, query, log: sourceLogger(planned.source, deps.env, deps.log), signal: deps.signal, env: deps.env, now }, plan.sourceBudgetMs);
}
