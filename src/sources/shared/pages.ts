/**
 * Bounded paging for every source: a server decides what "next page" means, so it can send the same next link or
 * cursor forever, new page numbers forever, or pages that repeat what was already read. Each paging loop goes
 * through a `PageLoop`, which checks the run's abort signal on every turn (a loop served from the cache does no I/O
 * that could notice Ctrl-C), caps the pages read, stops at a repeated URL or cursor, and ends at a page that brings
 * nothing new. What was read is kept; the source says once, in a warning, why it stopped early.
 */
import { SourceError } from '../../core/errors.js';
import { redactUrl } from '../../http/redact.js';

/** Most pages one paging loop reads when its source sets no lower cap (100 pages of 100 = 10,000 items). */
export const MAX_PAGES = 100;

/** One paging loop's guard. */
export interface PageLoop {
  /**
   * At the top of every turn, with the key of the page about to be read (its URL, cursor, offset or number): false
   * when paging must stop because the page cap is reached or that key was read before (a warning says which).
   * Throws `interrupted` once the run's signal has fired.
   */
  next(key: string): boolean;
  /**
   * After a page, the ids of the items it listed (undefined for an item without one): false when none was new
   * (an empty page, or one repeating earlier pages of this loop), so paging ends. Repeats count toward the limit.
   */
  listed(ids: Iterable<string | undefined>): boolean;
}

/** The paging guards of one source run, and the repeats they counted. */
export interface Pager {
  /** A guard for one loop, named in warnings (`the search`, `the comments of acme/app#12`); `maxPages` caps it lower. */
  loop(what: string, maxPages?: number): PageLoop;
  /** Items pages listed again, over the run: they use up `--limit` like new mentions, so repeating pages cannot go on forever. */
  readonly repeats: number;
}

/** Throws the `interrupted` error when `signal` has fired: call it on each turn of a loop that may never wait on I/O. */
export function stopIfAborted(signal: AbortSignal, source: string): void {
  if (signal.aborted) throw new SourceError('interrupted', `${source}: interrupted; kept what was read so far.`, { sourceId: source });
}

/** The guards for one run of `source`; warnings go to `warn` (at most one per loop). */
export function createPager(source: string, signal: AbortSignal, warn: (message: string) => void): Pager {
  let repeats = 0;
  return {
    get repeats() {
      return repeats;
    },
    loop(what, maxPages = MAX_PAGES) {
      const keys = new Set<string>();
      const ids = new Set<string>();
      let pages = 0;
      let done = false;
      const stop = (message: string): false => {
        if (!done) warn(`${source}: ${message}`);
        done = true;
        return false;
      };
      return {
        next(key) {
          stopIfAborted(signal, source);
          if (done) return false;
          if (keys.has(key)) return stop(`stopped reading ${what}: the server sent page ${oneLine(key)} again (a paging loop); kept the ${pages} pages read.`);
          if (pages >= maxPages) return stop(`stopped reading ${what} after ${maxPages} pages (the page cap); ${oneLine(key)} and later pages were not read.`);
          keys.add(key);
          pages += 1;
          return true;
        },
        listed(list) {
          let fresh = 0;
          let repeated = 0;
          for (const id of list) {
            if (id === undefined || !ids.has(id)) fresh += 1;
            else repeated += 1;
            if (id !== undefined) ids.add(id);
          }
          repeats += repeated;
          if (fresh > 0) return true;
          // An empty page is how many APIs end; a page of nothing but repeats is a server going round in circles.
          if (repeated > 0) stop(`stopped reading ${what}: a page only repeated items already read.`);
          return false;
        },
      };
    },
  };
}

/** A key fit for a warning: one line, not a whole server-sent blob, a URL without its credentials. */
function oneLine(key: string): string {
  const flat = (/^https?:\/\//i.test(key) ? redactUrl(key) : key).replace(/\s+/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
