/**
 * Spikes explained: per-day term, source and author counts and example candidates, kept for the newest 8 days only
 * and each capped, so the streaming summary stays bounded; `explain` reads a spike day against the 7 days before it.
 */
import { mentionWording } from './reading.js';
import type { AnalyzedMention, SpikeExplanation } from './types.js';

/** Days of trailing baseline (the same week detectSpikes compares with). */
const BASELINE_DAYS = 7;
/** Terms kept per day; the counter is pruned back to this when it holds twice as many. */
const TERMS_PER_DAY = 500;
/** Authors and sources kept per day, pruned the same way. */
const NAMES_PER_DAY = 50;
/** Example candidates kept per day (most telling first, see byTelling). */
const CANDIDATES_PER_DAY = 30;
/** Distinct terms read from one mention: a pasted essay does not flood the day's counts. */
const TERMS_PER_MENTION = 60;
/** Terms listed in an explanation, and the least z-score (about p < 0.025, one-sided) a listed term needs. */
const TERMS_LISTED = 5;
const MIN_Z = 1.96;
/** A listed term appears in at least this many of the day's mentions. */
const MIN_TERM_COUNT = 2;

/**
 * Common English words that say nothing about what a day was about (function words, pronouns, social filler).
 * Numbers stay: an HTTP status ("502") or an error code is often the very thing a spike is about.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below between both but by ' +
    'can cannot could couldn did didn do does doesn doing don down during each few for from further get got had hadn has hasn have ' +
    'haven having he her here hers herself him himself his how i if in into is isn it its itself just let like me more most my myself ' +
    'no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up very was wasn we were weren what when ' +
    'where which while who whom why will with won would wouldn you your yours yourself yourselves im ive youre thats theres dont cant ' +
    'wont isnt didnt doesnt amp rt via one two still even really much many us oh ok okay yes yeah hi hey thanks thank please lol ' +
    'today yesterday day days time anyone anything someone something every again already ever way going go know see want need ' +
    'http https www com'
  ).split(' '),
);

/** A mention kept as a possible example. */
interface Candidate {
  id: string;
  source: string;
  url?: string;
  author?: string;
  createdAt: string;
  sentiment: string;
  negative: boolean;
  followers: number;
  excerpt: string;
  terms: readonly string[];
}

/** One day's bounded counts. */
class DayCounts {
  mentions = 0;
  /** Term uses (each mention's distinct terms), exact even when the counter prunes. */
  termUses = 0;
  scored = 0;
  negative = 0;
  positive = 0;
  readonly terms = new TopCounter(TERMS_PER_DAY);
  readonly sources = new TopCounter(NAMES_PER_DAY);
  readonly authors = new TopCounter(NAMES_PER_DAY);
  candidates: Candidate[] = [];
  /** The last candidate kept at the latest trim. */
  cutoff: Candidate | undefined;
}

/**
 * Counts that keep at most `2 × keep` keys: past that, only the `keep` largest (ties by key) stay. A key pruned and
 * seen again starts from 1, so counts are lower bounds; a term that dominates a day is counted from its first uses
 * on and survives every pruning. See docs/metrics.md "Spikes explained".
 */
export class TopCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly keep: number) {}

  /** Adds one use of `key`. */
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.counts.size > this.keep * 2) this.prune();
  }

  /** The count of `key` (0 when absent or pruned). */
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Every kept key with its count, largest first (ties by key, code units). */
  entries(): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0]));
  }

  /** How many keys are kept (for tests of the bound). */
  get size(): number {
    return this.counts.size;
  }

  private prune(): void {
    const kept = this.entries().slice(0, this.keep);
    this.counts.clear();
    for (const [k, n] of kept) this.counts.set(k, n);
  }
}

/** Customer mentions by local day, for the newest 8 days seen (a spike day and its trailing week). */
export class SpikeDays {
  private readonly days = new Map<string, DayCounts>();
  private newest = '';
  /** The oldest day still kept, worked out once per new newest day (not per mention: a Date round trip each). */
  private oldest = '';

