/**
 * Sentiment scoring: a compact model trained on customer-to-brand tweets (models/sentiment.json),
 * fed with lexicon features (AFINN, emoji, a customer-service layer) after negation and contrast
 * handling, so text far from airlines still scores by its sentiment words. Non-English text is
 * detected and left unscored.
 */
import type { Logger } from '../core/log.js';
import { detectLanguage } from './language.js';
import {
  CLASSES,
  compileModel,
  defaultModelPath,
  loadSentimentModel,
  predictProbabilities,
  type CompiledModel,
  type SentimentModel,
} from './sentiment-model.js';
import { analyzeText, type TextAnalysis } from './text-features.js';

/** Three-way label. */
export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** Model probability per class. */
export interface SentimentProbabilities {
  negative: number;
  neutral: number;
  positive: number;
}

/** What the analyser says about one text. */
export interface SentimentResult {
  /** Signed score in [-1, 1]: P(positive) − P(negative) from the model (lexicon-only: clamped lexicon sum / 5); > 0 positive. */
  score: number;
  /** Lexicon score (AFINN scale, after negation and contrast) per word. */
  comparative: number;
  label: SentimentLabel;
  /** False when the text was not scored (e.g. not English); label is then 'neutral'. */
  scored: boolean;
  /** Detected language (ISO 639-1) when known. */
  language?: string;
  /** Words or features that drove the label. */
  evidence: string[];
  /** Class probabilities when the model scored the text. */
  probabilities?: SentimentProbabilities;
  /** Lexicon sum (AFINN scale, after negation, contrast and intensifiers). */
  lexiconScore?: number;
}

/** Scores one text. */
export type SentimentScorer = (text: string) => SentimentResult;

/** Scorer construction options; all optional. */
export interface SentimentScorerOptions {
  /** A model object to use; `null` scores with the lexicon alone. Default: the shipped models/sentiment.json. */
  model?: SentimentModel | null;
  /** Load the model from this file instead of the shipped one. */
  modelPath?: string;
  /** Detect language and leave non-English text unscored (default true). */
  detectLanguage?: boolean;
  /** Told when the shipped model cannot be found and the scorer falls back to the lexicon. */
  logger?: Logger;
}

let shipped: CompiledModel | null | undefined;

/** The shipped model, loaded once per process; null when the file is missing. */
export function getShippedModel(): CompiledModel | null {
  if (shipped !== undefined) return shipped;
  const path = defaultModelPath();
  shipped = path ? loadSentimentModel(path) : null;
  return shipped;
}

/** Resolves scorer options to a compiled model (or null for lexicon-only). */
export function resolveModel(options: SentimentScorerOptions = {}): CompiledModel | null {
  if (options.model === null) return null;
  if (options.model) return compileModel(options.model);
  if (options.modelPath) return loadSentimentModel(options.modelPath);
  const m = getShippedModel();
  if (m === null) options.logger?.warn('models/sentiment.json not found: sentiment falls back to the lexicon alone');
  return m;
}

/** Builds a scorer; construction may load data, scoring is pure and synchronous. */
export function createSentimentScorer(options: SentimentScorerOptions = {}): SentimentScorer {
  const model = resolveModel(options);
  const detect = options.detectLanguage !== false;
  return (text) => scoreAnalysis(model, analyzeText(text), text, detect);
}

