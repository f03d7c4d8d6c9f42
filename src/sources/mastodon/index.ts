/** The Mastodon source: hashtag timelines and threads are public; full-text search needs MASTODON_TOKEN. */
import type { Source } from '../types.js';
import { MASTODON_TOKEN_ENV, fetchMastodon } from './fetch.js';
import { MASTODON_ID } from './parse.js';
import { positiveInt, strings } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { acctFromProfileUrl, mentionIdForStatus, normaliseAccountUrl, parseContext, parseSearch, parseStatuses, snowflakeToIso, type MastodonBrand } from './parse.js';
import { stringListOption } from '../shared/options.js';
import type { ParseContext } from '../types.js';

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
  scope: 'search',
  options: {
    tags: { type: 'list of strings', description: 'hashtags to read (default: the query words joined)', schema: strings('a list of hashtags') },
    brandAccounts: { type: 'list of URLs', description: "the brand's profile URLs", schema: strings('a list of profile URLs') },
    pageSize: { type: 'whole number 1-40', description: 'statuses per timeline page', schema: positiveInt('a whole number from 1 to 40') },
    maxPages: { type: 'whole number ≥ 1', description: 'most timeline pages read per tag', schema: positiveInt('a whole number of pages, at least 1') },
  },
  parsers: {
    statuses: (body, ctx) => pageResult(parseStatuses(body, mastodonBrand(ctx))),
    search: (body, ctx) => pageResult(parseSearch(body, mastodonBrand(ctx))),
    context: (body, ctx) => {
      // The context lists ancestors and descendants, not the status itself (fetch has it): a bare stand-in anchors
      // the threading and is left out of the result.
      const id = /\/statuses\/([^/?#]+)\/context/.exec(ctx.url)?.[1] ?? '0';
      const anchor = { id: mentionIdForStatus(id), source: 'mastodon', kind: 'post' as const, author: { handle: '' }, fromBrand: false, text: '', createdAt: snowflakeToIso(id) ?? '1970-01-01T00:00:00.000Z', engagement: {} };
      const parsed = parseContext(body, anchor, mastodonBrand(ctx));
      return { mentions: parsed.mentions.filter((m) => m.id !== anchor.id), warnings: parsed.warnings };
    },
  },
  starter: { lines: ({ glued }) => [`tags: ["${glued}"]`, `brandAccounts: ["https://mastodon.social/@${glued}"]`] },
  scenario: { options: () => ({ brandAccounts: 'https://mastodon.social/@acmecloud' }) },
  fetch: fetchMastodon,
};

/** The brand as the parsers see it, from options.brandAccounts and the page's instance. */
function mastodonBrand(ctx: ParseContext): MastodonBrand {
  const accounts = stringListOption(ctx.query.options, 'brandAccounts', 'mastodon');
  return {
    brand: ctx.query.brand,
    accountUrls: accounts.map(normaliseAccountUrl),
    handles: [...ctx.query.brandHandles, ...accounts.map((a) => acctFromProfileUrl(a) ?? '')].filter((h) => h !== ''),
    instanceHost: URL.canParse(ctx.url) ? new URL(ctx.url).host : ctx.url,
  };
}
