/**
 * How one mention reads: its title and text together, and a review's star rating as evidence the wording cannot
 * outweigh (docs/metrics.md, "Ratings and titles"). The one place analysis and `explain` turn a mention into
 * sentiment and intent.
 */
import type { Mention } from '../core/mention.js';
import { classifyIntent, stars, type IntentResult } from './intent.js';
import type { SentimentResult, SentimentScorer } from './sentiment.js';
import { domainFamily, mentionDomain } from './sentiment-domain.js';

/** A mention's sentiment and intent, as the report records them. */
export interface MentionReading {
  sentiment: SentimentResult;
  intent: IntentResult;
}

/** The parts of a mention that its reading depends on. */
type Readable = Pick<Mention, 'text'> & Partial<Pick<Mention, 'title' | 'rating' | 'source' | 'kind'>>;

/**
 * The words a mention is scored on: its title, then its text, unless the text already opens with the title (feeds
 * repeat a headline as the first line of the summary, and counting it twice would weigh it twice).
 */
export function mentionWording(m: Readable): { wording: string; body?: string } {
  const whole = analysedText(m.text);
  const title = m.title === undefined ? undefined : analysedText(m.title).trim();
  if (title === undefined || title === '') return { wording: whole };
  const text = whole.trim();
  if (text === '') return { wording: title };
  if (squash(text).startsWith(squash(title))) return { wording: whole };
  return { wording: `${title}\n${whole}`, body: whole };
}

/**
 * Characters of a text or title that are scored: the first 100,000 (some 15,000 words, longer than any post or
 * review). A multi-megabyte text would otherwise cost seconds and many times its size in memory to tokenise; the
 * report still carries the whole text.
 */
const MAX_ANALYSED_CHARS = 100_000;

function analysedText(text: string): string {
  return text.length > MAX_ANALYSED_CHARS ? text.slice(0, MAX_ANALYSED_CHARS) : text;
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The sentiment a rating gives a review: 1–2 stars negative, 4–5 stars positive, 3 stars (or none) the wording's
 * own. The wording's score and probabilities are kept, so `explain` and the JSON still show what the text said.
 */
export function rateSentiment(sentiment: SentimentResult, rating: number | undefined): SentimentResult {
  const rated = stars(rating);
  if (rated === undefined || !sentiment.scored || rated === 3) return sentiment;
  const label = rated <= 2 ? 'negative' : rated >= 4 ? 'positive' : sentiment.label;
  if (label === sentiment.label) return sentiment;
  return { ...sentiment, label, evidence: [`rating ${rated}`, ...sentiment.evidence.filter((e) => e !== `rating ${rated}`)] };
}

/** Reads one mention: sentiment of its title and text, then the rating's say, then intent from all three. */
export function readMention(m: Readable, scorer: SentimentScorer): MentionReading {
  const { wording, body } = mentionWording(m);
  // The domain picks the model family; a bare text (no source and kind) is scored by the default model.
  const family = m.source !== undefined && m.kind !== undefined ? domainFamily(mentionDomain({ source: m.source, kind: m.kind })) : undefined;
  const sentiment = rateSentiment(scorer(wording, family), m.rating);
  const intent = classifyIntent(wording, sentiment, m.rating, scorer.tokens(wording), body);
  return { sentiment, intent };
}
