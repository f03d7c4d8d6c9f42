/** `earshot explain "text"`: how a text is scored, and the words or features behind it. */
import { classifyIntent } from '../../analysis/intent.js';
import { createSentimentScorer } from '../../analysis/sentiment.js';
import { oneLine } from '../../core/sanitize.js';
import type { CliDeps } from '../main.js';
import { commonSettings } from '../settings.js';

/** Prints sentiment and intent with their evidence (json with --format json). */
export async function runExplain(text: string, o: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const common = commonSettings(o, deps, o.format as string);
  const sentiment = createSentimentScorer()(text);
  const intent = classifyIntent(text, sentiment);
  const result = { text, sentiment, intent: intent.intent, intentEvidence: intent.evidence };
  if (o.format === 'json' || o.format === 'ndjson') {
    deps.stdout.write(`${JSON.stringify(result, null, o.format === 'json' ? 2 : undefined)}\n`);
    return 0;
  }
  const c = common.chalk;
  const label = sentiment.scored ? sentiment.label : `unscored (${sentiment.language ?? 'unknown language'})`;
  const lines = [
    `text:       ${oneLine(text)}`,
    `sentiment:  ${label}  score ${sentiment.score}, comparative ${sentiment.comparative.toFixed(3)}`,
    `because:    ${sentiment.evidence.length > 0 ? sentiment.evidence.map(oneLine).join(', ') : c.dim('no scored words')}`,
    `intent:     ${intent.intent}`,
    `because:    ${intent.evidence.length > 0 ? intent.evidence.map(oneLine).join(', ') : c.dim('no cue')}`,
  ];
  deps.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
