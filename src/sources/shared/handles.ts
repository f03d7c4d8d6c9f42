/**
 * Brand handle matching, case-insensitive. Two conventions are in use and kept apart on purpose (merging them
 * would change which authors count as the brand): the JSON API sources strip one leading @ and match against a
 * prepared set (`normaliseHandles` + `isBrandHandle`); feeds, Hacker News, Bluesky and Mastodon strip every
 * leading @ (`@acme@mastodon.social` style handles) and match against the query's list (`normaliseHandle` +
 * `isListedHandle`). Reddit and the analysis stage drop one @ and a `u/` prefix (`normaliseAccount` in src/core/handles.ts).
 */
import { normaliseApiHandle, normaliseHandle } from '../../core/handles.js';

/** Lower-cased handles without a leading @, for case-insensitive matching. */
export function normaliseHandles(handles: readonly string[]): Set<string> {
  return new Set(handles.map(normaliseApiHandle).filter((h) => h !== ''));
}

/** True when `handle` is one of the (normalised) brand handles. */
export function isBrandHandle(handle: string | undefined, brandHandles: ReadonlySet<string>): boolean {
  if (handle === undefined) return false;
  return brandHandles.has(normaliseApiHandle(handle));
}

export { normaliseHandle };

/** True when `author` is one of `brandHandles` once both are normalised; a missing or empty author never matches. */
export function isListedHandle(author: string | undefined, brandHandles: readonly string[]): boolean {
  if (author === undefined || author === '') return false;
  const a = normaliseHandle(author);
  return brandHandles.some((h) => normaliseHandle(h) === a);
}
