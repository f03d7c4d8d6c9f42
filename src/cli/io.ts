/** Process-facing I/O: atomic file output, stdout with backpressure, input streams. */
import { constants, createReadStream, createWriteStream, fchmodSync, fchownSync, mkdtempSync, openSync, rmSync, type Stats, type WriteStream } from 'node:fs';
import { lstat, mkdir, open, readlink, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
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

/**
 * SIGINT and SIGTERM quit at once with 128 + the signal's number (130, 143), through process.exit so that the exit
 * hook removes the temp files and locks: killed by the default action, `analyze -o` left its `.tmp` file behind.
 * Returns the function that removes the handlers.
 */
export function quitOnSignal(): () => void {
  const onInt = (): void => process.exit(130);
  const onTerm = (): void => process.exit(143);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
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
  const target = await outputTarget(path);
  if (target.kind === 'descriptor') return descriptorSink(target.fd, stdout);
  if (target.kind === 'straight') return straightSink(path);
  const file = target.file;
  if (target.kind === 'new') {
    await makeFolder(dirname(file), (problem) => new OutputError(`Cannot write '${path}': ${problem}; choose another -o path.`));
  }
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  // Opened synchronously: an asynchronous open could create the file after a hard quit's exit hook has already
  // removed the temp files, leaving debris beside the target.
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (e) {
    throw new OutputError(`Cannot write '${path}': ${reason(e)}; check the folder, its permissions and free space.`, { cause: e });
  }
  trackTemp(temp);
  if (target.kind === 'replace') keepOwnership(fd, target.stats);
  const stream: WriteStream = createWriteStream(temp, { fd });
  return streamSink(
    stream,
    async () => {
      await endStream(stream);
      await rename(temp, file);
      openTemps.delete(temp);
    },
    async () => {
      stream.destroy();
      await rm(temp, { force: true });
      openTemps.delete(temp);
    },
  );
}

/**
 * Where `-o PATH` writes. `new`/`replace`: a regular file (or nothing yet) at `file`, written atomically (temp file
 * + rename). Symlinks are followed, so a link to a report keeps being a link. `straight`: anything else (a device,
 * a FIFO, a terminal, `/dev/stdout` or `/dev/fd/N` from process substitution): written into as it is, because
 * renaming over it would replace it (as root, `-o /dev/null` once turned /dev/null into a regular file) and its
 * reader would get nothing. `descriptor`: one of this process's own descriptors (`/dev/stdout`, `/dev/fd/63`),
 * written through the descriptor itself: reopening it fails for a socket and would truncate a `>>` file.
 */
type OutputTarget = { kind: 'new'; file: string } | { kind: 'replace'; file: string; stats: Stats } | { kind: 'straight' } | { kind: 'descriptor'; fd: number };

/** An open descriptor's alias (`/dev/stdout` → `/proc/self/fd/1`, `/dev/fd/63`): its "link" is not a path to rename over. */
const DESCRIPTOR_ALIAS = /^\/(?:proc\/([^/]+)|dev)\/fd\/(\d+)$/;

async function outputTarget(path: string): Promise<OutputTarget> {
  let file = resolve(path);
  // Follow the link chain by hand to notice a descriptor alias on the way (and give up on a loop, as the kernel does).
  for (let hop = 0; hop <= 40; hop += 1) {
    const alias = DESCRIPTOR_ALIAS.exec(file);
    if (alias) {
      const owner = alias[1];
      const own = owner === undefined || owner === 'self' || owner === String(process.pid);
      return own ? { kind: 'descriptor', fd: Number(alias[2]) } : { kind: 'straight' };
    }
    let stats: Stats;
    try {
      stats = await lstat(file);
    } catch (e) {
      // Missing (or under a file): makeFolder creates the folders, or names the file in the way.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'new', file };
      throw new OutputError(`Cannot write '${path}': ${reason(e)}; choose another -o path.`, { cause: e });
    }
    if (stats.isSymbolicLink()) {
      file = resolve(dirname(file), await readlink(file));
      continue;
    }
    if (stats.isDirectory()) throw new OutputError(`Cannot write '${path}': it is a folder; give a file name, e.g. -o ${join(path, 'report.csv')}.`);
    return stats.isFile() ? { kind: 'replace', file, stats } : { kind: 'straight' };
  }
  throw new OutputError(`Cannot write '${path}': too many symbolic links; choose another -o path.`);
}

/** The replacement keeps the replaced file's permissions (and, when we may, its owner): `-o` must not widen or narrow who can read a report. */
function keepOwnership(fd: number, stats: Stats): void {
  fchmodSync(fd, stats.mode & 0o7777);
  if (process.getuid?.() === stats.uid && process.getgid?.() === stats.gid) return;
  try {
    fchownSync(fd, stats.uid, stats.gid);
  } catch {
    // Only root may give a file away; anyone else's replacement is theirs, as with any editor's save.
  }
}

/** Writes into an existing device, FIFO or descriptor as it is; appending, so a `>>` the shell opened is not truncated. */
async function straightSink(path: string): Promise<DataSink> {
  let handle: FileHandle;
  try {
    // No O_CREAT: if the target vanished meanwhile, fail rather than create a regular file in its place (under /dev).
    // Asynchronous: opening a FIFO waits for its reader, and the event loop must stay free for Ctrl-C.
    handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOCTTY);
  } catch (e) {
    throw new OutputError(`Cannot write '${path}': ${reason(e)}; choose another -o path.`, { cause: e });
  }
  const stream = handle.createWriteStream();
  return streamSink(stream, () => endStream(stream), async () => {
    stream.destroy();
  });
}

/** Writes to one of this process's descriptors: 1 is the stdout stream; another (process substitution) is closed at the end, so its reader sees the end. */
function descriptorSink(fd: number, stdout: Writable): DataSink {
  if (fd === 1) return streamSink(stdout, async () => {}, async () => {});
  const stream = createWriteStream('', { fd, autoClose: fd > 2 });
  return streamSink(
    stream,
    () => endStream(stream),
    async () => {
      if (fd > 2) stream.destroy();
    },
  );
}

/**
 * Creates a folder and its parents one level at a time. (Node 20's recursive mkdir never settles on some
 * special file systems such as /proc, which would hang a cron job.) `fail` turns a problem into the caller's error.
 */
export async function makeFolder(dir: string, fail: (problem: string) => Error): Promise<void> {
  const parts = resolve(dir).split(sep);
  for (let i = 2; i <= parts.length; i += 1) {
    const path = parts.slice(0, i).join(sep) || sep;
    try {
      await mkdir(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        if (!(await stat(path)).isDirectory()) throw fail(`'${path}' is a file, not a folder`);
        continue;
      }
      throw fail(`cannot create the folder '${path}': ${reason(e)}`);
    }
  }
}

/** Ends a write stream and resolves once everything is flushed (rejects with the write's error). */
function endStream(stream: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
  });
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
