import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInit } from '../../../src/cli/commands/init.js';
import type { CliDeps } from '../../../src/cli/main.js';
import { loadConfig, parseConfigText } from '../../../src/config/load.js';
import { mergeSettings } from '../../../src/config/merge.js';
import { PLACEHOLDER_BRAND, starterConfig } from '../../../src/config/starter.js';
import { CONFIG_KEYS } from '../../../src/config/types.js';
import { UsageError } from '../../../src/core/errors.js';
import { SOURCES } from '../../../src/sources/index.js';

function deps(cwd: string): CliDeps & { cwd: string; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, stdin: new PassThrough(), env: {}, clock: () => new Date('2026-11-15T12:00:00Z'), cwd, out: () => out, err: () => err };
}

describe('starterConfig', () => {
  it('loads back without errors or warnings, with the placeholder brand', async () => {
    const { config, warnings } = await parseConfigText(starterConfig(), 'earshot.yml');
    expect(warnings).toEqual([]);
    expect(config.brand).toBe(PLACEHOLDER_BRAND);
    expect(config.aliases).toEqual(['acmecloud']);
    expect(Object.keys(config.sources ?? {})).toEqual(['reddit', 'hn']);
    const merged = mergeSettings({ source: 'reddit,hn' }, { source: 'default' }, config, {});
    expect(merged.query).toBe('"Acme Cloud" OR acmecloud -"acme cloud anvil"');
  });

  it("shows each source from its own starter metadata, in registry order, uncommenting the commented-out ones loads", async () => {
    const text = starterConfig('Initech');
    const shown = Object.values(SOURCES).filter((s) => s.starter);
    expect(shown.map((s) => s.id)).toEqual(['reddit', 'hn', 'rss', 'bluesky', 'mastodon', 'github', 'discourse', 'stackexchange', 'steam']);
    const section = text.slice(text.indexOf('\nsources:\n'), text.indexOf('\n\n', text.indexOf('\nsources:\n')));
    const headers = [...section.matchAll(/^ {2}(?:# )?([a-z]+):$/gm)].map((m) => m[1]);
    expect(headers).toEqual(shown.map((s) => s.id));
    for (const s of shown) {
      for (const line of s.starter!.lines({ glued: 'initech', domain: 'initech.example' })) expect(text, `${s.id}: ${line}`).toContain(line);
    }
    // Every example option is one the source declares, so uncommenting it gives a config that loads.
    const uncommented = section.replace(/^ {2}# ( *[a-zA-Z]+:)/gm, '  $1').replace(/^ {4}# (subreddits|rateLimit)/gm, '    $1');
    const { config, warnings } = await parseConfigText(`brand: Initech${uncommented}\n`, 'earshot.yml');
    expect(warnings).toEqual([]);
    expect(Object.keys(config.sources ?? {})).toEqual(shown.map((s) => s.id));
    expect(config.sources?.github).toEqual({ repos: ['initech/cli'] });
  });

  it('mentions every top-level key, commented or set', () => {
    const text = starterConfig('Initech');
    for (const key of CONFIG_KEYS) expect(text, key).toMatch(new RegExp(`^#? ?${key}:`, 'm'));
  });

  it('loads back for any brand name, quotes and colons included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /[\p{L}\p{N}]/u.test(s)),
        async (brand) => {
          const { config } = await parseConfigText(starterConfig(brand), 'earshot.yml');
          expect(config.brand).toBe(brand.replace(/\s+/g, ' ').trim());
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('runInit', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-init-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes earshot.yml that the loader discovers, and says so on stderr', async () => {
    const d = deps(dir);
    expect(await runInit({ brand: 'Initech' }, d)).toBe(0);
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded?.config.brand).toBe('Initech');
    expect(d.err()).toMatch(/^Wrote earshot\.yml\./);
    expect(d.out()).toBe('');
    expect(await readdir(dir)).toEqual(['earshot.yml']); // no temp file left behind
  });

  it('refuses to overwrite without --force (exit 2 via UsageError), and overwrites with it', async () => {
    await writeFile(join(dir, 'earshot.yml'), 'brand: Mine\n');
    await expect(runInit({}, deps(dir))).rejects.toThrow(UsageError);
    await expect(runInit({}, deps(dir))).rejects.toThrow('earshot.yml already exists; use --force to replace it, or --config FILE to write another file.');
    expect(await readFile(join(dir, 'earshot.yml'), 'utf8')).toBe('brand: Mine\n');
    expect(await readdir(dir)).toEqual(['earshot.yml']);
    expect(await runInit({ force: true, brand: 'Theirs' }, deps(dir))).toBe(0);
    expect((await loadConfig({ cwd: dir }))?.config.brand).toBe('Theirs');
  });

  it('writes to --config FILE, or to stdout with --config -', async () => {
    expect(await runInit({ config: 'conf/acme.yml' }, deps(dir)).catch((e: Error) => e.message)).toBe('Cannot write conf/acme.yml: folder conf does not exist.');
    expect(await runInit({ config: 'acme.yml' }, deps(dir))).toBe(0);
    expect((await loadConfig({ cwd: dir, path: 'acme.yml' }))?.config.brand).toBe(PLACEHOLDER_BRAND);
    const d = deps(dir);
    expect(await runInit({ config: '-', brand: 'Stdout Co' }, d)).toBe(0);
    expect(d.out()).toBe(starterConfig('Stdout Co'));
  });
});
