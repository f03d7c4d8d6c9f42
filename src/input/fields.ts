/** The Mention fields a CSV column can fill, and how header names map onto them. */
import { UsageError } from '../core/errors.js';

/** Every Mention path a CSV column can be mapped to with `--map column=field`. */
export const MENTION_FIELDS = [
  'id', 'source', 'kind', 'url', 'title', 'text', 'createdAt', 'parentId', 'threadId', 'rating', 'language',
  'fromBrand', 'brand', 'author.id', 'author.handle', 'author.name',
  'engagement.score', 'engagement.likes', 'engagement.replies', 'engagement.followers', 'replyObservable',
  'dateEstimated',
] as const;

/** One of MENTION_FIELDS. */
export type MentionField = (typeof MENTION_FIELDS)[number];

// Squashes case, `_`, `-`, `.` and spaces, so `created_at`, `Created At` and `createdAt` all match `createdAt`.
function squash(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_.-]+/g, '');
}

// Extra names (besides each field's own squashed path) that map automatically; earshot's CSV writes several.
const ALIASES: Record<string, MentionField> = {
  author: 'author.handle',
  likes: 'engagement.likes',
  replies: 'engagement.replies',
  followers: 'engagement.followers',
  engagementscore: 'engagement.score',
  authorid: 'author.id',
  authorhandle: 'author.handle',
  authorname: 'author.name',
};

const BY_SQUASHED = new Map<string, MentionField>();
for (const field of MENTION_FIELDS) BY_SQUASHED.set(squash(field), field);
for (const [alias, field] of Object.entries(ALIASES)) BY_SQUASHED.set(alias, field);

/** The field a `--map` target or a header name stands for, or undefined. */
function fieldFor(name: string): MentionField | undefined {
  return BY_SQUASHED.get(squash(name));
}

/** Header column index → the field it fills. */
export type ColumnPlan = Map<number, MentionField>;

/** Lists choices for a usage message. */
function list(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.join(', ');
}

/**
 * Decides which column fills which field: explicit `--map` entries first (they win over a same-named column),
 * then every column whose name is a field name in any case or snake_case. Throws UsageError for bad maps.
 */
export function planColumns(header: readonly string[], map: Record<string, string> | undefined): ColumnPlan {
  const plan: ColumnPlan = new Map();
  const taken = new Set<MentionField>();
  for (const [column, target] of Object.entries(map ?? {})) {
    const field = fieldFor(target);
    if (field === undefined) {
      throw new UsageError(`--map ${column}=${target}: "${target}" is not a mention field; valid fields: ${list(MENTION_FIELDS)}.`);
    }
    let index = header.indexOf(column);
    if (index < 0) index = header.findIndex((h) => h.trim().toLowerCase() === column.trim().toLowerCase());
    if (index < 0) {
      throw new UsageError(`--map ${column}=${target}: the CSV has no column "${column}"; its columns are: ${list(header)}.`);
    }
    if (taken.has(field)) throw new UsageError(`--map: two columns are mapped to ${field}.`);
    plan.set(index, field);
    taken.add(field);
  }
  header.forEach((name, index) => {
    if (plan.has(index)) return;
    const field = fieldFor(name);
    if (field === undefined || taken.has(field)) return;
    plan.set(index, field);
    taken.add(field);
  });
  for (const [field, hint] of [['text', 'body'], ['createdAt', 'posted']] as const) {
    if (!taken.has(field)) {
      throw new UsageError(
        `the CSV has no column for ${field}: add --map <column>=${field} (e.g. --map ${hint}=${field}); its columns are: ${list(header)}.`,
      );
    }
  }
  return plan;
}
