/** Gathering: runs the chosen sources side by side, keeps what each found, and records why any failed. */
import { EarshotError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Mention } from '../core/mention.js';
import type { HttpClient } from '../http/types.js';
import type { SourceCoverage } from '../report/report.js';
import type { Source, SourceQuery } from '../sources/types.js';

/** One source to run, with its base URL and query. */
export interface GatherJob {
  source: Source;
  baseUrl: string;
  query: SourceQuery;
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
  coverage: SourceCoverage[];
  duplicates: number;
}

/** Runs every job concurrently; a failing source is recorded and the others go on. */
export async function gather(jobs: readonly GatherJob[], deps: GatherDeps): Promise<GatherResult> {
  const runs = await Promise.all(jobs.map((job) => runOne(job, deps)));
  const all = runs.flatMap((r) => r.mentions);
  const { kept, duplicates } = dedupe(all);
  const since = jobs[0]?.query.since?.getTime();
  const until = jobs[0]?.query.until?.getTime();
  const inWindow = kept.filter((m) => {
    const t = Date.parse(m.createdAt);
    if (since !== undefined && t < since) return false;
    // Brand replies after the window still answer mentions inside it.
    if (until !== undefined && t > until && !m.fromBrand) return false;
    return true;
  });
  return { mentions: sortForAnalysis(inWindow), coverage: runs.map((r) => r.coverage), duplicates };
}

async function runOne(job: GatherJob, deps: GatherDeps): Promise<{ mentions: Mention[]; coverage: SourceCoverage }> {
  const mentions: Mention[] = [];
  const warnings: string[] = [];
  const id = job.source.id;
  try {
    for await (const batch of job.source.fetch({ http: deps.http, baseUrl: job.baseUrl, query: job.query, log: deps.log, signal: deps.signal, env: deps.env, now: deps.now })) {
      mentions.push(...batch.mentions);
      for (const w of batch.warnings) {
        warnings.push(w);
        // Some sources already name themselves at the start of a warning.
        deps.log.warn(w.startsWith(`${id}: `) ? w : `${id}: ${w}`);
      }
      deps.onProgress?.(id, mentions.length);
      if (deps.signal.aborted) break;
    }
    if (deps.signal.aborted) return { mentions, coverage: { source: id, status: 'partial', mentions: mentions.length, warnings, error: { code: 'interrupted', message: 'Interrupted: kept what was fetched so far.' } } };
    return { mentions, coverage: { source: id, status: 'ok', mentions: mentions.length, warnings } };
  } catch (err) {
    const code = err instanceof EarshotError ? err.code : 'network';
    const message = err instanceof Error ? err.message : String(err);
    deps.log.warn(`${id}: ${message}${mentions.length > 0 ? ` (kept ${mentions.length} mentions fetched before the failure)` : ''}`);
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
