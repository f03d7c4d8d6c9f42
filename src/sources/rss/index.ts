/** The RSS/Atom source: blogs, Google News search feeds and Google Alerts feeds. */
import type { Source } from '../types.js';
import { ALERTS_ENV, fetchRss } from './fetch.js';
import { bool, strings } from '../shared/option-schema.js';
import { pageResult } from '../shared/batches.js';
import { parseFeed } from './parse.js';
import { loneStringAsList } from '../shared/options.js';

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
  scope: 'brand-owned',
  options: {
    feeds: { type: 'list of URLs', description: 'absolute feed URLs to read', schema: strings('a list of feed URLs'), flag: 'feed' },
    brandFeeds: { type: 'list of URLs', description: "the brand's own feeds (their items are brand broadcasts)", schema: strings('a list of feed URLs'), flag: 'brandFeed' },
    googleNews: { type: 'boolean', description: 'search Google News for the query', default: false, schema: bool() },
  },
  parsers: {
    feed: (body, ctx) => {
      const brandFeeds = loneStringAsList(ctx.query.options['brandFeeds']);
      const fromBrandFeed = Array.isArray(brandFeeds) && brandFeeds.includes(ctx.url);
      return pageResult(parseFeed(body, ctx.query, { feedLabel: 'feed', fromBrandFeed }));
    },
  },
  starter: {
    lines: ({ domain }) => [
      'feeds: ["https://blog.example.com/feed.xml"]      # feeds to search for mentions',
      `brandFeeds: ["https://${domain}/blog/feed.xml"]  # the brand's own feeds (its broadcasts)`,
    ],
  },
  scenario: {
    options: (s) => ({ feeds: [`${s}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`, `${s}/feed/`], brandFeeds: [`${s}/feed/`] }),
  },
  fetch: fetchRss,
};
