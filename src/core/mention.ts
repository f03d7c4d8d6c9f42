/** The normalised record every source produces and every analysis reads. Documented in docs/mention.md. */

/** What a mention is on its platform. */
export type MentionKind = 'post' | 'comment' | 'review';

/** Who wrote a mention; every field is optional because sources differ in what they expose. */
export interface Author {
  /** Platform-native account id (numeric id, DID, user id). */
  id?: string;
  /** Public handle or username, without a leading @. */
  handle?: string;
  /** Display name. */
  name?: string;
}

/** Engagement counters where the source reports them. */
export interface Engagement {
  score?: number;
  likes?: number;
  replies?: number;
  /** Followers of the author at fetch time, where known. */
  followers?: number;
}

/** One post, comment, reply or review from any source. */
export interface Mention {
  /** Stable id: `<source>:<native id>`. */
  id: string;
  /** Source id, e.g. `reddit`, `hn`, `rss`, `twitter` (the Customer Support on Twitter layout), `csv`. */
  source: string;
  kind: MentionKind;
  url?: string;
  author: Author;
  /** Authored by the brand (source-native signal or a configured handle). */
  fromBrand: boolean;
  /** The brand this mention is about, when an input holds several brands. */
  brand?: string;
  title?: string;
  text: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Mention id of the item this one replies to. */
  parentId?: string;
  /** Mention id of the thread's root. */
  threadId?: string;
  /** Review rating, 1–5. */
  rating?: number;
  engagement: Engagement;
  /** ISO 639-1 language code when the source says or detection is sure. */
  language?: string;
  /** False when the source cannot show brand replies (App Store feed): left out of response figures. */
  replyObservable?: false;
  /** Set when the source gave no readable time for the item: `createdAt` is an estimate (docs/mention.md says which). */
  dateEstimated?: true;
}
