/** Turns parsed flags into typed settings shared by the commands. */
import { Chalk, type ChalkInstance } from 'chalk';
import { parseTimeBound } from '../core/duration.js';
import { createCliLogger, type CliLogger } from './logger.js';
import type { CliDeps } from './main.js';
import type { Settings } from './resolve.js';

/** Settings every command resolves the same way. */
export interface CommonSettings {
  /** Colour for terminal tables (stdout is a TTY, no NO_COLOR, no --no-color). */
  color: boolean;
  chalk: ChalkInstance;
  log: CliLogger;
  debug: boolean;
  quiet: boolean;
  /** Progress lines on stderr: only on a TTY and not --quiet. */
  progress: boolean;
}

/** Resolves colour, logging and progress from flags and the environment. */
export function commonSettings(o: Record<string, unknown>, deps: CliDeps, format?: string): CommonSettings {
  const noColor = o.color === false || (deps.env.NO_COLOR !== undefined && deps.env.NO_COLOR !== '') || deps.env.TERM === 'dumb';
  const errColor = !noColor && deps.stderr.isTTY === true;
  const color = !noColor && deps.stdout.isTTY === true && (format === undefined || format === 'table') && o.output === undefined;
  const quiet = o.quiet === true;
  const debug = o.debug === true;
  const chalk = new Chalk({ level: errColor ? 1 : 0 });
  return { color, chalk, quiet, debug, progress: !quiet && deps.stderr.isTTY === true, log: createCliLogger(deps.stderr, { quiet, debug, chalk }) };
}

/** The audit clock: --now (ISO time) or the real time. */
export function parseNow(value: unknown, deps: CliDeps): Date {
  const real = deps.clock();
  return value === undefined ? real : parseTimeBound(String(value), real, '--now');
}

/** Output choices from flags. */
export function outputChoices(o: Pick<Settings, 'format' | 'top' | 'rawCsv' | 'out'>, deps: CliDeps, common: CommonSettings) {
  return {
    format: o.format,
    color: common.color,
    // Block characters draw on a terminal; in a file or a pipe a reader wants the numbers (TERM=dumb may lack them).
    sparklines: deps.stdout.isTTY === true && (o as { output?: string }).output === undefined && deps.env.TERM !== 'dumb',
    width: Math.min(deps.stdout.columns || 80, 120),
    top: o.top,
    rawCsv: o.rawCsv,
    ...(o.out !== undefined ? { out: o.out } : {}),
  };
}
