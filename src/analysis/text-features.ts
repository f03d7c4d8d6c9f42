/**
 * Text preprocessing, lexicon pass (negation, contrast, intensifiers) and model features for one text.
 * The tokeniser is a hand-written scanner: scoring must stay above 100k tweets/s on one thread,
 * and a chain of regex replacements alone costs more than that budget.
 */
import type { Lexicon, LexiconSource, TokenInfo } from './lexicon.js';

const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"], ['nbsp', ' '], ['hellip', '…'],
  ['rsquo', '’'], ['lsquo', '‘'], ['ldquo', '“'], ['rdquo', '”'], ['mdash', '—'], ['ndash', '–'],
]);

/** Decodes the HTML entities social text carries (`&amp;`, `&lt;3`, `&#39;`, `&#x1F600;`). */
export function decodeSocialEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES.get(body.toLowerCase()) ?? whole;
  });
}

/**
 * The public airline-tweets data had "cancel" and "late" replaced by "Cancelled Flight" and
 * "Late Flight" ("Cancelled Flightled", "Late Flightr"); undo it so the words mean what they say.
 */
function undoDatasetArtefacts(t: string): string {
  if (!t.includes(' Flight')) return t;
  return t.replace(/Cancelled Flight/g, 'cancel').replace(/Late Flight/g, 'late');
}

/** Token kinds the tokeniser emits. */
type TokenKind = 'word' | 'emoji' | 'mark' | 'break';

const LETTER_RE = /[\p{L}\p{N}]/u;
const PICTO_RE = /\p{Extended_Pictographic}/u;
const ELONG_TOKEN_RE = /(\p{L})\1{2,}/gu;

function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

function isWordChar(t: string, i: number, c: number): boolean {
  return isAsciiAlnum(c) || (c > 127 && c !== 0x2019 && LETTER_RE.test(t[i] as string));
}

function isHandleChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 95;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 160;
}

/** Emoticon at i (":)", ":-(", ";p", "<3"), or '' when there is none. */
function emoticonAt(t: string, i: number): string {
  const c = t.charCodeAt(i);
  if (c === 60) return t.charCodeAt(i + 1) === 51 ? '<3' : '';
  let j = i + 1;
  if (t.charCodeAt(j) === 45) j++;
  const m = t.charCodeAt(j);
  // ) ( d D p P / | \
  if (m === 41 || m === 40 || m === 100 || m === 68 || m === 112 || m === 80 || m === 47 || m === 124 || m === 92) {
    const after = t.charCodeAt(j + 1);
    if (Number.isNaN(after) || !isAsciiAlnum(after)) return t.slice(i, j + 1).toLowerCase();
  }
  return '';
}

/** Tokeniser output, plus counts of what it skipped (they are features too). */
export interface Tokens {
  tokens: string[];
  kinds: TokenKind[];
  /** URLs skipped. */
  urls: number;
  /** @handles skipped. */
  handles: number;
  /** Words of four or more capital letters (shouting). */
  shouts: number;
}

/**
 * Splits raw text into tokens in one pass: entities decoded, URLs and @handles dropped,
 * hashtags split at camel case, words lower-cased with apostrophes removed (didn't → didnt)
 * and letter runs shortened (soooo → soo); emoticons, emoji, ! and ? kept; . , ; : become breaks.
 * Pure; a scorer keeps the last result so intent can reuse it (`SentimentScorer.tokens`).
 */
