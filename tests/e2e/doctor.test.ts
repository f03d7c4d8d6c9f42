/**
 * `earshot doctor` as a user runs it: the built CLI in a real process (bin/earshot.js → dist/), its --help, and its
 * exit status against fixture servers on 127.0.0.1 (healthy, rate-limited, and nothing listening anywhere).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureServer } from '../helpers/fixture-server.js';
import { ROOT, runCli, spawnCli } from '../helpers/run-cli.js';

const COMMON = ['--no-cache', '--source-option', 'hn.hitsPerPage=4', '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--timeout', '2s', '--rate-limit', 'hn=6000', '--rate-limit', 'github=6000'];
let hn: FixtureServer;
let github: FixtureServer;

beforeAll(async () => {
  [hn, github] = await Promise.all([serveFixtureDir(join(ROOT, 'fixtures/sources/hn')), serveFixtureDir(join(ROOT, 'fixtures/sources/github'))]);
});
afterAll(async () => {
  await Promise.all([hn.close(), github.close()]);
});

const args = (hnUrl: string, githubUrl: string, extra: string[] = []): string[] => ['doctor', 'acme cloud', '--source', 'hn,github', '--base-url', `hn=${hnUrl}`, '--base-url', `github=${githubUrl}`, ...COMMON, ...extra];

describe('earshot doctor, built', () => {
  it('--help names what each line says and the exit codes (0 usable, 1 not, 2 usage)', async () => {
    const help = await spawnCli(['doctor', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: earshot doctor [options] [brand]');
    expect(help.stdout).toContain('probe each configured source live with one cheap request');
    expect(help.stdout).toMatch(/Exit codes:\n  0  every configured source is usable[^\n]*\n  1  at least one source is not usable, or there is no network\n  2  usage or configuration error/);
    expect(help.stdout).toContain('--base-url');
    expect(help.stdout).toContain('earshot doctor --config earshot.yml');
    // The list of commands names it too.
    expect((await spawnCli(['--help'])).stdout).toMatch(/doctor \[options\] \[brand\]\s+probe each configured source/);
  });

  it('healthy: exit 0, one ok line per source, the same bytes as in process', async () => {
    const a = args(hn.url, github.url);
    const run = await spawnCli(a);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^hn +ok +reachable; no token needed; the query finds mentions; 2 requests\ngithub +ok +reachable; no token set; quota \d+ of \d+ left; the query finds mentions; 1 request\n$/);
    expect(await runCli(a)).toEqual(run);
  });

  it('a 429 with Retry-After on one: exit 1 with its reset time', async () => {
    hn.fault({ fault: { kind: 'rate-limit', retryAfter: 300 } });
    try {
      const run = await spawnCli(args(hn.url, github.url));
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^hn +rate-limited +reachable; no token needed; rate-limited until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z; /);
    } finally {
      hn.clearFaults();
    }
  });

  it('nothing listening: the one "no network" line, exit 1, within a few seconds', async () => {
    const ports = await Promise.all([closedPort(), closedPort()]);
    const started = Date.now();
    const run = await spawnCli(args(`http://127.0.0.1:${ports[0]}`, `http://127.0.0.1:${ports[1]}`));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("no network: none of the 2 sources' servers could be reached (ECONNREFUSED); check the connection, DNS or proxy, then run earshot doctor again.\n");
    expect(Date.now() - started).toBeLessThan(10_000);
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
