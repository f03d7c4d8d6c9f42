/** Line reading shared by the benchmark's child processes (baseline and I/O floor), so both read the same way. */
import { createReadStream } from 'node:fs';

/** Calls `visit` with every non-blank line of an NDJSON file, read as a UTF-8 stream in 64 KB chunks. */
export async function forEachNdjsonLine(path: string, visit: (line: string) => void): Promise<void> {
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
  }
  if (pending.trim() !== '') visit(pending);
}
