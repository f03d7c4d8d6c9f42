/**
 * `npm run fixture:from-raw`: a `--save-raw` recording turned into a fixture folder of one source — routes.json,
 * bodies, PROVENANCE.md — plus golden pairs written by the source's own parsers, with personal data pseudonymised
 * consistently (scripts/lib/pseudonymise.ts) and credentials redacted (src/http/redact.ts). Everything is computed
 * in memory and checked before the first file is written, so a refusal leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Author } from '../../src/core/mention.js';
import { redactText, redactUrl, scrubSecrets, secretsOf } from '../../src/http/redact.js';
import { SOURCES } from '../../src/sources/index.js';
import type { ParseResult, Source } from '../../src/sources/types.js';
import { GOLDEN_SERVER, goldenQuery, goldenText } from './golden-case.js';
import { pageLabel } from './page-label.js';
import {
  createPseudonymiser,
  createPseudonymMap,
  keptAccounts,
  personalValuesOfAuthors,
  personalValuesOfJson,
  personalValuesOfMarkup,
  type PersonalValue,
  type PseudonymMap,
} from './pseudonymise.js';

/** A refusal: one sentence, exit 2. */
export class FromRawError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FromRawError';
  }
}

/** What to convert and where. */
export interface FromRawOptions {
  /** The `--save-raw` folder. */
  dir: string;
  source: string;
  /** The recording's name: the fixture folder and the golden cases' prefix. */
  name: string;
  /** The `fixtures/sources` folder to write under. */
  root: string;
  /** Accounts kept as recorded (the brand's own; never personal data), handles or names. */
  keep?: readonly string[];
  /** Source options the golden cases are parsed with (else the source's scenario options). */
  options?: Record<string, unknown>;
}

/** What was written. */
export interface FromRawResult {
  folder: string;
  /** Files written, relative to `root`. */
  files: string[];
  routes: number;
  goldens: number;
  /** Real value → pseudonym (kept in memory only; never written). */
  pseudonyms: PseudonymMap;
}

/** One manifest entry, as far as it is read here. */
interface Entry {
  seq: number;
  method: 'GET' | 'POST';
  url: string;
  fetchedAt: string;
  status: number;
  headers: Record<string, string>;
  contentType?: string;
  sha256?: string;
  file?: string;
  error?: { code: string; message: string; status?: number; body?: string };
}

