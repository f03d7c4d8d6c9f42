/** Vitest globalSetup for the browser tests: installs Debian's chromium once when it is missing (see scripts/ensure-chromium.sh). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from './chromium.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/ensure-chromium.sh', import.meta.url));

/** Runs the install script only when the browser is absent, so the usual cost is one stat call. */
export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  const started = Date.now();
  // The script never fails; its progress goes to our stderr so a slow first run explains itself.
  const r = spawnSync('sh', [SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000, env: { ...process.env, EARSHOT_CHROMIUM: CHROMIUM } });
  if (r.error) process.stderr.write(`browser tests: could not run ${SCRIPT}: ${r.error.message}\n`);
  process.stderr.write(`browser tests: chromium ${existsSync(CHROMIUM) ? 'ready' : 'still missing'} after ${Math.round((Date.now() - started) / 1000)}s\n`);
}
