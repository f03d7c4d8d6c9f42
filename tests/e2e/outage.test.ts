/** Issue #14: an outage is not a clean week. Failed and skipped sources, exit codes, undefined rates, empty input. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureServer } from '../../scripts/lib/fixture-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

let hn: FixtureServer;
let work: string;
// Nothing listens on port 9 (discard): every request is refused at once, as offline.
const DEAD = 'http://127.0.0.1:9';
const NOW = '2026-11-23T09:00:00Z';

beforeAll(async () => {
  hn = await serveFixtureDir(join(ROOT, 'fixtures/sources/hn'));
  work = mkdtempSync(join(tmpdir(), 'earshot-outage-'));
});
afterAll(async () => {
  await hn.close();
});

describe('a total outage is not a clean week', () => {
  it("the issue's command with no network: exit 3, nothing written, each source failed or skipped with its reason", async () => {
    const file = join(work, 'x.csv');
    const r = await runCli(['audit', 'acme', '--source', 'reddit,hn,rss', '--since', '7d', '--quiet', '--fail-under-response-rate', '0.8', '-f', 'csv', '-o', file, '--base-url', `reddit=${DEAD}`, '--base-url', `hn=${DEAD}`, '--no-cache', '--now', NOW]);
    expect(r.code).toBe(3);
    expect(existsSync(file)).toBe(false);
    const lines = r.stderr.trim().split('\n');
    // --quiet still names each failed source, once.
    expect(lines.filter((l) => /^earshot: reddit failed: Could not reach 127\.0\.0\.1:9 \(ECONNREFUSED\)/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^earshot: hn failed: /.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toBe('earshot: Nothing could be fetched: every source failed or was skipped (reddit failed (network), hn failed (network), rss skipped (not-configured)); nothing was written.');
    expect(r.stderr).not.toMatch(/retrying|every complaint and question got a public reply/);
  });

  it('without --quiet each failure is printed once, with the source named once', async () => {
    const r = await runCli(['audit', 'acme', '--source', 'hn,rss', '--base-url', `hn=${DEAD}`, '--no-cache', '--now', NOW]);
    expect(r.code).toBe(3);
    expect(r.stderr.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^warning: rss: skipped: no feeds to read; give feed URLs/m);
    expect(r.stderr).not.toMatch(/(\w+): \1: /);
  });

  it('--fail-on-source-error exits 1 when one source failed and another worked; the failure shows even with --quiet', async () => {
    const args = ['audit', 'acme cloud', '--source', 'reddit,hn', '--base-url', `reddit=${DEAD}`, '--base-url', `hn=${hn.url}`, '--source-option', 'hn.hitsPerPage=4', '--rate-limit', 'hn=6000', '--since', '2026-11-09', '--now', NOW, '--no-cache', '--quiet', '-f', 'json'];
    const plain = await runCli(args);
    expect(plain.code).toBe(0);
    const strict = await runCli([...args, '--fail-on-source-error']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^earshot: reddit failed: Could not reach/m);
    expect(strict.stderr).toMatch(/^earshot: threshold breached: 1 source failed: reddit \(--fail-on-source-error or thresholds\.sourceErrors\)\.$/m);
    expect((JSON.parse(strict.stdout) as { breaches: string[] }).breaches).toEqual(['1 source failed: reddit (--fail-on-source-error or thresholds.sourceErrors).']);
    // The same from the config file.
    const dir = mkdtempSync(join(work, 'cfg-'));
    writeFileSync(join(dir, 'earshot.yml'), 'brand: "acme cloud"\nthresholds:\n  sourceErrors: true\n');
    const fromConfig = await runCli(args.slice(2), { cwd: dir }).then(() => runCli(['audit', ...args.slice(2)], { cwd: dir }));
    expect(fromConfig.code).toBe(1);
  });

  it('with nothing needing a reply the rate is undefined: the threshold is "not evaluated" (even with --quiet), never passed', async () => {
    const rss = await serveFixtureDir(join(ROOT, 'fixtures/sources/rss'));
    try {
      // Only the brand's own feed is read (its broadcasts: nothing to reply to), and hn is down.
      const args = ['audit', 'acme cloud', '--source', 'hn,rss', '--base-url', `hn=${DEAD}`, '--brand-feed', `${rss.url}/feed/`, '--since', '2026-11-09', '--now', NOW, '--no-cache', '--fail-under-response-rate', '0.8'];
      const quiet = await runCli([...args, '--quiet']);
      expect(quiet.code).toBe(0);
      expect(quiet.stderr.split('\n').filter((l) => /threshold/.test(l))).toEqual([
        'earshot: threshold not evaluated: acme cloud: the response rate threshold was not evaluated: no complaint or question was observed, and 1 of 2 sources failed or was skipped (hn).',
      ]);
      const table = await runCli(args);
      expect(table.stdout).toMatch(/No complaints or questions were observed, so the response rate is\s+undefined; 1\s+of 2 sources failed or\s+was skipped \(hn\)\./);
      expect(table.stdout).toMatch(/none: no complaint or question was observed\./);
      expect(table.stdout).not.toMatch(/every complaint and question got a public reply/);
    } finally {
      await rss.close();
    }
  });
});

describe('settings a source cannot run without are usage errors, before any request', () => {
  it('App Store without appId and Trustpilot without domain exit 2 without a request', async () => {
    hn.resetLog();
    const app = await runCli(['audit', 'acme cloud', '--source', 'hn,appstore', '--base-url', `hn=${hn.url}`, '--base-url', `appstore=${hn.url}`, '--no-cache', '--now', NOW]);
    expect(app.code).toBe(2);
    expect(app.stderr).toMatch(/^earshot: appstore: option "appId" is required: the numeric id in the app's App Store URL \(apps\.apple\.com\/us\/app\/<name>\/id<appId>\) \(sources\.appstore in earshot\.yml, or --source-option appstore\.<key>=<value>\)\.$/m);
    const tp = await runCli(['audit', 'acme cloud', '--source', 'hn,trustpilot', '--base-url', `hn=${hn.url}`, '--base-url', `trustpilot=${hn.url}`, '--no-cache', '--now', NOW]);
    expect(tp.code).toBe(2);
    expect(tp.stderr).toMatch(/^earshot: trustpilot: option "domain" is required/m);
    const fetched = await runCli(['fetch', 'appstore', 'acme', '--base-url', `appstore=${hn.url}`, '--no-cache']);
    expect(fetched.code).toBe(2);
    expect(hn.requests).toHaveLength(0);
  });

  it('--base-url takes only http(s) URLs', async () => {
    const r = await runCli(['audit', 'acme', '--source', 'hn', '--base-url', 'hn=file:///etc', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("earshot: --base-url 'hn=file:///etc': 'file:///etc' is not an http(s) URL; use e.g. http://127.0.0.1:8080.\n");
  });
});

describe('empty input is not a report', () => {
  it('analyze of an empty file and of empty stdin: exit 3, one sentence, nothing on stdout', async () => {
    const empty = join(work, 'empty.csv');
    writeFileSync(empty, '');
    const file = await runCli(['analyze', empty]);
    expect(file.code).toBe(3);
    expect(file.stdout).toBe('');
    expect(file.stderr.trim().split('\n')).toHaveLength(1);
    expect(file.stderr).toMatch(/nothing was read: no mentions in the input; nothing was written \(--allow-empty to report on it anyway\)\.$/m);
    const stdin = await runCli(['analyze', '-'], { input: '' });
    expect(stdin.code).toBe(3);
    expect(stdin.stderr.trim().split('\n')).toHaveLength(1);
    const allowed = await runCli(['analyze', empty, '--allow-empty', '-f', 'json']);
    expect(allowed.code).toBe(0);
  });

  it('a --brand that no mention names: exit 3, one sentence naming the brands it does hold; a matching --brand is unchanged', async () => {
    const input = join(ROOT, 'fixtures/input/mentions.ndjson');
    const none = await runCli(['analyze', input, '--brand', 'NoSuchBrand']);
    expect(none.code).toBe(3);
    expect(none.stdout).toBe('');
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/nothing was read: no mention of brand 'NoSuchBrand' in the input, which names 'Acme Cloud'; nothing was written \(--allow-empty to report on it anyway\)\.$/m);
    const allowed = await runCli(['analyze', input, '--brand', 'NoSuchBrand', '--allow-empty', '-f', 'json']);
    expect(allowed.code).toBe(0);
    // The brand the input names, in any case: every mention is read, the unlabelled ones counted as that brand.
    const match = await runCli(['analyze', input, '--brand', 'acme cloud', '-f', 'json']);
    expect(match.code, match.stderr).toBe(0);
    const report = JSON.parse(match.stdout) as { summary: { overall: { volume: { total: number } } } };
    expect(report.summary.overall.volume.total).toBe(6);
  });
});
