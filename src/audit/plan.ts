/** An audit as data: which brands, which sources, which window, how to analyse; and the jobs it expands to. */
import type { Deadlines } from '../analysis/deadlines.js';
import { withoutAt } from '../core/handles.js';
import type { Report } from '../core/report.js';
import type { HistoryReport } from '../report/history.js';
import type { Mention } from '../core/mention.js';
import type { Thresholds, Breach } from '../analysis/thresholds.js';
import { UsageError } from '../core/errors.js';
import { parseTimeBound } from '../core/duration.js';
import { matchesQuery, parseQuery, queryTerms } from '../core/query.js';
import type { RateLimit } from '../http/types.js';
import { SOURCES } from '../sources/index.js';
import type { Source, SourceQuery } from '../sources/types.js';
import type { GatherJob } from './gather.js';
import type { CannedOptions } from '../analysis/canned.js';

/** A brand to audit: its name, query (boolean syntax, docs/query.md) and handles (per source id, `all` for every source). */
export interface AuditBrand {
  name: string;
  query: string;
  handles: Readonly<Record<string, readonly string[]>>;
}

/** One source of the audit, with everything it runs with. */
export interface PlannedSource {
  source: Source;
  /** Its default base URL, or an override (a fixture server). */
  baseUrl: string;
  /** The source's options for the audited brand (competitors get them without the brand-identifying ones). */
  options: Readonly<Record<string, unknown>>;
  /** Requests per minute and concurrency for the live client. */
  rateLimit: RateLimit;
}

/** How the gathered mentions are analysed and reported. */
export interface AuditAnalysis {
  /** IANA time zone for days and business hours. */
  timeZone: string;
  /** Opening hours, e.g. `Mon-Fri 09:00-17:00` or `24/7`. */
  businessHours: string;
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays: readonly string[];
  replyTargetMinutes?: number;
  /** How canned replies are told apart (docs/metrics.md "Canned replies"); default DEFAULT_CANNED. */
  canned?: CannedOptions;
  /** Reply deadline per triage class in minutes, over the defaults (docs/metrics.md). */
  deadlines?: Partial<Deadlines>;
  /** Unanswered mentions kept per brand. */
  unansweredLimit: number;
  thresholds?: Thresholds;
  /** A previous report to compare with. */
  previous?: Report;
  /** Earlier reports for trend lines (--history). */
  history?: readonly HistoryReport[];
  /** How a breach reads in `report.breaches`. */
  describeBreach?: (b: Breach) => string;
  /** False: no published benchmarks in the report (--no-benchmarks, config `benchmarks: false`). */
  benchmarks?: boolean;
}

/** A whole audit: brands (the first is the audited one, the others competitors) × query terms × sources, in a window. */
export interface AuditPlan {
  brands: readonly AuditBrand[];
  /** The brand's own accounts on every source (the report's `brandHandles`). */
  brandHandles: readonly string[];
  sources: readonly PlannedSource[];
  /** Oldest mention: a Date, or a time bound read against the audit clock (`30d`, `2026-11-01`). */
  since?: Date | string;
  /** Newest mention, same forms as `since`. */
  until?: Date | string;
  /** At most this many mentions per source. */
  limit: number;
  /** Longest one source may take in all, in ms (default 10 min); a source that runs out keeps what it fetched (coverage `timeout`). */
  sourceBudgetMs?: number;
  /** The audit clock; default the session's (a replay's recording time, else the real time). */
  now?: Date;
  analysis: AuditAnalysis;
}

/** Resolves comma-separated source ids (or a list), or a usage error listing the valid ones. */
export function pickSources(ids: string | readonly string[]): Source[] {
  const list = (typeof ids === 'string' ? ids.split(',') : [...ids]).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError(`--source is empty; choose from ${Object.keys(SOURCES).join(', ')}.`);
  return [...new Set(list)].map(sourceById);
}

/** The registered source `id`, or a usage error listing the valid ones. */
function sourceById(id: string): Source {
  const s = SOURCES[id];
  if (!s) throw new UsageError(`Unknown source '${id}'; choose from ${Object.keys(SOURCES).join(', ')} (see earshot sources).`);
  return s;
}

