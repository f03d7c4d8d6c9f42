/**
 * The one boolean query syntax every source obeys: `"acme bank" OR acmebank -"acme anvil"`.
 *
 * Grammar (see docs/query.md): words next to each other must all match (implicit AND; `AND` may be written);
 * `OR` (uppercase) or `|` offers alternatives and binds tighter than AND, as in web and X/Twitter search, so
 * `acme bank OR card` means acme AND (bank OR card); `-word`, `-"a phrase"` and `-( ... )` exclude;
 * parentheses group.
 *
 * Matching (see `matchesQuery`) is by whole words, ignoring case, Latin accents and punctuation, and a
 * several-word term also matches its words glued together in a handle, hashtag or domain.
 */
import { UsageError } from './errors.js';

/** A parsed query: a tree of terms (words or quoted phrases), exclusions, ANDs and ORs. */
export type Query =
  | { type: 'term'; text: string; phrase: boolean }
  | { type: 'not'; query: Query }
  | { type: 'and'; items: Query[] }
  | { type: 'or'; items: Query[] };

/** Parentheses deeper than this are refused: no real query needs them, and recursion must stay bounded. */
const MAX_DEPTH = 32;

type Token =
  | { kind: 'term'; text: string; phrase: boolean; pos: number }
  | { kind: 'or' | 'and' | 'not' | 'open' | 'close'; pos: number };

/** A character that ends a bare word. */
const BREAK = /[\s"()|]/u;

function fail(message: string, pos?: number): never {
  throw new UsageError(`query: ${message}${pos === undefined ? '' : ` at character ${pos + 1}`}.`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/u.test(c)) {
      i += 1;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) fail('unclosed quote', i);
      const phrase = text.slice(i + 1, end).replace(/\s+/gu, ' ').trim();
      if (phrase === '') fail('empty phrase ""', i);
      if (!hasWordChar(phrase)) fail(`the phrase "${phrase}" has no letters or digits to match`, i);
      tokens.push({ kind: 'term', text: phrase, phrase: true, pos: i });
      i = end + 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', pos: i });
      i += 1;
    } else if (c === '|') {
      tokens.push({ kind: 'or', pos: i });
      i += 1;
    } else if (c === '-') {
      const next = text[i + 1];
      if (next === undefined || /[\s)|]/u.test(next)) fail("'-' must be followed by the word, \"phrase\" or (group) to exclude", i);
      if (next === '-') fail("double '-'", i);
      tokens.push({ kind: 'not', pos: i });
      i += 1;
    } else {
      let j = i;
      while (j < text.length && !BREAK.test(text[j]!)) j += 1;
      const word = text.slice(i, j);
      if (word === 'OR') tokens.push({ kind: 'or', pos: i });
      else if (word === 'AND') tokens.push({ kind: 'and', pos: i });
      else {
        if (!hasWordChar(word)) fail(`'${word}' has no letters or digits to match`, i);
        tokens.push({ kind: 'term', text: word, phrase: false, pos: i });
      }
      i = j;
    }
  }
  return tokens;
}

