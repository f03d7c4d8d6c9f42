/** Input readers for `earshot analyze [file|-]`: NDJSON, JSON arrays, CSV (generic, earshot's own) and TWCS. */
export { openMentions, readMentions } from './read.js';
export { newestCreatedAt } from './newest.js';
export type { DetectedFormat, InputFormat, OpenedInput, ReadOptions } from './types.js';
export { MENTION_FIELDS } from './fields.js';
export { isEarshotHeader } from './csv.js';
