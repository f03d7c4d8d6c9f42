import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../../src/core/errors.js';
import type { Mention } from '../../../src/core/mention.js';
import { MENTION_FIELDS } from '../../../src/input/index.js';
import { chunked, fixture, readAll } from './read-helper.js';

const GENERIC_MAP = { Message: 'text', Posted: 'createdAt', Ref: 'id', Permalink: 'url', Network: 'source' };

describe('generic CSV with --map', () => {
  it('maps columns to mention fields and parses every date form', async () => {
    const { opened, mentions, warnings } = await readAll(fixture('generic.csv'), { map: GENERIC_MAP });
    expect(opened.format).toBe('csv');
    expect(warnings).toEqual([]);
    expect(mentions.map((m) => m.createdAt)).toEqual([
      '2024-03-04T08:15:00.000Z', // +01:00
      '2024-03-04T10:02:41.000Z', // no zone: UTC
      '2024-03-04T12:00:00.000Z', // epoch seconds
      '2024-03-04T18:30:00.000Z', // RFC 2822
      '2024-03-05T00:53:20.000Z', // epoch ms
    ]);
    expect(mentions[0]).toEqual({
      id: 'forum:r-1001', source: 'forum', kind: 'post', url: 'https://forum.example.org/t/1001',
      author: { handle: 'mira_k' }, fromBrand: false,
      text: 'Has anyone else had their Acme Cloud sync stop after the 4.2 update? Mine just spins.',
      createdAt: '2024-03-04T08:15:00.000Z', engagement: { likes: 12, replies: 3 },
    });
    expect(mentions[3]?.text).toBe('Great storage, terrible support.\nWaited 9 days for a reply about a double charge.');
    expect(mentions[3]?.author.handle).toBe('grete_ø');
    expect(mentions[4]?.engagement).toEqual({ likes: 7 });
  });

  it('marks --brand-handle authors and uses --map with a map target given in any case', async () => {
    const { mentions } = await readAll(fixture('generic.csv'), {
      map: { Message: 'TEXT', Posted: 'created_at' }, brandHandles: ['acmecloudhelp'],
    });
    expect(mentions.map((m) => m.fromBrand)).toEqual([false, false, true, false, false]);
  });

  it('gives rows without an id a stable synthetic id from author, date and text', async () => {
    const a = await readAll(fixture('generic.csv'), { map: { Message: 'text', Posted: 'createdAt' } });
    const b = await readAll(chunked(fixture('generic.csv'), 5), { map: { Message: 'text', Posted: 'createdAt' }, sourceName: 'forumdump' });
    expect(a.mentions[0]?.id).toMatch(/^csv:[0-9a-f]{12}$/);
    expect(new Set(a.mentions.map((m) => m.id)).size).toBe(5);
    expect(b.mentions.map((m) => m.id.split(':')[1])).toEqual(a.mentions.map((m) => m.id.split(':')[1]));
    expect(b.mentions[0]?.source).toBe('forumdump');
  });

  it('refuses unknown map targets, missing columns, and CSVs with no text or date', async () => {
    const bad = readAll(fixture('generic.csv'), { map: { Message: 'body' } });
    await expect(bad).rejects.toBeInstanceOf(UsageError);
    await expect(readAll(fixture('generic.csv'), { map: { Message: 'body' } })).rejects.toThrow(
      `"body" is not a mention field; valid fields: ${MENTION_FIELDS.join(', ')}`,
    );
    await expect(readAll(fixture('generic.csv'), { map: { Body: 'text' } })).rejects.toThrow(
      '--map Body=text: the CSV has no column "Body"; its columns are: Ref, Network, Message, Posted, Author, Permalink, Likes, Replies.',
    );
    await expect(readAll(fixture('generic.csv'), { map: { Message: 'text' } })).rejects.toThrow(
      /no column for createdAt: add --map <column>=createdAt/,
    );
    await expect(readAll(fixture('generic.csv'))).rejects.toThrow(/no column for text: add --map <column>=text/);
  });

  it('reports malformed rows with the line they start on (CRLF, multi-line cells, blank lines) and skips them', async () => {
    for (const size of [1, 4096]) {
      const { mentions, warnings } = await readAll(chunked(fixture('generic-malformed.csv'), size), {
        fileName: 'bad.csv', map: { Message: 'text', Posted: 'createdAt', Ref: 'id' },
      });
      expect(mentions.map((m) => m.id)).toEqual(['csv:m-1', 'csv:m-2', 'csv:m-5', 'csv:m-7']);
      expect(mentions[1]?.text).toBe('a cell over\r\ntwo lines');
      expect(mentions[3]?.text).toBe('last good row 🎉');
      expect(warnings).toEqual([
        'bad.csv:5: expected 4 cells, found 5; skipped.',
        'bad.csv:6: column "Posted" is not a date: "not a date"; skipped.',
        'bad.csv:9: expected 4 cells, found 2; skipped.',
      ]);
    }
  });

  it('throws the first problem under strict', async () => {
    await expect(
      readAll(fixture('generic-malformed.csv'), { fileName: 'bad.csv', strict: true, map: { Message: 'text', Posted: 'createdAt' } }),
    ).rejects.toThrow(new InputError('bad.csv:5: expected 4 cells, found 5; skipped.'));
  });

  it('stops at an unclosed quote instead of swallowing the file silently', async () => {
    const { mentions, warnings } = await readAll('text,created_at\nok,2024-01-01\n"never closed,2024-01-02\nx,2024-01-03\n');
    expect(mentions.map((m) => m.text)).toEqual(['ok']);
    expect(warnings).toEqual(['in.txt:3: a quoted cell is never closed (unbalanced "); the rest of the input was skipped.']);
  });

  describe('records over 1,048,576 characters', () => {
    const MI = 1 << 20;
    const tooLong = (line: number): string => `in.txt:${line}: a record longer than 1,048,576 characters; skipped.`;

    it('skips an over-long unquoted or quoted record by its line and reads the records after it (csv-parse stopped there)', async () => {
      const csv =
        'text,created_at\nok,2024-01-01\n' +
        `${'z'.repeat(3 * MI)},2024-01-02\n` +
        `"${'q'.repeat(MI)}\n${'q'.repeat(MI)}\n\n${'q'.repeat(MI)}",2024-01-03\n` +
        'after,2024-01-04\n"quoted, short",2024-01-05\n';
      // Chunks of 64 KiB as a file stream gives them, and one whole string: the cut must not depend on where chunks end.
      for (const data of [chunked(csv, 65_536), csv]) {
        const { mentions, warnings } = await readAll(data);
        expect(warnings).toEqual([tooLong(3), tooLong(4)]);
        expect(mentions.map((m) => [m.text, m.createdAt.slice(0, 10)])).toEqual([
          ['ok', '2024-01-01'],
          ['after', '2024-01-04'],
          ['quoted, short', '2024-01-05'],
        ]);
      }
    });

    it('keeps line numbers right after a cut record whose quoted cell held line breaks', async () => {
      const csv = `text,created_at\n"${'a\n'.repeat(MI)}",2024-01-02\nbad row\nfine,2024-01-03\n`;
      const { mentions, warnings } = await readAll(chunked(csv, 65_536));
      expect(warnings).toEqual([tooLong(2), `in.txt:${2 + MI + 1}: expected 2 cells, found 1; skipped.`]);
      expect(mentions.map((m) => m.text)).toEqual(['fine']);
    });

    it('still reads a quoted cell left open to the end of a long input as an unclosed quote', async () => {
      const csv = `text,created_at\nok,2024-01-01\n"never closed,${'x'.repeat(2 * MI)}\nx,2024-01-03\n`;
      const { mentions, warnings } = await readAll(chunked(csv, 65_536));
      expect(mentions.map((m) => m.text)).toEqual(['ok']);
      expect(warnings).toEqual(['in.txt:3: a quoted cell is never closed (unbalanced "); the rest of the input was skipped.']);
    });

    it('refuses a header row over the limit', async () => {
      await expect(readAll(`${'h'.repeat(2 * MI)}\nx\n`)).rejects.toThrow(
        new InputError('in.txt:1: the header row is a record longer than 1,048,576 characters; is this a CSV file?'),
      );
    });
  });

  it('maps snake_case and any-case headers automatically and prefixes native parent ids', async () => {
    const csv = 'ID,Text,created_at,Parent_ID,thread_id,author,from_brand,Rating,source\n' +
      '7,hello,2024-01-01T00:00:00Z,6,reddit:t3_1,@Bob,yes,4,reddit\n';
    const { mentions } = await readAll(csv);
    expect(mentions[0]).toMatchObject({
      id: 'reddit:7', parentId: 'reddit:6', threadId: 'reddit:t3_1', author: { handle: 'Bob' }, fromBrand: true, rating: 4,
    });
  });

  it('rejects bad booleans, numbers and kinds per row', async () => {
    const csv = 'text,created_at,from_brand,likes,kind\n' +
      'a,2024-01-01,perhaps,1,post\nb,2024-01-01,no,many,post\nc,2024-01-01,no,1,tweet\nd,2024-01-01,no,1,Review\n';
    const { mentions, warnings } = await readAll(csv);
    expect(mentions.map((m) => [m.text, m.kind])).toEqual([['d', 'review']]);
    expect(warnings).toEqual([
      'in.txt:2: column "from_brand" must be true/false/1/0/yes/no, found "perhaps"; skipped.',
      'in.txt:3: column "likes" is not a number: "many"; skipped.',
      'in.txt:4: column "kind" must be one of post, comment, review, found "tweet"; skipped.',
    ]);
  });
});

