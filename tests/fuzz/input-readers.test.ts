/**
 * The input readers (`openMentions`: NDJSON, JSON arrays, CSV, TWCS, auto-detection) on random bytes, random
 * record structures and damaged fixture files: reading ends (no hang), nothing but an EarshotError escapes, every
 * warning and error names the file and, for records, a line that exists, and every mention that comes out is valid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EarshotError } from '../../src/core/errors.js';
import { memoryLogger } from '../../src/core/log.js';
import type { Mention } from '../../src/core/mention.js';
import { openMentions, type InputFormat } from '../../src/input/index.js';
import { ROOT } from '../helpers/run-cli.js';
import { params, withDeadline } from './fuzz-settings.js';

const FILE = 'fuzz-input.txt';
const FIXTURES = ['generic.csv', 'generic-malformed.csv', 'mentions.ndjson', 'mentions-malformed.ndjson', 'mentions.json', 'twcs-sample.csv', 'twcs-malformed.csv'].map((f) =>
  readFileSync(join(ROOT, 'fixtures/input', f)),
);

interface Outcome {
  mentions: Mention[];
  warnings: string[];
  error?: unknown;
  stats?: { mentions: number; skipped: number };
}

/** Reads `bytes` (split into chunks at `cuts`) and collects everything; never throws. */
async function read(bytes: Buffer, format: InputFormat, strict: boolean, cuts: number[]): Promise<Outcome> {
  const log = memoryLogger();
  const chunks: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts.map((x) => x % (bytes.length + 1))].sort((a, b) => a - b)) {
    chunks.push(bytes.subarray(at, c));
    at = c;
  }
  chunks.push(bytes.subarray(at));
  const mentions: Mention[] = [];
  const out: Outcome = { mentions, warnings: [] };
  try {
    const opened = await openMentions(Readable.from(chunks.filter((c) => c.length > 0)), { fileName: FILE, log, format, strict, brandHandles: ['acmecloudhelp'] });
    out.stats = opened.stats;
    for await (const m of opened.mentions) mentions.push(m);
  } catch (err) {
    out.error = err;
  }
  out.warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  return out;
}

// Lines counted with every line-break convention at once (CRLF, LF, lone CR): an upper bound for any reader's numbering.
const lineCount = (bytes: Buffer): number => bytes.toString('utf8').split(/\r\n|\r|\n/).length;

// `<file>: ...` or `<file>:<line>: ...`
const PLACE = new RegExp(`^${FILE.replace('.', '\\.')}(?::(\\d+))?: \\S`);

function checkPlace(message: string, lines: number, what: string): void {
  const m = PLACE.exec(message);
  if (!m) throw new Error(`${what} does not start with the file name (and line): ${message}`);
  if (m[1] !== undefined) {
    const line = Number(m[1]);
    if (line < 1 || line > lines + 1) throw new Error(`${what} names line ${line} of a ${lines}-line input: ${message}`);
  }
}

async function check(bytes: Buffer, format: InputFormat, strict: boolean, cuts: number[]): Promise<void> {
  const out = await withDeadline(`reading ${bytes.length} bytes as ${format}`, () => read(bytes, format, strict, cuts));
  const lines = lineCount(bytes);
  if (out.error !== undefined) {
    if (!(out.error instanceof EarshotError)) throw new Error(`threw ${(out.error as Error)?.name}: ${(out.error as Error)?.message}`);
    expect(['input', 'usage']).toContain(out.error.code);
    checkPlace(out.error.message, lines, 'error');
  }
  for (const w of out.warnings) checkPlace(w, lines, 'warning');
  if (out.error === undefined && out.stats) {
    expect(out.stats.mentions).toBe(out.mentions.length);
    // Every skipped record was announced (one warning each); other warnings (e.g. ignored --map) may add to them.
    expect(out.warnings.length).toBeGreaterThanOrEqual(out.stats.skipped);
  }
  if (strict) expect(out.stats?.skipped ?? 0).toBe(0);
  for (const m of out.mentions) {
    expect(typeof m.id === 'string' && m.id.length > 0).toBe(true);
    expect(typeof m.text).toBe('string');
    expect(new Date(Date.parse(m.createdAt)).toISOString()).toBe(m.createdAt);
    expect(typeof m.source).toBe('string');
  }
}

const formats = fc.constantFrom<InputFormat>('auto', 'auto', 'ndjson', 'json', 'csv', 'twcs');
const cuts = fc.array(fc.nat(), { maxLength: 4 });

