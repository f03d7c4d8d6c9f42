/**
 * The public "Customer Support on Twitter" (TWCS) layout: many brands' support threads in one CSV.
 *
 * Two passes: a customer tweet's brand can depend on a company reply later in the file, so rows are first
 * buffered in a compact form (ids, author, inbound flag, epoch ms, text, line), then threads are resolved and
 * mentions emitted in file order. Memory grows with the file, about 3× the CSV's size (measured on a synthetic
 * file in the full data set's shape, 2.8M rows / 436 MB: peak heap 1.56 GB, RSS 1.7 GB, 76 s; it fits Node's
 * default heap limit on a 24 GB machine, 4 GB; smaller machines need --max-old-space-size). Other formats stream
 * in constant memory.
 */
import type { Mention } from '../core/mention.js';
import type { CsvRow } from './csv-rows.js';
import type { ProblemReporter } from './problems.js';
import { isBrandAuthor, normaliseHandle, normaliseNativeId, parseBoolean, parseDate } from './values.js';

/** The seven TWCS columns, in the data set's order. */
export const TWCS_COLUMNS = [
  'tweet_id', 'author_id', 'inbound', 'created_at', 'text', 'response_tweet_id', 'in_response_to_tweet_id',
] as const;

/** True when a CSV header holds every TWCS column (any order, any case; extra columns allowed). */
export function isTwcsHeader(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.trim().toLowerCase()));
  return TWCS_COLUMNS.every((c) => names.has(c));
}

/** What the TWCS reader needs besides the rows. */
export interface TwcsContext {
  header: readonly string[];
  problems: ProblemReporter;
  /** `--brand` and `--brand-handle`: keep only threads of these companies (empty: keep all). */
  brandFilter: readonly string[];
  brandHandles: ReadonlySet<string>;
  /** Filled with the company authors found, most active first, once pass 1 is done. */
  brandsOut: string[];
  /** Counts rows the brand filter leaves out. */
  onFiltered: () => void;
  warn: (message: string) => void;
}

interface Row {
  id: string;
  author: string;
  inbound: boolean;
  /** Epoch ms: a number costs less memory than the ISO string, which is rebuilt on output. */
  createdAt: number;
  text: string;
  parent: string | undefined;
  line: number;
}

const SOURCE = 'twitter';
const ID_RE = /^[0-9A-Za-z_-]+$/;

function tweetUrl(author: string, id: string): string {
  // Customers are anonymised numeric ids, so only company (named) authors get a handle URL.
  return /^\d+$/.test(author)
    ? `https://twitter.com/i/web/status/${id}`
    : `https://twitter.com/${encodeURIComponent(author)}/status/${id}`;
}

