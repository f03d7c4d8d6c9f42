/**
 * Intent (triage class) classification: rules over the sentiment result plus cue phrases that hold across
 * industries (src/analysis/intent-cues.ts). A question that reproaches or reports a broken expectation is a
 * complaint ("why does my battery die in 3 hours after the update??"); one that asks for information is a question
 * ("can I return an online order in store?"). Measured in docs/analysis-quality.md; the classes and their reply
 * deadlines are in docs/metrics.md.
 */
import {
  ASK_CUES, BREACH_CUES, CHURN_CUES, OUTAGE_CUES, PERSON_WORDS, PROMO_CUES, PURCHASE_CUES, REPROACH_CUES, SPAM_CUES,
} from './intent-cues.js';
import type { SentimentResult } from './sentiment.js';
import { tokenize, type Tokens } from './text-features.js';

/**
 * What the author wants, as a triage class. `outage` (a service down or a bug) and `churn` (leaving) are complaints
 * with a tighter deadline; `purchase` is someone choosing what to buy; `spam` is self-promotion that never needs a
 * reply.
 */
export type Intent = 'outage' | 'churn' | 'complaint' | 'purchase' | 'question' | 'praise' | 'spam' | 'other';

/** Every intent, in triage order (most urgent first), for tables and counts. */
export const INTENTS: readonly Intent[] = ['outage', 'churn', 'complaint', 'purchase', 'question', 'praise', 'spam', 'other'];

/** The intents that are complaints: what complaint precision and recall are measured on. */
export const COMPLAINT_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['outage', 'churn', 'complaint']);

/** The intents that need a brand reply (docs/metrics.md, "Needs a reply"). */
export const REPLY_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['outage', 'churn', 'complaint', 'purchase', 'question']);

/** Intent plus the cues that decided it. */
export interface IntentResult {
  intent: Intent;
  evidence: string[];
}

/** The phrase lists, by the name the rules use. */
const LISTS = {
  breach: BREACH_CUES,
  reproach: REPROACH_CUES,
  ask: ASK_CUES,
  outage: OUTAGE_CUES,
  churn: CHURN_CUES,
  purchase: PURCHASE_CUES,
  spam: SPAM_CUES,
  promo: PROMO_CUES,
};

type ListName = keyof typeof LISTS;

/** The phrases of each list found in one text, in order of appearance, deduplicated (overlapping ones included). */
type Cues = Record<ListName, string[]>;

const LIST_NAMES = Object.keys(LISTS) as ListName[];

/** A trie of phrase words: the lists (and phrase texts) that end here, and the words that may follow. */
interface PhraseNode {
  /** Phrases ending here: the list's index in LIST_NAMES, and the phrase as evidence shows it. */
  ends: { list: number; text: string }[];
  next: Map<string, PhraseNode>;
}

/** Expands the one level of `(?:a|b)` choices and `(?:a)?` options a cue may hold into plain phrases. */
export function expandPhrase(pattern: string): string[] {
  return expand(pattern).map((p) => p.replace(/\s+/g, ' ').trim());
}

function expand(pattern: string): string[] {
  const open = pattern.indexOf('(?:');
  if (open < 0) return [pattern];
  const close = pattern.indexOf(')', open);
  const optional = pattern[close + 1] === '?';
  const choices = pattern.slice(open + 3, close).split('|');
  if (optional) choices.push('');
  const head = pattern.slice(0, open);
  const tails = expand(pattern.slice(close + (optional ? 2 : 1)));
  return choices.flatMap((c) => tails.map((t) => `${head}${c}${t}`));
}

/**
 * Every phrase of every list in one trie of words: a text is walked once, from each word only as far as the phrases
 * that start there go, comparing words (no regular expression). One alternation per list tried at every character
 * cost more than the whole sentiment model (sentiment + intent fell from about 114,000 to 51,000 texts/s).
 */
const PHRASES: PhraseNode = { ends: [], next: new Map() };
for (const [list, patterns] of Object.entries(LISTS) as [ListName, readonly string[]][]) {
  for (const text of patterns.flatMap(expandPhrase)) {
    let node = PHRASES;
    for (const w of text.split(' ')) {
      let child = node.next.get(w);
      if (child === undefined) {
        child = { ends: [], next: new Map() };
        node.next.set(w, child);
      }
      node = child;
    }
    node.ends.push({ list: LIST_NAMES.indexOf(list), text });
  }
}

const QUESTION_START = new Set([
  'how', 'what', 'when', 'where', 'why', 'who', 'which', 'whats', 'wheres', 'whens', 'hows', 'can', 'could',
  'is', 'are', 'do', 'does', 'did', 'will', 'would', 'should', 'any', 'anyone', 'may',
]);

