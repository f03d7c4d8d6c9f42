/** The newest time in an input: `earshot analyze`'s as-of time when no --now is given. */
import type { Readable } from 'node:stream';
import { silentLogger } from '../core/log.js';
import { openMentions } from './read.js';
import type { ReadOptions } from './types.js';

/**
 * The newest `createdAt` among an input's mentions (brand replies included), or undefined when it has none. Read as
 * the analysis will read it (same format, map, brand filter), quietly: the analysis pass reports the problems.
 */
export async function newestCreatedAt(input: Readable, options: ReadOptions): Promise<Date | undefined> {
  const opened = await openMentions(input, { ...options, log: silentLogger, strict: false });
  let newest = -Infinity;
  for await (const m of opened.mentions) {
    const t = Date.parse(m.createdAt);
    if (t > newest) newest = t;
  }
  return Number.isFinite(newest) ? new Date(newest) : undefined;
}
