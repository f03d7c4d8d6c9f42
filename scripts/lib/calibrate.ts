/**
 * Per-domain calibration: class offsets added to a model's bias so that its labels reach the best macro-F1 on
 * its own domain, chosen on out-of-fold predictions of the training rows (never on a dev or test split).
 */
import { detectLanguage } from '../../src/analysis/language.js';
import type { Lexicon } from '../../src/analysis/lexicon.js';
import { pickClass } from '../../src/analysis/sentiment.js';
import { CLASSES, compileModel, predictProbabilities, type SentimentClass, type SentimentModel } from '../../src/analysis/sentiment-model.js';
import { analyzeText } from '../../src/analysis/text-features.js';

/** One text's out-of-fold scores: log-probabilities, lexicon sum, and whether it would be scored at all. */
export interface Scored {
  logp: [number, number, number];
  lexiconScore: number;
  english: boolean;
  gold: SentimentClass;
}

/** Scores texts with a model as the scorer does (language check, lexicon, model), keeping log-probabilities. */
export function scoreForCalibration(model: SentimentModel, lexicon: Lexicon, rows: readonly { text: string; label: SentimentClass }[]): Scored[] {
  const compiled = compileModel(model, lexicon);
  return rows.map((r) => {
    const a = analyzeText(r.text, lexicon, compiled.table);
    const p = predictProbabilities(compiled, a);
    const logp: [number, number, number] = [Math.log(p[0] as number), Math.log(p[1] as number), Math.log(p[2] as number)];
    return { logp, lexiconScore: a.lexiconScore, english: detectLanguage(r.text, a.tokens).language === 'en', gold: r.label };
  });
}

/** Macro-F1 of a confusion matrix (rows gold, columns predicted). */
function macroF1(m: number[][]): number {
  let sum = 0;
  for (let k = 0; k < 3; k++) {
    const tp = (m[k] as number[])[k] as number;
    const gold = (m[k] as number[]).reduce((a, b) => a + b, 0);
    const pred = m.reduce((a, row) => a + (row[k] as number), 0);
    sum += tp === 0 ? 0 : (2 * tp) / (gold + pred);
  }
  return sum / 3;
}

/** Label index each text gets with offsets added to its log-probabilities (the scorer's rule, lexicon ties included). */
function labelsWith(scored: readonly Scored[], offsets: readonly number[]): number[][] {
  const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const z = new Float64Array(3);
  for (const s of scored) {
    let k = 1;
    if (s.english) {
      let max = -Infinity;
      for (let c = 0; c < 3; c++) {
        z[c] = s.logp[c]! + offsets[c]!;
        if (z[c]! > max) max = z[c]!;
      }
      let sum = 0;
      for (let c = 0; c < 3; c++) sum += (z[c] = Math.exp(z[c]! - max));
      for (let c = 0; c < 3; c++) z[c] = z[c]! / sum;
      k = pickClass(z, s.lexiconScore);
    }
    const g = CLASSES.indexOf(s.gold);
    (m[g] as number[])[k]! += 1;
  }
  return m;
}

/** Offsets searched for neutral and positive (negative stays 0; only differences matter to a softmax). */
const GRID = Array.from({ length: 21 }, (_, i) => Math.round((i - 10) * 10) / 100);

/**
 * The class offsets (negative, neutral, positive) with the best macro-F1 on out-of-fold scores. The grid is walked
 * from the smallest change outward and only a strictly better result replaces the best, so the smallest offsets
 * that reach the best score win and the choice is the same on every run.
 */
export function bestOffsets(scored: readonly Scored[]): { offsets: [number, number, number]; before: number; after: number } {
  const candidates: [number, number][] = [];
  for (const n of GRID) for (const p of GRID) candidates.push([n, p]);
  candidates.sort((a, b) => Math.abs(a[0]) + Math.abs(a[1]) - (Math.abs(b[0]) + Math.abs(b[1])) || a[0] - b[0] || a[1] - b[1]);
  const before = macroF1(labelsWith(scored, [0, 0, 0]));
  let best: [number, number, number] = [0, 0, 0];
  let bestF1 = before;
  for (const [n, p] of candidates) {
    const f1 = macroF1(labelsWith(scored, [0, n, p]));
    if (f1 > bestF1 + 1e-12) {
      bestF1 = f1;
      best = [0, n, p];
    }
  }
  return { offsets: best, before, after: bestF1 };
}
