/**
 * Issue 16 item 2: a review's rating is fused with its text by the rule in docs/metrics.md ("Ratings and titles").
 * Checked on every rated review in the sources' golden pairs (real shapes): no 4–5★ review reads as a complaint, every
 * 1–2★ one does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPLAINT_INTENTS } from '../../../src/analysis/intent.js';
import { readMention } from '../../../src/analysis/reading.js';
import { createSentimentScorer } from '../../../src/analysis/sentiment.js';
import type { Mention } from '../../../src/core/mention.js';
import { loadSentimentInputs } from '../../../src/core/model-files.js';

const scorer = createSentimentScorer(loadSentimentInputs());
const rated: { file: string; m: Mention }[] = [];
// Node 20 has no fs.globSync: walk fixtures/sources for */golden/**/*.expected.json.
const files = (readdirSync('fixtures/sources', { recursive: true }) as string[]).filter((f) => /^[^/]+\/golden\/.*\.expected\.json$/.test(f)).sort();
for (const file of files.map((f) => join('fixtures/sources', f))) {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { mentions?: Mention[] } | Mention[];
  const mentions = Array.isArray(data) ? data : (data.mentions ?? []);
  for (const m of mentions) if (typeof m.rating === 'number') rated.push({ file, m });
}

describe("rated reviews in the sources' golden pairs", () => {
  it('hold enough rated reviews to judge the rule (all five ratings)', () => {
    expect(new Set(rated.map((r) => r.m.rating))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(rated.filter((r) => r.m.rating! >= 4).length).toBeGreaterThanOrEqual(40);
  });

  it('no 4–5★ review is a complaint, and its evidence names the rating', () => {
    const wrong = rated
      .filter((r) => r.m.rating! >= 4)
      .map((r) => ({ ...r, read: readMention(r.m, scorer) }))
      .filter((r) => COMPLAINT_INTENTS.has(r.read.intent.intent) || !r.read.intent.evidence.some((e) => e.startsWith(`rating ${r.m.rating}`)));
    expect(wrong.map((r) => `${r.file} ${r.m.id}: ${r.read.intent.intent} ${r.read.intent.evidence.join(', ')}`)).toEqual([]);
  });

  it('every 1–2★ review is in the complaint family (complaint, outage or churn)', () => {
    const wrong = rated.filter((r) => r.m.rating! <= 2 && !COMPLAINT_INTENTS.has(readMention(r.m, scorer).intent.intent));
    expect(wrong.map((r) => `${r.file} ${r.m.id}`)).toEqual([]);
  });
});
