/** Gathering: runs the chosen sources side by side, keeps what each found, and records why any failed. */
import { abortAfter } from '../core/deadline.js';
import { EarshotError, SourceSkippedError, TimeoutError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Mention } from '../core/mention.js';
import { messageLine } from '../core/sanitize.js';
import { formatDuration, redactingLogger } from '../http/index.js';
import type { HttpClient } from '../http/types.js';
import type { SourceCoverage } from '../core/report.js';
import type { Source, SourceBatch, SourceContext, SourceQuery } from '../sources/types.js';

/** One source to run, with its base URL and query. */
export interface GatherJob {
  source: Source;
  baseUrl: string;
  query: SourceQuery;
  /** The whole query, applied locally: a thread is kept when one of its mentions matches (brand broadcasts always are). */
  matches?: (m: Mention) => boolean;
  /** The query's exclusions: a thread whose first post matches one is dropped, whatever the source. */
  excludes?: (m: Mention) => boolean;
}

/** What gathering needs from the outside. */
export interface GatherDeps {
  http: HttpClient;
  log: Logger;
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
  /** Called after each batch, for a progress display. */
  onProgress?: (source: string, mentions: number) => void;
  /** Longest one source may take in all, its every job together (default 10 min); then it keeps what it fetched. */
  sourceBudgetMs?: number;
}

/** How long one source may take in all unless the plan says otherwise. */
const DEFAULT_SOURCE_BUDGET_MS = 10 * 60_000;

/** Mentions from every source (deduplicated, in a stable order) and per-source coverage. */
export interface GatherResult {
  mentions: Mention[];
  /** One row per source and brand (jobs for several query alternatives are merged). */
  coverage: SourceCoverage[];
  duplicates: number;
  /** Mentions dropped because nothing in their thread matched the query. */
  filtered: number;
}

/** Runs every job concurrently; a failing source is recorded and the others go on. */
export async function gather(jobs: readonly GatherJob[], deps: GatherDeps): Promise<GatherResult> {
  // One budget per source, shared by its jobs (brands and query alternatives), which all start now.
  const budgets = new Map<string, SourceBudget>();
  for (const job of jobs) if (!budgets.has(job.source.id)) budgets.set(job.source.id, startBudget(deps.sourceBudgetMs ?? DEFAULT_SOURCE_BUDGET_MS, deps.signal));
  let runs: { mentions: Mention[]; coverage: SourceCoverage }[];
  try {
    runs = await Promise.all(jobs.map((job) => runOne(job, deps, budgets.get(job.source.id)!)));
  } finally {
    for (const b of budgets.values()) b.stop();
  }
  let filtered = 0;
  const byBrand = new Map<string, Mention[]>();
  runs.forEach((r, i) => {
    const job = jobs[i]!;
    const found = job.matches || job.excludes ? keepMatchingThreads(r.mentions, job.matches, job.excludes) : r.mentions;
    filtered += r.mentions.length - found.length;
    const list = byBrand.get(job.query.brand) ?? [];
    list.push(...found);
    byBrand.set(job.query.brand, list);
  });
  // Dedupe within a brand: a post naming two audited brands counts for both.
  let duplicates = 0;
  const kept: Mention[] = [];
  for (const list of byBrand.values()) {
    const d = dedupe(list);
    duplicates += d.duplicates;
    kept.push(...d.kept);
  }
  const since = jobs[0]?.query.since?.getTime();
  const until = jobs[0]?.query.until?.getTime();
  const inWindow = kept.filter((m) => {
    const t = Date.parse(m.createdAt);
    if (since !== undefined && t < since) return false;
    // Brand replies after the window still answer mentions inside it.
    if (until !== undefined && t > until && !m.fromBrand) return false;
    return true;
  });
  const brands = new Set(jobs.map((j) => j.query.brand));
  const coverage = mergeCoverage(runs.map((r, i) => ({ ...r.coverage, ...(brands.size > 1 ? { brand: jobs[i]!.query.brand } : {}) })));
  // Told once per source and brand, however many query alternatives ran into the same failure.
  for (const c of coverage) {
    if (!c.error) continue;
    const who = `${c.source}${c.brand !== undefined ? ` (${c.brand})` : ''}`;
    // An interrupted source is not a failure, but the reader must know its figures are partial.
    if (c.error.code === 'interrupted') {
      deps.log.warn(`${who}: partial (interrupted): kept ${c.mentions} mentions fetched before the interrupt.`);
      continue;
    }
    if (c.status === 'skipped') deps.log.warn(`${who}: skipped: ${c.error.message}`);
    else deps.log.warn(`${who}: ${c.error.message}${c.mentions > 0 ? ` (kept ${c.mentions} mentions fetched before the failure)` : ''}`);
  }
  return { mentions: sortForAnalysis(inWindow), coverage, duplicates, filtered };
}

