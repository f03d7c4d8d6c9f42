/** The Bluesky source: threads and the brand feed are public; post search needs an app-password login. */
import type { Source } from '../types.js';
import { BLUESKY_ENV, fetchBluesky } from './fetch.js';
import { BLUESKY_ID } from './parse.js';

/** Bluesky (AT Protocol AppView at public.api.bsky.app; login + search at bsky.social, option `authBaseUrl`). */
export const blueskySource: Source = {
  id: BLUESKY_ID,
  title: 'Bluesky',
  needs:
    'Search needs BLUESKY_HANDLE + BLUESKY_APP_PASSWORD (env); without them give options.posts (post URLs) and/or options.brandActor (brand handle or DID).',
  tokenEnv: [BLUESKY_ENV.handle, BLUESKY_ENV.password],
  defaultBaseUrl: 'https://public.api.bsky.app',
  // AppView allows ~3000 reads / 5 min per IP; stay far below it.
  rateLimit: { requestsPerMinute: 120, concurrency: 2 },
  brandReplySignal: 'Author DID equals the brand DID (options.brandActor, resolved) or author handle is in the brand handles.',
  // The AppView answers 403 with an XRPC AuthMissing/AuthRequired error when a call needs a session.
  hints: { authRequired: [/AuthMissing|AuthRequired/i] },
  fetch: fetchBluesky,
};
