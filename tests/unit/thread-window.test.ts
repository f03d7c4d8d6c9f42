import { describe, expect, it } from 'vitest';
import { DEFAULT_THREAD_WINDOW, ThreadWindow } from '../../src/analysis/thread-window.js';
import { mention } from '../helpers/make-mention.js';

describe('ThreadWindow', () => {
  it('groups by threadId or parent chain and evicts the least recently touched thread', () => {
    const w = new ThreadWindow(3);
    expect(w.push(mention('a', '2026-11-17T10:00:00Z', 'a'))).toEqual([]);
    expect(w.push(mention('b', '2026-11-17T10:01:00Z', 'b'))).toEqual([]);
    expect(w.push(mention('a1', '2026-11-17T10:02:00Z', 'a1', { parentId: 't:a' }))).toEqual([]);
    const out = w.push(mention('a2', '2026-11-17T10:03:00Z', 'a2', { parentId: 't:a1' }));
    expect(out.map((t) => t.map((m) => m.id))).toEqual([['t:b']]);
    expect(w.flush().map((t) => t.map((m) => m.id))).toEqual([['t:a', 't:a1', 't:a2']]);
  });

  it('keeps a child that arrives before its root in the root thread', () => {
    const w = new ThreadWindow(10);
    w.push(mention('c', '2026-11-17T10:01:00Z', 'c', { parentId: 't:r' }));
    w.push(mention('r', '2026-11-17T10:00:00Z', 'r'));
    expect(w.flush().map((t) => t.length)).toEqual([2]);
  });

  it('holds 10,000 mentions by default (the documented window) and lets the oldest thread go after that', () => {
    expect(DEFAULT_THREAD_WINDOW).toBe(10_000);
    const w = new ThreadWindow();
    for (let i = 0; i < 10_000; i += 1) expect(w.push(mention(`m${i}`, '2026-11-17T10:00:00Z', 'x'))).toHaveLength(0);
    expect(w.push(mention('late', '2026-11-17T10:00:00Z', 'x')).map((t) => t.map((m) => m.id))).toEqual([['t:m0']]);
  });
});