/** A message for the user, starting with the source id once (some sources already name themselves). */
export function withSourceId(id: string, message: string): string {
  return message.startsWith(`${id}: `) ? message : `${id}: ${message}`;
}

// Token variables that name an account rather than prove it (a handle, an API username): not secrets in log lines.
const IDENTITY_ENV = /_(HANDLE|USERNAME)$/;

/**
 * The logger a source writes through: every line has the source's token values and `name=value` credentials cut out,
 * since sources log URLs they took from answers (GitHub's Link header) that may carry a token.
 */
export function sourceLogger(source: Pick<Source, 'tokenEnv'>, env: Readonly<Record<string, string | undefined>>, log: Logger): Logger {
  const secrets = tokenValues(source, env);
  return redactingLogger(log, () => secrets);
}

/** The values of a source's token variables that are set (account names such as handles left out): what must never show. */
export function tokenValues(source: Pick<Source, 'tokenEnv'>, env: Readonly<Record<string, string | undefined>>): string[] {
  return source.tokenEnv.filter((name) => !IDENTITY_ENV.test(name)).map((name) => env[name]?.trim() ?? '').filter((v) => v.length > 0);
}

/** A message without the source id in front: coverage rows name their source already, so "rss: rss: …" never shows. */
function withoutSourceId(id: string, message: string): string {
  return message.startsWith(`${id}: `) ? message.slice(id.length + 2) : message;
}

/** Merges the rows of jobs for the same source and brand (one per query alternative). */
function mergeCoverage(rows: SourceCoverage[]): SourceCoverage[] {
  const merged = new Map<string, SourceCoverage>();
  const rank = { ok: 0, partial: 1, failed: 2, skipped: 3 } as const;
  for (const r of rows) {
    const key = `${r.source}\u0000${r.brand ?? ''}`;
    const m = merged.get(key);
    if (!m) {
      merged.set(key, { ...r, warnings: [...r.warnings] });
      continue;
    }
    m.mentions += r.mentions;
    if (r.unread !== undefined) m.unread = (m.unread ?? 0) + r.unread;
    for (const w of r.warnings) if (!m.warnings.includes(w)) m.warnings.push(w);
    // One alternative failing while another worked is a partial result for the source.
    const statuses = new Set([m.status, r.status]);
    m.status = statuses.size === 1 ? m.status : statuses.has('ok') || statuses.has('partial') ? 'partial' : rank[m.status] >= rank[r.status] ? m.status : r.status;
    if (!m.error && r.error) m.error = r.error;
  }
  // A source's warnings come in the order its pages answered; sorted, a rerun lists them in the same order.
  return [...merged.values()].map((r) => ({ ...r, warnings: [...r.warnings].sort() }));
}

/**
 * Keeps whole threads in which at least one mention matches (all threads when there is no `matches`); thread-starting
 * brand posts are always kept; a thread whose first post matches an exclusion is dropped.
 */
export function keepMatchingThreads(mentions: readonly Mention[], matches?: (m: Mention) => boolean, excludes?: (m: Mention) => boolean): Mention[] {
  const parent = new Map(mentions.map((m) => [m.id, m.parentId]));
  // Roots are remembered: walking every mention of a deep chain to its root anew was quadratic.
  const roots = new Map<string, string>();
  const rootOf = (m: Mention): string => {
    if (m.threadId !== undefined) return m.threadId;
    const known = roots.get(m.id);
    if (known !== undefined) return known;
    const path = [m.id];
    const seen = new Set<string>(path);
    let id = m.id;
    let p = parent.get(id);
    for (; p !== undefined && !seen.has(p); p = parent.get(p)) {
      const memo = roots.get(p);
      if (memo !== undefined) {
        id = memo;
        p = undefined;
        break;
      }
      seen.add(p);
      path.push(p);
      id = p;
    }
    // On a parent cycle (a broken input) each member's root depends on where its walk starts: nothing is remembered.
    if (p === undefined) for (const step of path) roots.set(step, id);
    return id;
  };
  const keep = new Set<string>();
  const dropped = new Set<string>();
  for (const m of mentions) {
    const root = rootOf(m);
    if (m.id === root && excludes?.(m) && !(m.fromBrand && m.parentId === undefined)) dropped.add(root);
    if (!matches || (m.fromBrand && m.parentId === undefined) || matches(m)) keep.add(root);
  }
  return mentions.filter((m) => keep.has(rootOf(m)) && !dropped.has(rootOf(m)));
}

