/** The time window applied to one blog thread (a post and its comments); shared by the wordpress and blogger sources. */
import type { Mention } from '../../core/mention.js';

/** Mentions of a thread kept by the window, and how many were left out. */
export interface WindowedThread {
  mentions: Mention[];
  outside: number;
}

/**
 * Comments before `since` are dropped; after `until` only replies to a kept comment stay (the brand's late
 * answers to what was said inside the window). The root post stays when it is inside the window or any of its
 * comments is kept, so the thread has its root. Comments come out oldest first.
 */
export function windowThread(
  root: Mention | undefined,
  comments: readonly Mention[],
  since: number | undefined,
  until: number | undefined,
): WindowedThread {
  const kept: Mention[] = [];
  const keptIds = new Set<string>();
  let outside = 0;
  for (const c of [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const t = Date.parse(c.createdAt);
    const early = since !== undefined && t < since;
    const late = until !== undefined && t > until && !(c.parentId !== undefined && keptIds.has(c.parentId));
    if (early || late) {
      outside += 1;
      continue;
    }
    kept.push(c);
    keptIds.add(c.id);
  }
  if (!root) return { mentions: kept, outside };
  const t = Date.parse(root.createdAt);
  const inside = (since === undefined || t >= since) && (until === undefined || t <= until);
  if (!inside && kept.length === 0) return { mentions: [], outside: outside + 1 };
  return { mentions: [root, ...kept], outside };
}