// Response headers a source reads (paging, limits, type); everything else (cookies, caching, tracing) is dropped.
// Last-Modified and ETag are dropped too: the fixture server would answer 304 to Reddit's If-Modified-Since.
const KEPT_HEADER = /^(?:content-type|link|retry-after|x-ratelimit-[a-z-]+|ratelimit(?:-[a-z-]+)?|x-wp-total(?:pages)?|x-total(?:-count)?|x-next-page)$/i;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest's entries: manifest.json when the run finished, else manifest.ndjson; anything else is refused. */
function readEntries(dir: string): { entries: Entry[]; startedAt: string; finishedAt?: string; version?: string } {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new FromRawError(`${dir} is not a folder; give the folder an audit wrote with --save-raw DIR.`);
  const json = join(dir, 'manifest.json');
  const journal = join(dir, 'manifest.ndjson');
  let raw: unknown;
  if (existsSync(json)) {
    try {
      raw = JSON.parse(readFileSync(json, 'utf8'));
    } catch {
      throw new FromRawError(`${json} is not valid JSON; re-record the audit with --save-raw.`);
    }
  } else if (existsSync(journal)) {
    const lines = readFileSync(journal, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const entries: unknown[] = [];
    lines.forEach((line, i) => {
      try {
        entries.push(JSON.parse(line));
      } catch {
        // Only the last line may be torn (a run killed mid-write).
        if (i < lines.length - 1) throw new FromRawError(`${journal} line ${i + 1} is not valid JSON; re-record the audit with --save-raw.`);
      }
    });
    raw = { entries, startedAt: (entries[0] as { fetchedAt?: string } | undefined)?.fetchedAt ?? '' };
  } else {
    throw new FromRawError(`${dir} holds no manifest.json or manifest.ndjson; give the folder an audit wrote with --save-raw DIR.`);
  }
  const m = raw as { entries?: unknown; startedAt?: unknown; finishedAt?: unknown; version?: unknown };
  if (m === null || typeof m !== 'object' || !Array.isArray(m.entries)) throw new FromRawError(`The manifest in ${dir} has no "entries" list; re-record the audit with --save-raw.`);
  const entries = m.entries.map((e: unknown, i: number) => checkEntry(dir, e, i));
  return {
    entries,
    startedAt: typeof m.startedAt === 'string' ? m.startedAt : '',
    ...(typeof m.finishedAt === 'string' ? { finishedAt: m.finishedAt } : {}),
    ...(typeof m.version === 'string' ? { version: m.version } : {}),
  };
}

/** One entry, its fields checked; a body file must be a plain file of the folder whose sha256 is the recorded one. */
function checkEntry(dir: string, e: unknown, i: number): Entry {
  const where = `manifest entry ${i + 1}`;
  if (e === null || typeof e !== 'object') throw new FromRawError(`The ${where} in ${dir} is not an object; re-record the audit with --save-raw.`);
  const x = e as Record<string, unknown>;
  if (typeof x['url'] !== 'string' || !URL.canParse(x['url'])) throw new FromRawError(`The ${where} in ${dir} has no valid "url"; re-record the audit with --save-raw.`);
  if (typeof x['status'] !== 'number') throw new FromRawError(`The ${where} in ${dir} has no numeric "status"; re-record the audit with --save-raw.`);
  const entry: Entry = {
    seq: typeof x['seq'] === 'number' ? x['seq'] : i + 1,
    method: x['method'] === 'POST' ? 'POST' : 'GET',
    url: x['url'],
    fetchedAt: typeof x['fetchedAt'] === 'string' ? x['fetchedAt'] : '',
    status: x['status'],
    headers: x['headers'] !== null && typeof x['headers'] === 'object' ? (x['headers'] as Record<string, string>) : {},
  };
  if (typeof x['contentType'] === 'string') entry.contentType = x['contentType'];
  if (x['error'] !== null && typeof x['error'] === 'object') entry.error = x['error'] as NonNullable<Entry['error']>;
  if (x['file'] === undefined && entry.error) return entry;
  const file = x['file'];
  if (typeof file !== 'string' || file === '' || file === '.' || file === '..' || basename(file) !== file || /[\\/\u0000]/.test(file)) {
    throw new FromRawError(`The ${where} in ${dir} names the body file ${JSON.stringify(file ?? null)}, which is not a file inside ${dir}; only the recording's own files are read.`);
  }
  const path = join(dir, file);
  if (!existsSync(path) || !lstatSync(path).isFile()) throw new FromRawError(`The ${where} in ${dir} names ${file}, which is missing or not a plain file; re-record the audit with --save-raw.`);
  if (typeof x['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(x['sha256'])) throw new FromRawError(`The ${where} in ${dir} (${file}) has no valid "sha256", so its body cannot be checked; re-record the audit with --save-raw.`);
  if (sha256(readFileSync(path)) !== x['sha256']) throw new FromRawError(`${join(dir, file)} does not match its sha256 in the manifest (${where}); the recording was altered, so re-record the audit with --save-raw.`);
  entry.file = file;
  entry.sha256 = x['sha256'];
  return entry;
}

/** Runs a parser, turning a throw into undefined (a page of another shape, or an error page). */
function tryParse(parse: Source['parsers'][string], body: string, url: string, options: Record<string, unknown> | undefined, source: Source): ParseResult | string {
  try {
    return parse(body, { query: goldenQuery(source, options), url });
  } catch (err) {
    return (err as Error).message;
  }
}

/** Personal values in one body: its JSON (or the JSON lines of Google Play's envelope), its markup, its parsed authors. */
function valuesOf(body: string, authors: readonly Author[], kept: (v: string) => boolean, keptValues: Set<string>): PersonalValue[] {
  const out: PersonalValue[] = [];
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      out.push(...personalValuesOfJson(JSON.parse(body), kept, keptValues));
    } catch {
      // Not JSON: the parsed authors still count.
    }
  } else if (trimmed.startsWith('<')) {
    out.push(...personalValuesOfMarkup(body, kept, keptValues));
  }
  out.push(...personalValuesOfAuthors(authors, kept, keptValues));
  return out;
}

/** The content type with its charset stated as UTF-8: the recorder saved the decoded text as UTF-8 bytes. */
function utf8ContentType(type: string | undefined): string | undefined {
  if (type === undefined) return undefined;
  const bare = type.replace(/;\s*charset=[^;]*/i, '');
  return `${bare}; charset=utf-8`;
}

/** A short file-name part from a URL's last path segment. */
function slugOf(url: string): string {
  // Reddit's comment feeds end in `/.rss`: the post id before it names the file.
  const segs = new URL(url).pathname.split('/').filter((s) => s !== '' && !/^\.[a-z]+$/i.test(s));
  const last = (segs.at(-1) ?? 'root').replace(/\.(?:json|rss|xml|html?|atom)$/i, '');
  const slug = decodeURIComponentSafe(last).toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug === '' ? 'root' : slug;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function extOf(entry: Entry): string {
  const fromFile = /\.([a-z0-9]+)$/.exec(entry.file ?? '')?.[1];
  return fromFile ?? 'txt';
}

/** Turns the recording in `options.dir` into a fixture folder and golden pairs; refuses with a FromRawError. */
export function fixtureFromRaw(options: FromRawOptions): FromRawResult {
  const source = SOURCES[options.source];
  if (!source) throw new FromRawError(`Unknown source '${options.source}'; choose one of ${Object.keys(SOURCES).join(', ')}.`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(options.name) || options.name === 'golden') {
    throw new FromRawError(`The fixture name '${options.name}' must be lower-case letters, digits and hyphens (and not "golden"), e.g. recorded-2026-12.`);
  }
  const sourceDir = join(options.root, source.id);
  const folder = join(sourceDir, options.name);
  if (existsSync(folder)) throw new FromRawError(`${folder} already exists; choose another NAME or remove it first.`);
  const recording = readEntries(options.dir);
  // The golden cases are parsed with what their context.json will say: the scenario options with the given ones on top.
  const parseOptions = options.options ? { ...source.scenario.options(GOLDEN_SERVER), ...options.options } : undefined;
  const kept = keptAccounts(options.keep ?? []);
  // A recording made by earshot holds no credential, but an older or edited one may: any credential value its URLs or
  // headers still name is cut out of every body too (a server may echo the key it was sent).
  const secrets = recording.entries.flatMap((e) => secretsOf(e.url, e.headers));
  const clean = (text: string): string => redactText(scrubSecrets(text, secrets), secrets);
  const bodies = new Map<number, string>();
  for (const e of recording.entries) if (e.file !== undefined) bodies.set(e.seq, clean(readFileSync(join(options.dir, e.file), 'utf8')));
  for (const e of recording.entries) if (e.error?.body !== undefined) e.error.body = clean(e.error.body);

  // 1. Collect the personal values, recording order first, then document order.
  const values: PersonalValue[] = [];
  const keptValues = new Set<string>();
  const ordered = [...recording.entries].sort((a, b) => a.seq - b.seq);
  for (const e of ordered) {
    const body = bodies.get(e.seq) ?? e.error?.body;
    if (body === undefined) continue;
    const label = pageLabel(source.id, e.url);
    const parsed = label !== undefined && source.parsers[label] ? tryParse(source.parsers[label]!, body, e.url, parseOptions, source) : undefined;
    const authors = typeof parsed === 'object' ? parsed.mentions.map((m) => m.author) : [];
    values.push(...valuesOf(body, authors, kept, keptValues));
  }
  const corpus = [...bodies.values(), ...ordered.map((e) => e.url)].join('\n');
  // What a kept account holds is spared wherever it stands, even where no name beside it says whose it is.
  const pseudonyms = createPseudonymMap(values.filter((v) => !keptValues.has(v.value)), corpus);
  const p = createPseudonymiser(pseudonyms);

  // 2. Build every file in memory.
  const files = new Map<string, string>();
  const routes: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const rows: string[] = [];
  let goldens = 0;
  for (const e of ordered) {
    const url = p.url(redactUrl(e.url));
    const parsedUrl = new URL(url);
    const query: Record<string, string> = {};
    // A credential's value is not recorded, so a route must not require it. A repeated parameter (`post_ids[]=1&
    // post_ids[]=2`) is matched on its last value, as the fixture server reads the request's query.
    for (const [k, v] of parsedUrl.searchParams) if (v !== 'REDACTED') query[k] = v;
    const key = `${e.method} ${parsedUrl.pathname} ${JSON.stringify(Object.entries(query).sort())}`;
    const original = bodies.get(e.seq);
    const repeated = seen.has(key);
    seen.add(key);
    const seqText = String(e.seq).padStart(3, '0');
    if (original === undefined) {
      const status = e.error?.status;
      if (repeated || status === undefined || status === 0) {
        rows.push(`| ${e.seq} | ${e.method} | ${e.error?.code ?? 'error'} | ${url} | ${e.fetchedAt} | — | — | — | not served (${repeated ? 'repeat of an earlier request' : 'no HTTP answer'}) |`);
        continue;
      }
      const errBody = p.text(e.error?.body ?? '');
      routes.push({ method: e.method, path: parsedUrl.pathname, query, status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: errBody, seq: e.seq });
      rows.push(`| ${e.seq} | ${e.method} | ${status} | ${url} | ${e.fetchedAt} | inline body | ${e.error?.body === undefined ? '—' : `\`${sha256(e.error.body)}\``} | \`${sha256(errBody)}\` | failure as recorded (${e.error?.code ?? 'error'}) |`);
      continue;
    }
    const body = p.text(original);
    const ext = extOf(e);
    // A repeated request is served by the first answer (the fixture server's first match), so its body is not kept.
    const file = repeated ? '—' : `${seqText}-${slugOf(url)}.${ext}`;
    if (!repeated) files.set(join(options.name, file), body);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(e.headers)) if (KEPT_HEADER.test(name)) headers[name.toLowerCase()] = p.text(clean(String(value)));
    const type = utf8ContentType(headers['content-type'] ?? e.contentType);
    if (type !== undefined) headers['content-type'] = type;
    if (!repeated) routes.push({ method: e.method, path: parsedUrl.pathname, query, status: e.status, headers, file, seq: e.seq });
    let golden = '—';
    const label = pageLabel(source.id, e.url);
    if (!repeated && e.status === 200 && label !== undefined && source.parsers[label]) {
      const result = tryParse(source.parsers[label]!, body, url, parseOptions, source);
      if (typeof result === 'string') {
        golden = `not parsed by \`${label}\`: ${result.replace(/\|/g, '\\|')}`;
      } else {
        const base = join('golden', label, `${options.name}-${seqText}`);
        files.set(`${base}.${ext}`, body);
        const context = parseOptions ? { url, options: parseOptions } : { url };
        files.set(`${base}.context.json`, `${JSON.stringify(context, null, 2)}\n`);
        files.set(`${base}.expected.json`, goldenText(result));
        golden = `\`${label}/${options.name}-${seqText}\` (${result.mentions.length} mentions)`;
        goldens += 1;
      }
    }
    rows.push(`| ${e.seq} | ${e.method} | ${e.status} | ${url} | ${e.fetchedAt} | ${repeated ? '—' : `\`${file}\``} | \`${e.sha256}\` | \`${sha256(body)}\` | ${repeated ? 'repeat (served by the first)' : golden} |`);
  }
  // A route listing more query parameters goes first: the server's first match would otherwise be the looser one.
  routes.sort((a, b) => Object.keys(b['query'] as object).length - Object.keys(a['query'] as object).length || (a['seq'] as number) - (b['seq'] as number));
  const routesJson = { routes: routes.map(({ seq: _seq, ...r }) => r) };
  files.set(join(options.name, 'routes.json'), `${JSON.stringify(routesJson, null, 2)}\n`);
  files.set(join(options.name, 'PROVENANCE.md'), provenance(options, source, recording, pseudonyms, rows));

  // 3. Nothing personal may be left in anything written; nothing may overwrite a file.
  for (const [rel, text] of files) {
    const leak = p.leaks(text);
    if (leak !== undefined) throw new FromRawError(`${rel} would still hold a recorded personal value after pseudonymising; nothing was written (report this with the source id).`);
    if (existsSync(join(sourceDir, rel))) throw new FromRawError(`${join(sourceDir, rel)} already exists; choose another NAME.`);
  }
  for (const [rel, text] of files) {
    const target = join(sourceDir, rel);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, text);
  }
  return { folder, files: [...files.keys()].map((f) => join(source.id, f)), routes: routes.length, goldens, pseudonyms };
}

