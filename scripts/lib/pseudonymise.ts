/**
 * Pseudonyms for the personal data in recorded responses (author names, handles, user ids, avatar and profile URLs),
 * pure and deterministic: values are collected file by file in recording order, each distinct real value gets one
 * pseudonym, and every occurrence in every body, URL and header is replaced by it, so a reply still names the
 * author, a thread URL still names the post it was built from, and the same recording always gives the same bytes.
 */
import type { Author } from '../../src/core/mention.js';

/** What a personal value is; decides the pseudonym's form. */
type PersonalKind = 'name' | 'id' | 'url' | 'email';

/** One personal value found in a recording. */
export interface PersonalValue {
  value: string;
  kind: PersonalKind;
}

/** Real value → pseudonym, in the order the values were first seen. */
export type PseudonymMap = ReadonlyMap<string, string>;

// Keys whose object is a person (the author of a post, a mentioned account, a reviewer).
// Also `reply_to_user` and `last_editor` (Stack Exchange), `assignees`, `closed_by`, `sender` (GitHub): `_user`/`_by` keys.
const PERSON_KEY = /^(?:author|authors|user|users|owner|account|accounts|creator|actor|reviewer|consumer|commenter|poster|profile|submitter|mentions|replier|assignees?|sender|committer|last_editor|requested_reviewers)$|(?:_user|_by)$/i;
// Inside a person: names and handles, ids, URLs (profile pages, avatars).
const NAME_KEY = /^(?:name|display_?name|username|user_?name|login|handle|acct|screen_?name|nick(?:name)?|full_?name|first_?name|last_?name)$/i;
const ID_KEY = /^(?:id|did|user_?id|account_?id|node_id|uid|author_?id)$/i;
const URL_KEY = /(?:url|uri|link|avatar|image|picture|photo|icon|header|src)(?:_?static|_?url)?$/i;
const EMAIL_KEY = /^e-?mail$/i;
// Outside a person object: keys that hold an author's name, id or picture themselves (Reddit's `author`, HN's `by`).
const TOP_NAME_KEY = /^(?:author|author_?name|by|username|user_?name|screen_?name|owner_display_name|login|handle|acct|display_?name|reviewer_?name|uploader)$|^(?:approved|banned|mod_reason|edited|created|closed)_by$/i;
const TOP_ID_KEY = /^(?:author_fullname|author_?id|user_?id|owner_?id|did)$/i;
const TOP_URL_KEY = /^(?:avatar|avatar_?url|author_?avatar|author_?url|author_?uri|profile_?url|user_?url|profile_?image(?:_?url)?|icon_img|user_?image)$/i;
// Wrappers that hold a field's value one level down: App Store `{"label": …}`, Blogger GData `{"$t": …}`.
const VALUE_KEY = /^(?:label|\$t|#text|value)$/;
// Avatar pictures wherever they sit (Google Play's keyless arrays hold them with no key).
const AVATAR_URL = /^https?:\/\/\S*(?:avatar|gravatar\.com|\/profile_images\/|googleusercontent\.com\/a[-/]|\/img\/avatar)/i;
// Placeholders that name nobody: kept, since parsers read them ("[deleted]" marks a removed comment).
const NOBODY = /^(?:\[deleted\]|\[removed\]|deleted|anonymous|null|undefined|none|n\/a)$/i;

/**
 * A value worth replacing: a string of 2+ characters that names somebody, not a placeholder. Numbers under five
 * digits (a WordPress author id 3) identify nobody and would replace every "3" of every page.
 */
function usable(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const v = value.trim();
  return v.length >= 2 && !NOBODY.test(v) && !/^\d{1,4}$/.test(v);
}

/** True when this person is one of the kept accounts (the brand's own). */
function keptPerson(person: Record<string, unknown>, kept: (value: string) => boolean): boolean {
  for (const [key, value] of Object.entries(person)) {
    const inner = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value).find(([k]) => VALUE_KEY.test(k))?.[1] : value;
    if (NAME_KEY.test(key) && typeof inner === 'string' && kept(inner)) return true;
  }
  return false;
}