function hasWordChar(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

/** True when the node can match on its own (it looks for something rather than only excluding). */
function isPositive(q: Query): boolean {
  switch (q.type) {
    case 'term':
      return true;
    case 'not':
      return false;
    case 'and':
      return q.items.some(isPositive);
    case 'or':
      return q.items.every(isPositive);
  }
}

/** Recursive-descent parser over the token list; positions are kept for error messages only. */
class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private where(): number {
    return this.peek()?.pos ?? this.length;
  }

  /** and := or (AND? or)* — stops at ')' or the end. */
  parseAnd(depth: number): Query {
    const start = this.where();
    const items: Query[] = [];
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind === 'close') break;
      if (t.kind === 'and') {
        if (items.length === 0) fail("'AND' needs something before it", t.pos);
        this.i += 1;
        const next = this.peek();
        if (next === undefined || next.kind === 'close' || next.kind === 'or' || next.kind === 'and') fail("'AND' needs something after it", t.pos);
        continue;
      }
      if (t.kind === 'or') fail(items.length === 0 ? "'OR' needs something before it" : "'OR' cannot follow 'AND'", t.pos);
      items.push(this.parseOr(depth));
    }
    if (items.length === 0) fail('nothing to look for', start);
    if (!items.some(isPositive)) fail('only exclusions: say what to look for as well as what to leave out', start);
    const flat = items.flatMap((q) => (q.type === 'and' ? q.items : [q]));
    return flat.length === 1 ? flat[0]! : { type: 'and', items: flat };
  }

  /** or := unary (OR unary)* */
  private parseOr(depth: number): Query {
    const first = this.where();
    const items: Query[] = [this.parseUnary(depth)];
    const starts = [first];
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'or') break;
      this.i += 1;
      const next = this.peek();
      if (next === undefined || next.kind === 'close' || next.kind === 'or' || next.kind === 'and') fail("'OR' needs something after it", t.pos);
      starts.push(next.pos);
      items.push(this.parseUnary(depth));
    }
    if (items.length === 1) return items[0]!;
    // An exclusion as one side of OR would match nearly everything.
    const bad = items.findIndex((q) => !isPositive(q));
    if (bad >= 0) fail('an exclusion cannot be one side of OR; put it outside the alternatives', starts[bad]);
    return { type: 'or', items: items.flatMap((q) => (q.type === 'or' ? q.items : [q])) };
  }

  /** unary := '-' atom | atom */
  private parseUnary(depth: number): Query {
    if (this.peek()?.kind === 'not') {
      this.i += 1;
      return { type: 'not', query: this.parseAtom(depth) };
    }
    return this.parseAtom(depth);
  }

  /** atom := TERM | PHRASE | '(' and ')' */
  private parseAtom(depth: number): Query {
    const t = this.peek();
    if (t === undefined) fail('the query ends too early', this.length);
    if (t.kind === 'term') {
      this.i += 1;
      return { type: 'term', text: t.text, phrase: t.phrase };
    }
    if (t.kind === 'open') {
      if (depth >= MAX_DEPTH) fail(`more than ${MAX_DEPTH} nested parentheses`, t.pos);
      this.i += 1;
      if (this.peek()?.kind === 'close') fail('empty parentheses', t.pos);
      const inner = this.parseAnd(depth + 1);
      if (this.peek()?.kind !== 'close') fail("unclosed '('", t.pos);
      this.i += 1;
      return inner;
    }
    if (t.kind === 'close') fail("unmatched ')'", t.pos);
    if (t.kind === 'not') fail("double '-'", t.pos);
    fail(`unexpected '${t.kind === 'or' ? 'OR' : 'AND'}'`, t.pos);
  }

  /** The top level: everything must be consumed. */
  parseAll(): Query {
    if (this.tokens.length === 0) fail('the query is empty; give a word or "a phrase" to look for');
    const q = this.parseAnd(0);
    const t = this.peek();
    if (t !== undefined) fail("unmatched ')'", t.pos);
    return q;
  }
}

/** Parses the boolean query syntax; a UsageError names the problem and its character position (1-based). */
export function parseQuery(text: string): Query {
  return new Parser(tokenize(text), text.length).parseAll();
}

/** True when `text` can be written without quotes and reads back as the same single term. */
function isBareTerm(text: string): boolean {
  return text !== '' && text !== 'OR' && text !== 'AND' && !text.startsWith('-') && !/[\s"()|]/u.test(text) && hasWordChar(text);
}

/** Writes a query back in the syntax; `parseQuery(formatQuery(q))` gives `q` again. */
export function formatQuery(q: Query): string {
  switch (q.type) {
    case 'term':
      return q.phrase || !isBareTerm(q.text) ? `"${q.text}"` : q.text;
    case 'not':
      return `-${q.query.type === 'and' || q.query.type === 'or' || q.query.type === 'not' ? `(${formatQuery(q.query)})` : formatQuery(q.query)}`;
    case 'or':
      return q.items.map((i) => (i.type === 'and' ? `(${formatQuery(i)})` : formatQuery(i))).join(' OR ');
    case 'and':
      // OR binds tighter than AND, so OR groups need no parentheses here.
      return q.items.map(formatQuery).join(' ');
  }
}

/** The words of a term and of what it is matched against: letters, marks and digits, case- and accent-folded. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/** Scripts written without spaces: each character is a word of its own, so a name matches inside a sentence. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const ASCII = /^[\x00-\x7f]*$/;

/** Case folding (upper then lower also maps ß→ss, ı→i), NFKC for full-width forms, Latin/Greek/Cyrillic accents dropped. */
function fold(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/gu, '');
}

/** Splits folded text into words; `chunk` numbers the whitespace-separated pieces each word came from. */
function words(text: string): { words: string[]; chunks: number[]; tags: number[] } {
  const out: string[] = [];
  const chunks: number[] = [];
  const tags: number[] = [];
  const folded = fold(text);
  let chunk = 0;
  let lastEnd = 0;
  for (const m of folded.matchAll(WORD)) {
    const start = m.index;
    if (/\s/u.test(folded.slice(lastEnd, start))) chunk += 1;
    lastEnd = start + m[0].length;
    const w = m[0];
    const before = start > 0 ? folded[start - 1] : undefined;
    if ((before === '@' || before === '#') && !UNSPACED.test(w)) tags.push(out.length);
    if (!UNSPACED.test(w)) {
      out.push(w);
      chunks.push(chunk);
      continue;
    }
    // Split runs of Han/kana into single characters; other letters stay together.
    let buf = '';
    for (const ch of w) {
      if (UNSPACED.test(ch)) {
        if (buf) out.push(buf), chunks.push(chunk);
        out.push(ch);
        chunks.push(chunk);
        buf = '';
      } else buf += ch;
    }
    if (buf) out.push(buf), chunks.push(chunk);
  }
  return { words: out, chunks, tags };
}

