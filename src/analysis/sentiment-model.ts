/**
 * The compact sentiment model at inference time: multinomial logistic regression over text features.
 * The caller reads models/sentiment.json (src/core/model-files.ts); training is scripts/lib/train-model.ts.
 */
import type { Lexicon } from './lexicon.js';
import { tokenTable, type TextAnalysis, type TokenTable } from './text-features.js';

/** Class order used everywhere in the model. */
export const CLASSES = ['negative', 'neutral', 'positive'] as const;

/** One of the three sentiment classes. */
export type SentimentClass = (typeof CLASSES)[number];

/** The model as stored in models/sentiment.json. */
export interface SentimentModel {
  format: 'earshot-sentiment';
  version: 1;
  classes: SentimentClass[];
  /** Per-class intercept. */
  bias: number[];
  /** Feature name → per-class weight, in `classes` order. */
  weights: Record<string, number[]>;
  /** How it was trained (for the record; scoring ignores it). */
  meta: Record<string, string | number | boolean>;
}

/**
 * A model ready to score: weights in one flat array; features indexed by their parts
 * (unigram, negated unigram, bigram as first → second, dense) so lookups need no string joins.
 */
export interface CompiledModel {
  /** Feature name → row, for callers holding names (explanations, training checks). */
  index: Map<string, number>;
  /** Row → feature name. */
  names: string[];
  /** Token → token id (every token that appears in some feature). */
  vocab: Map<string, number>;
  /** Lexicon info and token ids in one map, for `analyzeText(text, lexicon, table)`. */
  table: TokenTable;
  /** Token id → row of its unigram / negated unigram feature, -1 when absent. */
  uniRow: Int32Array;
  negRow: Int32Array;
  /** prevId * vocab.size + id → row of the bigram (small-integer keys hash fast). */
  biRow: Map<number, number>;
  dense: Map<string, number>;
  /** Row-major: margins[f * 3 + k] = weight for k minus the best other class (for evidence). */
  margins: Float64Array;
  /** Row → reader-facing text ("on hold", "not good"); '' for dense lexicon features. */
  display: string[];
  /** Row-major: weights[f * 3 + k]. */
  weights: Float64Array;
  bias: Float64Array;
  model: SentimentModel;
  /** The lexicon `table` was built with: text must be analysed with this one for the ids to match. */
  lexicon: Lexicon;
}

const K = CLASSES.length;

/** Numerically stable softmax over a small array, in place. */
export function softmaxInPlace(z: Float64Array | number[]): void {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) if ((z[k] as number) > max) max = z[k] as number;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp((z[k] as number) - max);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) z[k] = (z[k] as number) / sum;
}

/** Turns a stored model into flat arrays for fast scoring, against one lexicon; checks its shape. */
export function compileModel(model: SentimentModel, lexicon: Lexicon): CompiledModel {
  if (model.format !== 'earshot-sentiment' || model.version !== 1 || model.bias.length !== K) {
    throw new Error('not an earshot sentiment model (format/version/bias mismatch)');
  }
  const names = Object.keys(model.weights);
  const index = new Map<string, number>();
  const vocab = new Map<string, number>();
  const tokenId = (t: string): number => {
    let id = vocab.get(t);
    if (id === undefined) vocab.set(t, (id = vocab.size));
    return id;
  };
  const uni: [number, number][] = [];
  const neg: [number, number][] = [];
  const bi: [number, number, number][] = [];
  const dense = new Map<string, number>();
  const weights = new Float64Array(names.length * K);
  names.forEach((f, i) => {
    const ws = model.weights[f] as number[];
    index.set(f, i);
    for (let k = 0; k < K; k++) weights[i * K + k] = ws[k] ?? 0;
    // Tokens never contain spaces or underscores, so the name's shape tells its kind.
    const space = f.indexOf(' ');
    if (f.startsWith('@')) dense.set(f, i);
    else if (f.startsWith('not_')) neg.push([tokenId(f.slice(4)), i]);
    else if (space > 0) bi.push([tokenId(f.slice(0, space)), tokenId(f.slice(space + 1)), i]);
    else uni.push([tokenId(f), i]);
  });
  const uniRow = new Int32Array(vocab.size).fill(-1);
  const negRow = new Int32Array(vocab.size).fill(-1);
  for (const [id, row] of uni) uniRow[id] = row;
  for (const [id, row] of neg) negRow[id] = row;
  const biRow = new Map<number, number>();
  for (const [p, t, row] of bi) biRow.set(p * vocab.size + t, row);
  const margins = marginsOf(weights);
  // Idioms are stored hyphen-joined ("no-problems"); readers see them as words.
  const display = names.map((f) => (f.startsWith('@') ? '' : (f.startsWith('not_') ? `not ${f.slice(4)}` : f).replace(/-/g, ' ')));
  const bias = Float64Array.from(model.bias);
  const table = tokenTable(vocab, lexicon);
  return { index, names, vocab, table, uniRow, negRow, biRow, dense, margins, display, weights, bias, model, lexicon };
}

