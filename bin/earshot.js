#!/usr/bin/env node
// Thin launcher: all logic lives in the compiled CLI.
import { main } from '../dist/src/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
