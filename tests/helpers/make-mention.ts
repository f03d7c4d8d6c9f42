/** Test helpers: compact Mention builders and a simple calendar. */
import type { Mention } from '../../src/core/mention.js';
import type { BusinessCalendar } from '../../src/analysis/business-hours.js';

/** Builds a Mention with sensible defaults; `at` is an ISO time. */
export function mention(id: string, at: string, text: string, extra: Partial<Mention> = {}): Mention {
  return {
    id: `t:${id}`,
    source: 't',
    kind: extra.parentId ? 'comment' : 'post',
    author: { handle: 'customer' },
    fromBrand: false,
    text,
    createdAt: new Date(at).toISOString(),
    engagement: {},
    ...extra,
  };
}

/** A brand reply to `parent`. */
export function brandReply(id: string, at: string, parent: string, text = 'Sorry about that, we are fixing it now.', extra: Partial<Mention> = {}): Mention {
  return mention(id, at, text, { parentId: `t:${parent}`, fromBrand: true, author: { handle: 'acme' }, ...extra });
}

/** A calendar open 24/7 (business time equals calendar time). */
export const alwaysOpen: BusinessCalendar = {
  is24x7: true,
  timeZone: 'UTC',
  isOpen: () => true,
  businessMillisBetween: (a, b) => Math.max(0, b.getTime() - a.getTime()),
  nextOpening: (a) => a,
  describe: () => '24/7 UTC',
};

/** A calendar open Mon–Fri 09:00–17:00 UTC, by brute force per minute (an independent route for tests). */
export const weekdaysUtc: BusinessCalendar = {
  is24x7: false,
  timeZone: 'UTC',
  isOpen: (d) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5 && d.getUTCHours() >= 9 && d.getUTCHours() < 17,
  businessMillisBetween(a, b) {
    let open = 0;
    for (let t = a.getTime(); t < b.getTime(); t += 60_000) if (this.isOpen(new Date(t))) open += 60_000;
    return open;
  },
  nextOpening: () => undefined,
  describe: () => 'Mon–Fri 09:00–17:00 UTC',
};
