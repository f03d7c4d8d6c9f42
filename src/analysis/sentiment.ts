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
  featureRows,
  probabilitiesFromRows,
  type FeatureRows,
  type CompiledModel,
  type SentimentModel,
} from './sentiment-model.js';
import { getLexicon } from './lexicon.js';
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
  // One scratch buffer per scorer: scoring is synchronous, so it is never shared mid-call.
  const scratch: FeatureRows = { rows: new Int32Array(256), values: new Float64Array(256), count: 0 };
  const lexicon = getLexicon();
  const table = model?.table;
  return (text) => scoreAnalysis(model, analyzeText(text, lexicon, table), text, detect, scratch);
}

/** Scores an already analysed text (shared by the scorer and `explain`). */
export function scoreAnalysis(
  model: CompiledModel | null,
  a: TextAnalysis,
  text: string,
  detect = true,
  scratch?: FeatureRows,
): SentimentResult {
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
  const rows = featureRows(model, a, scratch);
  const p = probabilitiesFromRows(model, rows);
  let k = 0;
  for (let c = 1; c < 3; c++) if ((p[c] as number) > (p[k] as number)) k = c;
  // Near-ties go to a clear lexicon: the model learnt airline tweets ("20 minutes" is a delay there), the lexicon
  // is domain-free, so when the model cannot decide between two labels the words themselves do.
  const lexClass = a.lexiconScore >= TIE_LEXICON ? 2 : a.lexiconScore <= -TIE_LEXICON ? 0 : -1;
  if (lexClass >= 0 && lexClass !== k && (p[k] as number) - (p[lexClass] as number) < TIE_MARGIN) k = lexClass;
  const label = CLASSES[k] as SentimentLabel;
  return {
    score: round((p[2] as number) - (p[0] as number)),
    comparative,
    label,
    scored: true,
    language: 'en',
    evidence: modelEvidence(model, a, rows, k),
    probabilities: { negative: round(p[0] as number), neutral: round(p[1] as number), positive: round(p[2] as number) },
    lexiconScore,
  };
}

/** Probability gap under which the model's top two labels count as a tie. */
const TIE_MARGIN = 0.1;
/** Lexicon sum that settles a tie (about two clearly positive or negative words). */
const TIE_LEXICON = 3;

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
  const pick = (source: string | undefined, sign: number): string[] => {
    const out: string[] = [];
    for (const h of a.hits) if ((source === undefined || h.source === source) && Math.sign(h.value) === sign) out.push(hitText(h));
    return out;
  };
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
    case '@short': return ['(short text)'];
    case '@medium': return [];
    case '@long': return ['(long text)'];
    default: return [];
  }
}

const EVIDENCE_LIMIT = 4;
const topRow = new Int32Array(EVIDENCE_LIMIT + 1);
const topM = new Float64Array(EVIDENCE_LIMIT + 1);

/** The few features that pushed hardest toward class k, as reader-facing words. */
function modelEvidence(model: CompiledModel, a: TextAnalysis, f: FeatureRows, k: number): string[] {
  // Insertion into a fixed top-N buffer instead of sorting: this runs on every scored text.
  // The buffer is module-level; scoring is synchronous, so no two calls share it at once.
  let size = 0;
  const { margins, display, names } = model;
  for (let j = 0; j < f.count; j++) {
    const row = f.rows[j] as number;
    const m = (margins[row * 3 + k] as number) * (f.values[j] as number);
    if (m <= 0) continue;
    let dup = false;
    for (let x = 0; x < size; x++) if (topRow[x] === row) dup = true;
    if (dup) continue;
    let at = size;
    while (at > 0 && (topM[at - 1] as number) < m) {
      topRow[at] = topRow[at - 1] as number;
      topM[at] = topM[at - 1] as number;
      at--;
    }
    topRow[at] = row;
    topM[at] = m;
    if (size < EVIDENCE_LIMIT) size++;
  }
  const towardPositive = k === 2 ? true : k === 0 ? false : undefined;
  const out: string[] = [];
  for (let x = 0; x < size; x++) {
    const row = topRow[x] as number;
    const d = display[row] as string;
    if (d !== '') {
      if (!out.includes(d)) out.push(d);
    } else {
      for (const s of featureText(names[row] as string, a, towardPositive)) if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}
