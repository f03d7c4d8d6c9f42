import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureServer } from '../../scripts/lib/fixture-server.js';
import type { Report } from '../../src/core/report.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

let reddit: FixtureServer;
let hn: FixtureServer;
let rss: FixtureServer;
let work: string;

beforeAll(async () => {
  const servers = await Promise.all(['reddit', 'hn', 'rss'].map((id) => serveFixtureDir(join(ROOT, 'fixtures/sources', id))));
  [reddit, hn, rss] = [servers[0]!, servers[1]!, servers[2]!];
  work = mkdtempSync(join(tmpdir(), 'earshot-audit-'));
});
afterAll(async () => {
  await Promise.all([reddit, hn, rss].map((s) => s.close()));
});

/** The "earshot audit acme --source reddit,hn,rss …" against the fixture servers. */
function auditArgs(extra: string[] = []): string[] {
  return [
    'audit', 'acme cloud',
    '--source', 'reddit,hn,rss',
    '--base-url', `reddit=${reddit.url}`,
    '--base-url', `hn=${hn.url}`,
    '--feed', `${rss.url}/rss/search?q=acme+cloud+when:15d&hl=en-US&gl=US&ceid=US:en`,
    '--brand-feed', `${rss.url}/feed/`,
    '--brand-handle', 'AcmeCloudSupport', '--brand-handle', 'acmecloud_team',
    '--source-option', 'hn.hitsPerPage=4',
    // Reddit's polite 10 requests a minute would make each run take a minute against the local server.
    '--rate-limit', 'reddit=6000', '--rate-limit', 'hn=6000',
    '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z',
    '--tz', 'America/New_York', '--business-hours', 'Mon-Fri 09:00-17:00',
    ...extra,
  ];
}

const requests = (): number => reddit.requests.length + hn.requests.length + rss.requests.length;
const reset = (): void => [reddit, hn, rss].forEach((s) => s.resetLog());

