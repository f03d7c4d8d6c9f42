import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/log.js';
import type { Mention } from '../../../src/core/mention.js';
import { readMentions, type DetectedFormat, type InputFormat } from '../../../src/input/index.js';
import { chunked, fixture, readAll } from './read-helper.js';

const ONE = '{"id":"a:1","text":"x","createdAt":"2024-01-01T00:00:00Z"}';

describe('format detection', () => {
  it.each([
    ['NDJSON', `${ONE}\n`, 'ndjson'],
    ['JSON array', `[${ONE}]`, 'json'],
    ['BOM then NDJSON', `\uFEFF${ONE}\n`, 'ndjson'],
    ['BOM, blank lines and spaces then a JSON array', `\uFEFF\r\n\n   \t[${ONE}]`, 'json'],
    ['CSV', 'text,created_at\nhi,2024-01-01\n', 'csv'],
    ['BOM then CSV', '\uFEFFtext,created_at\nhi,2024-01-01\n', 'csv'],
    ['TWCS header', fixture('twcs-sample.csv').toString('utf8'), 'twcs'],
    ['BOM then TWCS', `\uFEFF${fixture('twcs-sample.csv').toString('utf8')}`, 'twcs'],
  ])('%s', async (_name, text, format) => {
    // Byte-by-byte chunks: the BOM and the first character arrive in separate reads.
    const { opened, mentions } = await readAll(chunked(text, 1));
    expect(opened.format).toBe(format);
    expect(mentions.length).toBeGreaterThan(0);
  });

  it('does not count blank lines skipped while sniffing out of the line numbers', async () => {
    const { warnings } = await readAll(`\n\n${ONE}\n{"id":"a:2"}\n`);
    expect(warnings).toEqual(['in.txt:4: missing "text"; skipped.']);
  });

  it('strips the BOM from the first CSV header cell', async () => {
    const { mentions } = await readAll('\uFEFFtext,created_at\nhi,2024-01-01\n');
    expect(mentions[0]?.text).toBe('hi');
  });

  it('opens an empty or blank input as NDJSON with no mentions', async () => {
    for (const text of ['', '\uFEFF', ' \n\r\n ']) {
      const { opened, mentions, warnings } = await readAll(text);
      expect(opened.format).toBe('ndjson');
      expect(mentions).toEqual([]);
      expect(warnings).toEqual([]);
    }
  });

  it('obeys --input-format over sniffing', async () => {
    // A TWCS file read as plain CSV: its columns map by name where they can, but tweet_id is not a field.
    const asCsv = await readAll(fixture('twcs-sample.csv'), { format: 'csv' });
    expect(asCsv.opened.format).toBe('csv');
    expect(asCsv.mentions[0]?.id).toMatch(/^csv:[0-9a-f]{12}$/);
    const asNdjson = await readAll(`[${ONE}]`, { format: 'ndjson' });
    expect(asNdjson.mentions).toEqual([]);
    expect(asNdjson.warnings).toEqual(['in.txt:1: expected a JSON object, found an array; skipped.']);
  });

  it('refuses --input-format twcs on another CSV and unknown format names', async () => {
    await expect(readAll('text,created_at\nhi,2024-01-01\n', { format: 'twcs' })).rejects.toBeInstanceOf(InputError);
    await expect(readAll('text,created_at\nhi,2024-01-01\n', { format: 'twcs' })).rejects.toThrow(/in\.txt:1: not a TWCS file/);
    await expect(readAll(ONE, { format: 'xml' as InputFormat })).rejects.toBeInstanceOf(UsageError);
  });

  it('readMentions streams and reports the format before the first mention', async () => {
    const seen: string[] = [];
    const out: Mention[] = [];
    const stream = Readable.from([Buffer.from(`${ONE}\n${ONE.replace('a:1', 'a:2')}\n`)]);
    for await (const m of readMentions(stream, {
      fileName: 'x', log: silentLogger, onFormat: (f: DetectedFormat) => seen.push(`format:${f}`),
    })) {
      seen.push(m.id);
      out.push(m);
    }
    expect(seen).toEqual(['format:ndjson', 'a:1', 'a:2']);
  });

  // The source holds back its last chunk until the test has seen the first mention: a reader that
  // buffered the whole input would never yield and the test would time out.
  it.each([
    ['NDJSON', `${ONE}\n`, `${ONE.replace('a:1', 'a:2')}\n`, 'ndjson'],
    // csv-parse looks a few bytes ahead before ending a record, so the held-back part starts mid-row.
    ['CSV', 'text,created_at,id\nx,2024-01-01,a:1\ny,2024-', '01-02,a:2\n', 'csv'],
    ['a JSON array', `[${ONE},`, `${ONE.replace('a:1', 'a:2')}]`, 'json'],
  ])('streams %s: the first mention arrives before the input has ended', async (_name, head, tail, format) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from(head);
      await gate;
      yield Buffer.from(tail);
    }
    let detected: string | undefined;
    const it = readMentions(Readable.from(source()), { fileName: 'x', log: silentLogger, onFormat: (f) => (detected = f) })[
      Symbol.asyncIterator
    ]();
    const first = await it.next();
    expect(first.value?.id).toBe('a:1');
    expect(detected).toBe(format);
    release();
    expect((await it.next()).value?.id).toBe('a:2');
    expect((await it.next()).done).toBe(true);
  });
});

describe('releasing the input', () => {
  it('closes the stream when a CSV header is refused or the reader stops early', async () => {
    // A source that never ends: only the reader destroying it can close it.
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('a,b\n1,2\n');
      await new Promise(() => {});
    }
    const refused = Readable.from(endless());
    const { openMentions } = await import('../../../src/input/index.js');
    await expect(openMentions(refused, { fileName: 'x', log: silentLogger })).rejects.toBeInstanceOf(UsageError);
    expect(refused.destroyed).toBe(true);

    const lines = Array.from({ length: 1000 }, (_, i) => `${ONE.replace('a:1', `a:${i}`)}\n`).join('');
    const early = Readable.from(chunked(lines, 512));
    for await (const m of readMentions(early, { fileName: 'x', log: silentLogger })) {
      expect(m.id).toBe('a:0');
      break;
    }
    expect(early.destroyed).toBe(true);
  });
});

describe('a failing stream', () => {
  it('becomes an InputError naming the file, whether it fails at once or mid-way', async () => {
    const { openMentions } = await import('../../../src/input/index.js');
    const failing = (first: string | undefined): Readable =>
      Readable.from(
        (async function* () {
          if (first !== undefined) yield Buffer.from(first);
          throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
        })(),
      );
    await expect(openMentions(failing(undefined), { fileName: 'a.ndjson', log: silentLogger })).rejects.toThrow(
      new InputError('a.ndjson: cannot read the input (EIO: i/o error, read)'),
    );
    for (const head of [`${ONE}\n`, 'text,created_at\nx,2024-01-01\n']) {
      // Depending on how far the header read gets, the error surfaces from openMentions or from the loop.
      const run = (async () => {
        const opened = await openMentions(failing(head), { fileName: 'b', log: silentLogger });
        for await (const m of opened.mentions) expect(m.id).toBeDefined();
      })();
      await expect(run).rejects.toBeInstanceOf(InputError);
      await expect(run).rejects.toThrow('b: cannot read the input (EIO: i/o error, read)');
    }
  });
});
