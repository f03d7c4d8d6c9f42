import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tuneHeapForStreaming } from '../../src/cli/heap.js';

describe('tuneHeapForStreaming', () => {
  it('leaves the heap alone when the user tuned it on the command line or in NODE_OPTIONS', () => {
    expect(tuneHeapForStreaming(['--max-old-space-size=512'], undefined)).toBe(false);
    expect(tuneHeapForStreaming([], '--heap-growing-percent=100')).toBe(false);
    expect(tuneHeapForStreaming([], '--enable-source-maps --max_semi_space_size=8')).toBe(false);
  });

  it('lowers the growth factor otherwise, and V8 takes the flag after start-up', () => {
    // Children, so this test process keeps its own GC settings. Each holds a ring of 100,000 objects that outlive the
    // young generation (like the thread window) and reports the highest heap use seen while churning through them.
    const peak = (nodeOptions: string): { applied: boolean; peak: number } => {
      const script = `
        import { tuneHeapForStreaming } from ${JSON.stringify(new URL('../../dist/src/cli/heap.js', import.meta.url).href)};
        const applied = tuneHeapForStreaming([], process.env.NODE_OPTIONS);
        const ring = new Array(100000);
        let peak = 0;
        for (let i = 0; i < 3000000; i++) {
          ring[i % ring.length] = { id: 'm' + i, text: 'x'.repeat(100) + i, n: [i, i + 1] };
          if (i % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
        console.log(JSON.stringify({ applied, peak }));
      `;
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: nodeOptions } });
      expect(out.status, out.stderr).toBe(0);
      return JSON.parse(out.stdout) as { applied: boolean; peak: number };
    };
    const tuned = peak('');
    const untouched = peak('--max-old-space-size=4096');
    expect(tuned.applied).toBe(true);
    expect(untouched.applied).toBe(false);
    expect(tuned.peak).toBeLessThan(untouched.peak * 0.8);
    // Two children churning 3M objects each: CPU-bound, so a loaded machine needs more than the default 20 s.
  }, 120_000);
});
