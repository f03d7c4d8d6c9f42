import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { manyBrandsCsv } from '../helpers/many-brands.js';

describe('earshot analyze of a file of 76 companies (end to end)', () => {
  it('lists every company in 80 columns and names the summary.csv that --out wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-many-'));
    const input = join(dir, 'twcs.csv');
    writeFileSync(input, manyBrandsCsv(76));
    const r = await runCli(['analyze', input, '--now', '2017-11-10T12:00:00Z', '--out', join(dir, 'reports', '{date}')]);
    expect(r.code).toBe(0);
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(r.stdout).toContain('Brands, most mentioned first (76)');
    const summary = join(dir, 'reports', '2017-11-10', 'summary.csv');
    expect(r.stdout.replace(/\n/g, ' ')).toContain(`Every figure for every brand: ${summary}.`);
    expect(existsSync(summary)).toBe(true);
  });
});
