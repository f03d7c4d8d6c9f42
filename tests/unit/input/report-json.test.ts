import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/log.js';
import { readMentions } from '../../../src/input/index.js';
import { readMembersExcept, reportMentionBytes, ReportShapeError } from '../../../src/input/report-json.js';
import { chunked, readAll } from './read-helper.js';

const mention = (id: string, text = `text of ${id}`): Record<string, unknown> => ({
  id,
  source: 'twitter',
  kind: 'post',
  author: { handle: 'someone' },
  text,
  createdAt: '2024-01-01T00:00:00.000Z',
  engagement: {},
});

/** A report.json as earshot writes it, with traps: "mentions" as a nested key, a brand and a string value. */
function reportDoc(mentions: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    tool: { name: 'earshot', version: '0.0.0' },
    generatedAt: 'mentions',
    settings: { brands: ['mentions'], mentions: [mention('not-me')], note: '"mentions": [ {' },
    summary: { overall: { brand: '(all)', mentions: 3 }, brands: [{ brand: 'mentions' }] },
    warnings: ['a } and a ] and a \\" in a string'],
    mentions,
    ...extra,
  };
}

async function* asChunks(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

describe('reading a report.json', () => {
  it('streams the top-level mentions only, across every chunk size, whatever follows the list', async () => {
    const doc = reportDoc([mention('a', 'first } ] "quoted"'), mention('b', 'émoji 😀 and\nline')], {
      comparison: { brands: [] },
      breaches: [{ metric: 'rate' }],
    });
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    for (const size of [1, 2, 7, 64, 1 << 16]) {
      const { mentions, warnings, opened } = await readAll(chunked(text, size));
      expect(opened.format).toBe('json');
      expect(mentions.map((m) => m.id)).toEqual(['a', 'b']);
      expect(mentions[1]?.text).toBe('émoji 😀 and\nline');
      expect(warnings).toEqual([]);
    }
  });

  it('names the document line of a bad mention inside the report', async () => {
    const doc = reportDoc([mention('a'), { id: 'no-text' }, mention('c')]);
    const text = JSON.stringify(doc, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"no-text"'));
    const { mentions, warnings } = await readAll(chunked(text, 5));
    expect(mentions.map((m) => m.id)).toEqual(['a', 'c']);
    expect(warnings).toHaveLength(1);
    // The element starts on the line with its "{", the one before its "id".
    expect(warnings[0]).toMatch(new RegExp(`^in\\.txt:${line}: `));
  });

  it('hands out the first mention before the document has ended (it is never held whole)', async () => {
    const stream = new PassThrough();
    const head = JSON.stringify(reportDoc([mention('first'), mention('second')]), null, 2);
    // Everything up to the second mention; the rest never arrives.
    stream.write(head.slice(0, head.indexOf('"second"')));
    const it = readMentions(stream, { fileName: 'big.json', log: silentLogger })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(first.value?.id).toBe('first');
    await it.return?.(undefined);
    expect(stream.destroyed).toBe(true);
  });

  it('says what is wrong with a report without a mentions list, or whose list is not one', async () => {
    const noList = JSON.stringify({ schemaVersion: 1, summary: { mentions: [] } }, null, 2);
    await expect(readAll(noList)).rejects.toThrow(/in\.txt: a JSON object without a "mentions" list/);
    const notList = JSON.stringify({ schemaVersion: 1, mentions: { a: 1 } }, null, 2);
    await expect(readAll(notList)).rejects.toThrow(/in\.txt:3: a JSON document that does not parse: "mentions" is not a list;/);
    const broken = '{\n  "schemaVersion": 1\n  "mentions": []\n}\n';
    await expect(readAll(broken)).rejects.toThrow(/in\.txt:3: a JSON document that does not parse: expected "," or "}" after the value of "schemaVersion";/);
  });

  it('reports a list cut short the way the JSON array reader does, keeping what came before', async () => {
    const text = JSON.stringify(reportDoc([mention('a'), mention('b')]), null, 2);
    const cut = text.slice(0, text.indexOf('"b"'));
    const { mentions, warnings } = await readAll(cut);
    expect(mentions.map((m) => m.id)).toEqual(['a']);
    expect(warnings.join('\n')).toMatch(/the JSON array is not closed/);
  });
});

describe('readMembersExcept', () => {
  it('gives back every other top-level member exactly, for any JSON object and chunking', async () => {
    const member = fc.jsonValue();
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), member),
        fc.array(member),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        async (members, mentions, size, pretty) => {
          const doc = { ...members, mentions };
          const text = pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
          const got = await readMembersExcept(asChunks(chunked(text, size)), ['mentions']);
          const want = JSON.parse(text) as Record<string, unknown>;
          delete want.mentions;
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a member named "__proto__" as a member, as JSON.parse does, not as the prototype', async () => {
    const text = '{"__proto__": {"polluted": true}, "constructor": 1, "mentions": []}';
    const got = await readMembersExcept(asChunks(chunked(text, 5)), ['mentions']);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__', 'constructor']);
    expect(got).toEqual({ ...(JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as object) });
  });

  it('skips the mentions without parsing them, and throws with a line for a broken top level', async () => {
    const text = '{\n  "summary": {"a": 1},\n  "mentions": [{"x": tru}, not json at all but [balanced]],\n  "schemaVersion": 1\n}';
    expect(await readMembersExcept(asChunks(chunked(text, 3)), ['mentions'])).toEqual({ summary: { a: 1 }, schemaVersion: 1 });
    const cases: [string, number, RegExp][] = [
      ['[1, 2]', 1, /not a JSON object/],
      ['{\n "a": 1,\n "b" 2}', 3, /expected ":" after "b"/],
      ['{\n "a": {"b": [1, 2}\n', 3, /ends early/],
      ['{"a": 1}\n{"b": 2}', 2, /after the closing "}"/],
      ['', 1, /empty input/],
    ];
    for (const [bad, line, what] of cases) {
      const err = await readMembersExcept(asChunks(chunked(bad, 2)), ['mentions']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportShapeError);
      expect((err as ReportShapeError).line).toBe(line);
      expect((err as Error).message).toMatch(what);
    }
  });

  it('skips a UTF-8 byte order mark before the document, even split over chunks, and nowhere else', async () => {
    const text = '\uFEFF{\n  "summary": {"a": 1},\n  "mentions": []\n}\n';
    for (const size of [1, 2, 64]) {
      expect(await readMembersExcept(asChunks(chunked(text, size)), ['mentions'])).toEqual({ summary: { a: 1 } });
      const { opened, mentions } = await readAll(chunked(text, size));
      expect([opened.format, mentions.length]).toEqual(['json', 0]);
    }
    const late = ' \uFEFF{"a": 1}';
    await expect(readMembersExcept(asChunks([Buffer.from(late)]), [])).rejects.toThrow(/not a JSON object/);
  });

  it('finds nothing in an object without mentions and reports where the list starts when there is one', async () => {
    expect(await reportMentionBytes(asChunks(chunked('{"a": {"mentions": []}}', 4)))).toBeUndefined();
    const found = await reportMentionBytes(asChunks(chunked('{\n"a": 1,\n\n"mentions":\n  [1]}', 4)));
    expect(found?.line).toBe(5);
    const rest: Buffer[] = [];
    for await (const b of found!.bytes) rest.push(b);
    expect(Buffer.concat(rest).toString()).toBe('[1]}');
  });
});