export function tokenize(raw: string): Tokens {
  const t = undoDatasetArtefacts(decodeSocialEntities(raw));
  const tokens: string[] = [];
  const kinds: TokenKind[] = [];
  const n = t.length;
  let i = 0;
  let urls = 0;
  let handles = 0;
  let shouts = 0;
  const pushWord = (w: string, upper: boolean, apos: boolean, elong: boolean): void => {
    let x = w;
    if (apos) x = x.replace(/['’]/g, '');
    if (upper) x = x.toLowerCase();
    if (elong) x = x.replace(ELONG_TOKEN_RE, '$1$1');
    tokens.push(x);
    kinds.push('word');
  };
  while (i < n) {
    const c = t.charCodeAt(i);
    if (isWordChar(t, i, c)) {
      // URLs name things, they don't judge them.
      if (
        ((c === 104 || c === 72) && (t.startsWith('http://', i) || t.startsWith('https://', i))) ||
        ((c === 119 || c === 87) && t.startsWith('www.', i))
      ) {
        urls++;
        while (i < n && !isSpace(t.charCodeAt(i))) i++;
        continue;
      }
      let j = i;
      let upper = false;
      let caps = 0;
      let apos = false;
      let elong = false;
      let prev = -1;
      let run = 0;
      while (j < n) {
        const d = t.charCodeAt(j);
        if (isWordChar(t, j, d)) {
          if (d >= 65 && d <= 90) {
            upper = true;
            caps++;
          } else if (d > 127) upper = true; // let toLowerCase handle non-ASCII case
          if (d === prev) {
            if (++run >= 2) elong = true;
          } else run = 0;
          prev = d;
          j++;
        } else if ((d === 39 || d === 0x2019) && j + 1 < n && isWordChar(t, j + 1, t.charCodeAt(j + 1))) {
          apos = true;
          prev = -1;
          j++;
        } else break;
      }
      if (caps >= 4 && caps === j - i) shouts++;
      pushWord(t.slice(i, j), upper, apos, elong);
      i = j;
      continue;
    }
    if (c === 64) {
      // @handle: skipped (a mention names an account; the airline's handle is on every row).
      i++;
      if (i < n && isHandleChar(t.charCodeAt(i))) handles++;
      while (i < n && isHandleChar(t.charCodeAt(i))) i++;
      continue;
    }
    if (c === 35) {
      // #hashtag: split at camel case and underscores (#UnitedFail → united fail).
      let j = i + 1;
      let start = j;
      while (j < n) {
        const d = t.charCodeAt(j);
        if (!isHandleChar(d)) break;
        const p = t.charCodeAt(j - 1);
        if (d === 95 || (d >= 65 && d <= 90 && p >= 97 && p <= 122)) {
          if (j > start) pushWord(t.slice(start, j), true, false, true);
          start = d === 95 ? j + 1 : j;
        }
        j++;
      }
      if (j > start) pushWord(t.slice(start, j), true, false, true);
      i = j > i + 1 ? j : i + 1;
      continue;
    }
    if (c === 33 || c === 63) {
      tokens.push(c === 33 ? '!' : '?');
      kinds.push('mark');
      i++;
      continue;
    }
    if (c === 58 || c === 59 || c === 61 || c === 60) {
      const emo = emoticonAt(t, i);
      if (emo !== '') {
        tokens.push(emo);
        kinds.push('emoji');
        i += emo.length;
        continue;
      }
      if (c === 60 || c === 61) {
        i++;
        continue;
      }
    }
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 0x2026) {
      if (kinds.length > 0 && kinds[kinds.length - 1] !== 'break') {
        tokens.push('.');
        kinds.push('break');
      }
      i++;
      continue;
    }
    if (c > 127) {
      const cp = t.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      if (PICTO_RE.test(ch)) {
        tokens.push(ch);
        kinds.push('emoji');
      }
      i += ch.length;
      continue;
    }
    i++;
  }
  return { tokens, kinds, urls, handles, shouts };
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

/**
 * Everything the scorer needs from one text. Sparse features are kept as parts (token, negation
 * flag, previous word) rather than joined strings, so scoring allocates almost nothing;
 * `featureNames` joins them for training and explanations.
 */
export interface TextAnalysis {
  /** Word, emoji and !/? tokens (no clause breaks). */
  tokens: string[];
  /** Per token: inside a negation scope (its unigram feature is `not_<token>`). */
  negated: boolean[];
  /** Per token: previous word in the same clause ('' when none), for the bigram `<prev> <token>`. */
  previous: string[];
  /** Number of word tokens. */
  wordCount: number;
  hits: LexiconHit[];
  /** Sum of hit values (AFINN-like scale). */
  lexiconScore: number;
  /** Per token: id in the vocabulary of `table` (-1 when unknown); only set when a table was given. */
  ids?: number[];
  /** The table the ids came from. */
  table?: TokenTable;
  /** Dense features (names start with '@') and their values. */
  dense: string[];
  denseValues: number[];
}

/**
 * Lexicon info and a model's token id under one key, so the scorer looks each token up once
 * (built per model by `tokenTable`). Ids are only meaningful for the model that built the table.
 */
export type TokenTable = Map<string, { info: TokenInfo | undefined; id: number }>;

/** Merges the lexicon's token info with a model vocabulary (token → id). */
export function tokenTable(vocab: ReadonlyMap<string, number>, lexicon: Lexicon): TokenTable {
  const table: TokenTable = new Map();
  for (const [tok, info] of lexicon.info) table.set(tok, { info, id: vocab.get(tok) ?? -1 });
  for (const [tok, id] of vocab) if (!table.has(tok)) table.set(tok, { info: undefined, id });
  return table;
}

/** Negation reaches this many tokens forward, stopping at a clause break or contrast word. */
const NEGATION_SCOPE = 3;

/**
 * Analyses one raw text: tokenise, lexicon pass, model features. Pure. Pass `tokenized` when the caller
 * has already tokenised `raw` (it must be `tokenize(raw)`; it is only read).
 */
export function analyzeText(raw: string, lexicon: Lexicon, table?: TokenTable, tokenized: Tokens = tokenize(raw)): TextAnalysis {
  const { tokens: all, kinds, urls, handles, shouts } = tokenized;
  const n = all.length;
  // The last contrast word splits the text (VADER-style: the clause after it counts more);
  // hits are weighted for it after the loop, once its position is known.
  let contrastAt = -1;
  const tokens: string[] = [];
  const ids: number[] | undefined = table ? [] : undefined;
  const negated: boolean[] = [];
  const previous: string[] = [];
  const hits: LexiconHit[] = [];
  const hitAt: number[] = [];
  let wordCount = 0;
  let negLeft = 0;
  let prev = '';
  let intensity = 1;
  let lexPos = 0;
  let lexNeg = 0;
  let svcPos = 0;
  let svcNeg = 0;
  let emoPos = 0;
  let emoNeg = 0;
  let exclaim = 0;
  let question = 0;
  let skipUntil = -1;
  let mergedUntil = -1;

  for (let i = 0; i < n; i++) {
    const tok = all[i] as string;
    const kind = kinds[i] as TokenKind;
    if (i <= mergedUntil) {
      // Inside an idiom already emitted as one token.
      wordCount++;
      continue;
    }
    if (kind === 'break') {
      negLeft = 0;
      prev = '';
      continue;
    }
    if (kind === 'mark') {
      tokens.push(tok);
      negated.push(false);
      previous.push('');
      if (ids) ids.push(table?.get(tok)?.id ?? -1);
      if (tok === '!') exclaim++;
      else question++;
      negLeft = 0;
      prev = '';
      continue;
    }
    const negatedHere = negLeft > 0;
    if (kind === 'word') wordCount++;
    tokens.push(tok);
    negated.push(negatedHere);
    previous.push(prev);

    let inf: TokenInfo | undefined;
    if (ids) {
      const entry = (table as TokenTable).get(tok);
      ids.push(entry === undefined ? -1 : entry.id);
      inf = entry?.info;
    } else inf = lexicon.info.get(tok);
    if (inf === undefined) {
      if (negLeft > 0) negLeft--;
      intensity = 1;
      prev = kind === 'word' ? tok : '';
      continue;
    }
    // Lexicon: longest phrase starting here wins; tokens inside a matched phrase are not re-scored.
    if (i > skipUntil) {
      let term = '';
      let base: number | undefined;
      let span = 1;
      if (inf.phraseStart) {
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
      if (base === undefined && inf.value !== undefined) {
        term = tok;
        base = inf.value;
      }
      if (base !== undefined && base !== 0) {
        let value = base * intensity;
        // A phrase that contains its own negator ("no problems", "thanks for nothing") is already signed.
        const neg = negatedHere && !inf.negator;
        if (neg) value *= -0.5;
        const source = (span > 1 ? lexicon.source.get(term) : inf.source) ?? 'afinn';
        hits.push({ term, base, value, source, negated: neg });
        hitAt.push(i);
        if (span > 1) skipUntil = i + span - 1;
        if (span > 1 && lexicon.idioms.has(term)) {
          // An idiom with its own negator ("no problems", "thanks for nothing") becomes one token,
          // so its words neither count one by one ("no" is a strong complaint word) nor negate what follows.
          const idiom = term.replace(/ /g, '-');
          tokens[tokens.length - 1] = idiom;
          if (ids) ids[ids.length - 1] = (table as TokenTable).get(idiom)?.id ?? -1;
          mergedUntil = i + span - 1;
          negLeft = 0;
          intensity = 1;
          prev = idiom;
          continue;
        }
      }
    }

    if (kind === 'word' && inf.negator) negLeft = NEGATION_SCOPE;
    else if (kind === 'word' && inf.contrast) {
      negLeft = 0;
      contrastAt = i;
    }
    else if (negLeft > 0) negLeft--;
    intensity = inf.intensity;
    prev = kind === 'word' ? tok : '';
  }

  for (let h = 0; h < hits.length; h++) {
    const hit = hits[h] as LexiconHit;
    if (contrastAt >= 0) {
      const before = (hitAt[h] as number) < contrastAt;
      hit.contrast = before ? 'before' : 'after';
      hit.value *= before ? 0.5 : 1.5;
    }
    const value = hit.value;
    if (hit.source === 'service') {
      if (value > 0) svcPos += value;
      else svcNeg -= value;
    } else if (hit.source === 'emoji') {
      if (value > 0) emoPos += value;
      else emoNeg -= value;
    } else if (value > 0) lexPos += value;
    else lexNeg -= value;
  }

  // Dense lexicon features, squashed so one long rant does not dominate the linear model.
  const dense: string[] = [];
  const denseValues: number[] = [];
  const add = (name: string, value: number): void => {
    dense.push(name);
    denseValues.push(value);
  };
  if (lexPos > 0) add('@lex_pos', Math.log1p(lexPos));
  if (lexNeg > 0) add('@lex_neg', Math.log1p(lexNeg));
  if (svcPos > 0) add('@svc_pos', Math.log1p(svcPos));
  if (svcNeg > 0) add('@svc_neg', Math.log1p(svcNeg));
  if (emoPos > 0) add('@emoji_pos', Math.log1p(emoPos));
  if (emoNeg > 0) add('@emoji_neg', Math.log1p(emoNeg));
  if (exclaim > 0) add('@exclaim', 1);
  if (question > 0) add('@question', 1);
  if (contrastAt >= 0) add('@contrast', 1);
  if (hits.length === 0) add('@no_lexicon', 1);
  // Links and extra handles mark news, shares and hand-offs, which people mostly label neutral.
  if (urls > 0) add('@url', 1);
  if (handles > 1) add('@handles', 1);
  if (shouts > 0) add('@shout', 1);
  add(wordCount <= 6 ? '@short' : wordCount <= 14 ? '@medium' : '@long', 1);
  const total = lexPos - lexNeg + svcPos - svcNeg + emoPos - emoNeg;
  add('@lex_total', Math.sign(total) * Math.log1p(Math.abs(total)));
  const out: TextAnalysis = { tokens, negated, previous, wordCount, hits, lexiconScore: total, dense, denseValues };
  if (ids) {
    out.ids = ids;
    out.table = table;
  }
  return out;
}

/** Model feature names for an analysis (unigrams, `not_` unigrams, bigrams, dense), with values. */
export function featureNames(a: TextAnalysis): { features: string[]; values: number[] } {
  const features: string[] = [];
  const values: number[] = [];
  for (let i = 0; i < a.tokens.length; i++) {
    const tok = a.tokens[i] as string;
    features.push(a.negated[i] ? `not_${tok}` : tok);
    values.push(1);
    const p = a.previous[i] as string;
    if (p !== '') {
      features.push(`${p} ${tok}`);
      values.push(1);
    }
  }
  for (let i = 0; i < a.dense.length; i++) {
    features.push(a.dense[i] as string);
    values.push(a.denseValues[i] as number);
  }
  return { features, values };
}
