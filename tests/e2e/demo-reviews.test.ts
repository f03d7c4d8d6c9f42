/** Issue 16 item 2 on the demo: the full audit over the bundled recordings labels no 4–5★ review a complaint. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPLAINT_INTENTS } from '../../src/analysis/intent.js';
import type { Report } from '../../src/core/report.js';
import { ROOT } from '../helpers/run-cli.js';

describe('npm run demo -- -f json', () => {
  it('reads its rated reviews by the rating rule: 4–5★ never complaints, 1–2★ always', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/demo.js'), '-f', 'json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const rated = report.mentions.filter((m) => typeof m.rating === 'number' && !m.fromBrand);
    expect(rated.filter((m) => m.rating! >= 4).length).toBeGreaterThanOrEqual(5);
    // The complaint family: a complaint, an outage or bug report, or churn risk (docs/metrics.md "Triage classes").
    expect(rated.filter((m) => m.rating! >= 4 && COMPLAINT_INTENTS.has(m.intent)).map((m) => m.id)).toEqual([]);
    expect(rated.filter((m) => m.rating! <= 2 && !COMPLAINT_INTENTS.has(m.intent)).map((m) => m.id)).toEqual([]);
  }, 150_000);
});
