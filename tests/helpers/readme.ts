/** The README as the tests that run its recipes literally read it (tests/e2e/readme-*.test.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './run-cli.js';

/** README.md's text, exactly as committed. */
export const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The files a report folder (`--out`) holds, as the README lists them. */
export const REPORT_FILES = ['daily.csv', 'mentions.csv', 'report.html', 'report.json', 'summary.csv', 'unanswered.csv'];

/** The first ```sh block after `heading` in the README, exactly as written. */
export function readmeBlock(heading: string): string {
  const at = README.indexOf(`\n${heading}\n`);
  expect(at, heading).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(at));
  expect(block, `a sh block under ${heading}`).not.toBeNull();
  return block![1]!;
}