  /** Adds one customer mention on local day `day` (YYYY-MM-DD). */
  add(m: AnalyzedMention, day: string): void {
    if (this.newest !== '' && day < this.oldest) return;
    if (day > this.newest) {
      this.newest = day;
      const oldest = dayBefore(day, BASELINE_DAYS);
      this.oldest = oldest;
      for (const d of [...this.days.keys()]) if (d < oldest) this.days.delete(d);
    }
    let d = this.days.get(day);
    if (!d) {
      d = new DayCounts();
      this.days.set(day, d);
    }
    d.mentions += 1;
    if (m.sentiment.scored) {
      d.scored += 1;
      if (m.sentiment.label === 'negative') d.negative += 1;
      if (m.sentiment.label === 'positive') d.positive += 1;
    }
    d.sources.add(m.source);
    const author = m.author.handle ?? m.author.name ?? m.author.id;
    if (author !== undefined) d.authors.add(author);
    const { wording } = mentionWording(m);
    const terms = distinctTerms(wording);
    for (const t of terms) d.terms.add(t);
    d.termUses += terms.length;
    this.keepCandidate(d, m, author, wording, terms);
  }

  /** Days kept (for tests of the bound). */
  get dayCount(): number {
    return this.days.size;
  }

  /** Why `date` stood out, or undefined when its mentions were not kept (a spike is always on the newest day). */
  explain(date: string): SpikeExplanation | undefined {
    const day = this.days.get(date);
    if (!day) return undefined;
    const base = [...this.days].filter(([d]) => d < date && d >= dayBefore(date, BASELINE_DAYS)).map(([, c]) => c);
    const baseTerms = new Map<string, number>();
    for (const b of base) for (const [t, n] of b.terms.entries()) baseTerms.set(t, (baseTerms.get(t) ?? 0) + n);
    const terms = distinctiveTerms(day.terms.entries(), baseTerms, day.termUses, base.reduce((n, b) => n + b.termUses, 0));
    const baseSources = new Map<string, number>();
    for (const b of base) for (const [s, n] of b.sources.entries()) baseSources.set(s, (baseSources.get(s) ?? 0) + n);
    const scoredBase = base.reduce((n, b) => n + b.scored, 0);
    const share = (n: number, of: number): number | null => (of > 0 ? round3(n / of) : null);
    const top = new Set(terms.map((t) => t.term));
    const examples = [...day.candidates]
      .map((c) => ({ c, hits: c.terms.filter((t) => top.has(t)).length }))
      .filter((x) => top.size === 0 || x.hits > 0)
      .sort((a, b) => b.hits - a.hits || byTelling(a.c, b.c))
      // Three different posts, not one post pasted three times.
      .filter((x, i, all) => all.findIndex((y) => y.c.excerpt === x.c.excerpt) === i)
      .slice(0, 3)
      .map(({ c }) => ({
        id: c.id,
        source: c.source,
        ...(c.url !== undefined ? { url: c.url } : {}),
        ...(c.author !== undefined ? { author: c.author } : {}),
        createdAt: c.createdAt,
        sentiment: c.sentiment,
        excerpt: c.excerpt,
      }));
    return {
      terms,
      sources: day.sources.entries().slice(0, 5).map(([source, count]) => ({ source, count, baselineDailyMean: round2((baseSources.get(source) ?? 0) / BASELINE_DAYS) })),
      authors: day.authors.entries().filter(([, n]) => n > 1).slice(0, 5).map(([author, count]) => ({ author, count })),
      sentiment: {
        negativeShare: share(day.negative, day.scored),
        baselineNegativeShare: share(base.reduce((n, b) => n + b.negative, 0), scoredBase),
        positiveShare: share(day.positive, day.scored),
        baselinePositiveShare: share(base.reduce((n, b) => n + b.positive, 0), scoredBase),
      },
      examples,
    };
  }

