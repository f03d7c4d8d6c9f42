/** Input readers for `earshot analyze [file|-]`: NDJSON, JSON arrays, CSV (generic, earshot's own) and TWCS. */
export { openMentions, readMentions } from './read.js';
export type { DetectedFormat, InputFormat, OpenedInput, ReadOptions, ReadStats } from './types.js';
export { MENTION_FIELDS, type MentionField } from './fields.js';
export { parseDate } from './values.js';
export { isTwcsHeader, TWCS_COLUMNS } from './twcs.js';
export { isEarshotHeader } from './csv.js';
