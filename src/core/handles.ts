/**
 * Handle normalising for case-insensitive matching. Two conventions, kept apart because merging them would change
 * which authors count as the brand: `normaliseHandle` drops every leading @ (feeds, Hacker News, Bluesky, Mastodon,
 * input files); `normaliseAccount` drops one leading @ and a Reddit-style `u/` prefix (Reddit, the analysis stage).
 */

/** Trimmed, lower-cased, every leading @ dropped. */
export function normaliseHandle(handle: string): string {
  return handle.trim().replace(/^@+/, '').toLowerCase();
}

/** Trimmed, lower-cased, one leading @ and a leading `u/` or `/u/` dropped. */
export function normaliseAccount(handle: string): string {
  return handle.trim().replace(/^@/, '').replace(/^\/?u\//i, '').toLowerCase();
}