/** Row-major margins: for each feature and class, its weight minus the best other class's (for evidence). */
function marginsOf(weights: Float64Array): Float64Array {
  const margins = new Float64Array(weights.length);
  for (let i = 0; i < weights.length / K; i++) {
    const w0 = weights[i * K] as number;
    const w1 = weights[i * K + 1] as number;
    const w2 = weights[i * K + 2] as number;
    margins[i * K] = w0 - Math.max(w1, w2);
    margins[i * K + 1] = w1 - Math.max(w0, w2);
    margins[i * K + 2] = w2 - Math.max(w0, w1);
  }
  return margins;
}

/**
 * Calls `visit(row, value)` for every model feature present in the analysis. The order is
 * fixed (tokens, then dense), so sums come out bit-identical on every run.
 */
function visitFeatures(model: CompiledModel, a: TextAnalysis, visit: (row: number, value: number) => void): void {
  const f = featureRows(model, a);
  for (let j = 0; j < f.count; j++) visit(f.rows[j] as number, f.values[j] as number);
}

/** Model rows present in one text, with their values; `count` entries are valid. */
export interface FeatureRows {
  rows: Int32Array;
  values: Float64Array;
  count: number;
}

/**
 * Looks up every feature of the analysis once. Reuses `into` when given (the scorer keeps one
 * scratch buffer so scoring does not allocate per feature); grows it when a text is long.
 */
export function featureRows(model: CompiledModel, a: TextAnalysis, into?: FeatureRows): FeatureRows {
  const need = a.tokens.length * 2 + a.dense.length;
  const out: FeatureRows =
    into && into.rows.length >= need ? into : { rows: new Int32Array(need + 16), values: new Float64Array(need + 16), count: 0 };
  let c = 0;
  const { vocab, uniRow, negRow, biRow, dense } = model;
  const size = vocab.size;
  const { rows, values } = out;
  let prevId = -1;
  // Ids already looked up by analyzeText with this model's table save a map lookup per token.
  const ids = a.table === model.table ? a.ids : undefined;
  for (let t = 0; t < a.tokens.length; t++) {
    const id = ids ? (ids[t] as number) : (vocab.get(a.tokens[t] as string) ?? -1);
    if (id < 0) {
      prevId = -1;
      continue;
    }
    const u = a.negated[t] ? (negRow[id] as number) : (uniRow[id] as number);
    if (u >= 0) {
      rows[c] = u;
      values[c++] = 1;
    }
    // previous[t] is non-empty exactly when tokens[t-1] is the previous word of the same clause.
    if (prevId >= 0 && a.previous[t] !== '') {
      const b = biRow.get(prevId * size + id);
      if (b !== undefined) {
        rows[c] = b;
        values[c++] = 1;
      }
    }
    prevId = id;
  }
  for (let d = 0; d < a.dense.length; d++) {
    const r = dense.get(a.dense[d] as string);
    if (r !== undefined) {
      rows[c] = r;
      values[c++] = a.denseValues[d] as number;
    }
  }
  out.count = c;
  return out;
}

