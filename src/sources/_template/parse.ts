/** Pure parsing for the _template source: a search page `{"items": [...], "next_page": n | null}` into mentions. */
import { SourceError } from '../../core/errors.js';
import type { Mention } from '../../core/mention.js';
import { isListedHandle } from '../shared/handles.js';
import { isObject, parseJsonBody, type JsonObject } from '../shared/json-fields.js';
import type { ParseResult, SourceQuery } from '../types.js';

/** The source id, as it appears in mention ids. */
export const TEMPLATE_ID = '_template';

/** One search page: its mentions, and the next page number when there is one. */
export interface TemplateSearchPage extends ParseResult {
  nextPage?: number;
}

const text = (item: JsonObject, key: string): string | undefined => (typeof item[key] === 'string' ? item[key] : undefined);

/** Parses a search page; a body that is not one throws `bad-response` saying what was expected. */
export function parseTemplateSearch(body: string, query: SourceQuery): TemplateSearchPage {
  const data = parseJsonBody(body, TEMPLATE_ID, 'a search page ({"items": [...]})');
  if (!isObject(data) || !Array.isArray(data['items'])) {
    throw new SourceError('bad-response', `${TEMPLATE_ID}: expected a search page with an "items" list.`, { sourceId: TEMPLATE_ID });
  }
  const mentions: Mention[] = [];
  const warnings: string[] = [];
  data['items'].forEach((item: unknown, i: number) => {
    const id = isObject(item) ? (text(item, 'id') ?? (typeof item['id'] === 'number' ? String(item['id']) : undefined)) : undefined;
    const created = isObject(item) ? Date.parse(text(item, 'created_at') ?? '') : NaN;
    if (!isObject(item) || id === undefined || Number.isNaN(created)) {
      warnings.push(`${TEMPLATE_ID}: search item ${i + 1} has no readable id or created_at; skipped.`);
      return;
    }
    const author = text(item, 'author');
    const parent = text(item, 'parent_id');
    const root = text(item, 'thread_id') ?? parent ?? id;
    const url = text(item, 'url');
    mentions.push({
      id: `${TEMPLATE_ID}:${id}`,
      source: TEMPLATE_ID,
      kind: parent === undefined ? 'post' : 'comment',
      ...(url === undefined ? {} : { url }),
      author: author === undefined ? {} : { handle: author },
      fromBrand: isListedHandle(author, query.brandHandles),
      text: text(item, 'text') ?? '',
      createdAt: new Date(created).toISOString(),
      ...(parent === undefined ? {} : { parentId: `${TEMPLATE_ID}:${parent}` }),
      threadId: `${TEMPLATE_ID}:${root}`,
      engagement: typeof item['score'] === 'number' && Number.isFinite(item['score']) ? { score: item['score'] } : {},
    });
  });
  const next = data['next_page'];
  return { mentions, warnings, ...(typeof next === 'number' && Number.isInteger(next) && next > 0 ? { nextPage: next } : {}) };
}
