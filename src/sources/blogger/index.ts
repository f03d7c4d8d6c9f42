/** The Blogger source: comments on a Blogger blog's posts through its public JSON feeds (base URL = the blog). */
import type { Source } from '../types.js';
import { fetchBlogger } from './fetch.js';
import { bool, intRange } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseCommentsFeed, parsePostsFeed, postMentionId } from './parse.js';

/** Blogger posts and their comment feeds via `/feeds/…?alt=json` (keyless: the feeds are public). */
export const bloggerSource: Source = {
  id: 'blogger',
  title: 'Blogger blog comments',
  needs:
    "the blog base URL (e.g. https://acmecloud.blogspot.com) and a query; option brandBlog: true when the blog is the brand's (every post read, the owner's comments are brand replies); no token",
  tokenEnv: [],
  // No default: every blog is its own host, so the base URL must be given (fetch says so when it is not).
  defaultBaseUrl: '',
  // Blogger feeds are served by Google but throttle bursts per blog; stay gentle.
  rateLimit: { requestsPerMinute: 60, concurrency: 2 },
  brandReplySignal:
    "with brandBlog: comment author's profile URL is the blog owner's (feed.author) or the post author's; otherwise author name or profile id in brandHandles",
  scope: 'brand-owned',
  options: {
    brandBlog: { type: 'boolean', description: "the blog is the brand's (every post read, the owner's comments are brand replies)", default: false, schema: bool() },
    perPage: { type: 'whole number', description: 'posts per feed page', schema: intRange(1, 500) },
    commentsPerPage: { type: 'whole number', description: 'comments per feed page', schema: intRange(1, 500) },
    maxPosts: { type: 'whole number', description: 'most posts read', schema: intRange(1, 10_000) },
    lookbackDays: { type: 'whole number', description: 'how far back posts are read for comments in the window', schema: intRange(0, 3650, 'a whole number of days from 0 to 3650') },
  },
  parsers: {
    posts: (body, ctx) => pageResult(parsePostsFeed(body, { query: ctx.query })),
    comments: (body, ctx) => {
      // The long form of a comments feed URL names both ids: /feeds/<blogId>/<postId>/comments/default.
      const [, blogId = '', id = '0'] = /\/feeds\/(?:(\d+)\/)?(\d+)\/comments/.exec(ctx.url) ?? [];
      return pageResult(parseCommentsFeed(body, { id, blogId, mentionId: postMentionId(blogId, id) }, { query: ctx.query }));
    },
  },
  scenario: { options: () => ({ brandBlog: true, perPage: 2, commentsPerPage: 4 }) },
  // Google APIs answer 403 with reason quotaExceeded/rateLimitExceeded when the project's quota is spent.
  hints: { quotaExceeded: [/quotaExceeded|rateLimitExceeded/i] },
  fetch: fetchBlogger,
};
