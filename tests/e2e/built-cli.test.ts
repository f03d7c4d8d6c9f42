/**
 * The few end-to-end checks that need the built CLI in a real process (`spawnCli`: bin/earshot.js → dist/); every
 * other CLI test calls main() in process (`runCli`). Here: the bin shim's own `--version`, exit codes as the process
 * status, the same bytes as in process, and a reader that closes the pipe early. Signals are in
 * tests/security/interrupt.test.ts, a real TTY in tests/security/hostile-text.test.ts, V8 heap flags in
 * tests/unit/heap.test.ts and the exit hook for temp files in tests/unit/io.test.ts (all in the e2e lane).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, spawnCli } from '../helpers/run-cli.js';

const TWCS = `${ROOT}fixtures/input/twcs-sample.csv`;
const NOW = ['--now', '2026-11-23T09:00:00Z'];

describe('the built CLI in a real process', () => {
  it('bin/earshot.js answers --version itself, with the same line as main()', async () => {
    const shim = await spawnCli(['--version']);
    expect(shim).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version}\n`, stderr: '' });
    expect(await runCli(['--version'])).toEqual(shim);
  });

  it('gives the same stdout, stderr and exit status as main() in process: 0, 1 (threshold), 2 (usage), 3 (output)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-built-'));
    writeFileSync(join(dir, 'afile'), 'x');
    const cases: [number, string[]][] = [
      [0, ['analyze', TWCS, ...NOW, '-f', 'json']],
      [1, ['analyze', TWCS, ...NOW, '-f', 'csv', '--fail-under-response-rate', '1']],
      [2, ['analyze', TWCS, '--tz', 'Europe/Pariss']],
      [3, ['analyze', TWCS, ...NOW, '--out', join(dir, 'afile')]],
    ];
    for (const [code, args] of cases) {
      const spawned = await spawnCli(args);
      expect(spawned.code, spawned.stderr).toBe(code);
      expect(await runCli(args), args.join(' ')).toEqual(spawned);
    }
  });

  it('a reader that closes the pipe early is not an error: --help and a report exit 0 with nothing on stderr', async () => {
    for (const args of [['--help'], ['analyze', TWCS, ...NOW, '-f', 'ndjson']]) {
      const r = await spawnCli(args, { closeStdout: true });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
    }
  });
});
