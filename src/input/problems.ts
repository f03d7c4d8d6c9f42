/** Reports malformed records the same way for every format: a warning and a skip, or an InputError with `strict`. */
import { InputError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { ReadStats } from './types.js';

/** How a file is named in messages: `-` is stdin. */
function displayName(fileName: string): string {
  return fileName === '-' ? '<stdin>' : fileName;
}

/** Collects the per-read context every reader needs to report a bad record. */
export class ProblemReporter {
  readonly name: string;
  constructor(
    fileName: string,
    private readonly log: Logger,
    private readonly strict: boolean,
    readonly stats: ReadStats,
  ) {
    this.name = displayName(fileName);
  }

  /** `<file>:<line>: <what> ; skipped.` as a warning, or thrown as an InputError under `strict`. */
  skip(line: number, what: string): void {
    const message = `${this.name}:${line}: ${what}; skipped.`;
    if (this.strict) throw new InputError(message);
    this.stats.skipped += 1;
    this.log.warn(message);
  }

  /** A problem that ends the read early (the rest cannot be parsed): always an error under `strict`, else a warning. */
  stop(line: number, what: string): void {
    const message = `${this.name}:${line}: ${what}; the rest of the input was skipped.`;
    if (this.strict) throw new InputError(message);
    this.stats.skipped += 1;
    this.log.warn(message);
  }

  /** An error about the whole input (not one record), always fatal. */
  fatal(line: number | undefined, what: string, cause?: unknown): InputError {
    const where = line === undefined ? this.name : `${this.name}:${line}`;
    return new InputError(`${where}: ${what}`, cause === undefined ? undefined : { cause });
  }
}
