/**
 * Sentiment scoring: a compact model trained on customer-to-brand tweets (models/sentiment.json),
 * fed with lexicon features (AFINN, emoji, a customer-service layer) after negation and contrast
 * handling, so text far from airlines still scores by its sentiment words. Non-English text is
 * detected and left unscored.
 */
import { detectLanguage } from './language.js';
import type { SentimentFamily } from './sentiment-domain.js';
import type { Lexicon } from './lexicon.js';
import {
  CLASSES,
  compileModel,
  featureRows,
  probabilitiesFromRows,
  type FeatureRows,
  type CompiledModel,
  type SentimentModel,
} from './sentiment-model.js';
import { analyzeText, tokenize, type TextAnalysis, type Tokens } from './text-features.js';

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

/**
 * Scores one text. A scorer instance owns its scratch buffers and a one-text token memo, so two
 * scorers never share state; scoring is synchronous, so one scorer never shares them mid-call.
 */
export interface SentimentScorer {
  /** Scores `text` with the model of `family` (default: the tweet family, or the only model given). */
  (text: string, family?: SentimentFamily): SentimentResult;
  /**
   * The tokens of `text`, for `classifyIntent`: the ones this scorer made when the last text it scored
   * was this one (the usual order: score, then classify), else freshly made. Treat them as read-only.
   */
  tokens(text: string): Tokens;
}

/** What a scorer is built from: the caller loads the model and lexicon (src/core/model-files.ts). */
export interface SentimentScorerOptions {
  /** The model, stored or already compiled against `lexicon`; `null` scores with the lexicon alone. */
  model: SentimentModel | CompiledModel | null;
  /** Models for other domain families (sentiment-domain.ts); a family without one is scored by `model`. */
  families?: Partial<Record<SentimentFamily, SentimentModel | CompiledModel>>;
  lexicon: Lexicon;
  /** Detect language and leave non-English text unscored (default true). */
  detectLanguage?: boolean;
}

/** Per-scorer scratch space, reused across texts so scoring does not allocate per feature. */
export interface ScoringScratch {
  rows: FeatureRows;
  /** Top-N evidence buffers: feature row and margin. */
  topRow: Int32Array;
  topM: Float64Array;
}

/** Fresh scratch space for one scorer (or one `scoreAnalysis` call). */
function createScratch(): ScoringScratch {
  return {
    rows: { rows: new Int32Array(256), values: new Float64Array(256), count: 0 },
    topRow: new Int32Array(EVIDENCE_LIMIT + 1),
    topM: new Float64Array(EVIDENCE_LIMIT + 1),
  };
}

/**
 * Compiles a stored model against the lexicon, or checks that a compiled one was built with it: the model of
 * `family` when the options carry one, else the default `model`.
 */
export function resolveModel(options: SentimentScorerOptions, family?: SentimentFamily): CompiledModel | null {
  const { lexicon } = options;
  const model = (family !== undefined ? options.families?.[family] : undefined) ?? options.model;
  if (model === null) return null;
  if ('format' in model) return compileModel(model, lexicon);
  if (model.lexicon !== lexicon) throw new Error('the compiled sentiment model was built with a different lexicon');
  return model;
}

/** Builds a scorer from a loaded model and lexicon; construction compiles, scoring is pure and synchronous. */
export function createSentimentScorer(options: SentimentScorerOptions): SentimentScorer {
  const model = resolveModel(options);
  // Compiled once per family here, so scoring picks a model without a lookup by name.
  const comment = options.families?.comment !== undefined ? resolveModel(options, 'comment') : model;
  const tweet = options.families?.tweet !== undefined ? resolveModel(options, 'tweet') : model;
  const general = options.families?.general !== undefined ? resolveModel(options, 'general') : model;
  const { lexicon } = options;
  const detect = options.detectLanguage !== false;
  const scratch = createScratch();
  // One-entry memo: intent reads the tokens of the text just scored, so it need not tokenise again.
  let lastText = '';
  let lastTokens: Tokens | undefined;
  const score = (text: string, family?: SentimentFamily): SentimentResult => {
    const tokens = tokenize(text);
    lastText = text;
    lastTokens = tokens;
    const m = family === 'comment' ? comment : family === 'general' ? general : family === 'tweet' ? tweet : model;
    return scoreAnalysis(m, analyzeText(text, lexicon, m?.table, tokens), text, detect, scratch);
  };
  const tokens = (text: string): Tokens => (lastTokens !== undefined && text === lastText ? lastTokens : tokenize(text));
  return Object.assign(score, { tokens });
}

/** Scores an already analysed text (shared by the scorer and `explain`). */
export function scoreAnalysis(
  model: CompiledModel | null,
  a: TextAnalysis,
  text: string,
  detect = true,
  scratch: ScoringScratch = createScratch(),
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
  const rows = featureRows(model, a, scratch.rows);
  const p = probabilitiesFromRows(model, rows);
  const label = CLASSES[pickClass(p, a.lexiconScore)] as SentimentLabel;
  const k = CLASSES.indexOf(label);
  return {
    score: round((p[2] as number) - (p[0] as number)),
    comparative,
    label,
    scored: true,
    language: 'en',
    evidence: modelEvidence(model, a, rows, k, scratch),
    probabilities: { negative: round(p[0] as number), neutral: round(p[1] as number), positive: round(p[2] as number) },
    lexiconScore,
  };
}

/**
 * The class index a scored text gets from its probabilities: the most probable, except that near-ties go to a
 * clear lexicon. A model learns its domain ("20 minutes" is a delay in airline tweets); the lexicon is
 * domain-free, so when the model cannot decide between two labels the words themselves do. Training's
 * calibration (scripts/lib/calibrate.ts) decides with this same rule.
 */
export function pickClass(p: Float64Array, lexiconScore: number): number {
  let k = 0;
  for (let c = 1; c < 3; c++) if ((p[c] as number) > (p[k] as number)) k = c;
  const lexClass = lexiconScore >= TIE_LEXICON ? 2 : lexiconScore <= -TIE_LEXICON ? 0 : -1;
  if (lexClass >= 0 && lexClass !== k && (p[k] as number) - (p[lexClass] as number) < TIE_MARGIN) k = lexClass;
  return k;
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
function hitText(h: { term: string; negated: boolean }): string {
  return h.negated ? `not ${h.term}` : h.term;
}

/** Reader-facing text for a model feature, expanding lexicon features into the words behind them. */
function featureText(feature: string, a: TextAnalysis, towardPositive: boolean | undefined): string[] {
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

/** Evidence words kept per text. */
const EVIDENCE_LIMIT = 4;

/** The few features that pushed hardest toward class k, as reader-facing words. */
function modelEvidence(model: CompiledModel, a: TextAnalysis, f: FeatureRows, k: number, scratch: ScoringScratch): string[] {
  // Insertion into a fixed top-N buffer instead of sorting: this runs on every scored text.
  // The buffer is the scorer's own; scoring is synchronous, so no two calls share it at once.
  const { topRow, topM } = scratch;
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
