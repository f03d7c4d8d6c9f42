/**
 * `earshot doctor` through the CLI (in process) against every source's fixture server over real HTTP on 127.0.0.1,
 * healthy and with faults injected: one line per source, the status each fault must produce, the exit code, and
 * the one "no network" line when nothing listens anywhere.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/audit/doctor.js';
import { main } from '../../src/cli/main.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { SCENARIOS, SOURCE_IDS, scenarioArgs, startSourceServers } from './scenarios.js';

// Local fixture servers: the polite per-source rate limits are lifted so a probe of several requests takes no time.
// --no-cache: request budgets for this run only (nothing written to the user's cache folder).
const COMMON = ['--no-cache', '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--timeout', '2s', ...SOURCE_IDS.flatMap((id) => ['--rate-limit', `${id}=6000`])];
const ENV = Object.assign({}, ...SOURCE_IDS.map((id) => SCENARIOS[id]!.env ?? {})) as Record<string, string>;

let servers: Record<string, FixtureServer> = {};

beforeAll(async () => {
  servers = await startSourceServers(SOURCE_IDS);
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

/** `earshot doctor "acme cloud"` with these sources, each pointed at its own fixture server. */
function doctor(ids: readonly string[], extra: string[] = [], env: Record<string, string> = ENV) {
  const args = ['doctor', 'acme cloud', '--source', ids.join(','), ...ids.flatMap((id) => scenarioArgs(SCENARIOS[id]!, servers[id]!.url)), ...COMMON, ...extra];
  return runCli(args, { env, timeoutMs: 30_000 });
}

