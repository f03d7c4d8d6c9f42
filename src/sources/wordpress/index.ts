/** The WordPress source: comments on a blog's posts through its public REST API (base URL = the blog). */
import type { Source } from '../types.js';
import { fetchWordpress } from './fetch.js';

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
  fetch: fetchWordpress,
};
