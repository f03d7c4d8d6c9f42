/** `earshot analyze` prints published benchmarks in the table and json; --no-benchmarks and `benchmarks: false` hide them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { brandReply, mention } from '../helpers/make-mention.js';

const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'm.ndjson');
const ms = [mention('c1', '2026-11-17T10:00:00Z', 'The app is broken, terrible.'), brandReply('r1', '2026-11-17T10:10:00Z', 'c1'), mention('c2', '2026-11-17T11:00:00Z', 'Still broken, awful support.')];
writeFileSync(file, ms.map((m) => JSON.stringify({ ...m, brand: 'Acme' })).join('\n') + '\n');
const base = ['analyze', file, '--now', '2026-11-18T00:00:00Z', '--brand', 'Acme'];

describe('earshot analyze: benchmarks', () => {
  it('the table sets the brand against them, and json carries them', async () => {
    const t = await runCli([...base, '--no-color']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('Against published benchmarks');
    expect(t.stdout).toContain("answered 50%: above the 46.6% of retailers in Brandwatch's 2015 test");
    const j = await runCli([...base, '-f', 'json']);
    const acme = (JSON.parse(j.stdout) as { summary: { brands: { benchmarks?: { id: string }[] }[] } }).summary.brands[0]!;
    expect(acme.benchmarks?.map((b) => b.id)).toContain('brandwatch-2015-tagged');
  });

  it('--no-benchmarks hides them in every format', async () => {
    const t = await runCli([...base, '--no-color', '--no-benchmarks']);
    expect(t.code).toBe(0);
    expect(t.stdout).not.toContain('published benchmarks');
    const j = await runCli([...base, '-f', 'json', '--no-benchmarks']);
    expect(j.stdout).not.toContain('"benchmarks"');
    const h = await runCli([...base, '-f', 'html', '--no-benchmarks']);
    expect(h.stdout).not.toContain('id="benchmarks"');
  });

  it('reads benchmarks: false from earshot.yml', async () => {
    const config = join(dir, 'earshot.yml');
    writeFileSync(config, 'brand: Acme\nbenchmarks: false\n');
    const j = await runCli([...base, '-f', 'json', '--config', config]);
    expect(j.code).toBe(0);
    expect(j.stdout).not.toContain('"benchmarks"');
  });
});
