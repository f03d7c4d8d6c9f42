/**
 * `-o TARGET` onto things that are not a plain new file (issue 19, item 11). A regular file is replaced atomically
 * (temp file + rename) and keeps its permissions; anything else — a character device, a FIFO, a link to one, a
 * `/dev/stdout`-style link to the process's own descriptor, `/dev/fd/N` from process substitution — is written into
 * as it is, and is still the same kind of thing afterwards. We run as root, where the old rename turned /dev/null
 * into a regular file: the device and descriptor cases use a device node and links made in a temp folder, and
 * /dev/null itself is only tried once the private device node has shown that devices are written straight.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, lstatSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

const TWCS = `${ROOT}fixtures/input/twcs-sample.csv`;
const ARGS = ['analyze', TWCS, '--now', '2026-11-23T09:00:00Z', '-f', 'csv', '-q'];
let dir = '';
/** The CSV `-o` should deliver, as written to a fresh file. */
let expected = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What was read from the extra descriptor 3, when asked for. */
  fd3: string;
}

/** Runs the built CLI; `stdout` may be a file descriptor to write into, `fd3` opens a pipe on descriptor 3. */
function run(args: string[], options: { stdout?: number; fd3?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/earshot.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, TZ: 'UTC' },
      stdio: ['ignore', options.stdout ?? 'pipe', 'pipe', ...(options.fd3 ? (['pipe'] as const) : [])],
    });
    const text = { stdout: '', stderr: '', fd3: '' };
    const collect = (stream: Readable | null | undefined, key: keyof typeof text): void => void stream?.setEncoding('utf8').on('data', (d: string) => (text[key] += d));
    collect(child.stdout, 'stdout');
    collect(child.stderr, 'stderr');
    if (options.fd3) collect(child.stdio[3] as Readable, 'fd3');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...text });
    });
  });
}

/** Reads a FIFO to its end (the open waits for the writer, as `cat fifo` does). */
function readFifo(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    createReadStream(path, 'utf8').on('data', (d) => (text += String(d))).on('end', () => resolve(text)).on('error', reject);
  });
}

const noTempFiles = (folder: string): void => expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-targets-'));
  const fresh = await run([...ARGS, '-o', join(dir, 'fresh.csv')]);
  expect(fresh.code, fresh.stderr).toBe(0);
  expected = readFileSync(join(dir, 'fresh.csv'), 'utf8');
  expect(expected.split('\n').length).toBeGreaterThan(10);
});

describe('-o onto what is not a regular file is written into, never replaced', () => {
  it('a FIFO: its reader gets the whole report and it is still a FIFO', async () => {
    const fifo = join(dir, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const [read, r] = await Promise.all([readFifo(fifo), run([...ARGS, '-o', fifo])]);
    expect(r.code, r.stderr).toBe(0);
    expect(read).toBe(expected);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    noTempFiles(dir);
  });

  it('a symlink to a FIFO: the link stays a link, the FIFO a FIFO, and the reader gets the report', async () => {
    const fifo = join(dir, 'linked.fifo');
    const link = join(dir, 'to-fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    symlinkSync(fifo, link);
    const [read, r] = await Promise.all([readFifo(fifo), run([...ARGS, '-o', link])]);
    expect(r.code, r.stderr).toBe(0);
    expect(read).toBe(expected);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a character device (a private copy of /dev/null), then /dev/null itself: both are still the same device', async (ctx) => {
    const device = join(dir, 'null');
    if (spawnSync('mknod', [device, 'c', '1', '3']).status !== 0) ctx.skip(); // needs root
    const before = statSync(device);
    const r = await run([...ARGS, '-o', device]);
    expect(r.code, r.stderr).toBe(0);
    const after = lstatSync(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.rdev, after.ino]).toEqual([before.rdev, before.ino]);
    noTempFiles(dir);
    // Only now is the real one safe to try: the private node showed that devices are written into, not replaced.
    const real = statSync('/dev/null');
    const onNull = await run([...ARGS, '-o', '/dev/null']);
    expect(onNull.code, onNull.stderr).toBe(0);
    const realAfter = lstatSync('/dev/null');
    expect(realAfter.isCharacterDevice()).toBe(true);
    expect([realAfter.rdev, realAfter.ino]).toEqual([real.rdev, real.ino]);
  });

  it('a /dev/stdout-style link to the process\'s own descriptor: the report goes to stdout and the link stays', async () => {
    const link = join(dir, 'stdout');
    symlinkSync('/proc/self/fd/1', link);
    const r = await run([...ARGS, '-o', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    noTempFiles(dir);
  });

  it('that link when stdout is a file opened for appending (`>> log`): the report is appended, not written over', async () => {
    const link = join(dir, 'stdout-append');
    symlinkSync('/proc/self/fd/1', link);
    const log = join(dir, 'appended.csv');
    writeFileSync(log, 'earlier line\n');
    const fd = openSync(log, 'a');
    try {
      const r = await run([...ARGS, '-o', link], { stdout: fd });
      expect(r.code, r.stderr).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(log, 'utf8')).toBe(`earlier line\n${expected}`);
  });

  it('/dev/fd/N, as process substitution gives (`-o >(gzip > x.gz)`): the reader on that descriptor gets the report', async () => {
    const r = await run([...ARGS, '-o', '/dev/fd/3'], { fd3: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.fd3).toBe(expected);
    expect(r.stdout).toBe('');
  });
});

describe('-o onto a regular file replaces it atomically', () => {
  it('a 0600 file stays 0600 (the report does not become readable by others)', async () => {
    const file = join(dir, 'private.csv');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o600);
    const r = await run([...ARGS, '-o', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    noTempFiles(dir);
  });

  it('a symlink to a regular file: the link stays a link and the file it names gets the report', async () => {
    const file = join(dir, 'target.csv');
    const link = join(dir, 'latest.csv');
    writeFileSync(file, 'old\n');
    symlinkSync('target.csv', link);
    const r = await run([...ARGS, '-o', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });
});
