/**
 * Benchmark I/O floor, run as its own process: what any NDJSON-to-NDJSON tool pays before analysing anything. It
 * reads the file as the baseline does, parses every line, serialises the record again and writes the lines to
 * stdout in 64 KB batches (the way earshot writes). No scoring, no threads, no summary. Prints `<records>` on stderr.
 */
import { forEachNdjsonLine } from './ndjson-lines.js';

const FLUSH = 64 * 1024;

async function main(path: string): Promise<void> {
  let records = 0;
  let out = '';
  const drains: Promise<void>[] = [];
  const flush = (): void => {
    if (!process.stdout.write(out)) drains.push(new Promise((done) => process.stdout.once('drain', done)));
    out = '';
  };
  await forEachNdjsonLine(path, (line) => {
    out += `${JSON.stringify(JSON.parse(line))}\n`;
    records += 1;
    if (out.length >= FLUSH) flush();
  });
  flush();
  await Promise.all(drains);
  process.stderr.write(`${records}\n`);
}

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: bench-floor.js FILE.ndjson\n');
  process.exitCode = 2;
} else {
  await main(path);
}
