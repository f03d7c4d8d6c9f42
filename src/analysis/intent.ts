/** Intent classification (simple rules; issue 6 makes it accurate). */
import type { SentimentResult } from './sentiment.js';

/** What the author wants. */
export type Intent = 'complaint' | 'question' | 'praise' | 'other';

/** Intent plus the cues that decided it. */
export interface IntentResult {
  intent: Intent;
  evidence: string[];
}

/** Classifies one text given its sentiment (and a review rating when there is one). */
export function classifyIntent(text: string, sentiment: SentimentResult, rating?: number): IntentResult {
  if (rating !== undefined && rating <= 2) return { intent: 'complaint', evidence: [`rating ${rating}`] };
  if (sentiment.label === 'negative') return { intent: 'complaint', evidence: sentiment.evidence };
  if (/\?/.test(text)) return { intent: 'question', evidence: ['?'] };
  if (sentiment.label === 'positive') return { intent: 'praise', evidence: sentiment.evidence };
  return { intent: 'other', evidence: [] };
}
