/**
 * Intent classification: rules over the sentiment result plus customer-service cues.
 * Complaint wins over question ("why is my flight delayed?" is a complaint); measured in
 * docs/analysis-quality.md.
 */
import type { SentimentResult } from './sentiment.js';
import { tokenize, type Tokens } from './text-features.js';

/** What the author wants. */
export type Intent = 'complaint' | 'question' | 'praise' | 'other';

/** Intent plus the cues that decided it. */
export interface IntentResult {
  intent: Intent;
  evidence: string[];
}

/**
 * Phrases that make a text a complaint even when its wording is polite or flat
 * ("kindly refund me", "my bag never arrived"). Matched on normalised text at word boundaries.
 */
const COMPLAINT_CUES: readonly string[] = [
  'refund', 'compensation', 'reimburse', 'still waiting', 'still on hold', 'on hold', 'no response', 'no reply',
  'no answer', 'lost my', 'lost our', 'lost bag', 'lost luggage', 'where is my', 'wheres my', 'never arrived',
  'never received', 'not received', 'missed my connection', 'missed connection', 'stranded', 'stuck', 'delayed',
  'cancelled', 'canceled', 'cancellation', 'overbooked', 'worst', 'never again', 'unacceptable', 'ridiculous',
  'disappointed', 'complaint', 'damaged', 'broken', 'rude', 'charged twice', 'overcharged', 'hung up',
];

// Matched against the scorer's words joined by single spaces, so a plain space separates words.
const CUE_RE = new RegExp(`\\b(?:${COMPLAINT_CUES.join('|')})\\b`, 'g');

const QUESTION_START = new Set([
  'how', 'what', 'when', 'where', 'why', 'who', 'which', 'whats', 'wheres', 'whens', 'hows', 'can', 'could',
  'is', 'are', 'do', 'does', 'did', 'will', 'would', 'should', 'any', 'anyone', 'may',
]);

/** A text as the scorer sees it: its words (entities decoded, handles/URLs dropped, hashtags split). */
interface Scanned {
  words: string[];
  /** A question mark outside URLs. */
  questionMark: boolean;
}

function scan(text: string, tokenized: Tokens = tokenize(text)): Scanned {
  const { tokens, kinds } = tokenized;
  const words: string[] = [];
  let questionMark = false;
  tokens.forEach((t, i) => {
    if (kinds[i] === 'word') words.push(t);
    else if (t === '?') questionMark = true;
  });
  return { words, questionMark };
}

/** Complaint cues found in a text (normalised, lower-case), in order of appearance, deduplicated. */
export function complaintCues(text: string): string[] {
  return cuesIn(scan(text));
}

function cuesIn(s: Scanned): string[] {
  const found = s.words.join(' ').match(CUE_RE);
  return found ? [...new Set(found)] : [];
}

/** True when the text asks something: a question mark (not one inside a URL), or it opens with a question word. */
export function isQuestion(text: string): { question: boolean; cue?: string } {
  return questionIn(scan(text));
}

function questionIn(s: Scanned): { question: boolean; cue?: string } {
  if (s.questionMark) return { question: true, cue: '?' };
  const first = s.words[0];
  if (first !== undefined && QUESTION_START.has(first)) return { question: true, cue: `starts with "${first}"` };
  return { question: false };
}

/** A review's stars as the rules read them: a whole or half star from 1 to 5, else none. */
export function stars(rating: number | undefined): number | undefined {
  return rating !== undefined && Number.isFinite(rating) && rating >= 1 && rating <= 5 ? rating : undefined;
}

/**
 * Classifies one text given its sentiment (and a review rating when there is one). Pass `tokens` when
 * they are at hand (`scorer.tokens(text)`: the scorer just made them), so the text is not tokenised twice.
 * When `text` is a title and a body joined (see `mentionWording`), pass the `body` too: a body that opens with a
 * question word asks as much as a title that does.
 *
 * A rating is evidence the wording cannot outweigh (docs/metrics.md): 1–2 stars is a complaint, 4–5 stars is not
 * (a question when it asks one, else praise), 3 stars follows the text.
 */
export function classifyIntent(text: string, sentiment: SentimentResult, rating?: number, tokens?: Tokens, body?: string): IntentResult {
  const rated = stars(rating);
  if (rated !== undefined && rated <= 2) return { intent: 'complaint', evidence: [`rating ${rated}`] };
  const scanned = scan(text, tokens);
  const asks = (): { question: boolean; cue?: string } => {
    const q = questionIn(scanned);
    return q.question || body === undefined ? q : questionIn(scan(body));
  };
  if (rated !== undefined && rated >= 4) {
    // A happy reviewer needs a reply only when they ask something; negative-sounding words ("zero downtime") do not
    // turn four stars into a complaint.
    const q = asks();
    if (q.question) return { intent: 'question', evidence: [`rating ${rated}: not a complaint`, ...(q.cue ? [q.cue] : [])] };
    return { intent: 'praise', evidence: [`rating ${rated}`, ...(sentiment.label === 'positive' ? sentiment.evidence : [])] };
  }
  if (!sentiment.scored) {
    // Unscored (non-English) text: only the rating or a question mark can tell us anything.
    if (scanned.questionMark) return { intent: 'question', evidence: ['?'] };
    return { intent: 'other', evidence: sentiment.language ? [`language ${sentiment.language}: not analysed`] : [] };
  }
  if (sentiment.label === 'negative') return { intent: 'complaint', evidence: sentiment.evidence };
  // Polite or flat complaints: a cue is enough unless the text is clearly positive.
  const cues = cuesIn(scanned);
  const pNeg = sentiment.probabilities?.negative;
  if (cues.length > 0 && sentiment.label !== 'positive' && (pNeg === undefined || pNeg >= 0.2)) {
    return { intent: 'complaint', evidence: cues.map((c) => `cue: ${c}`) };
  }
  // A question deserves an answer even when it is friendly, so it wins over praise.
  const q = asks();
  if (q.question) return { intent: 'question', evidence: q.cue ? [q.cue] : [] };
  if (sentiment.label === 'positive') return { intent: 'praise', evidence: sentiment.evidence };
  return { intent: 'other', evidence: [] };
}