async function runOne(job: GatherJob, deps: GatherDeps, budget: SourceBudget): Promise<{ mentions: Mention[]; coverage: SourceCoverage }> {
  const mentions: Mention[] = [];
  const warnings: string[] = [];
  const id = job.source.id;
  const log = sourceLogger(job.source, deps.env, deps.log);
  let unread = 0;
  const withUnread = (c: SourceCoverage): SourceCoverage => (unread > 0 ? { ...c, unread, status: c.status === 'ok' ? 'partial' : c.status } : c);
  const spent = (): { mentions: Mention[]; coverage: SourceCoverage } => ({
    mentions,
    coverage: withUnread({ source: id, status: mentions.length > 0 ? 'partial' : 'failed', mentions: mentions.length, warnings, error: { code: 'timeout', message: budgetMessage(budget.ms) } }),
  });
  try {
    const batches = job.source.fetch({ http: budgetedHttp(deps.http, budget.signal), baseUrl: job.baseUrl, query: job.query, log, signal: budget.signal, env: deps.env, now: deps.now });
    for await (const batch of untilSpent(batches, budget)) {
      mentions.push(...batch.mentions);
      unread += batch.unread ?? 0;
      for (const raw of batch.warnings) {
        // Warnings may quote what a server or an input wrote: one clean, bounded line in the report and on stderr.
        const w = withoutSourceId(id, messageLine(raw));
        warnings.push(w);
        // Some sources already name themselves at the start of a warning.
        deps.log.warn(withSourceId(id, w));
      }
      deps.onProgress?.(id, mentions.length);
      if (deps.signal.aborted) break;
    }
    if (budget.spent()) return spent();
    if (deps.signal.aborted) return { mentions, coverage: withUnread({ source: id, status: 'partial', mentions: mentions.length, warnings, error: { code: 'interrupted', message: 'Interrupted: kept what was fetched so far.' } }) };
    return { mentions, coverage: withUnread({ source: id, status: 'ok', mentions: mentions.length, warnings }) };
  } catch (err) {
    // The source's last request was cut off by the budget (an "interrupted" error): the budget is the reason.
    if (budget.spent()) return spent();
    const code = err instanceof EarshotError ? err.code : 'network';
    const message = withoutSourceId(id, messageLine(err instanceof Error ? err.message : String(err)));
    // A source that could not run at all is skipped or failed with its reason: never "ok, 0 mentions".
    if (err instanceof SourceSkippedError && mentions.length === 0) {
      return { mentions, coverage: { source: id, status: 'skipped', mentions: 0, warnings, error: { code, message } } };
    }
    return { mentions, coverage: withUnread({ source: id, status: mentions.length > 0 ? 'partial' : 'failed', mentions: mentions.length, warnings, error: { code, message } }) };
  }
}

/**
 * Drops repeats: the same id, the same URL seen from another source, or (for thread-starting posts) the same text by the same
 * author, which is how crossposts and syndicated copies show up. Replies are never merged by text:
 * a brand's "please DM us" in two threads is two replies.
 */
