import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openSink } from '../../src/cli/io.js';
import { ROOT } from '../helpers/run-cli.js';

describe('openSink (atomic file output)', () => {
  it('shows nothing at the target until commit, then the whole file; abort leaves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-io-'));
    const sink = await openSink(join(dir, 'out.csv'), new PassThrough());
    await sink.write('a,b\n');
    expect(readdirSync(dir).filter((f) => f === 'out.csv')).toEqual([]);
    await sink.write('1,2\n');
    await sink.commit();
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
    const other = await openSink(join(dir, 'other.csv'), new PassThrough());
    await other.write('x\n');
    await other.abort();
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('removes its temp file when the process exits before commit (a second Ctrl-C)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-io-'));
    const script = `import { openSink } from ${JSON.stringify(`${ROOT}dist/src/cli/io.js`)};
      const sink = await openSink(${JSON.stringify(join(dir, 'out.csv'))}, process.stdout);
      await sink.write('half a report');
      process.exit(130);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  });
});
