/** The source registry: adding a source is one folder plus one line here. */
import { appstoreSource } from './appstore/index.js';
import { bloggerSource } from './blogger/index.js';
import { blueskySource } from './bluesky/index.js';
import { discourseSource } from './discourse/index.js';
import { githubSource } from './github/index.js';
import { googleplaySource } from './googleplay/index.js';
import { hnSource } from './hn/index.js';
import { mastodonSource } from './mastodon/index.js';
import { redditSource } from './reddit/index.js';
import { rssSource } from './rss/index.js';
import { selectorsSource } from './selectors/index.js';
import { stackexchangeSource } from './stackexchange/index.js';
import { trustpilotSource } from './trustpilot/index.js';
import { wordpressSource } from './wordpress/index.js';
import type { Source } from './types.js';

/** Every source by id, in the order `earshot sources` lists them. */
export const SOURCES: Readonly<Record<string, Source>> = {
  reddit: redditSource,
  hn: hnSource,
  rss: rssSource,
  bluesky: blueskySource,
  mastodon: mastodonSource,
  github: githubSource,
  discourse: discourseSource,
  stackexchange: stackexchangeSource,
  trustpilot: trustpilotSource,
  appstore: appstoreSource,
  googleplay: googleplaySource,
  wordpress: wordpressSource,
  blogger: bloggerSource,
  selectors: selectorsSource,
};
