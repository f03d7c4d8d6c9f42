import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mention } from '../../../src/core/mention.js';
import { chunked, readAll } from './read-helper.js';

// Values as sources produce them: trimmed single-line tokens for ids and names, free text for text/title.
const token = fc.stringMatching(/^[A-Za-z0-9_.é漢-]{1,12}$/);
const freeText = fc.string({ unit: 'grapheme', maxLength: 40 });

const mentionArb: fc.Arbitrary<Mention> = fc
  .record(
    {
      source: fc.constantFrom('reddit', 'hn', 'bluesky', 'rss'),
      native: token,
      kind: fc.constantFrom('post', 'comment', 'review') as fc.Arbitrary<Mention['kind']>,
      url: fc.option(token.map((t) => `https://example.org/${t}`), { nil: undefined }),
      author: fc.record({ id: token, handle: token, name: token }, { requiredKeys: [] }),
      fromBrand: fc.boolean(),
      brand: fc.option(token, { nil: undefined }),
      // A title that is only blanks reads back as no title.
      title: fc.option(freeText.filter((t) => t.trim() !== ''), { nil: undefined }),
      text: freeText,
      createdAt: fc
        .date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      parent: fc.option(token, { nil: undefined }),
      rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      engagement: fc.record(
        { score: fc.integer({ min: -50, max: 10_000 }), likes: fc.nat(), replies: fc.nat(), followers: fc.nat() },
        { requiredKeys: [] },
      ),
      language: fc.option(fc.constantFrom('en', 'de', 'fr', 'ja'), { nil: undefined }),
    },
    { requiredKeys: ['source', 'native', 'kind', 'author', 'fromBrand', 'text', 'createdAt', 'engagement'] },
  )
  .map(({ source, native, parent, ...rest }) => {
    const m: Mention = { id: `${source}:${native}`, source, ...rest } as Mention;
    if (parent !== undefined) {
      m.parentId = `${source}:${parent}`;
      m.threadId = `${source}:${parent}`;
    }
    for (const key of Object.keys(m) as (keyof Mention)[]) if (m[key] === undefined) delete m[key];
    return m;
  });

const HEADER = [
  'id', 'source', 'kind', 'brand', 'created_at', 'url', 'author_id', 'author_handle', 'author_name', 'from_brand',
  'title', 'text', 'parent_id', 'thread_id', 'rating', 'engagement_score', 'likes', 'replies', 'followers', 'language',
  'sentiment',
];
const neutralise = (cell: string): string => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
const toCsv = (ms: Mention[]): string =>
  stringify([
    HEADER,
    ...ms.map((m) =>
      [
        m.id, m.source, m.kind, m.brand ?? '', m.createdAt, m.url ?? '', m.author.id ?? '', m.author.handle ?? '',
        m.author.name ?? '', m.fromBrand ? 'true' : 'false', m.title ?? '', m.text, m.parentId ?? '', m.threadId ?? '',
        m.rating ?? '', m.engagement.score ?? '', m.engagement.likes ?? '', m.engagement.replies ?? '',
        m.engagement.followers ?? '', m.language ?? '', 'neutral',
      ].map((c) => neutralise(String(c))),
    ),
  ]);
// The formula guard cannot tell a cell that really began with `'=` from a guarded `=`: leave those out.
const csvSafe = (m: Mention): boolean => ![m.text, m.title ?? ''].some((c) => /^'[=+\-@\t\r]/.test(c));

describe('round trips', () => {
  it('Mention → NDJSON (with analysis fields) → Mention is the identity', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mentionArb, { maxLength: 8 }), fc.integer({ min: 1, max: 64 }), async (ms, size) => {
        const ndjson = ms.map((m) => JSON.stringify({ ...m, sentiment: { label: 'neutral' }, intent: 'other' }) + '\n').join('');
        const { mentions, warnings } = await readAll(chunked(ndjson, size));
        expect(warnings).toEqual([]);
        expect(mentions).toEqual(ms);
      }),
      { numRuns: 150 },
    );
  });

  it('Mention → JSON array → Mention is the identity', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mentionArb, { maxLength: 8 }), fc.integer({ min: 1, max: 64 }), async (ms, size) => {
        const { mentions, warnings } = await readAll(chunked(JSON.stringify(ms, null, 1), size), { format: 'json' });
        expect(warnings).toEqual([]);
        expect(mentions).toEqual(ms);
      }),
      { numRuns: 150 },
    );
  });

  it("Mention → earshot CSV → Mention is the identity (emoji, other scripts, line breaks, formula-like cells)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mentionArb.filter(csvSafe), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 64 }), async (ms, size) => {
        const { opened, mentions, warnings } = await readAll(chunked(toCsv(ms), size));
        expect(opened.format).toBe('csv');
        expect(warnings).toEqual([]);
        expect(mentions).toEqual(ms);
      }),
      { numRuns: 150 },
    );
  });
});

describe('garbage in', () => {
  it('never fails with anything but a typed earshot error, in any format', async () => {
    const { EarshotError } = await import('../../../src/core/errors.js');
    const pieces = fc.constantFrom('{', '}', '[', ']', '"', ',', '\n', '\r\n', ':', '\\', "'", 'text', 'created_at', '2024-01-01', 'id', ' ', 'é', '😀', 'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n');
    const garbage = fc.oneof(fc.string({ maxLength: 200 }), fc.array(pieces, { maxLength: 60 }).map((p) => p.join('')));
    await fc.assert(
      fc.asyncProperty(garbage, fc.constantFrom('auto', 'ndjson', 'json', 'csv', 'twcs') as fc.Arbitrary<'auto'>, fc.boolean(), async (text, format, strict) => {
        try {
          const { mentions } = await readAll(chunked(text, 7), { format, strict });
          for (const m of mentions) expect(Number.isNaN(Date.parse(m.createdAt))).toBe(false);
        } catch (err) {
          expect(err).toBeInstanceOf(EarshotError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