/** Columns of earshot's CSV output (docs/csv.md), then analysis columns the reader must ignore. */
const EARSHOT_HEADER = [
  'id', 'source', 'kind', 'brand', 'created_at', 'url', 'author_id', 'author_handle', 'author_name', 'from_brand',
  'title', 'text', 'parent_id', 'thread_id', 'rating', 'engagement_score', 'likes', 'replies', 'followers', 'language',
  'sentiment', 'sentiment_score', 'intent', 'answered', 'response_minutes',
];

// What earshot's writer does to cells that a spreadsheet would run as formulas.
const neutralise = (cell: string): string => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

function earshotCsv(mentions: Mention[]): string {
  const rows = mentions.map((m) => [
    m.id, m.source, m.kind, m.brand ?? '', m.createdAt, m.url ?? '', m.author.id ?? '', m.author.handle ?? '',
    m.author.name ?? '', String(m.fromBrand), m.title ?? '', m.text, m.parentId ?? '', m.threadId ?? '',
    m.rating ?? '', m.engagement.score ?? '', m.engagement.likes ?? '', m.engagement.replies ?? '',
    m.engagement.followers ?? '', m.language ?? '', 'negative', '-0.5', 'complaint', 'false', '',
  ].map((c) => neutralise(String(c))));
  return stringify([EARSHOT_HEADER, ...rows]);
}

