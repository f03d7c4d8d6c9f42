/** Text preprocessing, lexicon pass (negation, contrast, intensifiers) and model features for one text. */
import { CONTRAST, INTENSIFIERS, NEGATORS, getLexicon, type Lexicon, type LexiconSource } from './lexicon.js';

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', rsquo: '’', lsquo: '‘',
  ldquo: '“', rdquo: '”', mdash: '—', ndash: '–',
};

/** Decodes the HTML entities social text carries (`&amp;`, `&lt;3`, `&#39;`, `&#x1F600;`). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
const MENTION_RE = /(^|[^\w])@\w+/g;
const HASHTAG_RE = /#(\w+)/g;
const CAMEL_RE = /([a-z])([A-Z])/g;
const ELONGATION_RE = /(\p{L})\1{2,}/gu;

/**
 * Normalises raw social text: entities decoded, URLs and @handles dropped (they name, they don't
 * judge), hashtags split into words (#UnitedFail → united fail), elongations shortened, lower-cased.
 */
export function normalizeText(raw: string): string {
  let t = decodeEntities(raw);
  if (t.includes('http') || t.includes('www.')) t = t.replace(URL_RE, ' ');
  if (t.includes('@')) t = t.replace(MENTION_RE, '$1 ');
  if (t.includes('#')) t = t.replace(HASHTAG_RE, (_m, w: string) => ` ${w.replace(CAMEL_RE, '$1 $2')} `);
  // The public airline-tweets data had "cancel" and "late" replaced by "Cancelled Flight" and
  // "Late Flight" ("Cancelled Flightled", "Late Flightr"); undo it so the words mean what they say.
  if (t.includes(' Flight')) t = t.replace(/Cancelled Flight/g, 'cancel').replace(/Late Flight/g, 'late');
  t = t.replace(ELONGATION_RE, '$1$1');
  return t.toLowerCase();
}

/** Token kinds the tokeniser emits. */
export type TokenKind = 'word' | 'emoji' | 'mark' | 'break';

