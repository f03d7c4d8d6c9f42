/**
 * The package as a user gets it: `npm pack`, unpacked into a fresh folder's node_modules (dependencies linked from
 * this repo's, so it works offline), then a plain .mjs imports 'earshot' by name and a TypeScript file is
 * type-checked against the shipped .d.ts; a second script runs `audit` against a fixture server and must get the
 * report the built CLI prints for the same audit. Needs the build (npm test builds first).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFixtureDir, type FixtureServer } from '../helpers/fixture-server.js';

// The fixture server runs in this process, so its clients must be spawned without blocking the event loop.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let hn: FixtureServer | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-pack-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  const tarball = join(dir, out.trim().split('\n').pop()!);
  const pkg = join(dir, 'node_modules', 'earshot');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'earshot' || name.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  cpSync(join(ROOT, 'tests/package/consumer.mjs'), join(dir, 'consumer.mjs'));
  cpSync(join(ROOT, 'tests/package/consumer-audit.mjs'), join(dir, 'consumer-audit.mjs'));
  // Kept as .txt in the repo: it imports 'earshot', which only resolves once built and packed.
  cpSync(join(ROOT, 'tests/package/consumer-ts.txt'), join(dir, 'consumer.ts'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, 120_000);

afterAll(async () => {
  await hn?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed package, imported as 'earshot'", () => {
  it('analyses mentions from a plain .mjs script', () => {
    const out = execFileSync(process.execPath, ['consumer.mjs', join(ROOT, 'fixtures/input/mentions.ndjson')], { cwd: dir, encoding: 'utf8' });
    const got = JSON.parse(out);
    expect(got).toMatchObject({ schemaVersion: 1, expected: 1, mentions: 6, total: 6, tableStarts: 'earshot · Acme Cloud' });
    expect(got.rate).toBeCloseTo(1 / 3, 4);
    expect(got.breaches).toEqual(['Acme Cloud: response rate 33.3% is under the threshold of 90% (1 of 3 answered).']);
  }, 60_000);

  it('audits a fixture server from a plain .mjs script, with the report the CLI prints for the same audit', async () => {
    hn = await serveFixtureDir(join(ROOT, 'fixtures/sources/hn'));
    const got = JSON.parse((await run(process.execPath, ['consumer-audit.mjs', hn.url], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })).stdout);
    expect(got.coverage).toEqual([{ source: 'hn', status: 'ok', mentions: expect.any(Number), warnings: [] }]);
    expect(got.coverage[0].mentions).toBeGreaterThan(3);
    expect(got.mentions.length).toBe(got.summary.overall.volume.total);
    expect(hn.requests.length).toBeGreaterThan(1);
    const cliArgs = ['audit', 'acme cloud', '--source', 'hn', '--base-url', `hn=${hn.url}`, '--brand-handle', 'AcmeCloudSupport', '--source-option', 'hn.hitsPerPage=4', '--rate-limit', 'hn=6000',
      '--since', '2026-11-09', '--now', '2026-11-23T09:00:00Z', '--tz', 'America/New_York', '--business-hours', 'Mon-Fri 09:00-17:00', '--no-cache', '-f', 'json'];
    const cli = JSON.parse((await run(process.execPath, [join(dir, 'node_modules/earshot/bin/earshot.js'), ...cliArgs], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 })).stdout);
    expect(got).toEqual(cli);
  }, 60_000);

  it('type-checks a TypeScript consumer against the shipped .d.ts', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', 'consumer.ts'];
    expect(() => execFileSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' })).not.toThrow();
  }, 120_000);
});