describe('earshot audit over real HTTP (fixture servers)', () => {
  it('gives the full report from three sources, then a rerun is served from the cache with zero requests', async () => {
    const cache = join(work, 'cache');
    reset();
    const first = await runCli(auditArgs(['--cache-dir', cache, '-f', 'json']));
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as Report;
    expect(report.coverage.map((c) => [c.source, c.status])).toEqual([
      ['reddit', 'ok'],
      ['hn', 'ok'],
      ['rss', 'ok'],
    ]);
    expect(report.summary.overall.volume.bySource.map((s) => s.source).sort()).toEqual(['hn', 'reddit', 'rss']);
    expect(report.summary.overall.response.answered).toBeGreaterThan(0);
    expect(report.summary.overall.response.unanswered).toBeGreaterThan(0);
    expect(report.summary.overall.brandActivity.broadcasts).toBeGreaterThan(0);
    expect(requests()).toBeGreaterThan(5);
    // Every request identified earshot.
    for (const r of [...reddit.requests, ...hn.requests]) expect(String(r.headers['user-agent'])).toMatch(/^earshot\/\d+\.\d+\.\d+ \(\+https:/);

    reset();
    const second = await runCli(auditArgs(['--cache-dir', cache, '-f', 'json']));
    expect(second.code).toBe(0);
    expect(requests()).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('--save-raw keeps the evidence and --from-raw reproduces the report byte for byte, offline', async () => {
    const raw = join(work, 'raw');
    const live = await runCli(auditArgs(['--no-cache', '--save-raw', raw, '-f', 'json']));
    expect(live.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(raw, 'manifest.json'), 'utf8')) as { entries: { file?: string; sha256?: string; url: string }[] };
    expect(manifest.entries.length).toBeGreaterThan(5);
    for (const e of manifest.entries.filter((x) => x.file)) expect(createHash('sha256').update(readFileSync(join(raw, e.file!))).digest('hex')).toBe(e.sha256);
    reset();
    // No --now: the replay judges ages at the recorded audit time.
    const args = auditArgs(['--from-raw', raw, '-f', 'json']).filter((a, i, all) => a !== '--now' && all[i - 1] !== '--now');
    const replay = await runCli(args);
    expect(replay.code).toBe(0);
    expect(requests()).toBe(0);
    expect(replay.stdout).toBe(live.stdout);
  });

  it('keeps the other sources and reports the failing one when a source is blocked', async () => {
    const blocked = await serveFixtureDir(join(ROOT, 'fixtures/sources/reddit'));
    blocked.fault({ fault: { kind: 'status', status: 403, body: '<html><title>Blocked</title><body>whoa there, pardner! Your request has been blocked due to a network policy.</body></html>', headers: { 'content-type': 'text/html' } } });
    try {
      const args = auditArgs(['--no-cache', '-f', 'json']).map((a) => (a === `reddit=${reddit.url}` ? `reddit=${blocked.url}` : a));
      const r = await runCli(args);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      const cov = Object.fromEntries(report.coverage.map((c) => [c.source, c]));
      expect(cov.reddit!.status).toBe('failed');
      expect(cov.reddit!.error!.code).toBe('blocked');
      expect(cov.hn!.status).toBe('ok');
      expect(report.summary.overall.volume.bySource.map((s) => s.source)).not.toContain('reddit');
      expect(r.stderr).toMatch(/reddit: .*block/i);
    } finally {
      await blocked.close();
    }
  });

  it('holds --source-option values to the option schema: exit 2 before any request; a lone value of a list option is a list of one', async () => {
    const bad = await runCli(['audit', 'acme cloud', '--source', 'wordpress', '--base-url', 'wordpress=http://127.0.0.1:9', '--source-option', 'wordpress.perPage=500', '--no-cache']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('earshot: --source-option wordpress.perPage must be a whole number from 0 to 100, not 500; see `earshot sources` for its options.');
    const word = await runCli(['audit', 'acme cloud', '--source', 'github', '--source-option', 'github.perPage=abc', '--no-cache']);
    expect(word.code).toBe(2);
    expect(word.stderr).toContain('--source-option github.perPage must be a whole number from 1 to 100, not "abc"');
    // A lone repository passes the list schema (and reaches the network, which is closed here: exit 3, not 2).
    const lone = await runCli(['audit', 'acme cloud', '--source', 'github', '--base-url', 'github=http://127.0.0.1:9', '--source-option', 'github.repos=acme/cli', '--no-cache', '--timeout', '2s']);
    expect(lone.stderr).not.toContain('--source-option');
    expect(lone.code).toBe(3);
  }, 60_000);

  it('exits 3 with one sentence when every source fails', async () => {
    const r = await runCli(['audit', 'acme cloud', '--source', 'hn', '--base-url', 'hn=http://127.0.0.1:9', '--no-cache', '--timeout', '2s', '--now', '2026-11-23T09:00:00Z']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^earshot: Nothing could be fetched: every source failed or was skipped \(hn failed \(network\)\); nothing was written\.$/m);
  });

  it('writes the report folder, breaches a threshold with exit 1, and compares with the previous run', async () => {
    const out = join(work, 'reports', '{date}');
    const first = await runCli(auditArgs(['--no-cache', '--out', out, '--reply-target', '1h', '--fail-under-response-rate', '0.9', '-q']));
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/threshold breached: acme cloud: response rate .* is under the threshold of 90% \(--fail-under-response-rate/);
    const dir = join(work, 'reports', '2026-11-23');
    expect(readdirSync(dir).sort()).toEqual(['daily.csv', 'mentions.csv', 'report.html', 'report.json', 'summary.csv', 'unanswered.csv']);
    const summary = parse(readFileSync(join(dir, 'summary.csv')), { columns: true }) as Record<string, string>[];
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    expect(Number(summary[0]!.response_rate)).toBe(report.summary.brands[0]!.response.rate);
    expect(Number(summary[0]!.within_target_share)).toBe(report.summary.brands[0]!.response.withinTarget!.calendarShare);
    const mentions = parse(readFileSync(join(dir, 'mentions.csv')), { columns: true }) as unknown[];
    expect(mentions).toHaveLength(report.mentions.length);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<!DOCTYPE html>');

    const second = await runCli(auditArgs(['--no-cache', '--compare', join(dir, 'report.json'), '-f', 'json']));
    expect(second.code).toBe(0);
    const cmp = (JSON.parse(second.stdout) as Report).comparison!;
    expect(cmp.previousGeneratedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(cmp.brands[0]!.changes.find((c) => c.figure === 'mentions')!.change).toBe(0);
  });

  it('reads brand, handles, sources and business hours from earshot.yml, and flags still win', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-config-'));
    writeFileSync(
      join(dir, 'earshot.yml'),
      ['brand: Acme Cloud', 'query: \'"acme cloud"\'', 'handles:', '  all: [AcmeCloudSupport, acmecloud_team]', 'sources:', `  hn: { baseUrl: "${hn.url}", hitsPerPage: 4 }`, 'timezone: America/New_York', 'businessHours: Mon-Fri 09:00-17:00', 'since: 2026-11-09', ''].join('\n'),
    );
    const r = await runCli(['audit', '--no-cache', '--now', '2026-11-23T09:00:00Z', '-f', 'json', '--tz', 'Europe/Paris'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.coverage.map((c) => c.source)).toEqual(['hn']);
    expect(report.settings.brands).toEqual(['Acme Cloud']);
    expect(report.settings.timeZone).toBe('Europe/Paris');
    expect(report.settings.brandHandles).toEqual(['AcmeCloudSupport', 'acmecloud_team']);

    writeFileSync(join(dir, 'earshot.yml'), 'brand: Acme\nsources:\n  hn:\n    enabled: yes please\n');
    const bad = await runCli(['audit', '--no-cache'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/earshot\.yml:\d+: sources\.hn\.enabled: found .*expected/);
  });

  it('fetch prints Mentions as NDJSON that analyze reads back', async () => {
    const f = await runCli(['fetch', 'hn', 'acme cloud', '--base-url', `hn=${hn.url}`, '--source-option', 'hn.hitsPerPage=4', '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--no-cache', '--brand-handle', 'acmecloud_team']);
    expect(f.code).toBe(0);
    const lines = f.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; source: string });
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.every((m) => m.source === 'hn' && m.id.startsWith('hn:'))).toBe(true);
    const a = await runCli(['analyze', '-', '-f', 'json', '--now', '2026-11-23T09:00:00Z'], { input: f.stdout });
    expect(a.code).toBe(0);
    expect((JSON.parse(a.stdout) as Report).mentions).toHaveLength(lines.length);
  });
});