/** A text as the scorer sees it: its words (entities decoded, handles/URLs dropped, hashtags split). */
interface Scanned {
  words: string[];
  /** A question mark outside URLs. */
  questionMark: boolean;
  /** Two question marks in a row, or ?! / !?: asking with feeling. */
  insistent: boolean;
  urls: number;
}

function scan(text: string, tokenized: Tokens = tokenize(text)): Scanned {
  const { tokens, kinds } = tokenized;
  const words: string[] = [];
  let questionMark = false;
  let insistent = false;
  tokens.forEach((t, i) => {
    if (kinds[i] === 'word') words.push(t);
    else if (t === '?') {
      if (questionMark && (tokens[i - 1] === '?' || tokens[i - 1] === '!')) insistent = true;
      questionMark = true;
    } else if (t === '!' && tokens[i - 1] === '?') insistent = true;
  });
  return { words, questionMark, insistent, urls: tokenized.urls };
}

/** Complaint cues found in a text (normalised, lower-case), in order of appearance, deduplicated. */
export function complaintCues(text: string): string[] {
  return cuesIn(scan(text));
}

function cuesIn(s: Scanned): string[] {
  // A copy: the empty result is the shared NONE, which a caller must not be able to push into.
  return [...findCues(s).breach];
}

/** Shared by every list nothing was found in: most texts match few lists, and eight arrays a text showed in the GC. */
const NONE: string[] = [];

function findCues(s: Scanned): Cues {
  // Numbered lists in a plain array: a keyed store into the Cues object per match tripled what intent cost.
  let found: string[][] | undefined;
  const { words } = s;
  for (let i = 0; i < words.length; i++) {
    let node = PHRASES.next.get(words[i] as string);
    for (let k = i + 1; node !== undefined; k++) {
      const ends = node.ends;
      for (let j = 0; j < ends.length; j++) {
        const e = ends[j]!;
        found ??= LIST_NAMES.map(() => []);
        const list = found[e.list]!;
        if (!list.includes(e.text)) list.push(e.text);
      }
      node = k < words.length ? node.next.get(words[k] as string) : undefined;
    }
  }
  const at = (n: number): string[] => {
    const list = found?.[n];
    return list !== undefined && list.length > 0 ? list : NONE;
  };
  return { breach: at(0), reproach: at(1), ask: at(2), outage: at(3), churn: at(4), purchase: at(5), spam: at(6), promo: at(7) };
}

/** True when the text asks something: a question mark (not one inside a URL), or it opens with a question word. */
export function isQuestion(text: string): { question: boolean; cue?: string } {
  return questionIn(scan(text));
}

function questionIn(s: Scanned): { question: boolean; cue?: string } {
  if (s.questionMark) return { question: true, cue: '?' };
  const first = s.words[0];
  if (first !== undefined && QUESTION_START.has(first)) return { question: true, cue: `starts with "${first}"` };
  return { question: false };
}

/** A review's stars as the rules read them: a whole or half star from 1 to 5, else none. */
export function stars(rating: number | undefined): number | undefined {
  return rating !== undefined && Number.isFinite(rating) && rating >= 1 && rating <= 5 ? rating : undefined;
}

/**
 * Classifies one text given its sentiment (and a review rating when there is one). Pass `tokens` when
 * they are at hand (`scorer.tokens(text)`: the scorer just made them), so the text is not tokenised twice.
 * When `text` is a title and a body joined (see `mentionWording`), pass the `body` too: a body that opens with a
 * question word asks as much as a title that does.
 *
 * A rating is evidence the wording cannot outweigh (docs/metrics.md): 1–2 stars is a complaint (an outage or churn
 * when the words say so), 4–5 stars is not (a question when it asks one, else praise), 3 stars follows the text.
 */
