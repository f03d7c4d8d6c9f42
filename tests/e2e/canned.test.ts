/** `earshot analyze` with canned-reply settings: the figures in json, the flag and config threshold, the refusal of 1. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cannedAudit, CANNED_NOW } from '../helpers/canned-audit.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'earshot-canned-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'replies.ndjson');
writeFileSync(file, cannedAudit().map((m) => JSON.stringify(m)).join('\n') + '\n');
const base = ['analyze', file, '--now', CANNED_NOW.toISOString(), '--brand-handle', 'AcmeHelp', '--brand-handle', 'BoltCare', '-f', 'json'];

type Resp = { cannedShare: number | null; substantiveRate: number | null; followUpsUnanswered: number; templates: { count: number }[] };
const acme = (stdout: string): Resp => (JSON.parse(stdout) as { summary: { brands: { brand: string; response: Resp }[] } }).summary.brands.find((b) => b.brand === 'Acme')!.response;

describe('earshot analyze: canned replies', () => {
  it('reports the canned share, substantive rate and follow-ups per brand in json', async () => {
    const r = await runCli(base);
    expect(r.code).toBe(0);
    expect(acme(r.stdout)).toMatchObject({ cannedShare: 0.9, substantiveRate: 0.0769, followUpsUnanswered: 1 });
  });

  it('--canned-min-uses raises the bar: with 5, no template of 4 uses is canned', async () => {
    const r = await runCli([...base, '--canned-min-uses', '5']);
    expect(r.code).toBe(0);
    const a = acme(r.stdout);
    expect(a.cannedShare).toBe(0);
    expect(a.templates).toEqual([]);
    // The seven deflecting answers are still not substantive.
    expect(a.substantiveRate).toBe(0.2308);
    // The report says which settings made the figures (runs compared with --compare can be told apart).
    expect((JSON.parse(r.stdout) as { settings: { canned?: unknown } }).settings.canned).toEqual({ minUses: 5, similarity: 0.85 });
    expect((JSON.parse((await runCli(base)).stdout) as { settings: { canned?: unknown } }).settings.canned).toBeUndefined();
  });

  it('reads canned.minUses from earshot.yml', async () => {
    const config = join(dir, 'earshot.yml');
    writeFileSync(config, 'brand: Acme\ncanned:\n  minUses: 4\n');
    const r = await runCli([...base, '--config', config]);
    expect(r.code).toBe(0);
    expect(acme(r.stdout).cannedShare).toBe(0.4);
  });

  it('refuses a threshold of 1 (a reply used once is never canned) with exit 2', async () => {
    const r = await runCli([...base, '--canned-min-uses', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\(--canned-min-uses, EARSHOT_CANNED_MIN_USES or canned\.minUses in earshot\.yml\) must be at least 2, not 1/);
  });
});
