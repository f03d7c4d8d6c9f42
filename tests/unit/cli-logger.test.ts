import { Writable } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { createCliLogger } from '../../src/cli/logger.js';
import { progressLine } from '../../src/cli/commands/collect.js';

function sink(): { stream: Writable; writes: string[] } {
  const writes: string[] = [];
  return { writes, stream: new Writable({ write(chunk, _enc, done) { writes.push(String(chunk)); done(); } }) };
}

describe('the CLI logger and the live progress line', () => {
  it('clears the held status line before printing a warning, so the two never share a line', () => {
    const { stream, writes } = sink();
    const log = createCliLogger(stream, { quiet: false, debug: false, chalk: new Chalk({ level: 0 }) });
    let shown = true;
    log.holdLine(() => {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    });
    stream.write('reddit 12 · hn 3');
    log.warn('hn: the host name hn.algolia.com could not be resolved (ENOTFOUND)');
    expect(writes).toEqual(['reddit 12 · hn 3', '\r\u001b[2K', 'warning: hn: the host name hn.algolia.com could not be resolved (ENOTFOUND)\n']);
  });

  it('always() prints even with --quiet (failed sources a cron job must see)', () => {
    const { stream, writes } = sink();
    const log = createCliLogger(stream, { quiet: true, debug: false, chalk: new Chalk({ level: 0 }) });
    log.warn('hidden');
    log.always('earshot: reddit failed: Could not reach www.reddit.com (ECONNREFUSED)');
    expect(writes).toEqual(['earshot: reddit failed: Could not reach www.reddit.com (ECONNREFUSED)\n']);
  });

  it('keeps the progress line narrower than the terminal, whatever the number of sources (issue 14 item 9)', () => {
    const counts = new Map(['reddit', 'hn', 'rss', 'bluesky', 'mastodon', 'github', 'stackexchange', 'discourse', 'wordpress', 'trustpilot'].map((s, i) => [s, 1000 * i] as const));
    for (const columns of [20, 40, 80, 132, undefined]) {
      const line = progressLine(counts, columns);
      expect(line.length).toBeLessThan(columns ?? 80);
      expect(line.endsWith('…')).toBe(true);
    }
    expect(progressLine(new Map([['hn', 3]]), 80)).toBe('hn 3');
  });
});