/** A brand name as a query: the name as a phrase (it also matches the name written as one word). */
export function brandQueryText(name: string): string {
  return /\s/.test(name.trim()) ? `"${name.trim().replaceAll('"', '')}"` : name.trim();
}

/** Checks that no brand is named twice (the brand and a competitor, or a competitor twice). */
export function distinctBrands(brands: readonly AuditBrand[]): AuditBrand[] {
  const seen = new Set<string>();
  return brands.filter((b) => {
    const key = b.name.toLowerCase();
    if (seen.has(key)) throw new UsageError(`'${b.name}' is both the brand and a competitor (or listed twice); name each brand once.`);
    seen.add(key);
    return true;
  });
}

/** The plan's window against the audit clock. */
function auditWindow(plan: Pick<AuditPlan, 'since' | 'until'>, now: Date): { since?: Date; until?: Date } {
  const bound = (b: Date | string | undefined, what: string): Date | undefined => (b === undefined ? undefined : b instanceof Date ? b : parseTimeBound(b, now, what));
  const since = bound(plan.since, '--since');
  const until = bound(plan.until, '--until');
  if (since && until && since >= until) throw new UsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()}).`);
  return { ...(since ? { since } : {}), ...(until ? { until } : {}) };
}

/** The shared part of every source's query. */
export function baseQuery(plan: AuditPlan, query: string, brand: string, now: Date): Omit<SourceQuery, 'options'> {
  return { query, brand, brandHandles: plan.brandHandles.map(withoutAt), ...auditWindow(plan, now), limit: plan.limit };
}

/** What planning found besides the jobs: sources left out for competitors. */
export interface PlannedJobs {
  jobs: GatherJob[];
  base: Omit<SourceQuery, 'options'>;
  /** Brand-owned sources, which are not searched for competitors (only set when there are competitors). */
  skippedForCompetitors: string[];
}

/** Expands a plan into one gather job per brand × query alternative × source. */
export function planJobs(plan: AuditPlan, now: Date): PlannedJobs {
  const main = plan.brands[0];
  // The CLI says this in its own words before planning; a library caller can still hand over an empty plan.
  if (!main) throw new UsageError('The audit plan names no brand: brands[0] is the audited brand (planAudit({ brand, sources }) builds a plan).');
  checkSourceSettings(plan.sources);
  const parsed = plan.brands.map((b) => ({ brand: b, query: parseQuery(b.query) }));
  const base = baseQuery(plan, main.name, main.name, now);
  const jobs: GatherJob[] = [];
  for (const [i, { brand: b, query }] of parsed.entries()) {
    // Each source searches for each alternative of the query; the whole query is then applied locally.
    const { include: terms, exclude } = queryTerms(query);
    const excluded = exclude.length > 0 ? parseQuery(exclude.map((t) => (/\s/.test(t) ? `"${t}"` : t)).join(' OR ')) : undefined;
    for (const { source, baseUrl, options } of plan.sources) {
      if (i > 0 && source.scope === 'brand-owned') continue;
      for (const term of terms.length > 0 ? terms : [b.name]) {
        jobs.push({
          source,
          baseUrl,
          query: { ...base, query: term, brand: b.name, brandHandles: handlesFor(b, source.id), options: i === 0 ? options : competitorOptions(options) },
          ...(source.filterLocally === false ? {} : { matches: (m: Mention) => matchesQuery(query, `${m.title ?? ''}\n${m.text}`) }),
          ...(excluded ? { excludes: (m: Mention) => matchesQuery(excluded, `${m.title ?? ''}\n${m.text}`) } : {}),
        });
      }
    }
  }
  const skippedForCompetitors = plan.brands.length > 1 ? plan.sources.filter((s) => s.source.scope === 'brand-owned').map((s) => s.source.id) : [];
  return { jobs, base, skippedForCompetitors };
}

/** A source's missing or malformed required setting, as a usage error before any request (not exit 3 after fetching). */
export function checkSourceSettings(sources: readonly PlannedSource[]): void {
  for (const { source, options } of sources) {
    try {
      source.checkSettings?.(options);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const text = message.startsWith(`${source.id}: `) ? message : `${source.id}: ${message}`;
      throw new UsageError(`${text.replace(/\.$/, '')} (sources.${source.id} in earshot.yml, or --source-option ${source.id}.<key>=<value>).`, { cause: err });
    }
  }
}

/** Simple inputs for a plan, as a library caller has them; the analysis fields have the defaults `planAudit` documents. */
export interface AuditPlanInput extends Partial<AuditAnalysis> {
  /** The audited brand. */
  brand: string;
  /** Its query in the boolean syntax; default the brand name as a phrase. */
  query?: string;
  /** Source ids, e.g. `['hn', 'reddit']`. */
  sources: readonly string[];
  /** The brand's accounts: a list for every source, or per source id (`all` for every source). */
  handles?: readonly string[] | Readonly<Record<string, readonly string[]>>;
  /** Competitors audited alongside (name, or name with query and handles). */
  competitors?: readonly (string | { name: string; query?: string; handles?: Readonly<Record<string, readonly string[]>> })[];
  since?: Date | string;
  until?: Date | string;
  /** Most mentions per source. Default 500. */
  limit?: number;
  /** Longest one source may take in all, in ms. Default 10 min. */
  sourceBudgetMs?: number;
  /** Per source id, its options (see `earshot sources` / docs/sources.md). */
  options?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Per source id, another base URL (a mirror, a fixture server). */
  baseUrls?: Readonly<Record<string, string>>;
  /** Per source id, requests per minute and concurrency over the polite defaults. */
  rateLimits?: Readonly<Record<string, Partial<RateLimit>>>;
  now?: Date;
}

/** Builds an AuditPlan from simple inputs (unknown source ids and duplicate brands are usage errors). */
export function planAudit(input: AuditPlanInput): AuditPlan {
  const handles = input.handles === undefined ? {} : Array.isArray(input.handles) ? { all: input.handles as readonly string[] } : (input.handles as Readonly<Record<string, readonly string[]>>);
  const flat = handles.all ?? [];
  const competitors = (input.competitors ?? []).map((c) => (typeof c === 'string' ? { name: c, query: brandQueryText(c), handles: {} } : { name: c.name, query: c.query ?? brandQueryText(c.name), handles: c.handles ?? {} }));
  for (const id of [...Object.keys(input.baseUrls ?? {}), ...Object.keys(input.options ?? {}), ...Object.keys(input.rateLimits ?? {})]) sourceById(id);
  const sources = pickSources(input.sources).map((source) => ({
    source,
    baseUrl: (input.baseUrls?.[source.id] ?? source.defaultBaseUrl).replace(/\/+$/, ''),
    options: { ...(input.options?.[source.id] ?? {}) },
    rateLimit: { ...source.rateLimit, ...input.rateLimits?.[source.id] },
  }));
  const pass = <K extends keyof AuditPlanInput>(k: K): Partial<Pick<AuditPlanInput, K>> => (input[k] !== undefined ? ({ [k]: input[k] } as Partial<Pick<AuditPlanInput, K>>) : {});
  return {
    brands: distinctBrands([{ name: input.brand, query: input.query ?? brandQueryText(input.brand), handles }, ...competitors]),
    brandHandles: [...flat],
    sources,
    ...pass('since'),
    ...pass('until'),
    limit: input.limit ?? 500,
    ...pass('sourceBudgetMs'),
    ...pass('now'),
    analysis: {
      timeZone: input.timeZone ?? 'UTC',
      businessHours: input.businessHours ?? '24/7',
      holidays: input.holidays ?? [],
      unansweredLimit: input.unansweredLimit ?? 50,
      ...pass('replyTargetMinutes'),
      ...pass('canned'),
      ...pass('deadlines'),
      ...pass('thresholds'),
      ...pass('previous'),
      ...pass('history'),
      ...pass('describeBreach'),
      ...pass('benchmarks'),
    },
  };
}

/** A source's options for a competitor: without the brand-identifying ones (brandOrgs, brandGroups, brandActor, …). */
function competitorOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !/^brand[A-Z]/.test(key)));
}

function handlesFor(b: AuditBrand, sourceId: string): string[] {
  return [...new Set([...(b.handles.all ?? []), ...(b.handles[sourceId] ?? [])].map(withoutAt))];
}
