/** Helpers for review sites (Google Play, Trustpilot), where a review can carry the company's public reply. */
import type { Author, Mention } from '../../core/mention.js';

/** A company's reply as a review site shows it. */
export interface CompanyReply {
  author: Author;
  text: string;
  /** ISO 8601 UTC time of the reply (not of the review). */
  createdAt: string;
}

/**
 * The company's reply under `review` as a brand comment in the review's thread, dated by the reply. Only the
 * company can reply on these sites, so the comment is the brand's by construction.
 */
export function companyReplyMention(review: Pick<Mention, 'id' | 'source' | 'url' | 'brand'>, reply: CompanyReply): Mention {
  return {
    id: `${review.id}:reply`,
    source: review.source,
    kind: 'comment',
    url: review.url,
    author: reply.author,
    fromBrand: true,
    brand: review.brand,
    text: reply.text,
    createdAt: reply.createdAt,
    parentId: review.id,
    threadId: review.id,
    engagement: {},
  };
}
