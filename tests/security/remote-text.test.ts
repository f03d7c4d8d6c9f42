/**
 * Remote error text cannot forge stderr lines or carry control characters into reports: a server's error message
 * with newlines, escape sequences, bidi controls and 200 KB of text becomes one clean, bounded line on stderr and in
 * report.json's coverage.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { messageLine, remoteText } from '../../src/core/sanitize.js';
import { SCENARIOS, scenarioArgs, startSourceServers } from '../faults/scenarios.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { runCli } from '../helpers/run-cli.js';

const ESC = '\u001b';
// What a hostile or broken server says: lines that look like earshot's own, a colour change, a bidi override, 200 KB.
const FORGED = [
  'bad key',
  'earshot: threshold breached: negative share 0.9 > 0.2',
  'all sources OK',
  `${ESC}[2J${ESC}[31mred${ESC}[0m \u202eevil\u202c ${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`,
  'x'.repeat(200 * 1024),
].join('\n');
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

let servers: Record<string, FixtureServer> = {};
let dir = '';
beforeAll(async () => {
  servers = await startSourceServers(['stackexchange', 'hn']);
  dir = mkdtempSync(join(tmpdir(), 'earshot-remote-text-'));
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('remote error text', () => {
  it("a server's error_message with newlines, escapes and 200 KB is one bounded line on stderr and in report.json", async () => {
    servers['stackexchange']!.fault({
      // Stack Exchange's error wrapper, as a proxy or a changed API might deliver it: with a 200 status the source reads it.
      fault: { kind: 'malformed', contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error_id: 400, error_name: 'bad_parameter', error_message: FORGED }) },
    });
    const out = join(dir, 'report.json');
    const run = await runCli([
      'audit', 'acme cloud', '--source', 'stackexchange,hn',
      ...scenarioArgs(SCENARIOS['stackexchange']!, servers['stackexchange']!.url), ...scenarioArgs(SCENARIOS['hn']!, servers['hn']!.url),
      '--rate-limit', 'stackexchange=6000', '--rate-limit', 'hn=6000', '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '-f', 'json', '-o', out,
    ]);
    expect(run.code, run.stderr.slice(0, 2000)).toBe(0);
    const lines = run.stderr.split('\n');
    // The failure is reported, and quotes the server's first words.
    expect(lines.some((l) => l.startsWith('warning: ') && l.includes('stackexchange') && l.includes('bad key'))).toBe(true);
    // Nothing the server wrote starts a line of its own.
    expect(lines.filter((l) => /^(earshot: threshold breached|all sources OK|x{20})/.test(l))).toEqual([]);
    expect(FORBIDDEN.test(run.stderr)).toBe(false);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(1200);
    expect(run.stderr.length).toBeLessThan(20_000);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const failed = report.coverage.find((c) => c.source === 'stackexchange')!;
    expect(failed.status).toBe('failed');
    const message = failed.error!.message;
    expect(message).toContain('bad key earshot: threshold breached');
    expect(message).not.toMatch(/\n/);
    expect(FORBIDDEN.test(message)).toBe(false);
    expect(message.length).toBeLessThanOrEqual(1000);
    // The quote is cut, and the advice after it survives.
    expect(message).toMatch(/…/);
    for (const w of report.warnings) {
      expect(w).not.toMatch(/\n/);
      expect(FORBIDDEN.test(w)).toBe(false);
      expect(w.length).toBeLessThanOrEqual(1000);
    }
    // The healthy source still counts.
    expect(report.coverage.find((c) => c.source === 'hn')!.status).toBe('ok');
  });

  it('remoteText and messageLine: one line, no controls, bounded, ordinary text unchanged', () => {
    expect(remoteText('key abc is not valid')).toBe('key abc is not valid');
    expect(remoteText(`a\nb\r\n${ESC}[31mc\u202e`)).toBe('a b c');
    expect([...remoteText('y'.repeat(5000))]).toHaveLength(300);
    expect(remoteText('y'.repeat(5000)).endsWith('…')).toBe(true);
    expect([...messageLine('😀'.repeat(5000))]).toHaveLength(1000);
  });
});