// Values a record field might hold: right types, wrong types, edge cases.
const fieldValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('2024-03-04T09:15:00Z', '1709553600', 'Mon Nov 06 09:31:20 +0000 2017', 'not a date', '', '9999999999999999', '-1'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);
const FIELDS = ['id', 'source', 'kind', 'url', 'title', 'text', 'createdAt', 'parentId', 'threadId', 'rating', 'language', 'fromBrand', 'brand', 'author', 'engagement'];
const record = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), fieldValue, { maxKeys: 10 });
const goodRecord = fc.record({ id: fc.string({ minLength: 1, maxLength: 12 }), text: fc.string({ maxLength: 40 }), createdAt: fc.constantFrom('2024-03-04T09:15:00Z', 1709553600) });

const ndjson = fc.array(fc.oneof(record, goodRecord).map((r) => JSON.stringify(r)), { maxLength: 12 }).chain((lines) =>
  fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)),
);
const jsonArray = fc.array(fc.oneof(record, goodRecord, fieldValue), { maxLength: 10 }).map((xs) => JSON.stringify(xs, null, xs.length % 2 === 0 ? 2 : 0));
const cell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('"', '""', '"a,b"', 'a"b', '"multi\nline"', '=1+1', '\r', '\n', ',', '2024-03-04', 'True', 'False', '@AcmeCloudHelp'),
);
const csvHeader = fc.oneof(
  fc.constant(['tweet_id', 'author_id', 'inbound', 'created_at', 'text', 'response_tweet_id', 'in_response_to_tweet_id']),
  fc.shuffledSubarray(['id', 'text', 'createdAt', 'created_at', 'author', 'source', 'parentId', 'Message', 'Posted'], { minLength: 1 }),
  fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 5 }),
);
const csv = fc
  .tuple(csvHeader, fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 10 }), fc.constantFrom('\n', '\r\n'))
  .map(([h, rows, eol]) => [h.join(','), ...rows.map((r) => r.join(','))].join(eol));
const damagedFixture = fc
  .tuple(fc.constantFrom(...FIXTURES), fc.nat(), fc.nat({ max: 200 }), fc.uint8Array({ maxLength: 16 }))
  .map(([b, at, del, ins]) => {
    const i = at % (b.length + 1);
    return Buffer.concat([b.subarray(0, i), Buffer.from(ins), b.subarray(Math.min(b.length, i + del))]);
  });
const truncatedFixture = fc.tuple(fc.constantFrom(...FIXTURES), fc.nat()).map(([b, n]) => b.subarray(0, n % (b.length + 1)));
// A BOM, leading blanks and invalid UTF-8 in front of anything.
const prefixed = (arb: fc.Arbitrary<string | Buffer>): fc.Arbitrary<Buffer> =>
  fc.tuple(fc.constantFrom('', '\uFEFF', '\n\n  ', '\uFEFF\r\n'), arb, fc.constantFrom(Buffer.alloc(0), Buffer.from([0xff, 0xfe]), Buffer.from([0xc3]))).map(([p, body, tail]) =>
    Buffer.concat([Buffer.from(p, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body, tail]),
  );

describe('input readers under random and damaged input', () => {
  it('random bytes in every format', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), formats, fc.boolean(), cuts, (b, f, s, c) => check(Buffer.from(b), f, s, c)), params());
  }, 120_000);

  it('NDJSON-ish records with wrong types, missing fields and odd line ends', async () => {
    await fc.assert(fc.asyncProperty(prefixed(ndjson), formats, fc.boolean(), cuts, (b, f, s, c) => check(b, f, s, c)), params());
  }, 120_000);

  it('JSON arrays of anything', async () => {
    await fc.assert(fc.asyncProperty(prefixed(jsonArray), formats, fc.boolean(), cuts, (b, f, s, c) => check(b, f, s, c)), params());
  }, 120_000);

  it('CSV and TWCS tables with quotes, newlines and ragged rows', async () => {
    await fc.assert(fc.asyncProperty(prefixed(csv), formats, fc.boolean(), cuts, (b, f, s, c) => check(b, f, s, c)), params());
  }, 120_000);

  it('fixture files cut short or with bytes spliced in', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(damagedFixture, truncatedFixture), formats, fc.boolean(), cuts, (b, f, s, c) => check(b, f, s, c)), params(0.5));
  }, 120_000);

  it('a known malformed NDJSON line is reported with its real line number', async () => {
    const bytes = Buffer.from('{"id":"a:1","text":"ok","createdAt":"2024-03-04T09:15:00Z"}\n\n{"id":"a:2","text":5,"createdAt":"2024-03-04T09:15:00Z"}\n');
    const out = await read(bytes, 'auto', false, []);
    expect(out.mentions).toHaveLength(1);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(new RegExp(`^${FILE.replace('.', '\\.')}:3: .*text.*; skipped\\.$`));
    const strict = await read(bytes, 'auto', true, []);
    expect(strict.error).toBeInstanceOf(EarshotError);
    expect((strict.error as Error).message).toMatch(new RegExp(`^${FILE.replace('.', '\\.')}:3: `));
  });
});
