/** Process-facing I/O: atomic file output, stdout with backpressure, input streams. */
import { createReadStream, createWriteStream, mkdtempSync, openSync, rmSync, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { EarshotError, OutputError, PipeClosedError, UsageError } from '../core/errors.js';

/** Plain-words reasons for the file-system errors people meet when choosing an output path. */
const REASONS: Record<string, string> = {
  EEXIST: 'a file with that name exists',
  ENOTDIR: 'part of the path is a file, not a folder',
  ENOENT: 'part of the path does not exist',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  EPERM: 'not permitted there',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/** A file-system error code in words. */
export function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? code ?? String(e);
}

/** Temp files not yet renamed into place; removed if the process exits first (a second Ctrl-C). */
const openTemps = new Set<string>();
let exitHook = false;

/** Registers a temp file to remove if the process exits before it is renamed into place. */
export function trackTemp(path: string): void {
  openTemps.add(path);
  if (exitHook) return;
  exitHook = true;
  // 'exit' handlers must be synchronous: this is the last chance to leave the target complete or absent, with no debris.
  process.on('exit', () => {
    for (const p of openTemps) rmSync(p, { recursive: true, force: true });
  });
}

/** The temp file was renamed or removed: nothing to clean up any more. */
export function untrackTemp(path: string): void {
  openTemps.delete(path);
}

/** Where data goes: stdout or a file written atomically (temp file + rename on commit). */
export interface DataSink {
  /** Writes a chunk, waiting for the stream to drain when it is full. */
  write(chunk: string): Promise<void>;
  /** Finishes: a file is renamed into place only now. */
  commit(): Promise<void>;
  /** Gives up: a temp file is removed, so the target is complete or absent. */
  abort(): Promise<void>;
  /** The underlying stream, for piping renderers. */
  stream: Writable;
}

/** Opens the data sink for `-o FILE`, or stdout when no file (or `-`) is given. */
export async function openSink(path: string | undefined, stdout: Writable): Promise<DataSink> {
  if (path === undefined || path === '-') return streamSink(stdout, async () => {}, async () => {});
  const dir = dirname(path);
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new OutputError(`Cannot write '${path}': folder '${dir}' does not exist; create it or choose another -o path.`);
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  // Opened synchronously: an asynchronous open could create the file after a hard quit's exit hook has already
  // removed the temp files, leaving debris beside the target.
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (e) {
    throw new OutputError(`Cannot write '${path}': ${reason(e)}; check the folder, its permissions and free space.`, { cause: e });
  }
  trackTemp(temp);
  const file: WriteStream = createWriteStream(temp, { fd });
  return streamSink(
    file,
    async () => {
      await new Promise<void>((resolve, reject) => {
        file.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
      await rename(temp, path);
      openTemps.delete(temp);
    },
    async () => {
      file.destroy();
      await rm(temp, { force: true });
      openTemps.delete(temp);
    },
  );
}

function streamSink(stream: Writable, commit: () => Promise<void>, abort: () => Promise<void>): DataSink {
  let failure: Error | undefined;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) is the reader's choice, not an error to report.
    failure = e.code === 'EPIPE' ? new PipeClosedError() : new OutputError(`Cannot write output: ${e.message}.`, { cause: e });
  });
  return {
    stream,
    async write(chunk) {
      if (failure) throw failure;
      if (!stream.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            stream.off('drain', done);
            stream.off('error', done);
            stream.off('close', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('error', done);
          stream.on('close', done);
        });
        if (failure) throw failure;
      }
    },
    async commit() {
      if (failure) throw failure;
      await commit();
    },
    abort,
  };
}

/** Opens the input: `-` or nothing is stdin (refused when stdin is a terminal), else a file that must exist. */
export async function openInput(path: string | undefined, stdin: Readable & { isTTY?: boolean }): Promise<{ stream: Readable; name: string }> {
  if (path === undefined || path === '-') {
    if (stdin.isTTY) throw new UsageError('No input: give a file (earshot analyze mentions.csv) or pipe data in (earshot fetch … | earshot analyze -).');
    return { stream: stdin, name: '<stdin>' };
  }
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new UsageError(`'${path}' is a folder; give a CSV, NDJSON or JSON file.`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`Cannot read '${path}': no such file; check the path.`);
  }
  return { stream: createReadStream(path), name: path };
}

/** An input that can be read more than once: a regular file as it is, stdin (or a pipe) copied to a temp file first. */
export interface RereadableInput {
  name: string;
  /** A fresh stream from the start. */
  open(): Readable;
  /** Removes the temp copy, if one was made. */
  close(): void;
}

/** Opens the input so that it can be read twice (`analyze` finds the newest time first, then analyses). */
export async function openRereadableInput(path: string | undefined, stdin: Readable & { isTTY?: boolean }): Promise<RereadableInput> {
  const first = await openInput(path, stdin);
  if (path !== undefined && path !== '-' && (await stat(path)).isFile()) {
    let fresh: Readable | undefined = first.stream;
    return {
      name: first.name,
      open: () => {
        const s = fresh ?? createReadStream(path);
        fresh = undefined;
        return s;
      },
      close: () => {},
    };
  }
  // A pipe is read once: keep a private copy to read again (removed on close, or at exit after a hard quit).
  const dir = mkdtempSync(join(tmpdir(), 'earshot-input-'));
  const copy = join(dir, 'input');
  trackTemp(dir);
  try {
    await pipeline(first.stream, createWriteStream(copy));
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    untrackTemp(dir);
    throw new EarshotError('unavailable', `Cannot copy ${first.name} to '${copy}' to read it twice: ${reason(e)}; give --now, or free space in the temp folder.`, { cause: e });
  }
  return {
    name: first.name,
    open: () => createReadStream(copy),
    close: () => {
      rmSync(dir, { recursive: true, force: true });
      untrackTemp(dir);
    },
  };
}
