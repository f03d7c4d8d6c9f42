/** `earshot explain "text"`: how a text is scored, and the words or features behind it. */
import { explain, formatExplanation } from '../../analysis/sentiment-explain.js';
import type { SentimentDomain } from '../../analysis/sentiment-domain.js';
import { loadSentimentInputs } from '../../core/model-files.js';
import { UsageError } from '../../core/errors.js';
import { stripControl } from '../../core/sanitize.js';
import type { CliDeps } from '../main.js';

/** Prints sentiment and intent with their evidence (`--format json` for the structured form). */
export async function runExplain(text: string, o: Record<string, unknown>, deps: CliDeps): Promise<number> {
  // An explanation is one record, not rows or a page: a silently ignored -f csv or html would print text instead.
  if (o.format === 'csv' || o.format === 'html') throw new UsageError(`earshot explain has no ${String(o.format)} format; use -f table, json or ndjson.`);
  // --rating is one of 1–5 (the option table's choices); a review is read as analysis reads it: title, text, stars.
  const e = explain(text, {
    ...loadSentimentInputs(),
    ...(o.rating !== undefined ? { rating: Number(o.rating) } : {}),
    ...(typeof o.title === 'string' ? { title: o.title } : {}),
    // --domain is one of the option table's choices.
    ...(typeof o.domain === 'string' ? { domain: o.domain as SentimentDomain } : {}),
  });
  if (o.format === 'json' || o.format === 'ndjson') {
    deps.stdout.write(`${JSON.stringify(e, null, o.format === 'json' ? 2 : undefined)}\n`);
    return 0;
  }
  deps.stdout.write(`${stripControl(formatExplanation(e))}\n`);
  return 0;
}
