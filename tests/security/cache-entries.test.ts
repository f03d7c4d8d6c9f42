/**
 * A cache entry that is not a regular file (issue 19, item 13). A FIFO planted at an entry's path — or a symlink
 * to one — used to hang the run for good, through SIGTERM, on a read that waits for a writer. The cache opens
 * entries without blocking, reads only regular files, treats anything else as a miss, and the next write puts
 * a regular entry in its place. (Here, not in the unit lane: making a FIFO takes `mkfifo`, a child process.)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiskCache } from '../../src/http/index.js';

const KEY = `ab${'0'.repeat(62)}`;
const entryPath = (dir: string, key = KEY): string => join(dir, 'http', key.slice(0, 2), `${key}.json`);
const ENTRY = { url: 'https://hn.example/api/v1/search?query=acme', status: 200, headers: { 'content-type': 'application/json' }, body: '{"hits":[]}', fetchedAt: '2026-11-23T09:00:00.000Z' };

const fifos: string[] = [];

function mkfifo(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  fifos.push(path);
}

afterEach(() => {
  // Should a read still be waiting on a FIFO (the old code), open and close its other end so the worker is freed.
  for (const f of fifos.splice(0)) {
    try {
      closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waiting: nothing to free.
    }
  }
});

describe('cache entries are read only when they are regular files', () => {
  it('a FIFO at an entry\'s path is a miss, not a hang; the next write replaces it with a regular entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-cache-fifo-'));
    mkfifo(entryPath(dir));
    const cache = createDiskCache({ dir });
    expect(await cache.read(KEY)).toBeUndefined();
    await cache.write(KEY, ENTRY);
    expect(lstatSync(entryPath(dir)).isFile()).toBe(true);
    expect(await cache.read(KEY)).toMatchObject({ version: 1, status: 200, body: '{"hits":[]}' });
  });

  it('a symlink to a FIFO is a miss too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-cache-fifo-'));
    const fifo = join(dir, 'elsewhere.fifo');
    mkfifo(fifo);
    mkdirSync(join(entryPath(dir), '..'), { recursive: true });
    symlinkSync(fifo, entryPath(dir));
    expect(await createDiskCache({ dir }).read(KEY)).toBeUndefined();
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a folder at an entry\'s path is a miss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-cache-fifo-'));
    mkdirSync(entryPath(dir), { recursive: true });
    expect(await createDiskCache({ dir }).read(KEY)).toBeUndefined();
  });
});