/** A term ready for matching: its words and their glued form. */
interface Needle {
  words: string[];
  glued: string;
}

/** The text side, split once per text however many terms are tested. */
interface Haystack {
  words: string[];
  chunks: number[];
  joined: string;
  /** Indexes of words right after '@' or '#': handles and hashtags. */
  tags: number[];
  /** Word index starting / ending at each offset of `joined`, or -1. */
  startAt: Int32Array;
  endAt: Int32Array;
}

function haystack(text: string): Haystack {
  const { words: ws, chunks, tags } = words(text);
  const joined = ws.join('');
  const startAt = new Int32Array(joined.length + 1).fill(-1);
  const endAt = new Int32Array(joined.length + 1).fill(-1);
  let off = 0;
  ws.forEach((w, i) => {
    startAt[off] = i;
    off += w.length;
    endAt[off] = i;
  });
  return { words: ws, chunks, tags, joined, startAt, endAt };
}

const needles = new WeakMap<Query, Needle>();

function needleOf(q: Query & { type: 'term' }): Needle {
  let n = needles.get(q);
  if (!n) {
    const ws = words(q.text).words;
    n = { words: ws, glued: ws.join('') };
    needles.set(q, n);
  }
  return n;
}

/** Shortest term (letters glued) that may match the start of a handle or hashtag: `hp` must not match @hpotter. */
const MIN_TAG_PREFIX = 4;

/**
 * A term matches when its words appear in the text as whole words, in order (punctuation between them is
 * ignored), or glued together inside one space-free piece of text: `"acme cloud"` matches "acme cloud",
 * "Acme, cloud", "acmecloud", "#AcmeCloud", "acme-cloud", "acme_cloud" and "acmecloud.com", but not "acmeclouds".
 * A term of 4+ letters also matches the start of a handle or hashtag: `acme` matches @AcmeSupport, #acmefail.
 */
function termMatches(n: Needle, h: Haystack): boolean {
  const g = n.glued;
  if (g === '') return false;
  // Handles and hashtags glue a name to more words (@SouthwestAir, #AcmeCloudDown): the name may start one.
  if (g.length >= MIN_TAG_PREFIX) for (const i of h.tags) if (h.words[i]!.startsWith(g)) return true;
  let from = 0;
  for (;;) {
    const at = h.joined.indexOf(g, from);
    if (at < 0) return false;
    from = at + 1;
    const i = h.startAt[at]!;
    const j = h.endAt[at + g.length]!;
    if (i < 0 || j < 0) continue;
    if (h.chunks[i] === h.chunks[j]) return true;
    // Across spaces only word for word: `cargo` must not match "car go".
    if (j - i + 1 === n.words.length && n.words.every((w, k) => h.words[i + k] === w)) return true;
  }
}

function evaluate(q: Query, h: Haystack): boolean {
  switch (q.type) {
    case 'term':
      return termMatches(needleOf(q), h);
    case 'not':
      return !evaluate(q.query, h);
    case 'and':
      return q.items.every((i) => evaluate(i, h));
    case 'or':
      return q.items.some((i) => evaluate(i, h));
  }
}

/** True when `text` satisfies the query (whole words, any case, accents ignored; see docs/query.md). */
export function matchesQuery(q: Query, text: string): boolean {
  return evaluate(q, haystack(text));
}

/** The terms to look for and to leave out, for sources whose own search takes plain keywords (phrases unquoted). */
export function queryTerms(q: Query): { include: string[]; exclude: string[] } {
  const include = new Set<string>();
  const exclude = new Set<string>();
  const walk = (node: Query, negated: boolean): void => {
    if (node.type === 'term') (negated ? exclude : include).add(node.text);
    else if (node.type === 'not') walk(node.query, !negated);
    else for (const i of node.items) walk(i, negated);
  };
  walk(q, false);
  return { include: [...include], exclude: [...exclude] };
}

/** The default query for a brand: its name or any alias, minus excluded terms (`"acme bank" OR acmebank -"acme anvil"`). */
export function brandQuery(brand: string, aliases: readonly string[] = [], exclude: readonly string[] = []): Query {
  const term = (text: string): Query => {
    const clean = text.replace(/\s+/gu, ' ').trim().replace(/"/gu, '');
    if (!hasWordChar(clean)) throw new UsageError(`query: '${text}' has no letters or digits to match.`);
    return { type: 'term', text: clean, phrase: !isBareTerm(clean) };
  };
  const seen = new Set<string>();
  const names = [brand, ...aliases].map(term).filter((t) => t.type === 'term' && !seen.has(t.text.toLowerCase()) && seen.add(t.text.toLowerCase()));
  const look: Query = names.length === 1 ? names[0]! : { type: 'or', items: names };
  const drop: Query[] = exclude.map((e) => ({ type: 'not', query: term(e) }));
  return drop.length === 0 ? look : { type: 'and', items: [look, ...drop] };
}
