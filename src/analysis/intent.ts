/**
 * Intent classification: rules over the sentiment result plus customer-service cues.
 * Complaint wins over question ("why is my flight delayed?" is a complaint); measured in
 * docs/analysis-quality.md.
 */
import type { SentimentResult } from './sentiment.js';
import { tokenize } from './text-features.js';

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
export const COMPLAINT_CUES: readonly string[] = [
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

/** Words of a text as the scorer sees them (entities decoded, handles/URLs dropped, hashtags split). */
function wordsOf(text: string): string[] {
  const { tokens, kinds } = tokenize(text);
  return tokens.filter((_, i) => kinds[i] === 'word');
}

/** Complaint cues found in a text (normalised, lower-case), in order of appearance, deduplicated. */
export function complaintCues(text: string, words: readonly string[] = wordsOf(text)): string[] {
  const found = words.join(' ').match(CUE_RE);
  return found ? [...new Set(found)] : [];
}

/** True when the text asks something: a question mark, or it opens with a question word. */
export function isQuestion(text: string, words: readonly string[] = wordsOf(text)): { question: boolean; cue?: string } {
  if (text.includes('?')) return { question: true, cue: '?' };
  const first = words[0];
  if (first !== undefined && QUESTION_START.has(first)) return { question: true, cue: `starts with "${first}"` };
  return { question: false };
}

/** Classifies one text given its sentiment (and a review rating when there is one). */
export function classifyIntent(text: string, sentiment: SentimentResult, rating?: number): IntentResult {
  if (rating !== undefined && rating <= 2) return { intent: 'complaint', evidence: [`rating ${rating}`] };
  if (!sentiment.scored) {
    // Unscored (non-English) text: only the rating or a question mark can tell us anything.
    if (text.includes('?')) return { intent: 'question', evidence: ['?'] };
    return { intent: 'other', evidence: sentiment.language ? [`language ${sentiment.language}: not analysed`] : [] };
  }
  if (sentiment.label === 'negative') return { intent: 'complaint', evidence: sentiment.evidence };
  // Polite or flat complaints: a cue is enough unless the text is clearly positive.
  const words = wordsOf(text);
  const cues = complaintCues(text, words);
  const pNeg = sentiment.probabilities?.negative;
  if (cues.length > 0 && sentiment.label !== 'positive' && (pNeg === undefined || pNeg >= 0.2)) {
    return { intent: 'complaint', evidence: cues.map((c) => `cue: ${c}`) };
  }
  if (rating !== undefined && rating >= 4 && sentiment.label === 'positive') {
    return { intent: 'praise', evidence: [`rating ${rating}`, ...sentiment.evidence] };
  }
  // A question deserves an answer even when it is friendly, so it wins over praise.
  const q = isQuestion(text, words);
  if (q.question) return { intent: 'question', evidence: q.cue ? [q.cue] : [] };
  if (sentiment.label === 'positive') return { intent: 'praise', evidence: sentiment.evidence };
  return { intent: 'other', evidence: [] };
}
