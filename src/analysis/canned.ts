/**
 * Canned replies: a brand's replies grouped by near-identity once what templates vary is masked (customer names and
 * handles, numbers, ticket and order ids, agent signatures such as `^JD`, URLs, e-mail addresses, emoji). A group
 * used at least `minUses` times is a template; a first reply from one is canned. See docs/metrics.md "Canned replies".
 */
import { isDeflection } from './respond.js';

/** How templates are told apart; both are configurable (`canned.minUses`, `canned.similarity`). */
export interface CannedOptions {
  /** Uses (by one brand, in the audit) from which a group of near-identical replies is a template; at least 2. */
  minUses: number;
  /** Word-set overlap (Jaccard, 0–1) from which two masked replies are the same template. */
  similarity: number;
}

/** Default: a reply text used twice is a template (used once, it is not), near-identical at 85% of words shared. */
export const DEFAULT_CANNED: CannedOptions = { minUses: 2, similarity: 0.85 };

/** One template a brand used, as report.json's `response.templates` lists it. */
export interface ReplyTemplate {
  /** The first use's text with what varies masked: `<name>`, `@user`, `#`, `<url>`, `<email>`, `<sig>`. */
  text: string;
  /** Replies that used it (first replies and later ones). */
  count: number;
  /** First replies to a mention needing one that used it. */
  firstReplies: number;
  firstUsedAt: string;
  lastUsedAt: string;
  /** Links to up to three uses, earliest first. */
  examples: string[];
  /** True when it only redirects to a private channel (DM, e-mail, phone) rather than carrying an answer. */
  deflects: boolean;
}

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/giu;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu;
const HANDLE_RE = /(^|[^\w@])@[\w.]+/gu;
// Agent initials or a first name signed at the end: "^JD", "-JD", "/SR", "~Mike", "– Sarah", "*AB".
const SIGNATURE_RE = /(?:^|\s)[\^~*\/\-–—]\s?(?:[A-Z]{1,3}|[A-Z][a-z]{1,15})\.?\s*$/u;
// "Hi Sarah," / "Hello Mr. Jones" / "Thanks, Ana!": the name after a greeting.
// Case-sensitive on purpose: a name is capitalised ("Sorry to hear" keeps its "to").
const GREETING_RE = /^(\s*(?:[Hh]i|[Hh]ey|[Hh]ello|[Dd]ear|[Tt]hanks|[Tt]hank you|[Ss]orry|[Gg]ood (?:morning|afternoon|evening))[\s,]+)(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?\p{Lu}[\p{L}'’-]+/u;
// Anything with a digit: numbers, ticket and order ids (#88213, AB-1234), times and dates.
const NUMBERISH_RE = /[#\p{L}\d_-]*\d[#\p{L}\d_-]*/gu;
const EMOJI_RE = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D]/gu;

/** A reply's text with what templates vary replaced by placeholders; `names` are the customer's (handle, name). */
export function maskReply(text: string, names: readonly string[] = []): string {
  let out = text.replace(URL_RE, '<url>').replace(EMAIL_RE, '<email>').replace(HANDLE_RE, '$1@user');
  for (const n of nameParts(names)) out = replaceWord(out, n, '<name>');
  out = out.replace(GREETING_RE, '$1<name>').replace(SIGNATURE_RE, ' <sig>').replace(NUMBERISH_RE, '#').replace(EMOJI_RE, '');
  return out.replace(/\s+/g, ' ').trim();
}

/** The masked text reduced to the words two uses of one template share: lower case, no punctuation. */
export function templateKey(masked: string): string {
  return masked
    .toLowerCase()
    // "Hi", "Hello" and "Hey" open the same template.
    .replace(/^(?:hi|hey|hello|dear|good (?:morning|afternoon|evening))\b/u, 'hi')
    .replace(/<(name|url|email|sig)>/g, ' $1_ ')
    .replace(/[^\p{L}\p{N}#_ ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The ways a reply names its customer: each handle and display name whole, each word of a display name ("Samir" of
 * "Samir Khan") and the leading word of a handle ("samir" of "samir_k.bsky.social"); longest first, 3+ characters.
 */
function nameParts(names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of names) {
    const name = raw.replace(/^@/, '').trim();
    if (name.length >= 2) out.add(name);
    for (const w of name.split(/\s+/)) if (w.length >= 3) out.add(w);
    const lead = /^\p{L}{3,}/u.exec(name)?.[0];
    if (lead) out.add(lead);
  }
  return [...out].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * `text` with every whole-word, case-insensitive occurrence of `word` replaced. By hand rather than a RegExp built per
 * reply: compiling one for each of a brand's replies made masking 57% of the whole analysis (4,800 against 26,800
 * mentions a second).
 */
function replaceWord(text: string, word: string, by: string): string {
  const lower = text.toLowerCase();
  const needle = word.toLowerCase();
  // Lower-casing that changes a length (rare letters such as "İ") would shift positions: leave such text as it is.
  if (needle === '' || lower.length !== text.length) return text;
  let out = '';
  let from = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    const before = i > 0 ? text[i - 1]! : '';
    const after = text[i + needle.length] ?? '';
    if ((before !== '' && WORD_CHAR.test(before)) || (after !== '' && WORD_CHAR.test(after))) continue;
    out += text.slice(from, i) + by;
    from = i + needle.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** One distinct masked reply of a brand, as the book keeps it. */
interface KeyRecord {
  key: string;
  text: string;
  uses: number;
  firstReplies: number;
  /** First replies that only deflect (judged on each reply's own text). */
  firstDeflecting: number;
  firstAt: string;
  lastAt: string;
  /** Up to three uses, earliest first: [createdAt, id, url]. */
  examples: [string, string, string][];
}

// Distinct replies kept per brand. A brand with more is answering each customer in its own words; the replies past
// the cap are counted as not canned (docs/metrics.md says so), and memory stays bounded on any input.
const MAX_KEYS = 50_000;
// Groups a reply is compared with when clustering: the most used first, where templates are.
const MAX_GROUPS = 500;

/** What the book found for one brand. */
export interface CannedFigures {
  /** Mentions needing a reply whose first reply came from a template. */
  cannedFirstReplies: number;
  /** Mentions needing a reply whose first reply was neither canned nor only a deflection. */
  substantive: number;
  /** Templates, most used first (ties by text), at most `limit`. */
  templates: ReplyTemplate[];
}

/** A brand's replies, collected as they stream past; `finish` groups them into templates. */
export class TemplateBook {
  private readonly keys = new Map<string, KeyRecord>();
  /** First replies whose text was past the cap: never canned. */
  private overflowFirst = 0;
  private overflowFirstDeflecting = 0;

  constructor(private readonly options: CannedOptions = DEFAULT_CANNED) {}

  /**
   * Counts one brand reply; `names` are the handle and name of the customer it answers (masked out), `firstFor` the
   * mentions needing a reply that it was the first answer to (a reply deep in a chain answers every mention above it).
   */
  addReply(reply: { id: string; text: string; createdAt: string; url?: string | undefined }, names: readonly string[], firstFor: number): void {
    this.addMasked(reply, maskReply(reply.text, names), firstFor);
  }

  /** As addReply, for a reply already masked (a brand's book and the all-brands one read each reply once). */
  addMasked(reply: { id: string; text: string; createdAt: string; url?: string | undefined }, masked: string, firstFor: number): void {
    const key = templateKey(masked);
    let rec = this.keys.get(key);
    if (!rec) {
      if (this.keys.size >= MAX_KEYS) {
        this.overflowFirst += firstFor;
        if (isDeflection(reply.text)) this.overflowFirstDeflecting += firstFor;
        return;
      }
      rec = { key, text: masked.slice(0, 500), uses: 0, firstReplies: 0, firstDeflecting: 0, firstAt: reply.createdAt, lastAt: reply.createdAt, examples: [] };
      this.keys.set(key, rec);
    }
    rec.uses += 1;
    rec.firstReplies += firstFor;
    if (firstFor > 0 && isDeflection(reply.text)) rec.firstDeflecting += firstFor;
    if (reply.createdAt < rec.firstAt) rec.firstAt = reply.createdAt;
    if (reply.createdAt > rec.lastAt) rec.lastAt = reply.createdAt;
    if (reply.url !== undefined) {
      rec.examples.push([reply.createdAt, reply.id, reply.url]);
      rec.examples.sort(byExample);
      if (rec.examples.length > 3) rec.examples.length = 3;
    }
  }

  /** The templates and the first replies they account for; `limit` templates are listed. */
  finish(limit = 10): CannedFigures {
    const groups = cluster([...this.keys.values()], this.options.similarity);
    let canned = 0;
    let substantive = this.overflowFirst - this.overflowFirstDeflecting;
    const templates: ReplyTemplate[] = [];
    for (const g of groups) {
      const uses = g.reduce((n, r) => n + r.uses, 0);
      const first = g.reduce((n, r) => n + r.firstReplies, 0);
      if (uses >= Math.max(2, this.options.minUses)) {
        canned += first;
        const lead = g[0]!;
        const examples = g.flatMap((r) => r.examples).sort(byExample).slice(0, 3);
        templates.push({
          text: lead.text,
          count: uses,
          firstReplies: first,
          firstUsedAt: g.reduce((t, r) => (r.firstAt < t ? r.firstAt : t), lead.firstAt),
          lastUsedAt: g.reduce((t, r) => (r.lastAt > t ? r.lastAt : t), lead.lastAt),
          examples: examples.map((e) => e[2]),
          deflects: isDeflection(lead.text),
        });
      } else {
        substantive += first - g.reduce((n, r) => n + r.firstDeflecting, 0);
      }
    }
    templates.sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    return { cannedFirstReplies: canned, substantive, templates: templates.slice(0, limit) };
  }
}

function byExample(a: [string, string, string], b: [string, string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * Greedy grouping by word-set overlap: records most used first (ties by key, so the result is the same whatever the
 * input order), each joins the first group whose lead shares `similarity` of its words, else leads a new one. Only the
 * MAX_GROUPS most used groups take members; later records stay alone.
 */
function cluster(records: KeyRecord[], similarity: number): KeyRecord[][] {
  records.sort((a, b) => b.uses - a.uses || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const groups: { lead: Set<string>; size: number; members: KeyRecord[] }[] = [];
  const out: KeyRecord[][] = [];
  for (const r of records) {
    const words = new Set(r.key.split(' '));
    let joined = false;
    if (similarity < 1) {
      for (const g of groups) {
        // Jaccard ≥ s needs the smaller set to be at least s of the larger: skip the rest without counting.
        const small = Math.min(words.size, g.size);
        const large = Math.max(words.size, g.size);
        if (small < similarity * large) continue;
        let shared = 0;
        for (const w of words) if (g.lead.has(w)) shared += 1;
        if (shared / (words.size + g.size - shared) >= similarity) {
          g.members.push(r);
          joined = true;
          break;
        }
      }
    }
    if (joined) continue;
    const members = [r];
    out.push(members);
    if (groups.length < MAX_GROUPS) groups.push({ lead: words, size: words.size, members });
  }
  return out;
}
