/** `earshot explain`: the full reasoning behind one text's sentiment and intent, for people and for json. */
import { deadlinesWith, hasDeadline, type Deadlines } from './deadlines.js';
import { classifyIntent, type IntentResult } from './intent.js';
import { mentionWording, rateSentiment } from './reading.js';
import { detectLanguage, type LanguageGuess } from './language.js';
import {
  resolveModel,
  scoreAnalysis,
  type SentimentLabel,
  type SentimentProbabilities,
  type SentimentScorerOptions,
} from './sentiment.js';
import { CLASSES, featureContributions, type CompiledModel } from './sentiment-model.js';
import { analyzeText, type LexiconHit } from './text-features.js';
import { resolutionCue, type ResolutionCue } from './resolution.js';
import { domainFamily, type SentimentDomain, type SentimentFamily } from './sentiment-domain.js';

/** One model feature's part in the decision. */
interface FeatureContribution {
  /** Model feature name: a word, `not_<word>` (negated), `<word> <word>` (bigram), or `@<lexicon feature>`. */
  feature: string;
  /** Logit margin it gave the chosen label over the best other class (> 0 pushed toward the label). */
  weight: number;
}

/** Everything `earshot explain` shows; plain data, safe to print as json. */
export interface SentimentExplanation {
  /** What was scored: the title and the text together when a title was given. */
  text: string;
  /** The review's star rating, when one was given. */
  rating?: number;
  /** What the rating did: the rule that decided the label, or that 3 stars leave it to the text. */
  ratingRule?: string;
  language: LanguageGuess;
  /** What the text is, when given (`--domain`), and the model family that scored it ('tweet' when no domain was given). */
  domain?: SentimentDomain;
  family: SentimentFamily;
  scored: boolean;
  label: SentimentLabel;
  score: number;
  probabilities?: SentimentProbabilities;
  /** 'model+lexicon' normally; 'lexicon' when no model file was found. */
  method: 'model+lexicon' | 'lexicon' | 'not scored';
  /** Tokens as analysed; `not_` marks a token inside a negation scope. */
  tokens: string[];
  /** Lexicon matches with negation, contrast and intensifiers applied. */
  lexicon: LexiconHit[];
  lexiconScore: number;
  /** Features that pushed toward the label (largest first), then the strongest ones against it. */
  supporting: FeatureContribution[];
  opposing: FeatureContribution[];
  /** The short evidence list a mention carries. */
  evidence: string[];
  intent: IntentResult;
  /** The resolution cue the text carries, as a customer's later message in a thread is read; absent when none. */
  resolution?: ResolutionCue;
  /** The reply deadline of the intent's triage class in minutes (docs/metrics.md); absent when it needs no reply. */
  deadlineMinutes?: number;
}

/** Explains one text (with a title and a star rating when given, as a review is read): language, tokens, lexicon hits, model features for and against, intent. */
export function explain(
  text: string,
  options: SentimentScorerOptions & { rating?: number; title?: string; domain?: SentimentDomain; deadlines?: Partial<Deadlines> },
): SentimentExplanation {
  const family: SentimentFamily = options.domain === undefined ? 'tweet' : domainFamily(options.domain);
  const model: CompiledModel | null = resolveModel(options, family);
  const { wording, body } = mentionWording({ text, ...(options.title !== undefined ? { title: options.title } : {}) });
  const a = analyzeText(wording, options.lexicon);
  const detect = options.detectLanguage !== false;
  const worded = scoreAnalysis(model, a, wording, detect);
  const result = rateSentiment(worded, options.rating);
  const language = detect ? detectLanguage(wording, a.tokens) : { language: 'en', confident: false, evidence: [] };
  const intent = classifyIntent(wording, result, options.rating, undefined, body);
  const deadlineMinutes = hasDeadline(intent.intent) ? deadlinesWith(options.deadlines)[intent.intent] : undefined;
  let supporting: FeatureContribution[] = [];
  let opposing: FeatureContribution[] = [];
  if (model !== null && result.scored) {
    const all = featureContributions(model, a, CLASSES.indexOf(result.label));
    supporting = all.filter((c) => c.weight > 0).slice(0, 10);
    opposing = all.filter((c) => c.weight < 0).reverse().slice(0, 5);
  }
  const explanation: SentimentExplanation = {
    text: wording,
    ...(options.rating !== undefined ? { rating: options.rating, ratingRule: ratingRule(options.rating, worded, result) } : {}),
    language,
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
    family,
    scored: result.scored,
    label: result.label,
    score: result.score,
    method: !result.scored ? 'not scored' : model === null ? 'lexicon' : 'model+lexicon',
    tokens: a.tokens.map((t, i) => (a.negated[i] ? `not_${t}` : t)),
    lexicon: a.hits,
    lexiconScore: Math.round(a.lexiconScore * 1000) / 1000,
    supporting,
    opposing,
    evidence: result.evidence,
    intent,
    ...(deadlineMinutes !== undefined ? { deadlineMinutes } : {}),
  };
  if (result.probabilities) explanation.probabilities = result.probabilities;
  const cue = resolutionCue(wording);
  if (cue) explanation.resolution = cue;
  return explanation;
}

