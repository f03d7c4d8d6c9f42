/**
 * Handle normalising for case-insensitive matching. Three conventions, kept apart because merging them would change
 * which authors count as the brand: `normaliseHandle` drops every leading @ (feeds, Hacker News, Bluesky, Mastodon,
 * input files); `normaliseApiHandle` drops one leading @ (the JSON API and page sources); `normaliseAccount` drops one leading @ and a Reddit-style `u/` prefix (Reddit, the analysis stage). `withoutAt` only drops the @, for handles shown back.
 */

/** Trimmed, lower-cased, every leading @ dropped. */
export function normaliseHandle(handle: string): string {
  return handle.trim().replace(/^@+/, '').toLowerCase();
}

/** Trimmed, lower-cased, one leading @ and a leading `u/` or `/u/` dropped. */
export function normaliseAccount(handle: string): string {
  return handle.trim().replace(/^@/, '').replace(/^\/?u\//i, '').toLowerCase();
}

/** Trimmed, lower-cased, one leading @ dropped (a handle like `@@x` keeps its second @). */
export function normaliseApiHandle(handle: string): string {
  return handle.trim().replace(/^@/, '').toLowerCase();
}

/** One leading @ dropped, case and spacing kept: for handles shown back to the user (settings, report, queries). */
export function withoutAt(handle: string): string {
  return handle.replace(/^@/, '');
}
