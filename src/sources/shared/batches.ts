/**
 * Run bookkeeping for sources that walk timelines and threads (Bluesky, Mastodon): the same post can come back
 * from a search and again inside a thread, the run stops at the query's limit, and pages come newest first.
 */
import type { Mention } from '../../core/mention.js';
import type { SourceBatch } from '../types.js';

/** Hands out each mention once, up to a limit. */
export interface MentionBatcher {
  /** A batch of the mentions not handed out before, cut where the limit is reached. */
  batch(mentions: readonly Mention[], warnings: string[]): SourceBatch;
  /** True once `limit` mentions have been handed out. */
  full(): boolean;
  /** How many mentions have been handed out. */
  readonly count: number;
}

/** A batcher for one run that may hand out at most `limit` mentions. */
export function mentionBatcher(limit: number): MentionBatcher {
  const emitted = new Set<string>();
  let count = 0;
  return {
    batch(mentions, warnings) {
      const out: Mention[] = [];
      for (const m of mentions) {
        if (emitted.has(m.id) || count >= limit) continue;
        emitted.add(m.id);
        out.push(m);
        count++;
      }
      return { mentions: out, warnings };
    },
    full: () => count >= limit,
    get count() {
      return count;
    },
  };
}

/** A test for "created inside the window": from `since` (inclusive) to `until` (exclusive); open ends when absent. */
export function createdWithin(since: Date | undefined, until: Date | undefined): (m: Mention) => boolean {
  const sinceIso = since?.toISOString();
  const untilIso = until?.toISOString();
  return (m) => (!sinceIso || m.createdAt >= sinceIso) && (!untilIso || m.createdAt < untilIso);
}

/** True when a newest-first page reaches back before `since`, so older pages cannot hold anything in the window. */
export function reachesBefore(page: readonly Mention[], since: Date | undefined): boolean {
  if (!since) return false;
  const oldest = page.reduce<string | undefined>((min, m) => (min === undefined || m.createdAt < min ? m.createdAt : min), undefined);
  return oldest !== undefined && oldest < since.toISOString();
}

/** Just the mentions and warnings of a parser's result (what a page parser in `Source.parsers` returns). */
export function pageResult(r: { mentions: Mention[]; warnings: string[] }): { mentions: Mention[]; warnings: string[] } {
  return { mentions: r.mentions, warnings: r.warnings };
}

/**
 * The warning for a page that held entries of which none could be read: usually the service changed its layout.
 * Undefined when something was read, or the page was empty (an empty result is not a changed shape).
 */
export function shapeChangedWarning(source: string, url: string, entries: number, read: number): string | undefined {
  if (entries === 0 || read > 0) return undefined;
  return `${source}: read 0 of the ${entries} entries on ${url}; the page's shape may have changed (run with --debug and check the source's fixtures against a fresh --save-raw recording).`;
}
