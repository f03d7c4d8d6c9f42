/** Gathering: runs the chosen sources side by side, keeps what each found, and records why any failed. */
import { EarshotError, SourceSkippedError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Mention } from '../core/mention.js';
import { messageLine } from '../core/sanitize.js';
import { redactingLogger } from '../http/index.js';
import type { HttpClient } from '../http/types.js';
import type { SourceCoverage } from '../core/report.js';
import type { Source, SourceQuery } from '../sources/types.js';

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
}

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
  const runs = await Promise.all(jobs.map((job) => runOne(job, deps)));
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
  const secrets = source.tokenEnv.filter((name) => !IDENTITY_ENV.test(name)).map((name) => env[name]?.trim() ?? '').filter((v) => v.length > 0);
  return redactingLogger(log, () => secrets);
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

async function runOne(job: GatherJob, deps: GatherDeps): Promise<{ mentions: Mention[]; coverage: SourceCoverage }> {
  const mentions: Mention[] = [];
  const warnings: string[] = [];
  const id = job.source.id;
  const log = sourceLogger(job.source, deps.env, deps.log);
  try {
    for await (const batch of job.source.fetch({ http: deps.http, baseUrl: job.baseUrl, query: job.query, log, signal: deps.signal, env: deps.env, now: deps.now })) {
      mentions.push(...batch.mentions);
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
    if (deps.signal.aborted) return { mentions, coverage: { source: id, status: 'partial', mentions: mentions.length, warnings, error: { code: 'interrupted', message: 'Interrupted: kept what was fetched so far.' } } };
    return { mentions, coverage: { source: id, status: 'ok', mentions: mentions.length, warnings } };
  } catch (err) {
    const code = err instanceof EarshotError ? err.code : 'network';
    const message = withoutSourceId(id, messageLine(err instanceof Error ? err.message : String(err)));
    // A source that could not run at all is skipped or failed with its reason: never "ok, 0 mentions".
    if (err instanceof SourceSkippedError && mentions.length === 0) {
      return { mentions, coverage: { source: id, status: 'skipped', mentions: 0, warnings, error: { code, message } } };
    }
    return { mentions, coverage: { source: id, status: mentions.length > 0 ? 'partial' : 'failed', mentions: mentions.length, warnings, error: { code, message } } };
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