/** The flags a conversion was run with, as they would be typed again (so the "Made by" line reproduces it). */
function commandFlags(options: FromRawOptions): string {
  const keep = (options.keep ?? []).map((k) => ` --keep ${k}`);
  const opts = Object.entries(options.options ?? {}).map(([k, v]) => ` --option ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [...keep, ...opts].join('');
}

/** PROVENANCE.md: where each body came from, when, and the sha256 of the recorded and the pseudonymised bytes. */
function provenance(
  options: FromRawOptions,
  source: Source,
  recording: { startedAt: string; finishedAt?: string; version?: string },
  pseudonyms: PseudonymMap,
  rows: string[],
): string {
  const kinds = { names: 0, ids: 0, urls: 0 };
  for (const pseudo of pseudonyms.values()) {
    if (pseudo.includes('/pseudonymised/')) kinds.urls += 1;
    else if (/^user-\d|^Person \d|@example\.invalid$/.test(pseudo)) kinds.names += 1;
    else kinds.ids += 1;
  }
  return [
    `# ${source.title}: recording "${options.name}"`,
    '',
    `Made by \`npm run fixture:from-raw -- DIR ${source.id} ${options.name}${commandFlags(options)}\` from an \`earshot audit … --save-raw DIR\` recording` +
      ` (earshot ${recording.version ?? 'unknown version'}, recorded ${recording.startedAt || 'at an unknown time'}${recording.finishedAt ? ` – ${recording.finishedAt}` : ''}).` +
      ' These are the answers the recorded server gave (its host is in the URLs below), not hand-written shapes: the service\'s own when the recording was made against it.',
    '',
    `Personal data was replaced consistently (one real value, one pseudonym, in every body, URL and header): ${kinds.names} names and handles,` +
      ` ${kinds.ids} user ids, ${kinds.urls} avatar and profile URLs. ${options.keep && options.keep.length > 0 ? `Kept as recorded (the brand's own accounts): ${options.keep.join(', ')}.` : 'No account was kept as recorded.'}` +
      ' Credentials in URLs and headers are redacted (src/http/redact.ts); cookies and all headers but type, paging and limits are dropped.' +
      ' Bodies were saved as decoded text, so each route says `charset=utf-8` whatever the service declared.',
    '',
    'URLs are shown redacted and pseudonymised. The first sha256 is of the body file as recorded (checked against the manifest), the second of the file here.',
    '',
    '| # | method | status | URL | fetched at | file | sha256 recorded | sha256 here | golden pair |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
