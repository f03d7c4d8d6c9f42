/** The RSS/Atom source: blogs, Google News search feeds and Google Alerts feeds. */
import type { Source } from '../types.js';
import { ALERTS_ENV, fetchRss } from './fetch.js';

/** Posts from RSS 2.0 and Atom feeds that mention the query; the brand's own feeds count as its broadcasts. */
export const rssSource: Source = {
  id: 'rss',
  title: 'RSS and Atom feeds (blogs, Google News, Google Alerts)',
  needs: `absolute feed URLs in options.feeds and/or ${ALERTS_ENV}, or googleNews: true to search Google News for the query; options.brandFeeds lists the brand's own feeds`,
  tokenEnv: [ALERTS_ENV],
  // Only the Google News search feed uses the base URL; other feeds are absolute URLs.
  defaultBaseUrl: 'https://news.google.com',
  // Google asks feed readers to poll no more than about once a minute per feed; a run reads each feed once.
  rateLimit: { requestsPerMinute: 30, concurrency: 2 },
  brandReplySignal: 'none: feeds carry no replies; items from options.brandFeeds (or by a brand handle) are brand broadcasts',
  fetch: fetchRss,
};