  private keepCandidate(d: DayCounts, m: AnalyzedMention, author: string | undefined, wording: string, terms: readonly string[]): void {
    const negative = m.sentiment.scored && m.sentiment.label === 'negative';
    const followers = m.engagement.followers ?? 0;
    // Once the day's list was trimmed, a mention ranking below its last can never be kept: no candidate is built.
    const last = d.cutoff;
    if (last && byTellingKey(negative, followers, m.createdAt, m.id, last) >= 0) return;
    const text = wording.replace(/\s+/g, ' ').trim();
    const c: Candidate = {
      id: m.id,
      source: m.source,
      ...(m.url !== undefined ? { url: m.url } : {}),
      ...(author !== undefined ? { author } : {}),
      createdAt: m.createdAt,
      sentiment: m.sentiment.scored ? m.sentiment.label : 'unscored',
      negative,
      followers,
      excerpt: text.length > 140 ? `${text.slice(0, 139)}…` : text,
      terms,
    };
    d.candidates.push(c);
    // Trimmed by a total order, so which candidates stay does not depend on the order mentions arrive in.
    if (d.candidates.length > CANDIDATES_PER_DAY * 2) {
      d.candidates = d.candidates.sort(byTelling).slice(0, CANDIDATES_PER_DAY);
      d.cutoff = d.candidates[d.candidates.length - 1];
    }
  }
}

/**
 * Terms of the day against the baseline by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
 * and Quinn 2008, "Fightin' Words"), as a z-score. A term is counted once per mention; `n1` and `n2` are all term
 * uses of each window, so a word in every post of both (the brand's name) scores about 0. The prior is the term's
 * pooled frequency over both windows times PRIOR_WEIGHT pseudo-uses (at least 0.5), so a rare term does not top the list.
 */
export function distinctiveTerms(
  day: readonly [string, number][],
  baseline: ReadonlyMap<string, number>,
  n1: number,
  n2: number,
): SpikeExplanation['terms'] {
  const PRIOR_WEIGHT = 100;
  const total = n1 + n2;
  if (n1 === 0) return [];
  const out: SpikeExplanation['terms'] = [];
  for (const [term, y1] of day) {
    if (y1 < MIN_TERM_COUNT) continue;
    const y2 = baseline.get(term) ?? 0;
    const a = Math.max((PRIOR_WEIGHT * (y1 + y2)) / total, 0.5);
    const a0 = PRIOR_WEIGHT;
    // The complements stay above zero even for a term that is every use of its window.
    const delta = Math.log((y1 + a) / Math.max(n1 + a0 - y1 - a, 0.5)) - Math.log((y2 + a) / Math.max(n2 + a0 - y2 - a, 0.5));
    const z = delta / Math.sqrt(1 / (y1 + a) + 1 / (y2 + a));
    if (z >= MIN_Z) out.push({ term, count: y1, baselineCount: y2, z: round2(z) });
  }
  return out.sort((p, q) => q.z - p.z || q.count - p.count || byCodeUnit(p.term, q.term)).slice(0, TERMS_LISTED);
}

/** The distinct terms of a text: lower-cased words and numbers of 2+ characters, without links, handles and stop words. */
export function distinctTerms(text: string): string[] {
  // Each clean-up only when its character is there: this runs on every customer mention.
  let t = text.toLowerCase();
  if (t.includes('http')) t = t.replace(/https?:\/\/\S+/g, ' ');
  if (t.includes('@') || t.includes('#')) t = t.replace(/[@#][\p{L}\p{N}_]+/gu, ' ');
  if (t.includes("'") || t.includes('’')) t = t.replace(/['’]/g, '');
  const seen = new Set<string>();
  // A hand-written scan (ASCII fast, a regex only for other characters): a Unicode regex split costs twice as much.
  let start = -1;
  for (let i = 0; i <= t.length; i++) {
    const c = i < t.length ? t.charCodeAt(i) : 32;
    const inWord = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c > 127 && WORD_CHAR.test(t[i]!));
    if (inWord) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      const w = t.slice(start, i);
      start = -1;
      if (w.length < 2 || STOP_WORDS.has(w) || seen.has(w)) continue;
      seen.add(w);
      if (seen.size >= TERMS_PER_MENTION) break;
    }
  }
  return [...seen];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Examples first: negative before the rest, then the larger audience, then oldest, then id. */
function byTelling(a: Candidate, b: Candidate): number {
  return byTellingKey(a.negative, a.followers, a.createdAt, a.id, b);
}

function byTellingKey(negative: boolean, followers: number, createdAt: string, id: string, b: Candidate): number {
  return Number(b.negative) - Number(negative) || b.followers - followers || byCodeUnit(createdAt, b.createdAt) || byCodeUnit(id, b.id);
}

function dayBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
