/** Generic CSV (with `--map`) and earshot's own CSV output, row by row into Mentions. */
import { createHash } from 'node:crypto';
import type { Author, Engagement, Mention, MentionKind } from '../core/mention.js';
import type { CsvRow } from './csv-rows.js';
import type { ColumnPlan, MentionField } from './fields.js';
import type { RecordResult } from './json-record.js';
import type { ProblemReporter } from './problems.js';
import { fullId, isBrandAuthor, parseBoolean, parseDate, parseNumber } from './values.js';

/** Columns whose presence marks a header as earshot's own CSV output (see docs/csv.md). */
const EARSHOT_COLUMNS = ['id', 'source', 'kind', 'created_at', 'author_handle', 'from_brand', 'text'];

/** True when the header is the one earshot's CSV writer produces (analysis columns after it are ignored). */
export function isEarshotHeader(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.trim().toLowerCase()));
  return EARSHOT_COLUMNS.every((c) => names.has(c));
}

// earshot's writer neutralises spreadsheet formulas by prefixing `'`; only undo exactly what it did.
const NEUTRALISED = /^'[=+\-@\t\r]/;

/** Undoes earshot's formula neutralisation of one cell. */
function unneutralise(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

/** What turning rows into mentions needs. */
export interface CsvMentionContext {
  header: readonly string[];
  plan: ColumnPlan;
  /** Strip earshot's `'` formula prefix (only for earshot's own header). */
  earshot: boolean;
  sourceName: string;
  brandHandles: ReadonlySet<string>;
}

const KINDS: readonly MentionKind[] = ['post', 'comment', 'review'];

/** `<source>:<first 12 hex of sha256(author|createdAt|text)>`: the same row always gets the same id. */
function syntheticId(source: string, author: string, createdAt: string, text: string): string {
  const hash = createHash('sha256').update(`${author}|${createdAt}|${text}`).digest('hex');
  return `${source}:${hash.slice(0, 12)}`;
}

/** Converts one CSV row to a Mention according to the column plan. */
function mentionFromRow(fields: readonly string[], ctx: CsvMentionContext): RecordResult {
  const cells = new Map<MentionField, { value: string; column: string }>();
  for (const [index, field] of ctx.plan) {
    const raw = fields[index] ?? '';
    cells.set(field, { value: ctx.earshot ? unneutralise(raw) : raw, column: ctx.header[index] ?? field });
  }
  const get = (field: MentionField): string | undefined => {
    const v = cells.get(field)?.value.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const column = (field: MentionField): string => cells.get(field)?.column ?? field;

  const text = cells.get('text')?.value ?? '';
  const rawDate = get('createdAt');
  if (rawDate === undefined) return { error: `empty date in column "${column('createdAt')}"` };
  const createdAt = parseDate(rawDate);
  if (createdAt === undefined) return { error: `column "${column('createdAt')}" is not a date: ${JSON.stringify(rawDate)}` };

  const source = get('source') ?? ctx.sourceName;
  let kind: MentionKind = 'post';
  const rawKind = get('kind')?.toLowerCase();
  if (rawKind !== undefined) {
    if (!KINDS.includes(rawKind as MentionKind)) {
      return { error: `column "${column('kind')}" must be one of ${KINDS.join(', ')}, found ${JSON.stringify(rawKind)}` };
    }
    kind = rawKind as MentionKind;
  }

  const author: Author = {};
  const authorId = get('author.id');
  const handle = get('author.handle')?.replace(/^@+/, '');
  const name = get('author.name');
  if (authorId !== undefined) author.id = authorId;
  if (handle) author.handle = handle;
  if (name !== undefined) author.name = name;

  const engagement: Engagement = {};
  const numbers: [MentionField, 'score' | 'likes' | 'replies' | 'followers' | 'rating'][] = [
    ['engagement.score', 'score'], ['engagement.likes', 'likes'], ['engagement.replies', 'replies'],
    ['engagement.followers', 'followers'], ['rating', 'rating'],
  ];
  let rating: number | undefined;
  for (const [field, key] of numbers) {
    const raw = get(field);
    if (raw === undefined) continue;
    const n = parseNumber(raw);
    if (n === null || n === undefined) return { error: `column "${column(field)}" is not a number: ${JSON.stringify(raw)}` };
    if (key === 'rating') rating = n;
    else engagement[key] = n;
  }

  let fromBrand = false;
  const rawBrandFlag = get('fromBrand');
  if (rawBrandFlag !== undefined) {
    const b = parseBoolean(rawBrandFlag);
    if (b === null || b === undefined) {
      return { error: `column "${column('fromBrand')}" must be true/false/1/0/yes/no, found ${JSON.stringify(rawBrandFlag)}` };
    }
    fromBrand = b;
  }
  if (isBrandAuthor(author, ctx.brandHandles)) fromBrand = true;

  const rawId = get('id');
  const id = rawId !== undefined ? fullId(rawId, source) : syntheticId(source, handle ?? authorId ?? name ?? '', createdAt, text);
  const mention: Mention = { id, source, kind, author, fromBrand, text, createdAt, engagement };
  const parentId = get('parentId');
  if (parentId !== undefined) mention.parentId = fullId(parentId, source);
  const threadId = get('threadId');
  if (threadId !== undefined) mention.threadId = fullId(threadId, source);
  if (rating !== undefined) mention.rating = rating;
  // Only `false` means anything: the source cannot show brand replies (earshot's own CSV writes it so).
  const rawObservable = get('replyObservable');
  if (rawObservable !== undefined) {
    const b = parseBoolean(rawObservable);
    if (b === null || b === undefined) return { error: `column "${column('replyObservable')}" must be true/false/1/0/yes/no, found ${JSON.stringify(rawObservable)}` };
    if (!b) mention.replyObservable = false;
  }
  // Only `true` means anything: the source gave no readable time and createdAt is an estimate.
  const rawEstimated = get('dateEstimated');
  if (rawEstimated !== undefined) {
    const b = parseBoolean(rawEstimated);
    if (b === null || b === undefined) return { error: `column "${column('dateEstimated')}" must be true/false/1/0/yes/no, found ${JSON.stringify(rawEstimated)}` };
    if (b) mention.dateEstimated = true;
  }
  for (const key of ['url', 'brand', 'language'] as const) {
    const v = get(key);
    if (v !== undefined) mention[key] = v;
  }
  // Titles keep their inner spacing; only an all-blank title counts as none.
  const title = cells.get('title')?.value;
  if (title !== undefined && title.trim() !== '') mention.title = title;
  return { mention };
}

/** Streams mentions from the data rows of a generic or earshot CSV. */
export async function* readCsvMentions(
  rows: AsyncIterable<CsvRow>, ctx: CsvMentionContext, problems: ProblemReporter,
): AsyncGenerator<Mention> {
  for await (const { line, fields } of rows) {
    const result = mentionFromRow(fields, ctx);
    if (result.error !== undefined) problems.skip(line, result.error);
    else yield result.mention;
  }
}
