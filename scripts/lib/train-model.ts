/**
 * Training the sentiment model (multinomial logistic regression, AdaGrad SGD): build-time code for
 * scripts/train-sentiment.ts and the eval's cross-validation; the runtime keeps only inference
 * (src/analysis/sentiment-model.ts).
 */
import { seededRandom } from '../../src/core/random.js';
import type { Lexicon } from '../../src/analysis/lexicon.js';
import { CLASSES, softmaxInPlace, type SentimentClass, type SentimentModel } from '../../src/analysis/sentiment-model.js';
import { analyzeText, featureNames } from '../../src/analysis/text-features.js';

/** A labelled training text. */
export interface LabelledText {
  text: string;
  label: SentimentClass;
  /** How much this text counts in the loss (default 1): out-of-domain rows are down-weighted. */
  weight?: number;
}

/** Training knobs; defaults are what ships. */
export interface TrainOptions {
  /** Shuffle seed (training is deterministic for a given seed and input order). */
  seed: number;
  epochs: number;
  learningRate: number;
  l2: number;
  /** Keep a sparse feature only when this many training texts contain it. */
  minCount: number;
  /** Keep at most this many features (the most discriminative) in the saved model. */
  maxFeatures: number;
  /** Independent SGD runs (seeds seed, seed+1, …) whose weights are averaged. */
  runs: number;
  /** Use the dense lexicon features ('@…'); false trains on words alone (for ablation in the eval). */
  lexiconFeatures: boolean;
  /**
   * Class weight = (N / (K * n_class)) ^ balance: 0 leaves the class mix as it is, 1 fully
   * balances it (favours macro-F1 over accuracy), values between split the difference.
   */
  balance: number;
}

/** The options the shipped model is trained with. */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 20150224,
  epochs: 4,
  learningRate: 0.05,
  l2: 1e-4,
  minCount: 3,
  maxFeatures: 20000,
  balance: 0.5,
  runs: 5,
  lexiconFeatures: true,
};

const K = CLASSES.length;

/** Trains a model on labelled texts with the lexicon the model will score with; pure and deterministic. */
export function trainSentimentModel(data: readonly LabelledText[], lexicon: Lexicon, options: Partial<TrainOptions> = {}): SentimentModel {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const analyses = data.map((d) => featureNames(analyzeText(d.text, lexicon)));
  const labels = data.map((d) => CLASSES.indexOf(d.label));
  const rowWeight = data.map((d) => d.weight ?? 1);

  // Vocabulary by document frequency; lexicon ("@") features are always kept.
  const df = new Map<string, number>();
  for (const a of analyses) {
    const seen = new Set(a.features);
    for (const f of seen) df.set(f, (df.get(f) ?? 0) + 1);
  }
  const names = [...df.entries()]
    .filter(([f, c]) => (f.startsWith('@') ? o.lexiconFeatures : c >= o.minCount))
    .map(([f]) => f)
    .sort();
  const index = new Map(names.map((f, i) => [f, i]));
  const rows = analyses.map((a) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (let j = 0; j < a.features.length; j++) {
      const i = index.get(a.features[j] as string);
      if (i !== undefined) {
        idx.push(i);
        val.push(a.values[j] as number);
      }
    }
    return { idx, val };
  });

  const counts = new Array<number>(K).fill(0);
  let total = 0;
  labels.forEach((y, i) => {
    counts[y] = (counts[y] ?? 0) + (rowWeight[i] as number);
    total += rowWeight[i] as number;
  });
  const classWeight = counts.map((c) => (c > 0 ? Math.pow(total / (K * c), o.balance) : 1));

  // Several SGD runs with different shuffles, weights averaged: a linear model stays one model,
  // and the average is steadier than any single run.
  const fitOnce = (seed: number): { w: Float64Array; b: Float64Array } => {
    const w = new Float64Array(names.length * K);
    const g2 = new Float64Array(names.length * K).fill(1e-8);
    const b = new Float64Array(K);
    const bg2 = new Float64Array(K).fill(1e-8);
    const order = data.map((_, i) => i);
    const rand = seededRandom(seed);
    const z = new Float64Array(K);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      for (const r of order) {
        const { idx, val } = rows[r] as { idx: number[]; val: number[] };
        const y = labels[r] as number;
        for (let k = 0; k < K; k++) z[k] = b[k] as number;
        for (let j = 0; j < idx.length; j++) {
          const base = (idx[j] as number) * K;
          const v = val[j] as number;
          for (let k = 0; k < K; k++) z[k] = (z[k] as number) + (w[base + k] as number) * v;
        }
        softmaxInPlace(z);
        const cw = (classWeight[y] as number) * (rowWeight[r] as number);
        for (let k = 0; k < K; k++) {
          const g = ((z[k] as number) - (k === y ? 1 : 0)) * cw;
          bg2[k] = (bg2[k] as number) + g * g;
          b[k] = (b[k] as number) - (o.learningRate * g) / Math.sqrt(bg2[k] as number);
          for (let j = 0; j < idx.length; j++) {
            const p = (idx[j] as number) * K + k;
            const gj = g * (val[j] as number) + o.l2 * (w[p] as number);
            g2[p] = (g2[p] as number) + gj * gj;
            w[p] = (w[p] as number) - (o.learningRate * gj) / Math.sqrt(g2[p] as number);
          }
        }
      }
    }
    return { w, b };
  };
  const w = new Float64Array(names.length * K);
  const b = new Float64Array(K);
  for (let run = 0; run < o.runs; run++) {
    const fit = fitOnce(o.seed + run);
    for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) + (fit.w[i] as number) / o.runs;
    for (let k = 0; k < K; k++) b[k] = (b[k] as number) + (fit.b[k] as number) / o.runs;
  }

  // Keep the features whose weights differ most between classes; round so the file stays small.
  const strength = names.map((f, i) => {
    const ws = [w[i * K], w[i * K + 1], w[i * K + 2]] as number[];
    return { f, i, s: Math.max(...ws) - Math.min(...ws) };
  });
  strength.sort((a, c) => c.s - a.s || (a.f < c.f ? -1 : 1));
  const kept = strength.slice(0, o.maxFeatures).filter((x) => x.s >= 0.01);
  kept.sort((a, c) => (a.f < c.f ? -1 : a.f > c.f ? 1 : 0));
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const weights: Record<string, number[]> = {};
  for (const { f, i } of kept) {
    const ws = [w[i * K], w[i * K + 1], w[i * K + 2]] as number[];
    const mean = (ws[0]! + ws[1]! + ws[2]!) / 3;
    weights[f] = ws.map((x) => round(x - mean));
  }
  const bm = (b[0]! + b[1]! + b[2]!) / 3;
  return {
    format: 'earshot-sentiment',
    version: 1,
    classes: [...CLASSES],
    bias: [...b].map((x) => round(x - bm)),
    weights,
    meta: {
      algorithm: 'multinomial logistic regression, AdaGrad SGD',
      examples: data.length,
      features: kept.length,
      seed: o.seed,
      epochs: o.epochs,
      learningRate: o.learningRate,
      l2: o.l2,
      minCount: o.minCount,
      balance: o.balance,
      runs: o.runs,
    },
  };
}
