#!/usr/bin/env node
// Thin launcher: all logic lives in the compiled CLI.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered before the CLI (and commander) is loaded: start-up is most of what `--version` costs.
  // Same answer as toolVersion() in src/core/version.ts (package.json beside bin/ when it names earshot).
  let version = '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (pkg.name === 'earshot' && typeof pkg.version === 'string') version = pkg.version;
  } catch {
    // No readable package.json: the CLI would say 0.0.0 too.
  }
  process.stdout.write(`${version}\n`);
} else {
  const { main } = await import('../dist/src/cli/main.js');
  process.exitCode = await main(process.argv);
}
