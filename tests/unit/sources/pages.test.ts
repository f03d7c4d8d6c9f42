/** The paging guard every source's loops go through (src/sources/shared/pages.ts). */
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../src/core/errors.js';
import { createPager, MAX_PAGES, stopIfAborted } from '../../../src/sources/shared/pages.js';

const pagerWith = (signal = new AbortController().signal) => {
  const warnings: string[] = [];
  return { pager: createPager('demo', signal, (w) => warnings.push(w)), warnings };
};

describe('createPager', () => {
  it('stops at a key read before (a next link or cursor sent again), warning once with the key', () => {
    const { pager, warnings } = pagerWith();
    const loop = pager.loop('the search');
    expect(loop.next('https://x.example/s?page=1')).toBe(true);
    expect(loop.next('https://x.example/s?page=2')).toBe(true);
    expect(loop.next('https://x.example/s?page=1')).toBe(false);
    expect(loop.next('https://x.example/s?page=3')).toBe(false);
    expect(warnings).toEqual(['demo: stopped reading the search: the server sent page https://x.example/s?page=1 again (a paging loop); kept the 2 pages read.']);
  });

  it('caps the pages (MAX_PAGES unless lower), naming the first page not read', () => {
    const { pager, warnings } = pagerWith();
    const loop = pager.loop('the feed');
    let pages = 0;
    while (loop.next(`page ${pages + 1}`)) pages += 1;
    expect(pages).toBe(MAX_PAGES);
    const small = pager.loop('the comments', 2);
    expect([small.next('a'), small.next('b'), small.next('c')]).toEqual([true, true, false]);
    expect(warnings).toEqual([
      `demo: stopped reading the feed after ${MAX_PAGES} pages (the page cap); page ${MAX_PAGES + 1} and later pages were not read.`,
      'demo: stopped reading the comments after 2 pages (the page cap); c and later pages were not read.',
    ]);
  });

  it('ends at a page with nothing new; repeats count toward the limit, an empty page ends quietly', () => {
    const { pager, warnings } = pagerWith();
    const loop = pager.loop('the search');
    expect(loop.listed(['1', '2', '3'])).toBe(true);
    expect(loop.listed(['3', '4'])).toBe(true);
    expect(pager.repeats).toBe(1);
    expect(loop.listed(['1', '2'])).toBe(false);
    expect(pager.repeats).toBe(3);
    expect(warnings).toEqual(['demo: stopped reading the search: a page only repeated items already read.']);
    // Items without an id are always new; an empty page is the end, not a fault.
    const other = pager.loop('the other search');
    expect(other.listed([undefined, undefined])).toBe(true);
    expect(other.listed([])).toBe(false);
    expect(warnings).toHaveLength(1);
  });

  it('throws interrupted on the next turn once the signal fired, so a loop served from the cache stops', () => {
    const abort = new AbortController();
    const { pager } = pagerWith(abort.signal);
    const loop = pager.loop('the search');
    expect(loop.next('1')).toBe(true);
    abort.abort();
    let error: unknown;
    try {
      loop.next('2');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'interrupted', sourceId: 'demo' });
    expect(() => stopIfAborted(abort.signal, 'demo')).toThrowError(expect.objectContaining({ code: 'interrupted' }));
    expect(() => stopIfAborted(new AbortController().signal, 'demo')).not.toThrow();
  });

  it('keeps credentials and long blobs out of the warning', () => {
    const { pager, warnings } = pagerWith();
    const loop = pager.loop('the search');
    loop.next('https://x.example/s?access_token=abc123secret&page=1');
    loop.next('https://x.example/s?access_token=abc123secret&page=1');
    const cursor = 'c'.repeat(5000);
    const other = pager.loop('the feed');
    other.next(cursor);
    other.next(cursor);
    expect(warnings[0]).not.toContain('abc123secret');
    expect(warnings[0]).toContain('REDACTED');
    expect(warnings[1]!.length).toBeLessThan(400);
  });
});
