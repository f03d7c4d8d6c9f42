/** The CLI's stderr logger: respects --quiet/--debug, caps repeated warnings, strips control sequences. */
import type { Writable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import type { Logger } from '../core/log.js';
import { messageLine, stripControl } from '../core/sanitize.js';

/** A stderr logger that also remembers warnings for the report. */
export interface CliLogger extends Logger {
  /** Every warning, for the report's `warnings` list. */
  warnings: string[];
  /** Prints the count of warnings that were not shown. */
  finish(): void;
  /** A live status line (progress) to clear before any message is printed, so the two never share a line. */
  holdLine(clear: (() => void) | undefined): void;
  /** A line printed even with --quiet (failed sources, breaches): what a cron job must see. */
  always(message: string): void;
}

const SHOWN_WARNINGS = 20;

/** Creates the stderr logger. */
export function createCliLogger(stderr: Writable, options: { quiet: boolean; debug: boolean; chalk: ChalkInstance }): CliLogger {
  const c = options.chalk;
  const warnings: string[] = [];
  let hidden = 0;
  let clearStatus: (() => void) | undefined;
  const line = (text: string): void => {
    clearStatus?.();
    stderr.write(`${stripControl(text)}\n`);
  };
  return {
    warnings,
    holdLine(clear) {
      clearStatus = clear;
    },
    always(message) {
      line(message);
    },
    info(message) {
      if (!options.quiet) line(message);
    },
    warn(raw) {
      // A warning is one line: text it quotes (a server's error, an input's field) must not print lines of its own.
      const message = messageLine(raw);
      warnings.push(message);
      if (options.quiet) return;
      if (warnings.length <= SHOWN_WARNINGS || options.debug) line(c.yellow(`warning: ${message}`));
      else hidden += 1;
    },
    debug(message) {
      if (options.debug) line(c.dim(`debug: ${message}`));
    },
    finish() {
      if (hidden > 0 && !options.quiet) line(c.yellow(`warning: ${hidden} more warnings not shown (all are in --format json, or use --debug).`));
      hidden = 0;
    },
  };
}