export function classifyIntent(text: string, sentiment: SentimentResult, rating?: number, tokens?: Tokens, body?: string): IntentResult {
  const rated = stars(rating);
  const scanned = scan(text, tokens);
  if (rated !== undefined && rated <= 2) return complaintKind(findCues(scanned), [`rating ${rated}`]);
  const asks = (): { question: boolean; cue?: string } => {
    const q = questionIn(scanned);
    return q.question || body === undefined ? q : questionIn(scan(body));
  };
  if (rated !== undefined && rated >= 4) {
    // A happy reviewer needs a reply only when they ask something; negative-sounding words ("zero downtime") do not
    // turn four stars into a complaint.
    const q = asks();
    if (q.question) return { intent: 'question', evidence: [`rating ${rated}: not a complaint`, ...(q.cue ? [q.cue] : [])] };
    return { intent: 'praise', evidence: [`rating ${rated}`, ...(sentiment.label === 'positive' ? sentiment.evidence : [])] };
  }
  if (!sentiment.scored) {
    // Unscored (non-English) text: only the rating or a question mark can tell us anything.
    if (scanned.questionMark) return { intent: 'question', evidence: ['?'] };
    return { intent: 'other', evidence: sentiment.language ? [`language ${sentiment.language}: not analysed`] : [] };
  }
  const label = sentiment.label;
  const pNeg = sentiment.probabilities?.negative;
  const cues = findCues(scanned);
  const { breach, outage, reproach, purchase } = cues;
  const q = asks();
  // Self-promotion: a strong cue, or a weak one beside a link in a text that is not negative; a text that also reports
  // a problem is not spam (the customer may be angry and still link their video of it).
  const strong = cues.spam;
  const weak = scanned.urls > 0 && label !== 'negative' ? cues.promo.map((c) => `${c} + link`) : [];
  if (strong.length + weak.length > 0 && breach.length === 0 && outage.length === 0) {
    return { intent: 'spam', evidence: [...strong, ...weak].map((c) => `spam: ${c}`) };
  }
  const ask = q.question ? cues.ask : [];
  if (label === 'negative') {
    // A plain request for information that the model finds gloomy ("can I change my flight?") is a question: it
    // names no broken expectation and does not reproach.
    if (ask.length > 0 && breach.length === 0 && outage.length === 0 && reproach.length === 0 && !scanned.insistent && (pNeg ?? 1) < 0.75) {
      return { intent: 'question', evidence: [`ask: ${ask[0]}`, 'no complaint cue'] };
    }
    // Someone choosing what to buy who sounds gloomy ("is it worth it? mine keeps dying") is still a lead, unless they
    // name what broke.
    if (purchase.length > 0 && breach.length === 0 && outage.length === 0 && reproach.length === 0) {
      return { intent: 'purchase', evidence: purchase.map((c) => `purchase: ${c}`) };
    }
    // Negative words with nobody in them ("the weather is awful, Acme coffee it is") are chatter, not a customer's
    // complaint: a complaint speaks of the author's own experience or to the brand, names what broke, or asks
    // ("why is Acme Cloud so slow?").
    if (breach.length === 0 && outage.length === 0 && reproach.length === 0 && cues.churn.length === 0 && !q.question && !addressed(text) && !scanned.words.some((w) => PERSON_WORDS.has(w))) {
      return { intent: 'other', evidence: ['negative, but no customer in it (not addressed to anyone, asks nothing, no my/me/you, no complaint cue)'] };
    }
    return complaintKind(cues, sentiment.evidence);
  }
  // Polite or flat complaints: a cue is enough unless the text is clearly positive.
  if (breach.length > 0 && label !== 'positive' && (pNeg === undefined || pNeg >= 0.1)) {
    return complaintKind(cues, breach.map((c) => `cue: ${c}`));
  }
  // A question that reproaches, or asks insistently about a problem, is a complaint however flat its words.
  if (label !== 'positive' && (reproach.length > 0 || (q.question && breach.length > 0 && (scanned.insistent || ask.length === 0)))) {
    return complaintKind(cues, [...reproach.map((c) => `reproach: ${c}`), ...breach.map((c) => `cue: ${c}`), ...(scanned.insistent ? ['insistent ?'] : [])]);
  }
  // "Is the site down?" reports an outage even when it asks.
  if (outage.length > 0 && label !== 'positive') return { intent: 'outage', evidence: outage.map((c) => `outage: ${c}`) };
  const churn = cues.churn;
  if (churn.length > 0 && label !== 'positive') return { intent: 'churn', evidence: churn.map((c) => `churn: ${c}`) };
  if (purchase.length > 0) return { intent: 'purchase', evidence: purchase.map((c) => `purchase: ${c}`) };
  // A question deserves an answer even when it is friendly, so it wins over praise.
  if (q.question) return { intent: 'question', evidence: [...(q.cue ? [q.cue] : []), ...ask.map((c) => `ask: ${c}`)] };
  if (label === 'positive') return { intent: 'praise', evidence: sentiment.evidence };
  return { intent: 'other', evidence: [] };
}

/** True when the text opens with a handle (`@acme …`, `.@acme …`): it is said to someone, not about them. */
function addressed(text: string): boolean {
  return /^\s*\.?@\w/.test(text);
}

/**
 * A complaint, told apart as churn (the author is leaving) or an outage (a service down, a bug) when the words say
 * so. Churn wins: "cancelling, too many bugs" is a customer about to go, and the bugs are why.
 */
function complaintKind(cues: Cues, evidence: string[]): IntentResult {
  const { churn, outage } = cues;
  if (churn.length > 0) return { intent: 'churn', evidence: [...churn.map((c) => `churn: ${c}`), ...evidence] };
  if (outage.length > 0) return { intent: 'outage', evidence: [...outage.map((c) => `outage: ${c}`), ...evidence] };
  return { intent: 'complaint', evidence };
}
