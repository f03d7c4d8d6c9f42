import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureServer } from '../../scripts/lib/fixture-server.js';
import type { Report } from '../../src/core/report.js';
import { SOURCES } from '../../src/sources/index.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

describe('earshot explain, sources, init', () => {
  it('explain shows the label and the words behind it, as text or JSON', async () => {
    const text = await runCli(['explain', 'thanks for nothing, still on hold after 2 hours']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/sentiment:\s+negative/);
    expect(text.stdout).toMatch(/evidence:.*still on hold/);
    const json = JSON.parse((await runCli(['explain', 'no problems at all, great support', '-f', 'json'])).stdout) as { label: string; evidence: string[]; intent: { intent: string } };
    expect(json.label).toBe('positive');
    expect(json.evidence).toContain('no problems');
    expect(json.intent.intent).toBe('praise');
  });

  it("commander's own errors read like earshot's: one 'earshot:' line, exit 2", async () => {
    const r = await runCli(['analyze', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("earshot: unknown option '--bogus'");
    expect((await runCli(['doctr'])).stderr).toMatch(/^earshot: unknown command 'doctr'\n\(Did you mean doctor\?\)/);
  });

  it("a command's --help offers only the formats it writes", async () => {
    const formats = async (cmd: string): Promise<string> => /--format <format>\s+([\s\S]*?default: "table"\))/.exec((await runCli([cmd, '--help'])).stdout)?.[1]?.replace(/\s+/g, ' ') ?? '';
    expect(await formats('doctor')).toBe('output format (choices: "table", "json", "ndjson", default: "table")');
    expect(await formats('explain')).toBe('output format (choices: "table", "json", "ndjson", default: "table")');
    expect(await formats('sources')).toBe('output format (choices: "table", "csv", "json", "ndjson", default: "table")');
    expect(await formats('audit')).toContain('"html"');
  });

  it('-f html on sources, and -f html or csv on explain, are usage errors (exit 2), not ignored', async () => {
    const sources = await runCli(['sources', '-f', 'HTML']);
    expect([sources.code, sources.stdout, sources.stderr]).toEqual([2, '', 'earshot: earshot sources has no html format; use -f table, csv, json or ndjson.\n']);
    for (const format of ['html', 'csv']) {
      const r = await runCli(['explain', '-f', format, 'still on hold']);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `earshot: earshot explain has no ${format} format; use -f table, json or ndjson.\n`]);
    }
  });

  it('--fields: nested JSON like the full record, and a usage error with table or html', async () => {
    const input = readFileSync(join(ROOT, 'fixtures/input/mentions.ndjson'), 'utf8');
    const r = await runCli(['analyze', '-', '-f', 'ndjson', '--fields', 'id,response.status', '--now', '2026-11-23T09:00:00Z', '-q'], { input });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; response: { status: string } });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['id', 'response']);
      expect(['answered', 'unanswered', 'no-reply-needed', 'unobservable']).toContain(row.response.status);
    }
    for (const format of ['table', 'html']) {
      const bad = await runCli(['analyze', '-', '-f', format, '--fields', 'id'], { input });
      expect([bad.code, bad.stdout]).toEqual([2, '']);
      expect(bad.stderr).toBe(`earshot: --fields works with -f csv, json or ndjson, not ${format}; drop --fields or choose one of those formats.\n`);
    }
  });

  it('sources says which way Reddit reads and why (OAuth JSON or the RSS feeds), naming variables, never values', async () => {
    const rss = JSON.parse((await runCli(['sources', '-f', 'json'], { env: {} })).stdout) as { id: string; route?: string }[];
    expect(rss.find((r) => r.id === 'reddit')!.route).toBe('the public RSS feeds: REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET are not set (flat threads, and a small per-IP request budget since 2026, kept across runs)');
    const feeds = { REDDIT_FEED_TOKEN: 'feed-token-value-3', REDDIT_FEED_USER: 'feed-user-value-4' };
    const priv = await runCli(['sources'], { env: feeds });
    expect(priv.stdout.replace(/[│\s]+/g, ' ')).toContain("now: the RSS feeds through REDDIT_FEED_USER's private feed links");
    expect(priv.stdout).not.toMatch(/feed-token-value-3|feed-user-value-4/);
    const half = JSON.parse((await runCli(['sources', '-f', 'json'], { env: { REDDIT_CLIENT_ID: 'id-value-1' } })).stdout) as { id: string; route?: string }[];
    expect(half.find((r) => r.id === 'reddit')!.route).toContain('only REDDIT_CLIENT_ID is set');
    const env = { REDDIT_CLIENT_ID: 'id-value-1', REDDIT_CLIENT_SECRET: 'secret-value-2' };
    const oauth = JSON.parse((await runCli(['sources', '-f', 'json'], { env })).stdout) as { id: string; route?: string }[];
    expect(oauth.find((r) => r.id === 'reddit')!.route).toMatch(/^the OAuth JSON API: REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET are set/);
    const table = await runCli(['sources'], { env });
    expect(table.stdout.replace(/[│\s]+/g, ' ')).toContain('now: the OAuth JSON API');
    expect(table.stdout).not.toMatch(/id-value-1|secret-value-2/);
  });

  it('sources lists every registered source with its token variables', async () => {
    const rows = JSON.parse((await runCli(['sources', '-f', 'json'])).stdout) as { id: string; tokenEnv: string[]; requestsPerMinute: number }[];
    expect(rows.map((r) => r.id)).toEqual(Object.keys(SOURCES));
    expect(rows.map((r) => r.id).slice(0, 3)).toEqual(['reddit', 'hn', 'rss']);
    expect(rows.find((r) => r.id === 'github')!.tokenEnv).toEqual(['GITHUB_TOKEN']);
    expect(rows.every((r) => r.requestsPerMinute > 0)).toBe(true);
    const table = await runCli(['sources']);
    for (const line of table.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  let listed: Promise<{ id: string; tokenEnv: string[]; requestsPerMinute: number }[]> | undefined;
  it.each(Object.keys(SOURCES))('sources -f json lists %s with its token variables and rate limit', async (id) => {
    listed ??= runCli(['sources', '-f', 'json']).then((r) => JSON.parse(r.stdout) as { id: string; tokenEnv: string[]; requestsPerMinute: number }[]);
    const row = (await listed).find((r) => r.id === id);
    expect(row).toMatchObject({ tokenEnv: [...SOURCES[id]!.tokenEnv], requestsPerMinute: SOURCES[id]!.rateLimit.requestsPerMinute });
  });

  it('init writes a starter config that loads back, and refuses to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-init-'));
    const first = await runCli(['init', '--brand', 'Acme Cloud'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'earshot.yml'), 'utf8')).toMatch(/^brand: "Acme Cloud"$/m);
    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; use --force/);
    // The starter config is valid and in force: analyze reads it; its thresholds are examples, commented out.
    const a = await runCli(['analyze', join(ROOT, 'fixtures/input/mentions.ndjson'), '-f', 'json', '--now', '2026-11-23T09:00:00Z'], { cwd: dir });
    expect(a.stderr).not.toMatch(/earshot\.yml|threshold/);
    expect(a.code).toBe(0);
    expect((JSON.parse(a.stdout) as Report).settings.brands).toEqual(['Acme Cloud']);
  });
});

