import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maxInWindow } from '../../scripts/lib/bench-collection.js';
import { median } from '../../scripts/lib/bench-run.js';
import { synthMentions, writeSynthNdjson, writeSynthTwcs } from '../../scripts/lib/synth.js';
import { mentionFromJson } from '../../src/input/json-record.js';

async function ndjson(count: number, seed: number): Promise<string> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  await writeSynthNdjson(out, { count, seed });
  out.end();
  return Buffer.concat(parts).toString('utf8');
}

describe('synthetic mentions', () => {
  it('are the same bytes for the same seed and differ for another', async () => {
    const a = await ndjson(500, 7);
    expect(await ndjson(500, 7)).toBe(a);
    expect(await ndjson(500, 8)).not.toBe(a);
    expect(a.trimEnd().split('\n')).toHaveLength(500);
  });

  it('are valid mentions, with threads of 1–8 contiguous items whose replies follow their parents', () => {
    const ms = [...synthMentions({ count: 3000, seed: 3 })];
    expect(ms).toHaveLength(3000);
    const seen = new Map<string, string>();
    let currentRoot = '';
    let size = 0;
    const sizes: number[] = [];
    for (const m of ms) {
      expect(mentionFromJson(JSON.parse(JSON.stringify(m)), new Set()).error).toBeUndefined();
      if (m.threadId === undefined) {
        if (size > 0) sizes.push(size);
        currentRoot = m.id;
        size = 1;
      } else {
        expect(m.threadId).toBe(currentRoot);
        expect(seen.has(m.parentId!)).toBe(true);
        expect(Date.parse(m.createdAt)).toBeGreaterThanOrEqual(Date.parse(seen.get(m.parentId!)!));
        size += 1;
      }
      seen.set(m.id, m.createdAt);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8);
    expect(sizes.some((s) => s > 1)).toBe(true);
    expect(ms.filter((m) => m.fromBrand && m.parentId !== undefined).length).toBeGreaterThan(300);
    expect(new Set(ms.map((m) => m.source)).size).toBe(5);
    // Some at night and some at the weekend (UTC).
    expect(ms.some((m) => new Date(m.createdAt).getUTCHours() < 6)).toBe(true);
    expect(ms.some((m) => [0, 6].includes(new Date(m.createdAt).getUTCDay()))).toBe(true);
  });

  it('also write the TWCS layout, one row per mention', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString('utf8')));
    await writeSynthTwcs(out, { count: 200, seed: 1 });
    out.end();
    expect(text.split('\n')[0]).toBe('tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id');
    expect(text).toMatch(/\n\d+,\d+,True,(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0000 20\d{2},/);
  });
});

describe('bench helpers', () => {
  it('counts arrivals in the busiest half-open window', () => {
    expect(maxInWindow([0, 100, 200, 1000, 1099], 1000)).toBe(4);
    expect(maxInWindow([0, 999, 1000], 1000)).toBe(2);
    expect(maxInWindow([], 1000)).toBe(0);
  });

  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
