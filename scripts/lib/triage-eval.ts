/**
 * The complaint and triage section of `npm run eval` (docs/analysis-quality.md, "Complaints and triage classes").
 * Kept apart from the sentiment part of scripts/eval.ts: it takes the cross-validated sentiment results and adds the
 * triage rules on top, so it fits nothing itself.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyIntent, COMPLAINT_INTENTS, INTENTS, type Intent } from '../../src/analysis/intent.js';
import type { SentimentResult, SentimentScorer } from '../../src/analysis/sentiment.js';
import { CLASSES } from '../../src/analysis/sentiment-model.js';
import { repoRoot, type AirlineRow } from './airline-data.js';

const num = (x: number): string => x.toFixed(3);

/** Precision, recall, F1 and support of one yes/no decision. */
export interface Binary {
  p: number;
  r: number;
  f1: number;
  support: number;
}

/** Precision, recall and F1 of `predicted` against `gold`, position by position (eval.ts's complaint figures too). */
export function binary(gold: readonly boolean[], predicted: readonly boolean[]): Binary {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    const p = predicted[i] === true;
    if (g && p) tp++;
    else if (!g && p) fp++;
    else if (g && !p) fn++;
  });
  const p = tp + fp ? tp / (tp + fp) : 0;
  const r = tp + fn ? tp / (tp + fn) : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0, support: tp + fn };
}

function row(name: string, b: Binary): string[] {
  return [name, num(b.p), num(b.r), num(b.f1), String(b.support)];
}

/** One hand-written check sentence (fixtures/intent/README.md). */
interface CheckRow {
  expected: Intent;
  text: string;
}

function loadCheckSet(name: string): CheckRow[] {
  const lines = readFileSync(resolve(repoRoot(), 'fixtures', 'intent', name), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [, expected, text] = l.split('\t') as [string, Intent, string];
    return { expected, text };
  });
}

/**
 * Prints complaint precision, recall and F1 on the airline rows (gold: a negative tweet with a negative reason;
 * sentiment from the cross-validated models), on the tweets that ask something, and on the hand-written
 * cross-industry sets, plus the triage class mix. `table` formats rows as the rest of the eval does.
 */
export function printTriageSection(
  rows: readonly AirlineRow[],
  cvResults: readonly SentimentResult[],
  shipped: SentimentScorer,
  table: (headers: string[], rows: string[][]) => string,
): void {
  console.log('\n## Complaints and triage classes (cross-validated sentiment + triage rules)\n');
  const intents = rows.map((r, i) => classifyIntent(r.text, cvResults[i] as SentimentResult).intent);
  const gold = rows.map((r) => r.label === 'negative' && r.reason !== '');
  const predicted = intents.map((x) => COMPLAINT_INTENTS.has(x));
  const subset = (keep: (r: AirlineRow) => boolean): Binary => {
    const idx = rows.map((r, i) => (keep(r) ? i : -1)).filter((i) => i >= 0);
    return binary(idx.map((i) => gold[i] as boolean), idx.map((i) => predicted[i] as boolean));
  };
  const asks = (r: AirlineRow): boolean => r.text.includes('?');
  const check = (name: string): { b: Binary; exact: number; n: number } => {
    const set = loadCheckSet(name);
    const got = set.map((c) => classifyIntent(c.text, shipped(c.text), undefined, shipped.tokens(c.text)).intent);
    const b = binary(set.map((c) => COMPLAINT_INTENTS.has(c.expected)), got.map((x) => COMPLAINT_INTENTS.has(x)));
    return { b, exact: got.filter((x, i) => x === set[i]?.expected).length, n: set.length };
  };
  const written = check('cross-industry.tsv');
  const unseen = check('cross-industry-unseen.tsv');
  console.log(
    table(
      ['complaint (outage + churn + complaint)', 'precision', 'recall', 'F1', 'support'],
      [
        row('airline tweets, all (5-fold CV)', binary(gold, predicted)),
        row('airline tweets that ask (has ?)', subset(asks)),
        row('airline tweets that do not ask', subset((r) => !asks(r))),
        row("airline, \"Can't Tell\" rows left out", subset((r) => r.reason !== "Can't Tell")),
        row('hand-written, 8 industries (written with the rules)', written.b),
        row('hand-written, 8 industries (written after)', unseen.b),
      ],
    ),
  );
  console.log(
    `\nExact triage class on the hand-written sets (shipped model): ${written.exact}/${written.n} (written with the rules), ` +
      `${unseen.exact}/${unseen.n} (written after; its first, untuned score is in docs/analysis-quality.md).`,
  );
  console.log('\nTriage class mix by gold sentiment, airline tweets (descriptive only: these classes have no gold here):');
  console.log(
    table(
      ['gold', ...INTENTS],
      CLASSES.map((label) => {
        const idx = rows.map((r, i) => (r.label === label ? i : -1)).filter((i) => i >= 0);
        return [label, ...INTENTS.map((x) => String(idx.filter((i) => intents[i] === x).length))];
      }),
    ),
  );
}