describe("earshot's own CSV", () => {
  const mentions = JSON.parse(fixture('mentions.json').toString('utf8')) as Mention[];

  it('round-trips mentions through earshot CSV headers without any --map', async () => {
    const { opened, mentions: back, warnings } = await readAll(earshotCsv(mentions));
    expect(opened.format).toBe('csv');
    expect(warnings).toEqual([]);
    expect(back).toEqual(mentions);
  });

  it("undoes the writer's formula neutralisation, and only that", async () => {
    const tricky: Mention[] = [
      { ...mentions[0]!, id: 'x:1', text: '=HYPERLINK("http://evil")', title: '-1 for support' },
      { ...mentions[0]!, id: 'x:2', text: "'quoted on purpose", author: { handle: 'someone' } },
      { ...mentions[0]!, id: 'x:3', text: '@AcmeCloudHelp help\nplease', title: '+1' },
    ];
    const csv = earshotCsv(tricky);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const { mentions: back } = await readAll(csv);
    expect(back).toEqual(tricky);
  });

  it('keeps a leading quote in a generic (non-earshot) CSV', async () => {
    const { mentions } = await readAll("text,created_at\n'=1+1,2024-01-01\n");
    expect(mentions[0]?.text).toBe("'=1+1");
  });
});

describe("earshot's CSV writer header (src/report/csv.ts)", () => {
  it('is recognised as earshot CSV and its mention columns all map to fields', async () => {
    const { csvColumns } = await import('../../../src/report/csv.js');
    const { isEarshotHeader } = await import('../../../src/input/index.js');
    const { planColumns } = await import('../../../src/input/fields.js');
    const header = csvColumns();
    expect(isEarshotHeader(header)).toBe(true);
    const plan = planColumns(header, undefined);
    const mapped = header.filter((_, i) => plan.has(i));
    // The mention's own columns, then (last) whether the source can show replies and whether the time is an
    // estimate: analysed columns are recomputed.
    expect(mapped).toEqual([...header.slice(0, header.indexOf('language') + 1), 'reply_observable', 'date_estimated']);
    expect(new Set(plan.values()).size).toBe(22);
  });
});
