/**
 * Which kind of text a mention is, for sentiment: a tweet to a brand reads nothing like a Reddit thread or a
 * review, and one model for both loses on the one it was not fitted to (docs/model-card.md). A mention's source
 * and kind name its domain; each domain is scored by the model of its family.
 */
import type { Mention } from '../core/mention.js';

/** What a mention is, as `explain` and the model card name it. */
export type SentimentDomain = 'tweet' | 'comment' | 'review' | 'forum' | 'issue';

/**
 * The model families: one trained model each for tweets to brands and for discussion text (Reddit comments), and
 * `general`, the average of the two, for domains no labelled data was used for. Comments are scored by a blend
 * too (`COMMENT_SHARE`).
 */
export type SentimentFamily = 'tweet' | 'comment' | 'general';

/** Short-post networks whose posts read like tweets to a brand. */
const TWEET_SOURCES: ReadonlySet<string> = new Set(['twitter', 'x', 'bluesky', 'mastodon', 'threads']);

/** Sources whose posts are forum threads and answers. */
const FORUM_SOURCES: ReadonlySet<string> = new Set(['discourse', 'stackexchange']);

/** Sources earshot fetches itself whose posts are not tweet-like (anything else is an input file's own name). */
const KNOWN_SOURCES: ReadonlySet<string> = new Set(['reddit', 'hn', 'rss', 'blogger', 'wordpress', 'selectors']);

/**
 * The domain of a mention from its source and kind: any review is a review; GitHub is issues; Discourse and
 * Stack Exchange are forums; Twitter-like networks are tweets; other comments (Reddit, Hacker News, blog
 * comments) are comments, and other posts are tweets when the source is unknown (a generic CSV export) and
 * comments otherwise (Reddit and HN submissions, feed items, blog posts).
 */
export function mentionDomain(m: Pick<Mention, 'source' | 'kind'>): SentimentDomain {
  if (m.kind === 'review') return 'review';
  if (m.source === 'github') return 'issue';
  if (FORUM_SOURCES.has(m.source)) return 'forum';
  if (TWEET_SOURCES.has(m.source)) return 'tweet';
  if (m.kind === 'comment') return 'comment';
  return KNOWN_SOURCES.has(m.source) ? 'comment' : 'tweet';
}

/**
 * The model family that scores a domain: tweets by the model fitted to tweets to brands, comments by the one fitted
 * to Reddit comments. Reviews, forum posts and issues are neither: no labelled data of theirs was used, and each
 * fitted model misreads them in its own way (the tweet model learnt "outage" and "switched" from airlines, the
 * comment model barely knows products and support), so they get the average of both (the `general` family),
 * which is measured on both labelled domains in `npm run eval`.
 */
export function domainFamily(domain: SentimentDomain): SentimentFamily {
  return domain === 'tweet' ? 'tweet' : domain === 'comment' ? 'comment' : 'general';
}

/**
 * How much of the comment model each blended family takes (the rest is the tweet model), as logits: the weighted
 * average of two linear models is one linear model, so a blend scores as fast as either. Chosen by cross-validation
 * on the training rows (docs/model-card.md): comments keep 0.7, which costs about one point of macro-F1 on Reddit
 * chatter and gains twelve on customers writing about a service (comments about a brand sit between the two);
 * domains without labelled data take an even 0.5, the best floor on both.
 */
export const COMMENT_SHARE: Readonly<Record<'comment' | 'general', number>> = { comment: 0.7, general: 0.5 };
