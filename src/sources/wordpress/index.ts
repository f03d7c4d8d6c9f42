/** The WordPress source: comments on a blog's posts through its public REST API (base URL = the blog). */
import type { Source } from '../types.js';
import { fetchWordpress } from './fetch.js';
import { bool, intRange, oneOrList, stringOrNumber } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseComments, parsePosts, postMentionId } from './parse.js';
import type { ParseContext } from '../types.js';

/** WordPress blog posts and their comments via `/wp-json/wp/v2/` (no token: public comments are anonymous reads). */
export const wordpressSource: Source = {
  id: 'wordpress',
  title: 'WordPress blog comments',
  needs:
    'the blog base URL (e.g. https://blog.acmecloud.example) and a query; option brandBlog: true when the blog is the brand\'s (all recent posts, registered users = brand), brandAuthors (user ids or names) otherwise; no token',
  tokenEnv: [],
  // No default: every blog is its own host, so the base URL must be given (fetch says so when it is not).
  defaultBaseUrl: '',
  // Blogs are often small shared-hosting sites behind a WAF: one request at a time, one every two seconds.
  rateLimit: { requestsPerMinute: 30, concurrency: 1 },
  brandReplySignal:
    'with brandBlog: comment author is a registered user of the blog (author id > 0); otherwise author id or name in brandAuthors, or author name in brandHandles',
  scope: 'brand-owned',
  options: {
    brandBlog: { type: 'boolean', description: "the blog is the brand's (all recent posts read, registered users are the brand)", default: false, schema: bool() },
    brandAuthors: { type: 'list of strings', description: "user ids or author names that speak for the brand", schema: oneOrList(stringOrNumber('a user id or author name'), 'a list of user ids or author names') },
    perPage: { type: 'whole number', description: 'posts per page', schema: intRange(0, 100) },
    commentsPerPage: { type: 'whole number', description: 'comments per page', schema: intRange(0, 100) },
    maxPosts: { type: 'whole number', description: 'most posts read', schema: intRange(0, 10_000) },
    lookbackDays: { type: 'whole number', description: 'how far back posts are read for comments in the window', schema: intRange(0, 3650, 'a whole number of days from 0 to 3650') },
  },
  parsers: {
    posts: (body, ctx) => pageResult(parsePosts(body, { query: ctx.query, fallbackSite: siteOf(ctx) })),
    comments: (body, ctx) => {
      const id = Number(/[?&]post=(\d+)/.exec(ctx.url)?.[1] ?? 0);
      const site = siteOf(ctx);
      return pageResult(parseComments(body, { id, site, mentionId: postMentionId(site, id) }, { query: ctx.query }));
    },
  },
  scenario: { options: () => ({ brandBlog: true, perPage: 2, commentsPerPage: 4 }) },
  fetch: fetchWordpress,
};

/** The blog host of a page URL (what mention ids are named by). */
function siteOf(ctx: ParseContext): string {
  return URL.canParse(ctx.url) ? new URL(ctx.url).host : ctx.url;
}
