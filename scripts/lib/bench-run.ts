/**
 * Benchmark plumbing: run a child process with stdin from a file and stdout to /dev/null, timing it from the
 * parent and reading its peak RSS, plus medians and machine facts for the report header.
 */
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** One measured child run. */
export interface RunResult {
  wallMs: number;
  /** Peak resident set size in bytes (0 when it could not be read). */
  peakRssBytes: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** How a command is run. */
export interface RunSpec {
  command: string;
  args: string[];
  /** File fed to stdin (default: /dev/null). */
  stdinFile?: string;
  /** Keep stdout (small outputs only); default: stdout goes to /dev/null. */
  captureStdout?: boolean;
  env?: Record<string, string>;
}

const TIME = '/usr/bin/time';

/** How peak RSS is measured on this machine: GNU time when installed, else a preload that reports maxRSS on exit. */
type RssMethod = 'gnu-time' | 'preload';

/** Picks the RSS method: GNU `/usr/bin/time -f %M` when it is executable, else the Node preload. */
function rssMethod(): RssMethod {
  try {
    accessSync(TIME, constants.X_OK);
    return 'gnu-time';
  } catch {
    return 'preload';
  }
}

/**
 * Runs one command and measures it. Wall time is taken in the parent around spawn → exit, so both sides of a
 * comparison pay the same process overhead. `work` is a scratch folder for the RSS report file.
 */
async function measure(spec: RunSpec, work: string, method: RssMethod = rssMethod()): Promise<RunResult> {
  const rssFile = join(work, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  let command = spec.command;
  let args = spec.args;
  const env: Record<string, string | undefined> = { ...process.env, ...spec.env };
  if (method === 'gnu-time') {
    command = TIME;
    args = ['-f', '%M', '-o', rssFile, spec.command, ...spec.args];
  } else {
    const preload = join(work, 'rss-preload.mjs');
    writeFileSync(
      preload,
      "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
    );
    env.BENCH_RSS_FILE = rssFile;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${preload}`.trim();
  }
  const stdin = openSync(spec.stdinFile ?? '/dev/null', 'r');
  const devnull = openSync('/dev/null', 'w');
  try {
    const started = performance.now();
    const child = spawn(command, args, { stdio: [stdin, spec.captureStdout ? 'pipe' : devnull, 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      if (stderr.length < 64 * 1024) stderr += s;
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c ?? 1));
    });
    const wallMs = performance.now() - started;
    let peakRssBytes = 0;
    try {
      // GNU time writes KB (maxrss); the preload writes resourceUsage().maxRSS, also KB.
      const text = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
      const kb = Number(text);
      if (Number.isFinite(kb)) peakRssBytes = kb * 1024;
    } catch {
      // No report (the child died early): leave 0, the caller prints "n/a".
    }
    rmSync(rssFile, { force: true });
    return { wallMs, peakRssBytes, code, stdout, stderr };
  } finally {
    closeSync(stdin);
    closeSync(devnull);
  }
}

/** Runs `spec` `runs` times and returns every result (fails loudly on a non-zero exit). */
export async function measureRuns(spec: RunSpec, work: string, runs: number): Promise<RunResult[]> {
  const out: RunResult[] = [];
  for (let i = 0; i < runs; i += 1) {
    const r = await measure(spec, work);
    if (r.code !== 0) {
      throw new Error(`${spec.command} ${spec.args.join(' ')} exited with ${r.code}: ${r.stderr.slice(0, 500)}`);
    }
    out.push(r);
  }
  return out;
}

/** Median of a list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Machine facts for the report header. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  date: string;
  rssMethod: RssMethod;
}

/** CPU model, core count, memory, Node version, platform, date (ISO) and the RSS method. */
export function machineInfo(now = new Date()): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: now.toISOString(),
    rssMethod: rssMethod(),
  };
}

/** `123.4 MB`. */
export function mb(bytes: number): string {
  return bytes > 0 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : 'n/a';
}
