/**
 * The source registry: adding a source is one folder plus one line here (`npm run new-source -- <id>` writes both).
 * Each line loads a folder's `source`; the order of the lines is the order `earshot sources` lists them.
 */
import type { ServiceHints } from '../http/types.js';
import type { Source } from './types.js';

const REGISTERED: readonly Source[] = [
  (await import('./reddit/index.js')).redditSource,
  (await import('./hn/index.js')).hnSource,
  (await import('./rss/index.js')).rssSource,
  (await import('./bluesky/index.js')).blueskySource,
  (await import('./mastodon/index.js')).mastodonSource,
  (await import('./github/index.js')).githubSource,
  (await import('./discourse/index.js')).discourseSource,
  (await import('./stackexchange/index.js')).stackexchangeSource,
  (await import('./trustpilot/index.js')).trustpilotSource,
  (await import('./appstore/index.js')).appstoreSource,
  (await import('./googleplay/index.js')).googleplaySource,
  (await import('./wordpress/index.js')).wordpressSource,
  (await import('./blogger/index.js')).bloggerSource,
  (await import('./selectors/index.js')).selectorsSource,
  (await import('./steam/index.js')).steamSource,
  // new sources go above this line
];

/** Every source by id, in the order `earshot sources` lists them. */
export const SOURCES: Readonly<Record<string, Source>> = Object.fromEntries(REGISTERED.map((s) => [s.id, s]));

/** Each source's service hints (block pages, auth and quota wording) by id, as the HTTP client's `serviceHints`. */
export const SERVICE_HINTS: Readonly<Record<string, ServiceHints>> = Object.fromEntries(REGISTERED.map((s) => [s.id, s.hints ?? {}]));