/** Every string and integer under a value (a kept person's DID, avatar and profile URL). */
function leavesOf(value: unknown, into: Set<string>): void {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) into.add(String(v));
    else if (v !== null && typeof v === 'object') stack.push(...Object.values(v as Record<string, unknown>));
  }
}

/** A handle `user@instance` is replaced by its user part, so the instance stays and `@user` mentions match too. */
function namePart(value: string): string {
  return /^@?([^@\s]+)@[^@\s]+\.[^@\s]+$/.exec(value)?.[1] ?? value.replace(/^@/, '');
}

/**
 * Personal values in a parsed JSON document, in document order. Persons that `kept` names are left out whole, and
 * everything they hold (the brand's DID, avatar, profile URL) is added to `keptValues`, for the caller to spare
 * wherever else it stands (a `resolveHandle` answer names the brand's DID with no name beside it).
 */
export function personalValuesOfJson(data: unknown, kept: (value: string) => boolean = () => false, keptValues = new Set<string>()): PersonalValue[] {
  const out: PersonalValue[] = [];
  const leaf = (key: string, value: unknown, inPerson: boolean): void => {
    const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
    if (!usable(text)) return;
    if (AVATAR_URL.test(text)) {
      out.push({ value: text, kind: 'url' });
      return;
    }
    if (inPerson) {
      if (NAME_KEY.test(key)) out.push({ value: namePart(text), kind: 'name' });
      else if (ID_KEY.test(key)) out.push({ value: text, kind: 'id' });
      else if (EMAIL_KEY.test(key) && text.includes('@')) out.push({ value: text, kind: 'email' });
      else if (URL_KEY.test(key) && /^https?:\/\//i.test(text)) out.push({ value: text, kind: 'url' });
      return;
    }
    if (typeof value === 'string' && TOP_NAME_KEY.test(key)) out.push({ value: namePart(text), kind: 'name' });
    else if (TOP_ID_KEY.test(key)) out.push({ value: text, kind: 'id' });
    else if (typeof value === 'string' && EMAIL_KEY.test(key) && text.includes('@')) out.push({ value: text, kind: 'email' });
    else if (typeof value === 'string' && TOP_URL_KEY.test(key) && /^https?:\/\//i.test(text)) out.push({ value: text, kind: 'url' });
  };
  // An explicit stack: a recorded thread can nest thousands of replies.
  const stack: { key: string; value: unknown; inPerson: boolean }[] = [{ key: '', value: data, inPerson: false }];
  while (stack.length > 0) {
    const { key, value, inPerson } = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ key, value: value[i], inPerson });
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const person = inPerson || PERSON_KEY.test(key);
      if (person && !inPerson && keptPerson(record, kept)) {
        leavesOf(record, keptValues);
        continue;
      }
      const entries = Object.entries(record);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]!;
        // `{"name": {"label": "Jane"}}`: the wrapper's value is read under the outer key.
        stack.push({ key: VALUE_KEY.test(k) ? key : k, value: v, inPerson: person });
      }
    } else {
      leaf(key, value, inPerson);
    }
  }
  return out.filter((p) => !kept(p.value));
}

