import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { memoryLogger } from '../../../src/core/log.js';
import { openMentions } from '../../../src/input/index.js';
import { InputError } from '../../../src/core/errors.js';
import type { Mention } from '../../../src/core/mention.js';
import { chunked, fixture, readAll } from './read-helper.js';

const expected = JSON.parse(fixture('mentions.json').toString('utf8')) as Mention[];

describe('NDJSON', () => {
  it('reads earshot mentions and ignores the analysis fields added by analyze', async () => {
    const { opened, mentions, warnings } = await readAll(fixture('mentions.ndjson'));
    expect(opened.format).toBe('ndjson');
    expect(warnings).toEqual([]);
    expect(mentions).toEqual(expected);
    expect(mentions[0]).not.toHaveProperty('sentiment');
    expect(opened.stats).toEqual({ mentions: 6, skipped: 0, filtered: 0 });
  });

  it('keeps emoji and non-ASCII text intact when every UTF-8 sequence is split across chunks', async () => {
    const { mentions } = await readAll(chunked(fixture('mentions.ndjson'), 1));
    expect(mentions).toEqual(expected);
    expect(mentions.map((m) => m.text).join(' ')).toContain('🙌');
    expect(mentions.find((m) => m.source === 'trustpilot')?.author.name).toBe('Zoë Müller');
  });

  it('reports each malformed line with its line number and keeps the good ones', async () => {
    const { mentions, warnings, opened } = await readAll(fixture('mentions-malformed.ndjson'), { fileName: 'bad.ndjson' });
    expect(mentions.map((m) => m.id)).toEqual(['reddit:t3_ok1', 'reddit:t3_ok2', 'reddit:t3_ok3']);
    expect(warnings).toHaveLength(6);
    expect(warnings[0]).toMatch(/^bad\.ndjson:3: invalid JSON \(.+\); skipped\.$/);
    expect(warnings.slice(1)).toEqual([
      'bad.ndjson:5: missing "createdAt"; skipped.',
      'bad.ndjson:6: "text" must be a string, found a number; skipped.',
      'bad.ndjson:7: expected a JSON object, found an array; skipped.',
      'bad.ndjson:8: "kind" must be one of post, comment, review, found "tweet"; skipped.',
      'bad.ndjson:9: "createdAt" is not a date: "yesterday"; skipped.',
    ]);
    expect(opened.stats.skipped).toBe(6);
  });

  it('throws an InputError with the same sentence under strict', async () => {
    const run = readAll(fixture('mentions-malformed.ndjson'), { fileName: 'bad.ndjson', strict: true });
    await expect(run).rejects.toBeInstanceOf(InputError);
    await expect(readAll(fixture('mentions-malformed.ndjson'), { fileName: 'bad.ndjson', strict: true })).rejects.toThrow(
      /^bad\.ndjson:3: invalid JSON .*; skipped\.$/,
    );
  });

  it('shows stdin as <stdin>', async () => {
    const { warnings } = await readAll('{"id":"x:1"}\n', { fileName: '-' });
    expect(warnings).toEqual(['<stdin>:1: missing "text"; skipped.']);
  });

  it('handles a BOM, CRLF line ends and blank lines without shifting line numbers', async () => {
    const text = '\uFEFF{"id":"a:1","text":"x","createdAt":"2024-01-01T00:00:00Z"}\r\n\r\n{"id":"a:2"}\r\n';
    const { mentions, warnings } = await readAll(chunked(text, 3));
    expect(mentions.map((m) => m.id)).toEqual(['a:1']);
    expect(warnings).toEqual(['in.txt:3: missing "text"; skipped.']);
  });

  it('fills defaults: source from the id prefix (or json), kind post, fromBrand false, normalised date', async () => {
    const { mentions } = await readAll(
      '{"id":"rss:abc","text":"t","createdAt":"Tue Oct 31 22:10:47 +0000 2017"}\n{"id":"plain","text":"","createdAt":1509487847}\n',
    );
    expect(mentions[0]).toEqual({
      id: 'rss:abc', source: 'rss', kind: 'post', author: {}, fromBrand: false, text: 't',
      createdAt: '2017-10-31T22:10:47.000Z', engagement: {},
    });
    expect(mentions[1]?.source).toBe('json');
    expect(mentions[1]?.text).toBe('');
  });

  it('marks mentions by a --brand-handle author as the brand\'s (case-insensitive, @ ignored)', async () => {
    const line = (id: string, author: object): string =>
      JSON.stringify({ id, text: 't', createdAt: '2024-01-01T00:00:00Z', author }) + '\n';
    const { mentions } = await readAll(line('a:1', { handle: 'AcmeHelp' }) + line('a:2', { id: 'ACMEHELP' }) + line('a:3', { handle: 'someone' }), {
      brandHandles: ['@acmehelp'],
    });
    expect(mentions.map((m) => m.fromBrand)).toEqual([true, true, false]);
  });
});

