/** The Stack Exchange source: questions mentioning the brand with their answers and comments. */
import type { QuotaLeft, Source } from '../types.js';
import { createStackExchangeFetch, type StackExchangeDeps } from './fetch.js';
import { oneOrList, positiveInt, stringOrNumber, stringSchema, strings } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { answerMentions, parseSearch, readWrapper } from './parse.js';
import type { ParseContext } from '../types.js';

/** Builds the source; tests inject a recording `sleep` to check that `backoff` is obeyed without waiting. */
export function createStackExchangeSource(deps: StackExchangeDeps = {}): Source {
  return {
    id: 'stackexchange',
    title: 'Stack Exchange (Stack Overflow)',
    needs:
      'a query (and/or option tagged); options site (default stackoverflow), brandUserIds (numeric user ids); STACKEXCHANGE_KEY optional (quota 300 → 10,000 requests/day)',
    tokenEnv: ['STACKEXCHANGE_KEY'],
    defaultBaseUrl: 'https://api.stackexchange.com/2.3',
    // The API allows 30 requests/s per IP, but the daily quota (300 keyless) is the real constraint.
    rateLimit: { requestsPerMinute: 30, concurrency: 1 },
    brandReplySignal: 'owner.user_id in brandUserIds, or owner display_name in brandHandles',
    scope: 'search',
    options: {
      site: { type: 'string', description: 'the Stack Exchange site', default: 'stackoverflow', schema: stringSchema('a site name such as stackoverflow') },
      tagged: { type: 'list of strings', description: 'tags a question must carry', schema: strings('a list of tags') },
      pageSize: { type: 'whole number 1-100', description: 'items per page', schema: positiveInt('a whole number from 1 to 100') },
      brandUserIds: { type: 'list of numbers', description: "user ids whose posts are the brand's", schema: oneOrList(stringOrNumber('a user id'), 'a list of user ids') },
    },
    parsers: {
      search: (body, ctx) => pageResult(parseSearch(body, seOptions(ctx))),
      answers: (body, ctx) => pageResult(answerMentions(readWrapper(body, '/answers').items, seOptions(ctx))),
    },
    starter: { lines: ({ glued }) => ['site: stackoverflow', `tagged: ["${glued}"]`] },
  scenario: { basePath: '/2.3', options: () => ({ brandUserIds: 4401877 }) },
    quotaLeft: (res) => seQuota(res.body),
    fetch: createStackExchangeFetch(deps),
  };
}

/** Stack Exchange API 2.3 source with a real timer for `backoff`. */
export const stackexchangeSource: Source = createStackExchangeSource();

/** The site the page came from (its `site` parameter), else the option, else Stack Overflow. */
function seOptions(ctx: ParseContext): { query: ParseContext['query']; site: string } {
  const fromUrl = URL.canParse(ctx.url) ? new URL(ctx.url).searchParams.get('site') : null;
  const option = ctx.query.options['site'];
  return { query: ctx.query, site: fromUrl ?? (typeof option === 'string' ? option : 'stackoverflow') };
}

/** The daily quota every 2.3 answer reports in its wrapper (`quota_remaining` of `quota_max`); none on an unreadable body. */
function seQuota(body: string): QuotaLeft | undefined {
  try {
    const { quotaRemaining, quotaMax } = readWrapper(body, 'API');
    return quotaRemaining === undefined ? undefined : { remaining: quotaRemaining, ...(quotaMax !== undefined ? { limit: quotaMax } : {}) };
  } catch {
    return undefined;
  }
}
