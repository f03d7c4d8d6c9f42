/** `earshot explain "text"`: how a text is scored, and the words or features behind it. */
import { explain, formatExplanation } from '../../analysis/sentiment-explain.js';
import { loadSentimentInputs } from '../../core/model-files.js';
import { stripControl } from '../../core/sanitize.js';
import type { CliDeps } from '../main.js';

/** Prints sentiment and intent with their evidence (`--format json` for the structured form). */
export async function runExplain(text: string, o: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const e = explain(text, loadSentimentInputs());
  if (o.format === 'json' || o.format === 'ndjson') {
    deps.stdout.write(`${JSON.stringify(e, null, o.format === 'json' ? 2 : undefined)}\n`);
    return 0;
  }
  deps.stdout.write(`${stripControl(formatExplanation(e))}\n`);
  return 0;
}
