/**
 * Benchmark baseline, run as its own process: the bare `sentiment` package scoring the `text` of every line of an
 * NDJSON file (same file, same JSON parsing as earshot has to do). Prints `<texts> <checksum>` so the work cannot
 * be optimised away and the count can be checked.
 */
import Sentiment from 'sentiment';
import { forEachNdjsonLine, runOnFileArgument } from './ndjson-lines.js';

async function main(path: string): Promise<void> {
  const analyser = new Sentiment();
  let texts = 0;
  let checksum = 0;
  await forEachNdjsonLine(path, (line) => {
    const record = JSON.parse(line) as { text?: unknown };
    if (typeof record.text !== 'string') return;
    checksum += analyser.analyze(record.text).score;
    texts += 1;
  });
  process.stdout.write(`${texts} ${checksum}\n`);
}

await runOnFileArgument('bench-baseline.js', main);
