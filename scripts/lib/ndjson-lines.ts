/** What the benchmark's child processes (baseline and I/O floor) share, so both read the same way. */
import { createReadStream } from 'node:fs';

/**
 * Calls `visit` with every non-blank line of an NDJSON file, read as a UTF-8 stream in 64 KB chunks, and awaits
 * `afterChunk` (when given) once the lines of each chunk are visited: where a writer can wait for its output to drain.
 */
export async function forEachNdjsonLine(path: string, visit: (line: string) => void, afterChunk?: () => Promise<void>): Promise<void> {
  let pending = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    pending += chunk as string;
    let from = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
      const line = pending.slice(from, nl);
      if (line.trim() !== '') visit(line);
      from = nl + 1;
    }
    pending = pending.slice(from);
    if (afterChunk) await afterChunk();
  }
  if (pending.trim() !== '') visit(pending);
}

/** Runs `main` on the file named by the first argument, or prints `usage: <script> FILE.ndjson` and exits 2. */
export async function runOnFileArgument(script: string, main: (path: string) => Promise<void>): Promise<void> {
  const path = process.argv[2];
  if (path === undefined) {
    process.stderr.write(`usage: ${script} FILE.ndjson\n`);
    process.exitCode = 2;
  } else {
    await main(path);
  }
}
