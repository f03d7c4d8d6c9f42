/** The Bluesky source: threads and the brand feed are public; post search needs an app-password login. */
import type { Source } from '../types.js';
import { BLUESKY_ENV, fetchBluesky } from './fetch.js';
import { BLUESKY_ID } from './parse.js';
import { bool, httpUrl, stringSchema, strings, wholeNumber } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { brandFromQuery, parseAuthorFeed, parseSearchPosts, parseThread, type BlueskyBrand } from './parse.js';
import type { ParseContext } from '../types.js';

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
  scope: 'search',
  options: {
    posts: { type: 'list of URLs', description: 'post URLs or at:// URIs whose threads are read', schema: strings('a list of post URLs or at:// URIs') },
    brandActor: { type: 'string', description: "the brand's handle or DID (its feed is read and its posts are the brand's)", schema: stringSchema('a handle or DID (a string)') },
    searchMentions: { type: 'boolean', description: 'also search posts that mention the brand actor', schema: bool() },
    threadDepth: { type: 'whole number 0-1000', description: 'reply depth read per thread', schema: wholeNumber('a whole number from 0 to 1000') },
    authBaseUrl: { type: 'URL', description: 'login and search host (default https://bsky.social)', schema: httpUrl('an http(s) URL such as https://bsky.social') },
  },
  parsers: {
    searchPosts: (body, ctx) => pageResult(parseSearchPosts(body, blueskyBrand(ctx))),
    getAuthorFeed: (body, ctx) => pageResult(parseAuthorFeed(body, blueskyBrand(ctx))),
    getPostThread: (body, ctx) => pageResult(parseThread(body, blueskyBrand(ctx))),
  },
  starter: { lines: ({ glued }) => [`brandActor: "${glued}.bsky.social"`] },
  scenario: {
    options: (s) => ({ authBaseUrl: s, brandActor: 'acmecloud.bsky.social' }),
    env: { BLUESKY_HANDLE: 'fault.bsky.social', BLUESKY_APP_PASSWORD: 'fault-app-password' },
  },
  // The AppView answers 403 with an XRPC AuthMissing/AuthRequired error when a call needs a session.
  hints: { authRequired: [/AuthMissing|AuthRequired/i] },
  fetch: fetchBluesky,
};

/** The brand as the parsers see it: option brandActor as a DID or a handle (fetch resolves handles to DIDs first). */
function blueskyBrand(ctx: ParseContext): BlueskyBrand {
  const actor = ctx.query.options['brandActor'];
  const given = typeof actor === 'string' && actor !== '' ? [actor] : [];
  return brandFromQuery(ctx.query, given.filter((a) => a.startsWith('did:')), given.filter((a) => !a.startsWith('did:')));
}
