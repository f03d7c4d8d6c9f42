/**
 * The package as a user gets it: `npm pack`, unpacked into a fresh folder's node_modules (dependencies linked from
 * this repo's, so it works offline), then a plain .mjs imports 'earshot' by name and a TypeScript file is
 * type-checked against the shipped .d.ts. Needs the build (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;

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
  // Kept as .txt in the repo: it imports 'earshot', which only resolves once built and packed.
  cpSync(join(ROOT, 'tests/package/consumer-ts.txt'), join(dir, 'consumer.ts'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
}, 120_000);

afterAll(() => {
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

  it('type-checks a TypeScript consumer against the shipped .d.ts', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', 'consumer.ts'];
    expect(() => execFileSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' })).not.toThrow();
  }, 120_000);
});
