/**
 * Benchmark I/O floor, run as its own process: what any NDJSON-to-NDJSON tool pays before analysing anything. It
 * reads the file as the baseline does, parses every line, serialises the record again and writes the lines to
 * stdout in 64 KB batches (the way earshot writes). No scoring, no threads, no summary. Prints `<records>` on stderr.
 */
import { forEachNdjsonLine, runOnFileArgument } from './ndjson-lines.js';

const FLUSH = 64 * 1024;

async function main(path: string): Promise<void> {
  let records = 0;
  let out = '';
  // Written once a chunk's lines are done, and waited on when the pipe is full, as earshot's own output waits.
  const flush = async (): Promise<void> => {
    if (out.length < FLUSH) return;
    const full = !process.stdout.write(out);
    out = '';
    if (full) await new Promise((done) => process.stdout.once('drain', done));
  };
  await forEachNdjsonLine(
    path,
    (line) => {
      out += `${JSON.stringify(JSON.parse(line))}\n`;
      records += 1;
    },
    flush,
  );
  process.stdout.write(out);
  process.stderr.write(`${records}\n`);
}

await runOnFileArgument('bench-floor.js', main);