/** The five XML entities decoded (enough to compare a name in markup with the same name elsewhere). */
function decodeBasicEntities(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * Personal values in Atom/RSS/HTML markup: `<author>`/`<contributor>` names, URIs and emails (Reddit's `/u/` prefix
 * dropped), RSS `<author>` text, `<dc:creator>`, and JSON embedded in `<script>` blocks (`__NEXT_DATA__`, JSON-LD).
 */
export function personalValuesOfMarkup(text: string, kept: (value: string) => boolean = () => false, keptValues = new Set<string>()): PersonalValue[] {
  const out: PersonalValue[] = [];
  const add = (raw: string, kind: PersonalKind): void => {
    let value = decodeBasicEntities(raw);
    if (kind === 'name') value = value.replace(/^\/?u\//, '');
    if (usable(value)) out.push({ value, kind });
  };
  for (const m of text.matchAll(/<(author|contributor)\b[^>]*>([\s\S]*?)<\/\1>/gi)) {
    const inner = m[2] ?? '';
    const name = /<name\b[^>]*>([\s\S]*?)<\/name>/i.exec(inner)?.[1];
    const uri = /<uri\b[^>]*>([\s\S]*?)<\/uri>/i.exec(inner)?.[1];
    const email = /<email\b[^>]*>([\s\S]*?)<\/email>/i.exec(inner)?.[1];
    if (name !== undefined && kept(decodeBasicEntities(name).replace(/^\/?u\//, ''))) {
      if (uri !== undefined) keptValues.add(decodeBasicEntities(uri));
      continue;
    }
    if (name !== undefined) add(name, 'name');
    if (uri !== undefined) add(uri, 'url');
    if (email !== undefined) add(email, 'email');
    if (name === undefined && uri === undefined && email === undefined && !/</.test(inner)) {
      // RSS 2.0: `<author>jane@example.com (Jane Doe)</author>`.
      const rss = /^\s*(\S+@\S+)\s*(?:\((.+)\))?\s*$/.exec(decodeBasicEntities(inner));
      if (rss) {
        out.push({ value: rss[1]!, kind: 'email' });
        if (rss[2] !== undefined) add(rss[2], 'name');
      } else add(inner, 'name');
    }
  }
  for (const m of text.matchAll(/<dc:creator\b[^>]*>([\s\S]*?)<\/dc:creator>/gi)) add(m[1] ?? '', 'name');
  for (const m of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/application\/(?:ld\+)?json|__NEXT_DATA__/i.test(m[1] ?? '')) continue;
    try {
      out.push(...personalValuesOfJson(JSON.parse(m[2] ?? ''), kept, keptValues));
    } catch {
      // Not JSON after all: nothing to read from it.
    }
  }
  return out.filter((p) => !kept(p.value));
}

/** The authors a source's parser read (its names, handles and ids), for values the structural walk cannot see. */
export function personalValuesOfAuthors(authors: readonly Author[], kept: (value: string) => boolean = () => false, keptValues = new Set<string>()): PersonalValue[] {
  const out: PersonalValue[] = [];
  for (const a of authors) {
    if ([a.handle, a.name].some((v) => v !== undefined && kept(v))) {
      if (a.id !== undefined) keptValues.add(a.id);
      continue;
    }
    // Mastodon's `user@instance`: the pseudonym replaces the user part, the instance stays.
    for (const v of [a.handle, a.name]) if (usable(v)) out.push({ value: namePart(v), kind: 'name' });
    if (usable(a.id)) out.push({ value: a.id, kind: 'id' });
  }
  return out.filter((p) => !kept(p.value));
}

/** A kept-account test: case-insensitive, with or without a leading @ or a domain (`acmecloud.bsky.social`). */
export function keptAccounts(handles: readonly string[]): (value: string) => boolean {
  const set = new Set(handles.map((h) => h.replace(/^@/, '').toLowerCase()).filter((h) => h !== ''));
  return (value) => {
    const v = value.trim().replace(/^@/, '').replace(/^\/?u\//, '').toLowerCase();
    return set.has(v) || set.has(v.split(/[@.]/)[0] ?? '') || set.has(v.replace(/\s+/g, ''));
  };
}

function originOf(url: string): string | undefined {
  return /^(https?:\/\/[^/?#]+)/i.exec(url)?.[1]?.toLowerCase();
}

/**
 * The pseudonym for the n-th value of its kind. A URL keeps its origin only when several people's URLs share it (a
 * platform: reddit.com/user/…, an avatar CDN); a commenter's own site (`https://jane.example`) is personal itself.
 */
function pseudonymFor(p: PersonalValue, n: number, sharedOrigins: ReadonlySet<string>): string {
  const v = p.value;
  if (p.kind === 'email') return `user-${n}@example.invalid`;
  if (p.kind === 'url') {
    const origin = originOf(v);
    return `${origin !== undefined && sharedOrigins.has(origin) ? origin : 'https://example.invalid'}/pseudonymised/${AVATAR_URL.test(v) ? 'avatar' : 'profile'}-${n}`;
  }
  if (p.kind === 'id') {
    if (/^did:[a-z]+:/.test(v)) return `${/^did:[a-z]+:/.exec(v)![0]}pseudonym${String(n).padStart(4, '0')}`;
    // Digits stay digits of the same length (a JSON number stays a number); `t2_…` keeps its type prefix.
    if (/^\d+$/.test(v)) return `9${String(n).padStart(Math.max(v.length - 1, 1), '0')}`;
    const prefix = /^[a-z0-9]{1,3}_/i.exec(v)?.[0] ?? '';
    return `${prefix}pseudo${n}`;
  }
  if (/\s/.test(v.trim())) return `Person ${n}`;
  // A domain handle (`maya.bsky.social`) keeps its domain; a bare handle becomes `user-N`.
  const dot = /^[^.@\s]+((?:\.[a-z0-9-]+)+)$/i.exec(v);
  return dot ? `user-${n}${dot[1]}` : `user-${n}`;
}

// A value is replaced where no letter or digit touches it: `_` and `-` are boundaries, so Hacker News's
// `author_<name>` tags and `<name>-<n>` slugs lose the name too (a value is personal data wherever it stands).
const WORD = '[\\p{L}\\p{N}]';
// In JSON text a value may follow an escape (`\n\njane`, `\u00a0jane`) whose last character is a letter or digit.
const BEFORE = `(?:(?<!${WORD})|(?<=\\\\[nrtbf])|(?<=\\\\u[0-9a-fA-F]{4}))`;
const AFTER = `(?!${WORD})`;

function tokenPattern(value: string): RegExp {
  return new RegExp(`${BEFORE}${escapeRegExp(value)}${AFTER}`, 'u');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * One pseudonym per distinct value, numbered per kind in the order the values were first seen, skipping a number
 * whose pseudonym already stands in `corpus` (all recorded text), so a pseudonym never collides with a real value.
 */
export function createPseudonymMap(values: readonly PersonalValue[], corpus = ''): PseudonymMap {
  const urlsByOrigin = new Map<string, Set<string>>();
  for (const p of values) {
    const origin = p.kind === 'url' ? originOf(p.value) : undefined;
    if (origin !== undefined) urlsByOrigin.set(origin, (urlsByOrigin.get(origin) ?? new Set()).add(p.value));
  }
  const sharedOrigins = new Set([...urlsByOrigin].filter(([, urls]) => urls.size >= 2).map(([origin]) => origin));
  const map = new Map<string, string>();
  const counters = new Map<string, number>();
  const used = new Set<string>();
  for (const p of values) {
    if (map.has(p.value)) continue;
    const bucket = p.kind === 'name' && /\s/.test(p.value.trim()) ? 'display' : p.kind;
    let n = counters.get(bucket) ?? 0;
    let pseudonym: string;
    do {
      n += 1;
      pseudonym = pseudonymFor(p, n, sharedOrigins);
    } while (used.has(pseudonym) || (corpus.includes(pseudonym) && tokenPattern(pseudonym).test(corpus)));
    counters.set(bucket, n);
    used.add(pseudonym);
    map.set(p.value, pseudonym);
  }
  return map;
}

/** The spellings markup uses for a text: `&` `<` `>` always escaped, quotes as they are or in any of four entities. */
function markupSpellings(s: string): string[] {
  const base = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const out = new Set([base]);
  for (const apos of ["'", '&#39;', '&#039;', '&apos;', '&#x27;']) for (const quot of ['"', '&quot;', '&#34;']) out.add(base.replace(/'/g, apos).replace(/"/g, quot));
  return [...out];
}

/**
 * The ways a JSON body may spell a text: as JSON.stringify does, with `/` escaped (PHP's default: WordPress writes
 * `https:\/\/…`), and with every non-ASCII character as `\u00ed` (WordPress, `json_encode`), in both hex cases.
 */
const JSON_SPELLINGS: readonly ((s: string) => string)[] = (() => {
  const plain = (s: string): string => JSON.stringify(s).slice(1, -1);
  const slashes = (s: string): string => s.replace(/\//g, '\\/');
  const ascii = (upper: boolean) => (s: string): string =>
    s.replace(/[^\x00-\x7f]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  return [plain, (s) => slashes(plain(s)), (s) => ascii(false)(plain(s)), (s) => ascii(true)(plain(s)), (s) => slashes(ascii(false)(plain(s))), (s) => slashes(ascii(true)(plain(s)))];
})();

/** Every spelling of a value a body may hold (as is, markup-escaped, JSON-escaped, URL-encoded), with the pseudonym's. */
function spellings(map: PseudonymMap): [string, string][] {
  const pairs = new Map<string, string>();
  for (const [real, pseudo] of map) {
    pairs.set(real, pseudo);
    // A pseudonym holds no quote, so each escaped spelling of the value maps to the pseudonym's one escaped form.
    const pseudoMarkup = markupSpellings(pseudo)[0]!;
    for (const spelled of markupSpellings(real)) if (!pairs.has(spelled)) pairs.set(spelled, pseudoMarkup);
    for (const spell of JSON_SPELLINGS) if (!pairs.has(spell(real))) pairs.set(spell(real), spell(pseudo));
    pairs.set(encodeURIComponent(real), encodeURIComponent(pseudo));
  }
  // Longest first, so a profile URL is replaced whole before the handle inside it.
  return [...pairs].filter(([from]) => from.length > 0).sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
}

/**
 * For a list of strings (longest first), a function giving the one regex that finds, whole, those of them a text
 * holds: a plain `includes` rules out the rest first, so thousands of spellings cost one native scan each rather
 * than an alternation of all of them tried at every position.
 */
function presentIn(strings: readonly string[]): (text: string) => RegExp | undefined {
  return (text) => {
    const present = strings.filter((x) => text.includes(x));
    return present.length === 0 ? undefined : new RegExp(`${BEFORE}(?:${present.map(escapeRegExp).join('|')})${AFTER}`, 'gu');
  };
}

/** Compiled replacement for a map (built once per recording, used on every file). */
export interface Pseudonymiser {
  /** The text with every whole occurrence of a real value replaced by its pseudonym. */
  text(text: string): string;
  /** A URL with its path segments and query values pseudonymised (decoded first, so `at%3A%2F%2Fdid…` is found). */
  url(url: string): string;
  /** True when a real value still stands whole in `text` (a check run on everything written). */
  leaks(text: string): string | undefined;
}

/** The replacer for a pseudonym map. */
export function createPseudonymiser(map: PseudonymMap): Pseudonymiser {
  const pairs = spellings(map);
  const lookup = new Map(pairs);
  const replacer = presentIn(pairs.map(([from]) => from));
  const text = (s: string): string => {
    const pattern = replacer(s);
    return pattern ? s.replace(pattern, (m) => lookup.get(m) ?? m) : s;
  };
  // Every spelling of every real value is looked for, so an escaped one (`O&apos;Brien`) cannot slip through.
  const realOf = new Map<string, string>();
  for (const [real] of map) for (const spelled of [real, ...markupSpellings(real), ...JSON_SPELLINGS.map((spell) => spell(real)), encodeURIComponent(real)]) realOf.set(spelled, real);
  const finder = presentIn([...realOf.keys()].sort((a, b) => b.length - a.length));
  return {
    text,
    url(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return text(url);
      }
      parsed.pathname = parsed.pathname
        .split('/')
        .map((seg) => {
          let decoded = seg;
          try {
            decoded = decodeURIComponent(seg);
          } catch {
            return text(seg);
          }
          const replaced = text(decoded);
          return replaced === decoded ? seg : encodeURIComponent(replaced);
        })
        .join('/');
      const params = [...parsed.searchParams];
      if (params.some(([k, v]) => text(k) !== k || text(v) !== v)) {
        const next = new URLSearchParams();
        for (const [k, v] of params) next.append(text(k), text(v));
        parsed.search = next.toString();
      }
      return parsed.toString();
    },
    leaks(s) {
      const found = finder(s)?.exec(s)?.[0];
      return found === undefined ? undefined : realOf.get(found);
    },
  };
}