describe('JSON array', () => {
  it('reads an array of mentions', async () => {
    const { opened, mentions, warnings } = await readAll(fixture('mentions.json'));
    expect(opened.format).toBe('json');
    expect(warnings).toEqual([]);
    expect(mentions).toEqual(expected);
  });

  it('streams element by element, whatever the chunk size', async () => {
    for (const size of [1, 7, 64]) {
      const { mentions } = await readAll(chunked(fixture('mentions.json'), size));
      expect(mentions).toEqual(expected);
    }
  });

  it('skips a bad element with the line it starts on and reads on', async () => {
    const text = [
      '[',
      '  {"id":"a:1","text":"ok, [not] {a} \\"brace","createdAt":"2024-01-01T00:00:00Z"},',
      '  {"id":"a:2","text":"x",',
      '   "createdAt":"nope"},',
      '  42,',
      '  {"id":"a:3","text":"y","createdAt":"2024-01-02T00:00:00Z",},',
      '  {"id":"a:4","text":"z","createdAt":"2024-01-03T00:00:00Z"}',
      ']',
      '',
    ].join('\n');
    const { mentions, warnings } = await readAll(text);
    expect(mentions.map((m) => m.id)).toEqual(['a:1', 'a:4']);
    expect(mentions[0]?.text).toBe('ok, [not] {a} "brace');
    expect(warnings[0]).toBe('in.txt:3: "createdAt" is not a date: "nope"; skipped.');
    expect(warnings[1]).toBe('in.txt:5: expected a JSON object, found a number; skipped.');
    expect(warnings[2]).toMatch(/^in\.txt:6: invalid JSON/);
    expect(warnings).toHaveLength(3);
  });

  it('reports an array that is never closed, and trailing text', async () => {
    const open = await readAll('[{"id":"a:1","text":"x","createdAt":"2024-01-01T00:00:00Z"},\n{"id":"a:2"');
    expect(open.mentions).toHaveLength(1);
    expect(open.warnings).toEqual(['in.txt:2: the JSON array is not closed (missing "]" or "}"); the rest of the input was skipped.']);
    const trailing = await readAll('[]\n[]');
    expect(trailing.warnings).toEqual(['in.txt:2: unexpected text after the closing "]" of the JSON array; the rest of the input was skipped.']);
  });

  it('reads an empty array as no mentions, and --input-format json on a non-array is an InputError', async () => {
    expect((await readAll(' [ ] ')).mentions).toEqual([]);
    await expect(readAll('{"id":1}', { format: 'json' })).rejects.toThrow(/in\.txt:1: not a JSON array/);
  });
});

describe('NDJSON records over the length limit', () => {
  const good = (id: string): string => `${JSON.stringify({ id: `json:${id}`, text: 'fine', createdAt: '2026-11-17T10:00:00Z' })}\n`;

  it('skips a 6 MB line with a warning naming its line and reads the records around it', async () => {
    const huge = `{"id":"json:huge","text":"${'x'.repeat(6_000_000)}","createdAt":"2026-11-17T10:00:00Z"}\n`;
    const { mentions, warnings, opened } = await readAll(chunked(good('a') + huge + good('b'), 65_536), { fileName: 'big.ndjson' });
    expect(mentions.map((m) => m.id)).toEqual(['json:a', 'json:b']);
    expect(warnings).toEqual(['big.ndjson:2: a record longer than 4,194,304 characters; skipped.']);
    expect(opened.stats.skipped).toBe(1);
  });

  it('gets through a 200 MB line streamed in 64 KB chunks (each chunk scanned once, the line never held)', async () => {
    // The chunks are made as they are read, so the test never holds 200 MB either. Re-scanning the growing line from its
    // start on every chunk took minutes here; so did parsing it.
    const piece = Buffer.alloc(65_536, 'y');
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from(good('a'));
      for (let sent = 0; sent < 200 * 1024 * 1024; sent += piece.length) yield piece;
      yield Buffer.from(`\n${good('b')}`);
    }
    const log = memoryLogger();
    const opened = await openMentions(Readable.from(chunks()), { fileName: 'huge.ndjson', log, format: 'ndjson' });
    const ids: string[] = [];
    for await (const m of opened.mentions) ids.push(m.id);
    expect(ids).toEqual(['json:a', 'json:b']);
    expect(log.lines.map((l) => l.message)).toEqual(['huge.ndjson:2: a record longer than 4,194,304 characters; skipped.']);
  });

  it('cuts lines the same way however the chunks fall (CRLF, a last line without a newline)', async () => {
    const text = `${good('a')}\r\n${good('b').trim()}\r\n\n${good('c').trim()}`;
    for (const size of [1, 3, 7, 64]) {
      const { mentions, warnings } = await readAll(chunked(text, size));
      expect(warnings).toEqual([]);
      expect(mentions.map((m) => m.id)).toEqual(['json:a', 'json:b', 'json:c']);
    }
  });
});

describe('JSON array elements over the length limit', () => {
  it('skips a 6 MB element with a warning naming the line it starts on and reads the others', async () => {
    const ok = (id: string): string => JSON.stringify({ id: `json:${id}`, text: 'fine', createdAt: '2026-11-17T10:00:00Z' });
    const huge = JSON.stringify({ id: 'json:huge', text: 'x'.repeat(6_000_000), createdAt: '2026-11-17T10:00:00Z' });
    const { mentions, warnings } = await readAll(chunked(`[\n${ok('a')},\n${huge},\n${ok('b')}\n]\n`, 65_536), { fileName: 'big.json' });
    expect(mentions.map((m) => m.id)).toEqual(['json:a', 'json:b']);
    expect(warnings).toEqual(['big.json:3: a record longer than 4,194,304 characters; skipped.']);
  });
});
