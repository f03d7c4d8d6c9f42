/**
 * Benchmark baseline, run as its own process: the bare `sentiment` package scoring the `text` of every line of an
 * NDJSON file (same file, same JSON parsing as earshot has to do). Prints `<texts> <checksum>` so the work cannot
 * be optimised away and the count can be checked.
 */
import { createReadStream } from 'node:fs';
import Sentiment from 'sentiment';

async function main(path: string): Promise<void> {
  const analyser = new Sentiment();
  let pending = '';
  let texts = 0;
  let checksum = 0;
  const score = (line: string): void => {
    if (line.trim() === '') return;
    const record = JSON.parse(line) as { text?: unknown };
    if (typeof record.text !== 'string') return;
    checksum += analyser.analyze(record.text).score;
    texts += 1;
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    pending += chunk as string;
    let from = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
      score(pending.slice(from, nl));
      from = nl + 1;
    }
    pending = pending.slice(from);
  }
  score(pending);
  process.stdout.write(`${texts} ${checksum}\n`);
}

const path = process.argv[2];
if (path === undefined) {
  process.stderr.write('usage: bench-baseline.js FILE.ndjson\n');
  process.exitCode = 2;
} else {
  await main(path);
}
