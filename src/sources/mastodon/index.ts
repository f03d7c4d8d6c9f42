/** The Mastodon source: hashtag timelines and threads are public; full-text search needs MASTODON_TOKEN. */
import type { Source } from '../types.js';
import { MASTODON_TOKEN_ENV, fetchMastodon } from './fetch.js';
import { MASTODON_ID } from './parse.js';

/** Mastodon (any instance: the base URL; options.tags, options.brandAccounts). */
export const mastodonSource: Source = {
  id: MASTODON_ID,
  title: 'Mastodon',
  needs:
    'Instance as base URL (default mastodon.social); hashtags from options.tags (default: query words joined); options.brandAccounts profile URLs; MASTODON_TOKEN (env, optional) enables full-text search and hashtag timelines on instances that require a login.',
  tokenEnv: [MASTODON_TOKEN_ENV],
  defaultBaseUrl: 'https://mastodon.social',
  // Mastodon allows 300 requests / 5 min per IP or token by default; stay well under it.
  rateLimit: { requestsPerMinute: 40, concurrency: 1 },
  brandReplySignal: 'Status account URL equals one of options.brandAccounts, or its user@host (bare user for local accounts) is in the brand handles.',
  fetch: fetchMastodon,
};