/** Scores an already analysed text (shared by the scorer and `explain`). */
export function scoreAnalysis(model: CompiledModel | null, a: TextAnalysis, text: string, detect = true): SentimentResult {
  const lexiconScore = round(a.lexiconScore);
  const comparative = round(a.wordCount > 0 ? a.lexiconScore / a.wordCount : 0);
  if (detect) {
    const lang = detectLanguage(text, a.tokens);
    if (lang.language !== 'en') {
      return { score: 0, comparative: 0, label: 'neutral', scored: false, language: lang.language, evidence: lang.evidence };
    }
  }
  if (model === null) {
    const label: SentimentLabel = a.lexiconScore >= 1 ? 'positive' : a.lexiconScore <= -1 ? 'negative' : 'neutral';
    const evidence = a.hits.filter((h) => (label === 'positive' ? h.value > 0 : label === 'negative' ? h.value < 0 : false)).map(hitText);
    const score = round(Math.max(-1, Math.min(1, a.lexiconScore / 5)));
    return { score, comparative, label, scored: true, language: 'en', evidence: dedupe(evidence), lexiconScore };
  }
  const p = predictProbabilities(model, a);
  let k = 0;
  for (let c = 1; c < 3; c++) if ((p[c] as number) > (p[k] as number)) k = c;
  const label = CLASSES[k] as SentimentLabel;
  return {
    score: round((p[2] as number) - (p[0] as number)),
    comparative,
    label,
    scored: true,
    language: 'en',
    evidence: modelEvidence(model, a, k, 4),
    probabilities: { negative: round(p[0] as number), neutral: round(p[1] as number), positive: round(p[2] as number) },
    lexiconScore,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** A lexicon hit as a reader sees it: "not good", "on hold". */
export function hitText(h: { term: string; negated: boolean }): string {
  return h.negated ? `not ${h.term}` : h.term;
}

/** Reader-facing text for a model feature, expanding lexicon features into the words behind them. */
export function featureText(feature: string, a: TextAnalysis, towardPositive: boolean | undefined): string[] {
  if (!feature.startsWith('@')) return [feature.startsWith('not_') ? `not ${feature.slice(4)}` : feature];
  const pick = (source: string | undefined, sign: number): string[] =>
    a.hits.filter((h) => (source === undefined || h.source === source) && Math.sign(h.value) === sign).map(hitText);
  switch (feature) {
    case '@lex_pos': return pick('afinn', 1);
    case '@lex_neg': return pick('afinn', -1);
    case '@svc_pos': return pick('service', 1);
    case '@svc_neg': return pick('service', -1);
    case '@emoji_pos': return pick('emoji', 1);
    case '@emoji_neg': return pick('emoji', -1);
    case '@lex_total': return towardPositive === undefined ? [] : pick(undefined, towardPositive ? 1 : -1);
    case '@question': return ['?'];
    case '@exclaim': return ['!'];
    case '@url': return ['(link)'];
    case '@handles': return ['(several @handles)'];
    case '@shout': return ['(ALL CAPS)'];
    case '@contrast': return ['(contrast: but)'];
    case '@no_lexicon': return ['(no sentiment words)'];
    default: return [];
  }
}

/** The few features that pushed hardest toward class k, as reader-facing words. */
function modelEvidence(model: CompiledModel, a: TextAnalysis, k: number, limit: number): string[] {
  // Keep a tiny top-N list instead of sorting everything: this runs on every scored text.
  const top: { f: string; m: number }[] = [];
  const { index, weights } = model;
  for (let j = 0; j < a.features.length; j++) {
    const f = a.features[j] as string;
    if (f === '@short' || f === '@medium' || f === '@long') continue;
    const i = index.get(f);
    if (i === undefined) continue;
    const w0 = weights[i * 3] as number;
    const w1 = weights[i * 3 + 1] as number;
    const w2 = weights[i * 3 + 2] as number;
    const wk = k === 0 ? w0 : k === 1 ? w1 : w2;
    const other = k === 0 ? Math.max(w1, w2) : k === 1 ? Math.max(w0, w2) : Math.max(w0, w1);
    const m = (wk - other) * (a.values[j] as number);
    if (m <= 0) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as { m: number }).m < m) at--;
    if (at >= limit) continue;
    if (top.some((t) => t.f === f)) continue;
    top.splice(at, 0, { f, m });
    if (top.length > limit) top.pop();
  }
  const towardPositive = k === 2 ? true : k === 0 ? false : undefined;
  const out: string[] = [];
  for (const t of top) for (const s of featureText(t.f, a, towardPositive)) if (!out.includes(s)) out.push(s);
  return out.slice(0, limit + 2);
}