/** The rating rule in words, as `explain` shows it. */
function ratingRule(rating: number, worded: { label: SentimentLabel; scored: boolean }, rated: { label: SentimentLabel }): string {
  const text = !worded.scored ? 'the text is not scored' : `the text alone reads ${worded.label}`;
  if (rating <= 2) return `${rating} stars: a complaint, and negative (${text})`;
  if (rating >= 4) return `${rating} stars: not a complaint; it needs a reply only if it asks a question${worded.scored ? `, and ${rated.label}` : ''} (${text})`;
  return `${rating} stars: the text decides (${text})`;
}

/** Plain-text rendering of an explanation (no colour; the CLI may add it). */
export function formatExplanation(e: SentimentExplanation): string {
  const lines: string[] = [];
  const fmt = (x: number): string => (x > 0 ? `+${x}` : String(x));
  lines.push(`text:        ${e.text.replace(/\s+/g, ' ')}`);
  const lang = e.language.evidence.length > 0 ? ` (${e.language.evidence.join(', ')})` : '';
  lines.push(`language:    ${e.language.language}${lang}`);
  lines.push(`domain:      ${e.domain ?? '(not given)'} → ${e.family} model${e.domain === undefined ? ' (pass --domain comment, review, forum or issue for those)' : ''}`);
  if (e.ratingRule !== undefined) lines.push(`rating:      ${e.ratingRule}`);
  if (!e.scored) {
    lines.push(`sentiment:   not scored (not English)`);
  } else {
    const p = e.probabilities;
    const probs = p ? `  P(neg) ${p.negative}, P(neu) ${p.neutral}, P(pos) ${p.positive}` : '';
    lines.push(`sentiment:   ${e.label}  score ${e.score}${probs}  [${e.method}]`);
    lines.push(`tokens:      ${e.tokens.join(' ')}`);
    const hits = e.lexicon.map((h) => {
      const notes = [h.negated ? 'negated' : '', h.contrast ? `${h.contrast} "but"` : '', h.source].filter(Boolean).join(', ');
      return `${h.term} ${fmt(h.base)}→${fmt(Math.round(h.value * 100) / 100)} (${notes})`;
    });
    lines.push(`lexicon:     ${hits.length > 0 ? hits.join('; ') : 'no sentiment words'}  (sum ${fmt(e.lexiconScore)})`);
    if (e.supporting.length > 0) lines.push(`for ${e.label}: ${e.supporting.map((c) => `${c.feature} ${fmt(c.weight)}`).join(', ')}`);
    if (e.opposing.length > 0) lines.push(`against:     ${e.opposing.map((c) => `${c.feature} ${fmt(c.weight)}`).join(', ')}`);
  }
  lines.push(`evidence:    ${e.evidence.length > 0 ? e.evidence.join(', ') : '(none)'}`);
  lines.push(`intent:      ${e.intent.intent}${e.intent.evidence.length > 0 ? ` (${e.intent.evidence.join(', ')})` : ''}`);
  // Said only when there is one: it matters for a customer's later word in a thread, not for every text.
  if (e.resolution) lines.push(`resolution cue: ${e.resolution.outcome} ('${e.resolution.phrase}'), as a customer's later word after a brand reply`);
  lines.push(`deadline:    ${e.deadlineMinutes !== undefined ? `reply within ${e.deadlineMinutes % 60 === 0 ? `${e.deadlineMinutes / 60}h` : `${e.deadlineMinutes}m`} (${e.intent.intent})` : 'none: needs no reply'}`);
  return lines.join('\n');
}
