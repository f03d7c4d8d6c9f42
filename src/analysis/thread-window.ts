/**
 * Streaming thread assembly: mentions arrive one by one; a thread is analysed once no new member has
 * arrived for a while (a bounded window), so memory stays flat however long the input is.
 */
import type { Mention } from '../core/mention.js';

/** What push returns when no thread left the window (shared and frozen: most pushes return it). */
const NOTHING: Mention[][] = Object.freeze([]) as unknown as Mention[][];

/**
 * Mentions held by default (docs/metrics.md, "Streaming and memory"). Every held mention outlives V8's young
 * generation and so is garbage in the old one once analysed; V8 lets that space grow to several times what is
 * live, so the window's size shows in peak memory: 50,000 peaked at 369 MB on a million mentions, 10,000 at 272 MB.
 */
export const DEFAULT_THREAD_WINDOW = 10_000;

/** Groups mentions into threads while holding at most `maxBuffered` mentions. */
export class ThreadWindow {
  private readonly threads = new Map<string, Mention[]>();
  /** Thread key of every buffered mention, so children find their thread even without threadId. */
  private readonly keyOf = new Map<string, string>();
  private buffered = 0;

  /** `maxBuffered`: how many mentions may wait for their thread to complete. */
  constructor(private readonly maxBuffered = DEFAULT_THREAD_WINDOW) {}

  /** Adds a mention; returns the threads that left the window (oldest-touched first). */
  push(m: Mention): Mention[][] {
    const key = this.threadKey(m);
    let thread = this.threads.get(key);
    if (thread) {
      // Re-inserting keeps Map order = least recently touched first.
      this.threads.delete(key);
    } else {
      thread = [];
    }
    thread.push(m);
    this.threads.set(key, thread);
    this.keyOf.set(m.id, key);
    this.buffered += 1;
    if (this.buffered <= this.maxBuffered) return NOTHING;
    const out: Mention[][] = [];
    while (this.buffered > this.maxBuffered) {
      const first = this.threads.keys().next();
      if (first.done) break;
      out.push(this.evict(first.value));
    }
    return out;
  }

  /** Returns every remaining thread, in first-seen order. */
  flush(): Mention[][] {
    const out: Mention[][] = [];
    for (const key of [...this.threads.keys()]) out.push(this.evict(key));
    return out;
  }

  private threadKey(m: Mention): string {
    if (m.threadId !== undefined) return m.threadId;
    if (m.parentId !== undefined) return this.keyOf.get(m.parentId) ?? m.parentId;
    // A root without threadId: its children will name it as parent or thread.
    return m.id;
  }

  private evict(key: string): Mention[] {
    const thread = this.threads.get(key) ?? [];
    this.threads.delete(key);
    for (const m of thread) this.keyOf.delete(m.id);
    this.buffered -= thread.length;
    return thread;
  }
}
