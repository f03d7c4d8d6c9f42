/**
 * Two ways to run the CLI in a test, with one result shape: `runCli` calls `main(argv, deps)` in this process (no
 * build, no child: the default), `spawnCli` spawns the built CLI (bin/earshot.js → dist/) the way a user runs it, for
 * what only a real process shows: exit codes of the bin shim, signals, a TTY, a closing pipe, V8 flags.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/earshot.js`;

/** Result of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How to run: stdin text, extra environment (on top of PATH, HOME and TZ=UTC), working folder, time limit. */
export interface CliRunOptions {
  input?: string;
  env?: Record<string, string>;
  /** Where a config file is looked for and `init` writes (in process: CliDeps.cwd); other relative paths resolve against ROOT in process. */
  cwd?: string;
  timeoutMs?: number;
  /** In process only: the real clock main() sees (`--now` overrides it, as in a real run). */
  clock?: () => Date;
}

/** The environment a run sees: never the user's colour settings, tokens or config. */
const runEnv = (extra: Record<string, string> | undefined): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: 'UTC', ...extra });

/** A Writable that keeps every byte, decoded once at the end (so a UTF-8 sequence split over two writes stays whole). */
function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs `earshot ...args` in process: `main()` with stdout/stderr captured, stdin from `input` (empty when none, like a
 * closed pipe; not a TTY, like runs under spawnCli), the environment and clock injected. Rejects after `timeoutMs`.
 */
export async function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  // An audit adds SIGINT/SIGTERM listeners while it runs; concurrent in-process audits would trip Node's leak warning.
  if (process.getMaxListeners() < 100) process.setMaxListeners(100);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`earshot ${args.join(' ')}: still running after ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
  });
  try {
    // Loaded on first use, so a test that only wants ROOT or spawnCli does not load the CLI.
    const { main } = await import('../../src/cli/main.js');
    const code = await Promise.race([
      main([process.execPath, BIN, ...args], { stdout: out.stream, stderr: err.stream, stdin, env: runEnv(options.env), clock: options.clock ?? (() => new Date()), cwd: options.cwd ?? ROOT }),
      timeout,
    ]);
    // Let writes queued in the same tick land before reading what was captured.
    await new Promise((resolve) => setImmediate(resolve));
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** Spawns the built CLI with optional stdin and environment, and captures everything (needs `npm run build`). */
export async function spawnCli(
  args: string[],
  options: Omit<CliRunOptions, 'clock'> & { closeStdout?: boolean; /** Flags for node itself, e.g. a small heap. */ nodeArgs?: string[] } = {},
): Promise<CliRun> {
  if (!existsSync(`${ROOT}dist/src/cli/main.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first).');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], { cwd: options.cwd ?? ROOT, env: runEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // closeStdout: the reader goes away before the first byte, like `earshot … | head -0`; the CLI then meets EPIPE.
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