export function dedupe(mentions: readonly Mention[]): { kept: Mention[]; duplicates: number } {
  const ids = new Set<string>();
  const urls = new Map<string, string>();
  const texts = new Set<string>();
  const kept: Mention[] = [];
  for (const m of mentions) {
    if (ids.has(m.id)) continue;
    const url = m.url?.trim().replace(/[/#?]+$/, '').toLowerCase();
    // Same link from another source is a copy (a news item on HN and in a feed); within one source ids decide.
    const urlSource = url ? urls.get(url) : undefined;
    if (urlSource !== undefined && urlSource !== m.source) continue;
    const author = (m.author.handle ?? m.author.id ?? '').toLowerCase();
    const text = m.parentId === undefined && author !== '' && m.text.trim().length >= 20 ? `${author}\u0000${m.text.replace(/\s+/g, ' ').trim().toLowerCase()}` : undefined;
    if (text && texts.has(text)) continue;
    ids.add(m.id);
    if (url && urlSource === undefined) urls.set(url, m.source);
    if (text) texts.add(text);
    kept.push(m);
  }
  return { kept, duplicates: mentions.length - kept.length };
}

/** Stable order with each thread contiguous: source, thread, time, id. */
export function sortForAnalysis(mentions: Mention[]): Mention[] {
  const key = (m: Mention): string => m.threadId ?? (m.parentId === undefined ? m.id : m.parentId);
  return mentions.sort((a, b) => cmp(a.source, b.source) || cmp(key(a), key(b)) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One source's time budget: the signal its fetch runs under (the run's, and the budget's timer) and whether it ran out. */
interface SourceBudget {
  readonly ms: number;
  /** Aborts when the run is interrupted or the budget runs out. */
  readonly signal: AbortSignal;
  /** The budget's own timer, apart from an interrupt. */
  readonly timer: AbortSignal;
  spent(): boolean;
  stop(): void;
}

function startBudget(ms: number, run: AbortSignal): SourceBudget {
  const timer = abortAfter(ms);
  return {
    ms,
    signal: AbortSignal.any([run, timer.signal]),
    timer: timer.signal,
    spent: () => timer.signal.aborted && !run.aborted,
    stop: timer.stop,
  };
}

/** What a source that ran out of time reports; the run's warning adds how many mentions it kept. */
function budgetMessage(ms: number): string {
  return `did not finish within the ${formatDuration(ms)} one source may take, so it stopped with what it had fetched; raise the source budget (--source-budget, sourceBudget in earshot.yml) to let it run longer.`;
}

/** `http` with the budget's signal on every request, so even a request made without the source's signal is cut off. */
function budgetedHttp(http: HttpClient, signal: AbortSignal): HttpClient {
  const withSignal = <O extends { signal?: AbortSignal }>(options: O | undefined): O =>
    ({ ...options, signal: options?.signal && options.signal !== signal ? AbortSignal.any([options.signal, signal]) : signal }) as O;
  return {
    get: (url, options) => http.get(url, withSignal(options)),
    post: (url, body, options) => http.post(url, body, withSignal(options)),
    close: () => http.close(),
  };
}

/**
 * The batches of a source until its budget runs out: then the source is left behind rather than waited for (one
 * that ignores its signal, or sleeps, would otherwise hold up the run), and asked to stop. An interrupt is not raced
 * here: the source ends by itself on its signal and may still hand over what it holds.
 */
async function* untilSpent<T>(batches: AsyncIterable<T>, budget: Pick<SourceBudget, 'timer'>): AsyncGenerator<T> {
  const it = batches[Symbol.asyncIterator]();
  const ranOut = new Promise<'spent'>((resolve) => {
    if (budget.timer.aborted) resolve('spent');
    else budget.timer.addEventListener('abort', () => resolve('spent'), { once: true });
  });
  let finished = false;
  try {
    for (;;) {
      const next = it.next();
      // Left behind when the budget wins the race, a later rejection must not become an unhandled one.
      next.catch(() => undefined);
      const step = await Promise.race([next, ranOut]);
      if (step === 'spent') return;
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!finished) void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}

/**
 * One source's batches within its budget (`earshot fetch`): the batches it yields in time, then a TimeoutError
 * saying the budget ran out. An interrupt ends it as the source ends on its signal.
 */
export async function* fetchWithinBudget(source: Source, ctx: SourceContext, budgetMs: number = DEFAULT_SOURCE_BUDGET_MS): AsyncGenerator<SourceBatch> {
  const budget = startBudget(budgetMs, ctx.signal);
  try {
    try {
      yield* untilSpent(source.fetch({ ...ctx, http: budgetedHttp(ctx.http, budget.signal), signal: budget.signal }), budget);
    } catch (err) {
      if (!budget.spent()) throw err;
    }
    if (budget.spent()) throw new TimeoutError(budgetMessage(budgetMs), { sourceId: source.id });
  } finally {
    budget.stop();
  }
}
