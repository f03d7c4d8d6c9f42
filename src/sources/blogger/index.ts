/** The Blogger source: comments on a Blogger blog's posts through its public JSON feeds (base URL = the blog). */
import type { Source } from '../types.js';
import { fetchBlogger } from './fetch.js';

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
  // Google APIs answer 403 with reason quotaExceeded/rateLimitExceeded when the project's quota is spent.
  hints: { quotaExceeded: [/quotaExceeded|rateLimitExceeded/i] },
  fetch: fetchBlogger,
};