describe('earshot audit with a competitor, html output and --quiet', () => {
  let hn: FixtureServer;
  beforeAll(async () => {
    hn = await serveFixtureDir(join(ROOT, 'fixtures/sources/hn'));
  });
  afterAll(async () => hn.close());

  const base = (): string[] => ['--source', 'hn', '--base-url', `hn=${hn.url}`, '--source-option', 'hn.hitsPerPage=4', '--rate-limit', 'hn=6000', '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--no-cache'];

  it('audits each brand on the same source and reports them side by side with share of voice', async () => {
    const r = await runCli(['audit', 'acme cloud', '--competitor', 'Globex', '--brand-handle', 'acmecloud_team', ...base(), '-f', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    // The fixture server knows no Globex search: that brand's source fails and is reported per brand.
    expect(report.coverage.map((c) => [c.source, c.brand, c.status])).toEqual([
      ['hn', 'acme cloud', 'ok'],
      ['hn', 'Globex', 'failed'],
    ]);
    expect(report.settings.queries).toEqual({ 'acme cloud': '"acme cloud"', Globex: 'Globex' });
    // A competitor whose sources all failed is shown (empty figures, failed coverage), not dropped.
    expect(report.summary.brands.map((b) => [b.brand, b.shareOfVoice, b.volume.total])).toEqual([['acme cloud', 1, report.summary.overall.volume.total], ['Globex', 0, 0]]);
    const table = await runCli(['audit', 'acme cloud', '--competitor', 'Globex', '--brand-handle', 'acmecloud_team', ...base()]);
    expect(table.stdout).toMatch(/Globex \(failed\)/);
  });

  it('writes the HTML report with -f html -o, and --quiet leaves stderr empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-html-'));
    const file = join(dir, 'report.html');
    const r = await runCli(['audit', 'acme cloud', ...base(), '-f', 'html', '-o', file, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Content-Security-Policy');
  });
});

describe('per-source flags are checked whole, before any request', () => {
  it('a malformed --base-url is refused even after the entry for the one source in use', async () => {
    const run = await runCli(['audit', 'acme', '--source', 'hn', '--base-url', 'hn=http://127.0.0.1:9', '--base-url', 'garbage', '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--base-url 'garbage' must be id=url");
  });

  it('a --source-option for an unknown key of a source not in use is refused too', async () => {
    const run = await runCli(['audit', 'acme', '--source', 'hn', '--base-url', 'hn=http://127.0.0.1:9', '--source-option', 'github.repoz=acme/cli', '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("github has no option 'repoz'");
  });
});