/** Reads TWCS rows into mentions: brand per row, thread ids, optional brand filter. */
export async function* readTwcs(rows: AsyncIterable<CsvRow>, ctx: TwcsContext): AsyncGenerator<Mention> {
  const col = (name: string): number => ctx.header.findIndex((h) => h.trim().toLowerCase() === name);
  const [iId, iAuthor, iInbound, iCreated, iText, iResponses, iParent] = TWCS_COLUMNS.map(col) as [
    number, number, number, number, number, number, number,
  ];

  // Pass 1: validate and keep compact rows; remember child → parent links that only response_tweet_id states.
  const kept: Row[] = [];
  const indexById = new Map<string, number>();
  const parentFromResponses = new Map<string, string>();
  for await (const { line, fields } of rows) {
    const id = normaliseNativeId(fields[iId] ?? '');
    if (id === '') {
      ctx.problems.skip(line, 'empty tweet_id');
      continue;
    }
    if (!ID_RE.test(id)) {
      ctx.problems.skip(line, `tweet_id is not an id: ${JSON.stringify(id)}`);
      continue;
    }
    const author = (fields[iAuthor] ?? '').trim();
    if (author === '') {
      ctx.problems.skip(line, 'empty author_id');
      continue;
    }
    const inbound = parseBoolean(fields[iInbound] ?? '');
    if (inbound === null || inbound === undefined) {
      ctx.problems.skip(line, `inbound must be True or False, found ${JSON.stringify(fields[iInbound] ?? '')}`);
      continue;
    }
    const rawDate = (fields[iCreated] ?? '').trim();
    const iso = parseDate(rawDate);
    if (iso === undefined) {
      ctx.problems.skip(line, `created_at is not a date: ${JSON.stringify(rawDate)}`);
      continue;
    }
    const earlier = indexById.get(id);
    if (earlier !== undefined) {
      ctx.problems.skip(line, `duplicate tweet_id ${id} (first on line ${kept[earlier]!.line})`);
      continue;
    }
    const rawParent = normaliseNativeId(fields[iParent] ?? '');
    const parent = rawParent === '' || rawParent === id ? undefined : rawParent;
    for (const r of (fields[iResponses] ?? '').split(',')) {
      const child = normaliseNativeId(r);
      if (child !== '' && child !== id && !parentFromResponses.has(child)) parentFromResponses.set(child, id);
    }
    indexById.set(id, kept.length);
    kept.push({ id, author, inbound, createdAt: Date.parse(iso), text: fields[iText] ?? '', parent, line });
  }

  const parentOf = (row: Row): string | undefined => row.parent ?? parentFromResponses.get(row.id);

  // Thread key: the topmost known ancestor, or the missing parent a chain points at (the real root is unknown).
  const threadKey: (string | undefined)[] = new Array(kept.length);
  for (let start = 0; start < kept.length; start += 1) {
    if (threadKey[start] !== undefined) continue;
    const chain: number[] = [];
    const seen = new Set<number>();
    let key: string | undefined;
    let i = start;
    for (;;) {
      const known = threadKey[i];
      if (known !== undefined) {
        key = known;
        break;
      }
      if (seen.has(i)) {
        key = kept[i]!.id; // a reply cycle (bad data): cut it at the first repeated tweet
        break;
      }
      seen.add(i);
      chain.push(i);
      const parent = parentOf(kept[i]!);
      if (parent === undefined) {
        key = kept[i]!.id;
        break;
      }
      const p = indexById.get(parent);
      if (p === undefined) {
        key = parent;
        break;
      }
      i = p;
    }
    for (const j of chain) threadKey[j] = key;
  }

  // Companies (authors of outbound tweets) and, per thread, the companies in it and the earliest one to post.
  const companies = new Map<string, string>();
  const activity = new Map<string, number>();
  const threadCompanies = new Map<string, Map<string, number>>(); // key → lower-case company → earliest time
  kept.forEach((row, i) => {
    if (row.inbound) return;
    const lower = row.author.toLowerCase();
    if (!companies.has(lower)) companies.set(lower, row.author);
    activity.set(lower, (activity.get(lower) ?? 0) + 1);
    const key = threadKey[i]!;
    let inThread = threadCompanies.get(key);
    if (!inThread) threadCompanies.set(key, (inThread = new Map()));
    const first = inThread.get(lower);
    if (first === undefined || row.createdAt < first) inThread.set(lower, row.createdAt);
  });
  ctx.brandsOut.splice(0, ctx.brandsOut.length, ...[...companies.keys()]
    .sort((a, b) => (activity.get(b) ?? 0) - (activity.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => companies.get(k)!));

  const filter = new Set(ctx.brandFilter.map(normaliseHandle).filter((h) => h !== ''));
  if (filter.size > 0 && ![...filter].some((f) => companies.has(f))) {
    ctx.warn(
      `${ctx.problems.name}: no company in this file matches ${[...ctx.brandFilter].join(', ')}; ` +
        `companies: ${ctx.brandsOut.slice(0, 20).join(', ') || '(none)'}.`,
    );
  }

  const earliest = (inThread: Map<string, number> | undefined, among?: Set<string>): string | undefined => {
    let best: string | undefined;
    let bestTime = 0;
    for (const [company, time] of inThread ?? []) {
      if (among && !among.has(company)) continue;
      if (best === undefined || time < bestTime) [best, bestTime] = [company, time];
    }
    return best;
  };
  const mentioned = (text: string): string | undefined => {
    for (const m of text.matchAll(/@([A-Za-z0-9_]{1,50})/g)) {
      const lower = m[1]!.toLowerCase();
      if (companies.has(lower)) return lower;
    }
    return undefined;
  };

  // Pass 2: emit in file order.
  for (let i = 0; i < kept.length; i += 1) {
    const row = kept[i]!;
    const key = threadKey[i]!;
    const inThread = threadCompanies.get(key);
    let brand: string | undefined;
    if (!row.inbound) brand = row.author.toLowerCase();
    else brand = earliest(inThread, filter.size > 0 ? filter : undefined) ?? earliest(inThread) ?? mentioned(row.text);
    if (filter.size > 0) {
      const inScope = inThread && inThread.size > 0 ? [...inThread.keys()].some((c) => filter.has(c)) : brand !== undefined && filter.has(brand);
      if (!inScope) {
        ctx.onFiltered();
        continue;
      }
    }
    const parent = parentOf(row);
    const author = { handle: row.author };
    const mention: Mention = {
      id: `${SOURCE}:${row.id}`,
      source: SOURCE,
      kind: parent === undefined ? 'post' : 'comment',
      url: tweetUrl(row.author, row.id),
      author,
      fromBrand: !row.inbound || isBrandAuthor(author, ctx.brandHandles),
      text: row.text,
      createdAt: new Date(row.createdAt).toISOString(),
      threadId: `${SOURCE}:${key}`,
      engagement: {},
    };
    if (brand !== undefined) mention.brand = companies.get(brand) ?? brand;
    if (parent !== undefined) mention.parentId = `${SOURCE}:${parent}`;
    yield mention;
  }
}