// Emoticons first (so ":(" is not split), then words with inner apostrophes, !/?, clause breaks, emoji.
const TOKEN_RE =
  /([:;=]-?[)(dp/|\\](?![\p{L}\p{N}])|<3)|([\p{L}\p{N}]+(?:['’][\p{L}]+)*)|([!?])|([.,;:…]+)|(\p{Extended_Pictographic})/gu;

/** Splits normalised text into tokens; apostrophes are removed from words (didn't → didnt). */
export function tokenize(normalized: string): { tokens: string[]; kinds: TokenKind[] } {
  const tokens: string[] = [];
  const kinds: TokenKind[] = [];
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(normalized)) !== null) {
    if (m[2] !== undefined) {
      const w = m[2];
      tokens.push(w.includes("'") || w.includes('’') ? w.replace(/['’]/g, '') : w);
      kinds.push('word');
    } else if (m[1] !== undefined || m[5] !== undefined) {
      tokens.push((m[1] ?? m[5]) as string);
      kinds.push('emoji');
    } else if (m[3] !== undefined) {
      tokens.push(m[3]);
      kinds.push('mark');
    } else {
      tokens.push('.');
      kinds.push('break');
    }
  }
  return { tokens, kinds };
}

/** One lexicon match and what the rules did to it. */
export interface LexiconHit {
  /** The word or phrase as matched. */
  term: string;
  /** Value in the lexicon. */
  base: number;
  /** Value after negation, contrast and intensifiers. */
  value: number;
  source: LexiconSource;
  negated: boolean;
  /** 'before' / 'after' a contrast word ("but"), or undefined when there is none. */
  contrast?: 'before' | 'after';
}

/** Everything the scorer needs from one text. */
export interface TextAnalysis {
  /** Word, emoji and !/? tokens (no clause breaks). */
  tokens: string[];
  /** Number of word tokens. */
  wordCount: number;
  hits: LexiconHit[];
  /** Sum of hit values (AFINN-like scale). */
  lexiconScore: number;
  /** Sparse model features (names) and their values, parallel arrays; names may repeat. */
  features: string[];
  values: number[];
}

const SHOUT_RE = /\b[A-Z]{4,}\b/;

function countChar(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

/** Negation reaches this many tokens forward, stopping at a clause break or contrast word. */
const NEGATION_SCOPE = 3;

/** Analyses one raw text: normalise, tokenise, lexicon pass, model features. Pure. */
export function analyzeText(raw: string, lexicon: Lexicon = getLexicon()): TextAnalysis {
  const { tokens: all, kinds } = tokenize(normalizeText(raw));
  const n = all.length;
  // Last contrast word splits the text: VADER-style, the clause after it counts more.
  let contrastAt = -1;
  for (let i = 0; i < n; i++) if (kinds[i] === 'word' && CONTRAST.has(all[i] as string)) contrastAt = i;

  const tokens: string[] = [];
  const features: string[] = [];
  const values: number[] = [];
  const hits: LexiconHit[] = [];
  let wordCount = 0;
  let negLeft = 0;
  let prev = '';
  let prevWasIntensifier = 1;
  let lexPos = 0;
  let lexNeg = 0;
  let svcPos = 0;
  let svcNeg = 0;
  let emoPos = 0;
  let emoNeg = 0;
  let exclaim = 0;
  let question = 0;
  let skipUntil = -1;

  for (let i = 0; i < n; i++) {
    const tok = all[i] as string;
    const kind = kinds[i] as TokenKind;
    if (kind === 'break') {
      negLeft = 0;
      prev = '';
      continue;
    }
    tokens.push(tok);
    if (kind === 'mark') {
      if (tok === '!') exclaim++;
      else question++;
      negLeft = 0;
      prev = '';
      continue;
    }
    const negatedHere = negLeft > 0;
    if (kind === 'word') wordCount++;
    // Model features: unigram (negation-marked inside a negation scope) and bigram within the clause.
    features.push(negatedHere ? `not_${tok}` : tok);
    values.push(1);
    if (prev !== '') {
      features.push(`${prev} ${tok}`);
      values.push(1);
    }

    // Lexicon: longest phrase starting here wins; tokens inside a matched phrase are not re-scored.
    if (i > skipUntil) {
      let term = '';
      let base: number | undefined;
      let span = 1;
      if (lexicon.phraseStarts.has(tok)) {
        let phrase = tok;
        let j = i;
        for (let len = 2; len <= lexicon.maxPhrase; len++) {
          j++;
          if (j >= n || kinds[j] !== 'word') break;
          phrase += ` ${all[j] as string}`;
          const v = lexicon.phrases.get(phrase);
          if (v !== undefined) {
            term = phrase;
            base = v;
            span = len;
          }
        }
      }
      if (base === undefined) {
        const v = lexicon.words.get(tok);
        if (v !== undefined) {
          term = tok;
          base = v;
        }
      }
      if (base !== undefined && base !== 0) {
        let value = base * prevWasIntensifier;
        // A phrase that contains its own negator ("no problems", "thanks for nothing") is already signed.
        const negated = negatedHere && !NEGATORS.has(tok);
        if (negated) value *= -0.5;
        let contrast: 'before' | 'after' | undefined;
        if (contrastAt >= 0) {
          contrast = i < contrastAt ? 'before' : 'after';
          value *= contrast === 'before' ? 0.5 : 1.5;
        }
        const source = lexicon.source.get(term) ?? 'afinn';
        hits.push(contrast ? { term, base, value, source, negated, contrast } : { term, base, value, source, negated });
        if (source === 'service') {
          if (value > 0) svcPos += value;
          else svcNeg -= value;
        } else if (source === 'emoji') {
          if (value > 0) emoPos += value;
          else emoNeg -= value;
        } else if (value > 0) lexPos += value;
        else lexNeg -= value;
        if (span > 1) skipUntil = i + span - 1;
      }
    }

    if (kind === 'word' && NEGATORS.has(tok)) negLeft = NEGATION_SCOPE;
    else if (kind === 'word' && CONTRAST.has(tok)) negLeft = 0;
    else if (negLeft > 0) negLeft--;
    prevWasIntensifier = INTENSIFIERS[tok] ?? 1;
    prev = kind === 'word' ? tok : '';
  }

  // Dense lexicon features, squashed so one long rant does not dominate the linear model.
  const squash = (x: number): number => Math.log1p(x);
  if (lexPos > 0) { features.push('@lex_pos'); values.push(squash(lexPos)); }
  if (lexNeg > 0) { features.push('@lex_neg'); values.push(squash(lexNeg)); }
  if (svcPos > 0) { features.push('@svc_pos'); values.push(squash(svcPos)); }
  if (svcNeg > 0) { features.push('@svc_neg'); values.push(squash(svcNeg)); }
  if (emoPos > 0) { features.push('@emoji_pos'); values.push(squash(emoPos)); }
  if (emoNeg > 0) { features.push('@emoji_neg'); values.push(squash(emoNeg)); }
  if (exclaim > 0) { features.push('@exclaim'); values.push(1); }
  if (question > 0) { features.push('@question'); values.push(1); }
  if (contrastAt >= 0) { features.push('@contrast'); values.push(1); }
  const total = lexPos - lexNeg + svcPos - svcNeg + emoPos - emoNeg;
  if (hits.length === 0) { features.push('@no_lexicon'); values.push(1); }
  // Links and extra handles mark news, shares and hand-offs, which people mostly label neutral.
  if (raw.includes('http')) { features.push('@url'); values.push(1); }
  if (countChar(raw, '@') > 1) { features.push('@handles'); values.push(1); }
  if (SHOUT_RE.test(raw)) { features.push('@shout'); values.push(1); }
  features.push(wordCount <= 6 ? '@short' : wordCount <= 14 ? '@medium' : '@long');
  values.push(1);
  features.push('@lex_total');
  values.push(Math.sign(total) * squash(Math.abs(total)));
  return { tokens, wordCount, hits, lexiconScore: total, features, values };
}