/** The line of `id` in doctor's text output. */
function lineOf(stdout: string, id: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${id} `));
  if (!line) throw new Error(`no line for ${id} in:\n${stdout}`);
  return line;
}

describe('earshot doctor', () => {
  it('every source healthy: one "ok" line each, the query finds mentions, exit 0', async () => {
    const run = await doctor(SOURCE_IDS);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(SOURCE_IDS.length);
    for (const id of SOURCE_IDS) {
      const line = lineOf(run.stdout, id);
      expect(line, line).toMatch(new RegExp(`^${id} +ok +reachable; [^;]+; .*the query finds mentions; \\d+ requests?$`));
    }
    // No colour off a TTY.
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('every source healthy, as JSON: a status, usable and the probe requests for each', async () => {
    const run = await doctor(SOURCE_IDS, ['-f', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.usable).toBe(true);
    expect(report.offline).toBe(false);
    expect(report.checks.map((c) => [c.source, c.status, c.usable])).toEqual(SOURCE_IDS.map((id) => [id, 'ok', true]));
    // Cheap: a limit of 1 and one page; a login and the one thread add at most three more.
    for (const c of report.checks) expect(c.requests, c.source).toBeGreaterThanOrEqual(1);
    for (const c of report.checks) expect(c.requests, c.source).toBeLessThanOrEqual(4);
    // Reddit's feeds carry earshot's own budget: what is left of it after the probe's requests.
    const reddit = report.checks.find((c) => c.source === 'reddit')!;
    expect(reddit.budget).toEqual({ remaining: 60 - reddit.requests, limit: 60, windowMs: 3_600_000 });
    expect(report.checks.filter((c) => c.budget !== undefined).map((c) => c.source)).toEqual(['reddit']);
  });

  it('reads the quota a service reports: GitHub in x-ratelimit-* headers, Stack Exchange in quota_remaining', async () => {
    const run = await doctor(['github', 'stackexchange'], ['-f', 'json']);
    const report = JSON.parse(run.stdout) as DoctorReport;
    const quota = Object.fromEntries(report.checks.map((c) => [c.source, c.quota]));
    expect(quota.github).toMatchObject({ limit: expect.any(Number), remaining: expect.any(Number) });
    expect(quota.stackexchange).toMatchObject({ limit: 300, remaining: expect.any(Number) });
    expect(lineOf((await doctor(['stackexchange'])).stdout, 'stackexchange')).toMatch(/quota \d+ of 300 left/);
  });

  it('429 with Retry-After: rate-limited until the time the service gave, one request (no retry), exit 1', async () => {
    const server = servers['hn']!;
    server.resetLog();
    server.fault({ fault: { kind: 'rate-limit', retryAfter: 120 } });
    try {
      const before = Date.now();
      const run = await doctor(['hn', 'discourse']);
      expect(run.code, run.stdout).toBe(1);
      const line = lineOf(run.stdout, 'hn');
      const until = /rate-limited until (\S+);/.exec(line)?.[1];
      expect(line, line).toMatch(/^hn +rate-limited +reachable; no token needed; rate-limited until /);
      // Retry-After 120 is read against the real clock of the request, not --now.
      expect(Date.parse(until!) - before).toBeGreaterThanOrEqual(119_000);
      expect(Date.parse(until!) - Date.now()).toBeLessThanOrEqual(121_000);
      expect(server.requests).toHaveLength(1);
      expect(lineOf(run.stdout, 'discourse')).toMatch(/^discourse +ok /);
    } finally {
      server.clearFaults();
    }
  });

  it('every source: a 429 is rate-limited, a 503 or a malformed answer a bad response, a reset before headers unreachable, no answer a timeout (each exit 1)', async () => {
    const cases = [
      { fault: { kind: 'rate-limit', retryAfter: 120 } as const, status: 'rate-limited' },
      { fault: { kind: 'status', status: 503 } as const, status: 'bad-response' },
      { fault: { kind: 'reset-before-headers' } as const, status: 'unreachable' },
      { fault: { kind: 'hang' } as const, status: 'timeout' },
      { fault: { kind: 'malformed' } as const, status: 'bad-response' },
    ];
    for (const c of cases) {
      const runs = await Promise.all(
        SOURCE_IDS.map(async (id) => {
          servers[id]!.fault({ fault: c.fault });
          try {
            const run = await doctor([id], ['-f', 'json']);
            return { id, code: run.code, check: (JSON.parse(run.stdout) as DoctorReport).checks[0]! };
          } finally {
            servers[id]!.clearFaults();
          }
        }),
      );
      expect(Object.fromEntries(runs.map((r) => [r.id, `${r.code} ${r.check.status} ${r.check.usable}`])), c.status).toEqual(Object.fromEntries(SOURCE_IDS.map((id) => [id, `1 ${c.status} false`])));
      // Each says until when, even where the source words the 429 itself (Discourse) or reads several feeds (rss).
      if (c.status === 'rate-limited') for (const r of runs) expect(r.check.resetAt ?? `none: ${r.check.message}`, r.id).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it("GitHub's spent search quota (a 403 with x-ratelimit-remaining: 0, as recorded): rate-limited until x-ratelimit-reset", async () => {
    // The reset is epoch seconds a minute and a half from now (the recording's own reset has passed on a real clock).
    const reset = Math.floor(Date.now() / 1000) + 90;
    const headers = { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '10', 'x-ratelimit-resource': 'search', 'x-ratelimit-reset': String(reset) };
    const body = readFileSync(join(ROOT, 'fixtures/sources/github/error-rate-limit.json'), 'utf8');
    servers['github']!.fault({ fault: { kind: 'status', status: 403, headers, body } });
    try {
      const run = await doctor(['github']);
      expect(run.code).toBe(1);
      expect(lineOf(run.stdout, 'github')).toMatch(new RegExp(`^github {2}rate-limited {2}reachable; no token set; rate-limited until ${new Date(reset * 1000).toISOString().replaceAll('.', '\\.')}; .*set GITHUB_TOKEN`));
    } finally {
      servers['github']!.clearFaults();
    }
  });

  it("a 429 under Reddit's feed budget is remembered in the cache folder: the next doctor says until when without asking", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-doctor-budget-'));
    const server = servers['reddit']!;
    const args = ['doctor', 'acme cloud', '--source', 'reddit', ...scenarioArgs(SCENARIOS['reddit']!, server.url), ...COMMON.filter((a) => a !== '--no-cache'), '--cache-dir', dir];
    try {
      server.resetLog();
      server.fault({ fault: { kind: 'rate-limit', retryAfter: 600 } });
      const first = await runCli(args, { env: {}, timeoutMs: 30_000 });
      server.clearFaults();
      expect(first.code).toBe(1);
      const until = /rate-limited until (\S+);/.exec(lineOf(first.stdout, 'reddit'))?.[1];
      expect(server.requests).toHaveLength(1);
      expect(existsSync(join(dir, 'request-budgets.json'))).toBe(true);
      // Healthy again, but the wait Reddit asked for is not over: no request, the same reset time.
      const second = await runCli(args, { env: {}, timeoutMs: 30_000 });
      expect(second.code).toBe(1);
      expect(lineOf(second.stdout, 'reddit')).toMatch(new RegExp(`^reddit {2}rate-limited {2}no request made; no token set; reads [^;]+; earshot's budget 0 of 60 requests per 60 min left; rate-limited until ${until!.replaceAll('.', '\\.')}; .*; 0 requests$`));
      expect(server.requests).toHaveLength(1);
      // Responses themselves are never cached by doctor: only the ledger is in the folder.
      expect(readdirSync(dir)).toEqual(['request-budgets.json']);
    } finally {
      server.clearFaults();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([401, 403])('HTTP %i with a token set: token rejected, exit 1, the token never printed', async (status) => {
    const server = servers['github']!;
    server.fault({ fault: { kind: 'status', status, body: '{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}' } });
    try {
      const token = 'ghp_doctorPlantedToken0123456789abcdef';
      const run = await doctor(['github'], [], { ...ENV, GITHUB_TOKEN: token });
      expect(run.code).toBe(1);
      expect(lineOf(run.stdout, 'github')).toMatch(/^github +token rejected +reachable; token rejected; /);
      expect(run.stdout + run.stderr).not.toContain(token);
      const json = await doctor(['github'], ['-f', 'json'], { ...ENV, GITHUB_TOKEN: token });
      expect((JSON.parse(json.stdout) as DoctorReport).checks[0]).toMatchObject({ source: 'github', status: 'token-rejected', token: 'rejected', usable: false });
      expect(json.stdout).not.toContain(token);
    } finally {
      server.clearFaults();
    }
  });

  it('401 without a token: token required', async () => {
    servers['github']!.fault({ fault: { kind: 'status', status: 401 } });
    try {
      const run = await doctor(['github']);
      expect(run.code).toBe(1);
      expect(lineOf(run.stdout, 'github')).toMatch(/^github +token required +reachable; no token set; /);
    } finally {
      servers['github']!.clearFaults();
    }
  });

  it("the recorded bot walls: Trustpilot's AWS WAF challenge (202) and Reddit's network-policy page (403): blocked, exit 1", async () => {
    const trustpilot = await runCli(['doctor', 'acme', '--source', 'trustpilot', '--base-url', `trustpilot=${servers['trustpilot']!.url}`, '--source-option', 'trustpilot.domain=blocked.example', ...COMMON], { env: {}, timeoutMs: 30_000 });
    expect(trustpilot.code).toBe(1);
    // Trustpilot knows its own wall and says how around it.
    expect(lineOf(trustpilot.stdout, 'trustpilot')).toMatch(/^trustpilot {2}blocked {2}reachable; no token set; Trustpilot answered with its bot wall \(AWS WAF challenge\).*TRUSTPILOT_COOKIE/);
    const reddit = await runCli(['doctor', 'acme', '--query', '"acme blocked"', '--source', 'reddit', '--base-url', `reddit=${servers['reddit']!.url}`, ...COMMON], { env: {}, timeoutMs: 30_000 });
    expect(reddit.code).toBe(1);
    expect(lineOf(reddit.stdout, 'reddit')).toMatch(/^reddit {2}blocked {2}reachable; no token set; reads [^;]+; .*Reddit blocked the request .* with its network-policy page/);
  });

  it('a Cloudflare challenge behind a 403 on an API: blocked', async () => {
    const wall = '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>';
    servers['hn']!.fault({ fault: { kind: 'status', status: 403, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: wall } });
    try {
      const run = await doctor(['hn']);
      expect(run.code).toBe(1);
      expect(lineOf(run.stdout, 'hn')).toMatch(/^hn +blocked +reachable; no token needed; 127\.0\.0\.1:\d+ refused the request \(HTTP 403, Cloudflare challenge page\)/);
    } finally {
      servers['hn']!.clearFaults();
    }
  });

  it('nothing listening on any host, every source configured: one "no network" line, exit 1', async () => {
    const ports = await Promise.all(SOURCE_IDS.map(() => closedPort()));
    const args = ['doctor', 'acme cloud', '--source', SOURCE_IDS.join(','), ...SOURCE_IDS.flatMap((id, i) => scenarioArgs(SCENARIOS[id]!, `http://127.0.0.1:${ports[i]}`)), ...COMMON];
    const run = await runCli(args, { env: ENV, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`no network: none of the ${SOURCE_IDS.length} sources' servers could be reached (ECONNREFUSED); check the connection, DNS or proxy, then run earshot doctor again.\n`);
    // JSON says the same as data, each source's check kept.
    const json = JSON.parse((await runCli([...args, '-f', 'json'], { env: ENV, timeoutMs: 30_000 })).stdout) as DoctorReport;
    expect({ offline: json.offline, codes: json.offlineCodes, statuses: [...new Set(json.checks.map((c) => c.status))] }).toEqual({ offline: true, codes: ['ECONNREFUSED'], statuses: ['unreachable'] });
  });

  it('one host refusing is that source unreachable, not "no network"', async () => {
    const port = await closedPort();
    const args = ['doctor', 'acme cloud', '--source', 'hn,github', ...scenarioArgs(SCENARIOS['hn']!, `http://127.0.0.1:${port}`), ...scenarioArgs(SCENARIOS['github']!, servers['github']!.url), ...COMMON];
    const run = await runCli(args, { env: ENV, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, 'hn')).toMatch(/^hn +unreachable +not reachable; no token needed; Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(lineOf(run.stdout, 'github')).toMatch(/^github +ok /);
  });

  it('a query that finds nothing: "no results" with why (scope, dates), still usable: exit 0', async () => {
    const run = await doctor(['hn'], ['--query', '"globex quantum"']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(lineOf(run.stdout, 'hn')).toBe(
      'hn  no results  reachable; no token needed; nothing found: the service found nothing for "globex quantum" (a quoted phrase must appear exactly as written) in the window since 2026-11-09; try a broader --query, a wider --since; 1 request',
    );
  });

  it('a source without what it needs (rss with no feeds): not configured, no request, exit 1', async () => {
    const run = await runCli(['doctor', 'acme cloud', '--source', 'rss', ...COMMON], { env: {}, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, 'rss')).toMatch(/^rss +not configured +no request made; no token set; .*; 0 requests$/);
  });

  it('--config: the brand, sources, options and base URLs of earshot.yml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-doctor-'));
    try {
      const yml = [
        'brand: acme cloud',
        'sources:',
        '  hn:',
        `    baseUrl: ${servers['hn']!.url}`,
        '    hitsPerPage: 4',
        '  github:',
        `    baseUrl: ${servers['github']!.url}`,
        '',
      ].join('\n');
      writeFileSync(join(dir, 'earshot.yml'), yml);
      const run = await runCli(['doctor', '--config', join(dir, 'earshot.yml'), ...COMMON], { env: {}, timeoutMs: 30_000 });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout.trimEnd().split('\n').map((l) => l.split(/ +/).slice(0, 2).join(' '))).toEqual(['hn ok', 'github ok']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('colour only on a terminal, and never with NO_COLOR: the status word alone, the columns unchanged', async () => {
    const args = ['doctor', 'acme cloud', '--source', 'hn', ...scenarioArgs(SCENARIOS['hn']!, servers['hn']!.url), ...COMMON];
    const onTty = async (env: Record<string, string>): Promise<string> => {
      const out = new PassThrough();
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString('utf8')));
      const stdin = new PassThrough();
      stdin.end();
      const code = await main(['node', 'earshot', ...args], { stdout: Object.assign(out, { isTTY: true, columns: 120 }), stderr: new PassThrough(), stdin, env: { PATH: '', ...env }, clock: () => new Date() });
      expect(code).toBe(0);
      return text;
    };
    const coloured = await onTty({});
    expect(coloured).toMatch(/^hn {2}\u001b\[32mok\u001b\[39m {2}reachable; /);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe((await doctor(['hn'])).stdout);
    expect(await onTty({ NO_COLOR: '1' })).not.toContain('\u001b[');
  });

  it('usage errors exit 2: no brand, -f csv', async () => {
    expect((await runCli(['doctor', '--source', 'hn'], { env: {}, cwd: '/tmp' })).code).toBe(2);
    const csv = await runCli(['doctor', 'acme', '--source', 'hn', '-f', 'csv'], { env: {} });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('earshot doctor has no csv format');
  });
});

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