/** Class probabilities from looked-up feature rows (negative, neutral, positive). */
export function probabilitiesFromRows(model: CompiledModel, f: FeatureRows): Float64Array {
  const { weights, bias } = model;
  let z0 = bias[0] as number;
  let z1 = bias[1] as number;
  let z2 = bias[2] as number;
  for (let j = 0; j < f.count; j++) {
    const base = (f.rows[j] as number) * K;
    const v = f.values[j] as number;
    z0 += (weights[base] as number) * v;
    z1 += (weights[base + 1] as number) * v;
    z2 += (weights[base + 2] as number) * v;
  }
  const z = new Float64Array(3);
  z[0] = z0;
  z[1] = z1;
  z[2] = z2;
  softmaxInPlace(z);
  return z;
}

/** Class probabilities for an analysed text (negative, neutral, positive). */
export function predictProbabilities(model: CompiledModel, a: TextAnalysis): Float64Array {
  return probabilitiesFromRows(model, featureRows(model, a));
}

/** Per-feature contribution toward class `k` relative to the other classes, largest first. */
export function featureContributions(model: CompiledModel, a: TextAnalysis, k: number): { feature: string; weight: number }[] {
  const sums = new Map<string, number>();
  visitFeatures(model, a, (i, value) => {
    const f = model.names[i] as string;
    const ws = [model.weights[i * K], model.weights[i * K + 1], model.weights[i * K + 2]] as number[];
    const others = ws.filter((_, c) => c !== k);
    const margin = (ws[k] as number) - Math.max(...others);
    sums.set(f, (sums.get(f) ?? 0) + margin * value);
  });
  return [...sums.entries()]
    .map(([feature, weight]) => ({ feature, weight: Math.round(weight * 1000) / 1000 }))
    .sort((x, y) => y.weight - x.weight || (x.feature < y.feature ? -1 : 1));
}

/**
 * The weighted average of two models' logits as one model (`share` of `a`, the rest of `b`): every feature of
 * either, weights and bias averaged (a feature one model lacks counts 0 there). For text between the two models'
 * domains; scoring with it costs what scoring with one model does.
 */
export function blendModels(a: SentimentModel, b: SentimentModel, meta: Record<string, string | number | boolean>, share = 0.5): SentimentModel {
  const names = [...new Set([...Object.keys(a.weights), ...Object.keys(b.weights)])].sort();
  const weights: Record<string, number[]> = {};
  const zero = [0, 0, 0];
  for (const f of names) {
    const wa = a.weights[f] ?? zero;
    const wb = b.weights[f] ?? zero;
    weights[f] = wa.map((w, k) => share * w + (1 - share) * (wb[k] as number));
  }
  return { format: 'earshot-sentiment', version: 1, classes: [...CLASSES], bias: a.bias.map((x, k) => share * x + (1 - share) * (b.bias[k] as number)), weights, meta };
}

/**
 * Blends of `a` and `b` at each share (`blendModels`), compiled once: every blend of the same two models has the
 * same features, so they share the feature tables and differ only in weights, margins and bias. Their `model` is
 * the stored head alone (bias and meta, no weights: those are in `weights`), so memory holds no second copy.
 */
export function compileBlends(
  a: SentimentModel,
  b: SentimentModel,
  lexicon: Lexicon,
  blends: readonly { share: number; meta: Record<string, string | number | boolean> }[],
): CompiledModel[] {
  const first = blends[0];
  if (first === undefined) return [];
  const base = compileModel(blendModels(a, b, first.meta, first.share), lexicon);
  const zero = [0, 0, 0];
  return blends.map(({ share, meta }, j) => {
    const bias = a.bias.map((x, k) => share * x + (1 - share) * (b.bias[k] as number));
    const head: SentimentModel = { format: 'earshot-sentiment', version: 1, classes: [...CLASSES], bias, weights: {}, meta };
    if (j === 0) return { ...base, model: head };
    const weights = new Float64Array(base.names.length * K);
    base.names.forEach((f, i) => {
      const wa = a.weights[f] ?? zero;
      const wb = b.weights[f] ?? zero;
      for (let k = 0; k < K; k++) weights[i * K + k] = share * (wa[k] as number) + (1 - share) * (wb[k] as number);
    });
    return { ...base, weights, margins: marginsOf(weights), bias: Float64Array.from(bias), model: head };
  });
}
